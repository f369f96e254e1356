import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { guardFormula } from "./formula-guard.ts";

export type TableFormat = "csv" | "xlsx";
export type TableCell = string | number | null;

export const tableContentTypes: Record<TableFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/**
 * A table as a file, in memory: CSV as UTF-8 with a byte-order mark (so Excel reads Arabic right)
 * and CRLF line ends, no cell able to run as a formula (formula-guard.ts); XLSX with every text
 * cell as text (exceljs never writes a string as a formula), the header bold and frozen. Files
 * that go to a bank are a few thousand lines: built whole, so their SHA-256 can be recorded.
 */
export async function tableFile(
  format: TableFormat,
  columns: readonly string[],
  rows: TableCell[][],
  sheetName = "export",
): Promise<Uint8Array> {
  if (format === "csv")
    return new TextEncoder().encode(
      stringify(rows, {
        bom: true,
        header: true,
        columns: [...columns],
        record_delimiter: "windows",
        cast: { number: (n) => String(n), string: guardFormula },
      }),
    );
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ key: c, width: Math.max(12, c.length + 2) }));
  sheet.addRow([...columns]).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
