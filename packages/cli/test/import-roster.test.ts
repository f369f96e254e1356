import { mkdtempSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRow, personalRowKey, tables } from "@armsledger/server";
import { stringify } from "csv-stringify/sync";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rosterColumns } from "../src/import/columns.ts";
import { describeRejection, importFile } from "../src/import/import-file.ts";
import { readTable } from "../src/import/read-table.ts";
import { mapRosterRows } from "../src/import/roster.ts";
import { armsledger as run } from "./support/cli.ts";
import { describeEmbedded } from "./support/embedded-only.ts";
import { admin, counts, seededStore, type TestStore, tempDir, writeCsv, writeXlsx } from "./support/world.ts";

// `armsledger import roster GROUP FILE`: a group's list of members, one row each, recorded as one
// roster.submit command (the next version), all or nothing, every refused line listed.

let store: TestStore;
let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  store = await seededStore();
  dir = await tempDir();
});
afterAll(async () => {
  await store.dispose();
  await dir.remove();
});

const columns = [...rosterColumns];
const ali = {
  member_number: "٠٠١",
  given_ar: "علي",
  father_ar: "حسن",
  family_ar: "الجبوري",
  given_latin: "Ali",
  father_latin: "Hassan",
  mother_ar: "فاطمة",
  birth_year: "1990",
  sex: "ذكر",
  governorate: "Baghdad",
};
const huda = { member_number: "002", given_latin: "Huda", father_latin: "Kareem", sex: "F", birth_year: "" };

const roster = (file: string, submittedOn = "2026-01-20") =>
  importFile({ store, actor: admin, kind: "roster", path: file, roster: { groupCode: "g1", submittedOn } });

async function versions() {
  return store.db.select().from(tables.groupRosters).where(eq(tables.groupRosters.groupId, store.groupId));
}

describe("importing a roster", () => {
  it("records a CSV list as the group's next version, and the same file again as nothing new", async () => {
    const file = dir.path("roster.csv");
    await writeCsv(file, columns, [ali, huda]);
    expect(await roster(file)).toEqual({ ok: true, recorded: 1, alreadyRecorded: 0, receipts: [] });
    const keys = await store.personal.keys();
    const entries = (
      await store.db
        .select()
        .from(tables.groupRosterEntries)
        .where(eq(tables.groupRosterEntries.groupId, store.groupId))
    ).map((e) => openRow(keys, "group_roster_entries", personalRowKey.group_roster_entries(e), e));
    expect(entries.map((e) => [e.memberNumber, e.sex, e.governorate, e.birthYear])).toEqual([
      ["001", "male", "IQ-BG", 1990],
      ["002", "female", null, null],
    ]);
    expect(entries[0]!.name).toEqual({
      arabic: { given: "علي", father: "حسن", family: "الجبوري" },
      latin: { given: "Ali", father: "Hassan" },
    });
    expect(await roster(file)).toEqual({ ok: true, recorded: 0, alreadyRecorded: 1, receipts: [] });
    expect((await versions()).map((v) => v.version)).toEqual([1]);
  });

  it("reads an XLSX list the same way, as version 2", async () => {
    const file = dir.path("roster.xlsx");
    await writeXlsx(file, columns, [ali, huda, { member_number: "003", given_latin: "Zaid" }]);
    const report = await roster(file, "2026-02-01");
    expect(report.ok).toBe(true);
    expect((await versions()).map((v) => [v.version, v.entryCount, v.added, v.removed])).toEqual([
      [1, 2, 2, 0],
      [2, 3, 1, 0],
    ]);
  });

  it("refuses a bad file line by line and records nothing", async () => {
    const file = dir.path("bad.csv");
    await writeCsv(
      file,
      [...columns, "rank"],
      [
        { ...ali, birth_year: "nineteen ninety", rank: "1" },
        { ...huda, given_latin: "A".repeat(10_000) },
        { ...huda, member_number: "001", given_latin: "Sami" },
      ],
    );
    const before = await counts(store);
    const report = await roster(file, "2026-02-02");
    expect(report.ok).toBe(false);
    if (report.ok) return;
    expect(report.rejected.map(describeRejection)).toEqual([
      expect.stringMatching(/^line 1: the column rank is not known/u),
      'line 2: birth_year: "nineteen ninety" is not a whole number; write digits only, e.g. 1990',
      expect.stringMatching(/^line 3: given_latin "A{10,}": must be at most 120 characters$/u),
      "line 4: member_number: member number 001 is already on entry 1; each member once",
    ]);
    expect(await counts(store)).toEqual(before);
  });

  it("refuses an empty list and an unknown group with a clear reason", async () => {
    const empty = dir.path("empty.csv");
    await writeFile(empty, `${columns.join(",")}\n`);
    expect(await roster(empty)).toEqual({
      ok: false,
      rejected: [{ line: 1, reason: "the file has a header but no rows under it" }],
    });
    const file = dir.path("roster-x.csv");
    await writeCsv(file, columns, [huda]);
    expect(
      await importFile({
        store,
        actor: admin,
        kind: "roster",
        path: file,
        roster: { groupCode: "NOPE", submittedOn: "2026-02-03" },
      }),
    ).toEqual({ ok: false, rejected: [{ line: 1, reason: '"NOPE" is not the code of a registered group' }] });
  });
});

