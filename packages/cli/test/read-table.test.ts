import { writeFile } from "node:fs/promises";
import ExcelJS from "exceljs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTable } from "../src/export/write-table.ts";
import { readTable, TableError } from "../src/import/read-table.ts";
import { tempDir } from "./support/world.ts";

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.remove());

describe("readTable", () => {
  it("reads CSV with and without a byte-order mark alike", async () => {
    const body = "given_ar,Family AR\r\nمحمد,السوداني\r\n";
    await writeFile(dir.path("bom.csv"), `\uFEFF${body}`);
    await writeFile(dir.path("plain.csv"), body);
    const withBom = await readTable(dir.path("bom.csv"));
    const without = await readTable(dir.path("plain.csv"));
    expect(withBom).toEqual(without);
    expect(withBom.columns).toEqual(["given_ar", "family_ar"]);
    expect(withBom.rows).toEqual([{ line: 2, values: { given_ar: "محمد", family_ar: "السوداني" } }]);
  });

  it("gives each row the line it starts on, across quoted newlines and blank lines", async () => {
    await writeFile(dir.path("lines.csv"), 'a,b\r\n1,"x\r\ny\r\nz"\r\n\r\n2,3\r\n,\r\n4,"5"');
    const table = await readTable(dir.path("lines.csv"));
    expect(table.rows.map((r) => [r.line, r.values.a, r.values.b])).toEqual([
      [2, "1", "x\r\ny\r\nz"],
      [6, "2", "3"],
      [8, "4", "5"],
    ]);
  });

  it("reads a semicolon-separated CSV as Excel saves it in some locales", async () => {
    await writeFile(dir.path("semi.csv"), "a;b\n1,5;2\n");
    const table = await readTable(dir.path("semi.csv"));
    expect(table.rows[0]!.values).toEqual({ a: "1,5", b: "2" });
  });

  it("refuses a file that is not UTF-8, and says how to save it", async () => {
    await writeFile(dir.path("latin1.csv"), Buffer.from([0x61, 0x0a, 0xe9, 0x0a]));
    await expect(readTable(dir.path("latin1.csv"))).rejects.toThrow(/CSV UTF-8/);
  });

  it("refuses a value under a column without a name, on its line", async () => {
    await writeFile(dir.path("unnamed.csv"), "a,\n1,\n2,oops\n");
    const error = await readTable(dir.path("unnamed.csv")).catch((e) => e);
    expect(error).toBeInstanceOf(TableError);
    expect((error as TableError).line).toBe(3);
  });

  it("reads the first worksheet of an .xlsx file with spreadsheet row numbers", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("first");
    workbook.addWorksheet("second").addRow(["ignored"]);
    sheet.addRow(["name", "born", "year", "listed"]);
    sheet.addRow(["زينب", new Date(Date.UTC(1995, 2, 4)), 1995, true]);
    sheet.addRow([]);
    sheet.addRow([{ richText: [{ text: "عل" }, { text: "ي" }] }, null, { formula: "1+1", result: 2 }, null]);
    await workbook.xlsx.writeFile(dir.path("sheet.xlsx"));
    const table = await readTable(dir.path("sheet.xlsx"));
    expect(table.rows).toEqual([
      { line: 2, values: { name: "زينب", born: "1995-03-04", year: "1995", listed: "true" } },
      { line: 4, values: { name: "علي", born: "", year: "2", listed: "" } },
    ]);
  });

  it("refuses other file types with a clear message", async () => {
    await expect(readTable(dir.path("old.xls"))).rejects.toThrow(/save it as .xlsx/);
  });
});

describe("writeTable → readTable", () => {
  // Cell text with what breaks naive CSV and XLSX handling: quotes, commas, semicolons, line
  // breaks, Arabic letters and digits, spreadsheet formula starts and leading/trailing spaces.
  const unit = fc.constantFrom(
    "a",
    "Z",
    "7",
    " ",
    ",",
    ";",
    '"',
    "'",
    "\n",
    "\t",
    "=",
    "-",
    "+",
    "@",
    "م",
    "ح",
    "ّ",
    "٣",
    "é",
    "\u200C",
  );
  const text = fc.string({ unit, maxLength: 12 });
  const rows = fc.array(fc.tuple(text, text, text), { minLength: 1, maxLength: 6 });
  const columns = ["first", "second", "third"];

  for (const format of ["csv", "xlsx"] as const)
    it(`keeps any cell text through ${format}`, async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(rows, async (generated) => {
          const path = dir.path(`property-${run++}.${format}`);
          await writeTable({ path, format, columns, rows: generated });
          const table = await readTable(path);
          const expected = generated
            .map((cells, i) => ({ line: i + 2, cells }))
            .filter(({ cells }) => cells.some((c) => c.trim() !== ""))
            .map(({ line, cells }) => ({
              line: format === "xlsx" ? line : undefined,
              values: { first: cells[0], second: cells[1], third: cells[2] },
            }));
          expect(
            table.rows.map((r) => ({ line: format === "xlsx" ? r.line : undefined, values: r.values })),
          ).toEqual(expected);
        }),
        { numRuns: 60 },
      );
    });

  it("keeps carriage returns inside CSV cells", async () => {
    const path = dir.path("cr.csv");
    await writeTable({ path, format: "csv", columns: ["a"], rows: [["x\r\ny"], ["a\rb"]] });
    const table = await readTable(path);
    expect(table.rows.map((r) => r.values.a)).toEqual(["x\r\ny", "a\rb"]);
  });
});
