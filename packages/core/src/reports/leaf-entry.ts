import { canonicalJson } from "@armsledger/ledger";
import { z } from "zod";

/**
 * A ledger leaf as the write path makes it: the RFC 8785 canonical JSON of the event's public
 * part, plus a salted commitment (`personal`) when the event had personal fields.
 */
export const leafEntrySchema = z.strictObject({
  v: z.literal(1),
  index: z.int().min(0),
  type: z.string().regex(/^[a-z]+(?:\.[a-z]+)+$/, "an event type such as handover.recorded"),
  at: z.iso.datetime(),
  actor: z.string().min(1),
  command: z.uuid(),
  data: z.record(z.string(), z.unknown()),
  personal: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "a SHA-256 commitment in lower-case hex")
    .optional(),
});

export type LeafEntry = z.infer<typeof leafEntrySchema>;

export class LeafEntryError extends Error {
  override readonly name = "LeafEntryError";
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Reads a leaf's bytes strictly: UTF-8, JSON, exactly its own RFC 8785 canonical form (any other
 * spelling of the same value — spaces, key order, escapes, number forms, duplicate keys — is
 * refused, since the leaf hash commits to the bytes), and the leaf schema. Throws LeafEntryError.
 */
export function parseLeafEntry(bytes: Uint8Array): LeafEntry {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new LeafEntryError("not UTF-8");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LeafEntryError(`not JSON: ${(error as Error).message}`);
  }
  let canonical: string;
  try {
    canonical = canonicalJson(value); // refuses lone surrogates, as RFC 8785 (I-JSON) does
  } catch (error) {
    throw new LeafEntryError(`no canonical form: ${(error as Error).message}`);
  }
  // Comparing the text is comparing the bytes: strict UTF-8 decoding (no BOM stripped) is one to
  // one, so the bytes are the canonical form's UTF-8 exactly when the texts are equal.
  if (canonical !== text) throw new LeafEntryError("not canonical JSON (RFC 8785)");
  const parsed = leafEntrySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LeafEntryError(`${issue.path.join(".") || "entry"}: ${issue.message}`);
  }
  return parsed.data;
}