// The parser (readTable + mapRosterRows) on generated lists: what goes in as cells comes out as
// the entries of the command, each on its own line, whatever the quoting the CSV needs.
describe("the roster CSV parser (property)", () => {
  const latin = fc.stringMatching(/^[A-Z][a-z]{1,8}(?:[ '-][A-Z][a-z]{1,6})?$/u);
  const arabic = fc
    .array(fc.constantFrom(..."ابتثجحخدذرزسشصضطظعغفقكلمنهوي"), { minLength: 2, maxLength: 7 })
    .map((a) => a.join(""));
  const row = fc.record(
    {
      given_latin: latin,
      father_latin: latin,
      family_latin: latin.map((s) => `al-${s}`),
      given_ar: arabic,
      mother_ar: arabic,
      birth_year: fc.integer({ min: 1940, max: 2010 }).map(String),
      sex: fc.constantFrom("male", "female", "M", "F", "ذكر", "أنثى"),
      governorate: fc.constantFrom("IQ-BG", "Basra", "نينوى"),
    },
    { requiredKeys: ["given_latin"] },
  );
  const rows = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[A-Z0-9]{1,6}$/u), row), {
    minLength: 1,
    maxLength: 20,
    selector: ([n]) => n,
  });

  it("keeps every cell, every row and every line number", async () => {
    const dirProperty = mkdtempSync(join(tmpdir(), "armsledger-roster-"));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(rows, fc.boolean(), async (list, bom) => {
        const file = join(dirProperty, `r${run++}.csv`);
        const records = list.map(([n, r]) => ({ member_number: n, ...r }));
        await writeFile(file, stringify(records, { header: true, columns, bom }));
        const table = await readTable(file);
        const mapping = mapRosterRows(table, { groupId: store.groupId, submittedOn: "2026-01-01" });
        expect(mapping.problems).toEqual([]);
        expect(mapping.commands).toHaveLength(1);
        const entries = mapping.commands[0]!.envelope.payload.entries as Record<string, unknown>[];
        expect(entries).toHaveLength(list.length);
        list.forEach(([n, r], i) => {
          const e = entries[i] as {
            memberNumber: string;
            name: { latin: Record<string, string>; arabic?: Record<string, string> };
            birthYear?: number;
            sex?: string;
            motherName?: { arabic?: string };
          };
          expect(e.memberNumber).toBe(n);
          expect(e.name.latin.given).toBe(r.given_latin);
          expect(e.name.latin.family).toBe(r.family_latin);
          expect(e.name.arabic?.given).toBe(r.given_ar);
          expect(e.motherName?.arabic).toBe(r.mother_ar);
          expect(e.birthYear).toBe(r.birth_year === undefined ? undefined : Number(r.birth_year));
          if (r.sex) expect(["male", "female"]).toContain(e.sex);
          // The header is line 1; each record is one line (no cell carries a line break).
          expect(mapping.commands[0]!.locate(`entries.${i}.name.latin.given`)).toMatchObject({
            line: i + 2,
            column: "given_latin",
            value: r.given_latin,
          });
        });
      }),
      { numRuns: 60 },
    );
  });

  it("never throws on arbitrary cells: every row becomes an entry or a reported problem", async () => {
    const dirProperty = mkdtempSync(join(tmpdir(), "armsledger-roster-"));
    let run = 0;
    const cellText = fc.string({ maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ member_number: cellText, given_latin: cellText, birth_year: cellText }), {
          minLength: 1,
          maxLength: 8,
        }),
        async (records) => {
          const file = join(dirProperty, `a${run++}.csv`);
          await writeFile(file, stringify(records, { header: true, columns }));
          let table: Awaited<ReturnType<typeof readTable>>;
          try {
            table = await readTable(file);
          } catch (error) {
            // Unreadable files are refused with a TableError (a message and a line), never a crash.
            expect((error as Error).name).toBe("TableError");
            return;
          }
          const mapping = mapRosterRows(table, { groupId: store.groupId, submittedOn: "2026-01-01" });
          const entries = mapping.commands[0]!.envelope.payload.entries as unknown[];
          expect(entries).toHaveLength(table.rows.length);
          for (const p of mapping.problems) expect(table.rows.map((r) => r.line)).toContain(p.line);
        },
      ),
      { numRuns: 60 },
    );
  });
});

// The command on an embedded database with the demo programme.
describeEmbedded("armsledger import roster / report roster", () => {
  const data = mkdtempSync(join(tmpdir(), "armsledger-cli-"));
  const env = { ...process.env, ARMSLEDGER_DATA: data, DATABASE_URL: "" };
  const armsledger = (...args: string[]) => run(env, ...args);

  it("imports a roster for a group by code and reports it as counts", async () => {
    expect((await armsledger("seed", "--demo")).code).toBe(0);
    const file = join(data, "nour.csv");
    await writeCsv(file, columns, [ali, huda]);
    const imported = await armsledger(
      "import",
      "roster",
      "NOUR",
      file,
      "--as",
      "admin",
      "--submitted-on",
      "2026-01-20",
    );
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toMatch(/Imported 1 record/u);
    const report = await armsledger("report", "roster", "nour");
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/NOUR\s+v1 \(2026-01-20\): 2 listed, 0 registered \(0\.0%\)/u);
    expect(report.stdout).not.toContain("Ali");
    const json = JSON.parse((await armsledger("report", "roster", "--json")).stdout);
    expect(json).toEqual([expect.objectContaining({ groupCode: "NOUR", version: 1 })]);
    expect((await armsledger("import", "roster", file, "--as", "admin")).code).toBe(1);
  }, 120_000);
});
