import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { unguardFormula } from "../export/formula-guard.ts";

export interface TableRow {
  /** Where the row starts: the spreadsheet row number, or the CSV line (the header is line 1). */
  line: number;
  /** Cell text by column name; an empty cell is "". */
  values: Record<string, string>;
}

export interface Table {
  rows: TableRow[];
  /** The column names as read from the header, normalised (lower case, spaces as underscores). */
  columns: string[];
  headerLine: number;
}

/** A file that cannot be read as a table; `line` points at the offending line when known. */
export class TableError extends Error {
  readonly line: number;
  constructor(message: string, line = 1) {
    super(message);
    this.name = "TableError";
    this.line = line;
  }
}

/** "Given AR" and "given-ar" name the column given_ar. */
export function normaliseColumnName(name: string): string {
  return name
    .normalize("NFC")
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/gu, "_");
}

/**
 * Reads a CSV file (UTF-8, with or without a byte-order mark; a header row) or the first
 * worksheet of an .xlsx workbook (a header row). Rows with no text at all are skipped.
 */
export async function readTable(path: string): Promise<Table> {
  const ext = extname(path).toLowerCase();
  if (ext === ".csv") return csvTable(await readFile(path));
  if (ext === ".xlsx") return xlsxTable(path);
  if (ext === ".xls")
    throw new TableError(
      "This is an old Excel (.xls) file: open it in Excel and save it as .xlsx or CSV UTF-8.",
    );
  throw new TableError(`Cannot read ${ext || "a file without extension"}: give a .csv or .xlsx file.`);
}

interface RawRecord {
  line: number;
  cells: string[];
}

function countLineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/gu)?.length ?? 0;
}

function leadingLineBreaks(text: string): number {
  return countLineBreaks(/^(?:\r\n|\r|\n)*/u.exec(text)?.[0] ?? "");
}

function csvTable(bytes: Buffer): Table {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new TableError(
      'The file is not UTF-8 text. In Excel use "Save As" → "CSV UTF-8 (Comma delimited)", or save it as .xlsx.',
    );
  }
  // Excel saves CSV with a semicolon or a tab in some locales; the header row tells which.
  const firstLine = text.replace(/^\uFEFF/u, "").split(/\r\n|\r|\n/u, 1)[0] ?? "";
  const delimiter = firstLine.includes(",")
    ? ","
    : firstLine.includes(";")
      ? ";"
      : firstLine.includes("\t")
        ? "\t"
        : ",";
  let parsed: { record: string[]; info: { bytes: number } }[];
  try {
    parsed = parse(bytes, {
      bom: true,
      delimiter,
      info: true,
      skip_empty_lines: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    throw new TableError(`The CSV file cannot be read: ${e.message ?? String(error)}`, e.lines ?? 1);
  }
  // csv-parse counts lines inside quoted cells unreliably (CRLF), so lines are counted here from
  // the bytes each record consumed: the skipped empty lines before it, then the record itself.
  const records: RawRecord[] = [];
  let consumed = 0;
  let breaks = 0;
  for (const { record, info } of parsed) {
    const chunk = bytes.subarray(consumed, info.bytes).toString("utf8");
    // Cells our exports guarded against spreadsheet formulas get their apostrophe back off.
    records.push({ line: breaks + leadingLineBreaks(chunk) + 1, cells: record.map(unguardFormula) });
    breaks += countLineBreaks(chunk);
    consumed = info.bytes;
  }
  return buildTable(records);
}

/** The text of a cell as a clerk sees it; dates as ISO 8601 (a time without zone, as Excel has none). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 19);
  }
  if ("richText" in value) return value.richText.map((r) => r.text).join("");
  if ("error" in value) return String(value.error);
  if ("formula" in value || "sharedFormula" in value)
    return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ("text" in value) return cellText(value.text as ExcelJS.CellValue);
  return String(value);
}

async function xlsxTable(path: string): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    throw new TableError(`The .xlsx file cannot be read: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new TableError("The workbook has no worksheet.");
  const records: RawRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    records.push({ line: rowNumber, cells });
  });
  return buildTable(records);
}

function buildTable(records: RawRecord[]): Table {
  const isBlank = (cells: string[]) => cells.every((c) => c.trim() === "");
  const content = records.filter((r) => !isBlank(r.cells));
  const header = content[0];
  if (!header) throw new TableError("The file is empty: it needs a header row and a row per record.");
  const columns = header.cells.map(normaliseColumnName);
  const seen = new Set<string>();
  for (const name of columns) {
    if (name === "") continue;
    if (seen.has(name)) throw new TableError(`The column ${name} appears twice in the header.`, header.line);
    seen.add(name);
  }
  const rows: TableRow[] = [];
  for (const record of content.slice(1)) {
    const values: Record<string, string> = {};
    for (const name of columns) if (name !== "") values[name] = "";
    for (const [i, cell] of record.cells.entries()) {
      const name = columns[i];
      if (name) values[name] = cell;
      else if (cell.trim() !== "")
        throw new TableError(
          `Line ${record.line} has a value ("${cell}") in column ${i + 1}, which has no name in the header.`,
          record.line,
        );
    }
    rows.push({ line: record.line, values });
  }
  return { rows, columns: columns.filter((c) => c !== ""), headerLine: header.line };
}
