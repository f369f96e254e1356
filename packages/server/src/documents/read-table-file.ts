import { Problem } from "@armsledger/core";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { unguardFormula } from "./formula-guard.ts";
import type { TableFormat } from "./table-file.ts";

export interface FileRow {
  /** The row's line in the file (the header is line 1). */
  line: number;
  /** Cell text by column name (lower case, spaces as underscores); an empty cell is "". */
  values: Record<string, string>;
}

const columnName = (name: string) =>
  name
    .normalize("NFC")
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/gu, "_");

function unreadable(format: TableFormat, why: string): Problem {
  return new Problem(
    "request.invalid",
    `The file cannot be read as ${format === "csv" ? "CSV (UTF-8, a header row)" : "an .xlsx workbook"}: ${why}`,
    [{ path: "file", message: why }],
  );
}

/** A cell as text: dates as YYYY-MM-DD (a spreadsheet turns "2026-04-03" into a date), numbers as written. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
    if ("text" in value) return String(value.text);
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    return "";
  }
  return String(value).trim();
}

/**
 * Reads a table sent by a provider: CSV (UTF-8, with or without a byte-order mark, a header
 * row; cells a spreadsheet guard prefixed with an apostrophe read back as typed) or the first
 * worksheet of an .xlsx workbook. Rows with no text at all are skipped.
 */
export async function readTableFile(bytes: Uint8Array, format: TableFormat): Promise<FileRow[]> {
  let records: string[][];
  if (format === "csv") {
    try {
      records = parse(Buffer.from(bytes), { bom: true, relax_column_count: true, skip_empty_lines: false });
    } catch (error) {
      throw unreadable(format, (error as Error).message);
    }
    records = records.map((r) => r.map((c) => unguardFormula(c.trim())));
  } else {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    } catch {
      throw unreadable(format, "it is not an .xlsx workbook");
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) throw unreadable(format, "the workbook has no worksheet");
    records = [];
    sheet.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, c) => {
        cells[c - 1] = cellText(cell.value);
      });
      records[n - 1] = Array.from(cells, (c) => c ?? "");
    });
    records = Array.from(records, (r) => r ?? []);
  }
  const [header, ...body] = records;
  if (!header || header.every((c) => c === "")) throw unreadable(format, "there is no header row");
  const columns = header.map(columnName);
  return body
    .map((cells, i) => ({
      line: i + 2,
      values: Object.fromEntries(columns.map((c, j) => [c, cells[j] ?? ""])),
    }))
    .filter((r) => Object.values(r.values).some((v) => v !== ""));
}
