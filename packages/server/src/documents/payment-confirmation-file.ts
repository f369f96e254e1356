import { Problem } from "@armsledger/core";
import { sha256Hex } from "../crypto/index.ts";
import { readTableFile } from "./read-table-file.ts";
import type { TableFormat } from "./table-file.ts";

/** The columns a provider's confirmation file must have (any order; more are ignored, "note" is kept). */
export const confirmationColumns = ["reference", "amount", "status", "date"] as const;

/**
 * Turns a provider's confirmation file into the payload of one payment.confirm command: the
 * file's SHA-256, and each line as read (the rules match and check them, line by line). Status
 * and date are only normalised here ("PAID" → paid, "2026-04-03T00:00" → 2026-04-03).
 */
export async function confirmationPayload(
  bytes: Uint8Array,
  format: TableFormat,
  fileName: string,
  receivedAt: string,
) {
  const rows = await readTableFile(bytes, format);
  const first = rows[0];
  const missing = first ? confirmationColumns.filter((c) => !(c in first.values)) : [];
  if (missing.length > 0)
    throw new Problem(
      "request.invalid",
      `The confirmation file lacks the column(s) ${missing.join(", ")}: it needs ${confirmationColumns.join(", ")}.`,
      missing.map((c) => ({ path: "file", message: `missing column ${c}` })),
    );
  return {
    fileName,
    fileSha256: sha256Hex(bytes),
    receivedAt,
    lines: rows.map((r) => ({
      line: r.line,
      reference: r.values.reference ?? "",
      amount: r.values.amount ?? "",
      status: (r.values.status ?? "").toLowerCase(),
      date: (r.values.date ?? "").slice(0, 10),
      ...(r.values.note ? { note: r.values.note } : {}),
    })),
  };
}
