import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import ExcelJS from "exceljs";
import { guardFormula } from "./formula-guard.ts";

export type CellValue = string | number | null | undefined;

export interface WriteTableOptions {
  /** Where the table goes: a file, or a stream (an encrypting one: the plain table never touches the disk). */
  path: string | Writable;
  format: "csv" | "xlsx";
  columns: readonly string[];
  rows: Iterable<CellValue[]> | AsyncIterable<CellValue[]>;
  /** The worksheet's name (XLSX). */
  sheetName?: string | undefined;
  /** Show the worksheet right to left (XLSX), as Arabic readers expect. */
  rightToLeft?: boolean | undefined;
}

/**
 * Writes a header row and the rows, streaming: CSV as UTF-8 with a byte-order mark (so Excel
 * reads Arabic right) and CRLF line ends, no cell able to run as a formula (formula-guard.ts); XLSX with every text cell as text (never a formula),
 * the header frozen. Answers the number of rows written.
 */
export async function writeTable(options: WriteTableOptions): Promise<number> {
  let count = 0;
  async function* counted(): AsyncGenerator<CellValue[]> {
    for await (const row of options.rows) {
      count++;
      yield row;
    }
  }
  if (options.format === "csv") {
    await pipeline(
      Readable.from(counted()),
      stringify({
        bom: true,
        header: true,
        columns: [...options.columns],
        record_delimiter: "windows",
        cast: { number: (n) => String(n), string: guardFormula },
      }),
      typeof options.path === "string" ? createWriteStream(options.path) : options.path,
    );
    return count;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    ...(typeof options.path === "string" ? { filename: options.path } : { stream: options.path }),
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(options.sheetName ?? "export", {
    views: [{ state: "frozen", ySplit: 1, rightToLeft: options.rightToLeft ?? false }],
  });
  sheet.columns = options.columns.map((c) => ({ key: c, width: Math.max(12, c.length + 2) }));
  const header = sheet.addRow([...options.columns]);
  header.font = { bold: true };
  header.commit();
  for await (const row of counted()) sheet.addRow(row.map((c) => (c === undefined ? null : c))).commit();
  sheet.commit();
  await workbook.commit();
  return count;
}
