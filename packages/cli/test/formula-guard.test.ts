import { readFile } from "node:fs/promises";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardFormula, unguardFormula } from "../src/export/formula-guard.ts";
import { writeTable } from "../src/export/write-table.ts";
import { readTable } from "../src/import/read-table.ts";
import { tempDir } from "./support/world.ts";

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.remove());

const formulaStart = fc.constantFrom("=", "+", "-", "@", "\t", "\r", "'", "''");

describe("formula guard", () => {
  it("guards what a spreadsheet would run, and leaves names, serials and numbers alone", () => {
    expect(guardFormula('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(guardFormula("+1-2")).toBe("'+1-2");
    expect(guardFormula("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(guardFormula("\tcmd")).toBe("'\tcmd");
    expect(guardFormula("-33.31")).toBe("-33.31");
    expect(guardFormula("+964")).toBe("+964");
    expect(guardFormula("AK-47 56-1234")).toBe("AK-47 56-1234");
    expect(guardFormula("محمد")).toBe("محمد");
    expect(guardFormula("'=x")).toBe("''=x");
  });

  it("is undone exactly by unguard, for every text", () => {
    fc.assert(
      fc.property(fc.tuple(fc.option(formulaStart, { nil: "" }), fc.string()), ([start, rest]) => {
        const text = start + rest;
        const guarded = guardFormula(text);
        expect(unguardFormula(guarded)).toBe(text);
        // What a spreadsheet sees first is never a formula character.
        if (guarded.length > 0 && guarded !== text) expect(guarded[0]).toBe("'");
      }),
    );
  });

  it("writes no runnable cell to CSV, and the file reads back to the original values", async () => {
    const path = dir.path("notes.csv");
    const values = ['=HYPERLINK("http://evil","click")', "-12.5", "@cmd", "plain", "'=kept"];
    await writeTable({ path, format: "csv", columns: ["note"], rows: values.map((v) => [v]) });
    const lines = (await readFile(path, "utf8")).replace(/^\uFEFF/u, "").split("\r\n");
    for (const line of lines.slice(1, -1)) expect(line.replace(/^"/u, "")).not.toMatch(/^[=+@\t\r]/u);
    const table = await readTable(path);
    expect(table.rows.map((r) => r.values.note)).toEqual(values);
  });
});
