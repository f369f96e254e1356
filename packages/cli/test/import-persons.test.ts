import { readFile, writeFile } from "node:fs/promises";
import { findDecryptedWithPassphrase, openPersonRow, tables } from "@armsledger/server";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportTable } from "../src/export/export-table.ts";
import { personColumns } from "../src/import/columns.ts";
import { describeRejection, importFile } from "../src/import/import-file.ts";
import { readTable } from "../src/import/read-table.ts";
import { EXPORT_PASSPHRASE, exportAndOpen } from "./support/encrypted-export.ts";
import {
  admin,
  counts,
  exportReader,
  seededStore,
  type TestStore,
  tempDir,
  writeCsv,
  writeXlsx,
} from "./support/world.ts";

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

const columns = [...personColumns];

const mohammed = {
  site_code: "BGD-01",
  kind: "combatant",
  given_ar: "محمد",
  father_ar: "جاسم",
  grandfather_ar: "علي",
  family_ar: "السوداني",
  given_latin: "Mohammed",
  father_latin: "Jasim",
  family_latin: "al-Sudani",
  mother_ar: "فاطمة",
  birth_year: "1990",
  sex: "male",
  governorate: "IQ-BG",
  group_code: "g1",
  role: "rifleman, 2nd company",
  national_id: "199012345678",
  listed_by_group: "نعم",
  consent_given: "yes",
  consent_date: "2026-01-10",
};

const zainab = {
  site_code: "BGD-01",
  kind: "associated member",
  given_ar: "زينب",
  father_ar: "حسن",
  family_ar: "الكعبي",
  mother_latin: "Amina",
  birth_date: "1995-03-04",
  sex: "أنثى",
  governorate: "Basra",
  listed_by_group: "no",
  consent_given: "1",
  consent_date: "2026-01-11",
};

async function personNamed(given: string) {
  const keys = await store.personal.keys();
  const rows = (await store.db.select().from(tables.persons)).map((r) => openPersonRow(keys, r));
  return rows.find((r) => (r.name as { arabic?: { given?: string } }).arabic?.given === given);
}

describe("importing a persons file", () => {
  it("registers every row of a CSV file, Arabic names intact", async () => {
    const path = dir.path("persons.csv");
    await writeCsv(path, columns, [mohammed, zainab]);
    const before = await counts(store);
    const report = await importFile({ store, actor: admin, kind: "persons", path });
    expect(report).toEqual({ ok: true, recorded: 2, alreadyRecorded: 0, receipts: [] });
    expect((await counts(store)).persons).toBe(before.persons + 2);

    const m = await personNamed("محمد");
    expect(m).toMatchObject({
      name: {
        arabic: { given: "محمد", father: "جاسم", grandfather: "علي", family: "السوداني" },
        latin: { given: "Mohammed", father: "Jasim", family: "al-Sudani" },
      },
      motherName: { arabic: "فاطمة" },
      birthYear: 1990,
      sex: "male",
      governorate: "IQ-BG",
      groupId: store.groupId,
      siteId: store.siteId,
      role: "rifleman, 2nd company",
      listedByGroup: true,
      consent: { given: true, recordedOn: "2026-01-10" },
    });
    const z = await personNamed("زينب");
    expect(z).toMatchObject({
      kind: "associated_member",
      sex: "female",
      governorate: "IQ-BA",
      birthDate: "1995-03-04",
      groupId: null,
      listedByGroup: false,
      motherName: { latin: "Amina" },
    });
  });

  it("records nothing new when the same file is imported again", async () => {
    const path = dir.path("persons.csv");
    const before = await counts(store);
    const report = await importFile({ store, actor: admin, kind: "persons", path });
    expect(report).toEqual({ ok: true, recorded: 0, alreadyRecorded: 2, receipts: [] });
    expect(await counts(store)).toEqual(before);
  });

  it("reads an .xlsx file made in Excel, with numbers and dates as cells", async () => {
    const path = dir.path("persons.xlsx");
    await writeXlsx(path, columns, [
      {
        ...mohammed,
        given_ar: "حيدر",
        given_latin: "Haidar",
        national_id: 198811223344,
        birth_year: null,
        birth_date: new Date(Date.UTC(1988, 10, 22)),
        listed_by_group: "true",
        consent_date: new Date(Date.UTC(2026, 0, 12)),
      },
      { ...zainab, given_ar: "مريم", birth_date: null, birth_year: 2001 },
    ]);
    const report = await importFile({ store, actor: admin, kind: "persons", path });
    expect(report).toMatchObject({ ok: true, recorded: 2 });
    expect(await personNamed("حيدر")).toMatchObject({
      birthDate: "1988-11-22",
      birthYear: 1988,
      nationalId: "198811223344",
      consent: { given: true, recordedOn: "2026-01-12" },
    });
    expect(await personNamed("مريم")).toMatchObject({ birthYear: 2001, birthDate: null });
  });

  it("stores nothing when one row is bad, and reports every bad line", async () => {
    const path = dir.path("bad-persons.csv");
    await writeCsv(
      path,
      columns,
      [
        { ...mohammed, given_ar: "عباس", given_latin: "Abbas" }, // line 2: good
        { ...mohammed, given_ar: "كريم", site_code: "NOPE-9" }, // line 3: unknown site
        { ...zainab, given_ar: "سارة" }, // line 4: good
        { ...mohammed, given_ar: "Ali", given_latin: "" }, // line 5: Latin letters in the Arabic field
        { ...mohammed, given_ar: "جعفر", listed_by_group: "maybe" }, // line 6: not yes/no
        { ...zainab, given_ar: "هدى", birth_date: "2099-01-01" }, // line 7: born in the future (a rule)
        { ...zainab, given_ar: "نور", governorate: "Atlantis", consent_date: "" }, // line 8: two problems
        { ...zainab, given_ar: "ليلى", group_code: "G404", national_id: "12-34" }, // line 9: two problems
      ],
      { bom: true },
    );
    const before = await counts(store);
    const report = await importFile({ store, actor: admin, kind: "persons", path });
    expect(await counts(store)).toEqual(before);
    expect(report.ok).toBe(false);
    if (report.ok) return;
    expect([...new Set(report.rejected.map((r) => r.line))]).toEqual([3, 5, 6, 7, 8, 9]);
    const text = report.rejected.map(describeRejection).join("\n");
    expect(text).toContain('line 3: site_code: "NOPE-9" is not the code of a registered site');
    expect(text).toMatch(/line 5: given_ar "Ali": must be written in Arabic script only/);
    expect(text).toContain("line 5: given_latin: is required; the cell is empty");
    expect(text).toContain('line 6: listed_by_group: "maybe" is not yes or no');
    expect(text).toMatch(/line 7: birth_date "2099-01-01": The date of birth is in the future/);
    expect(text).toMatch(
      /line 8: governorate "Atlantis": must be an ISO 3166-2 code such as IQ-BG; or write the governorate's name/,
    );
    expect(text).toContain("line 8: consent_date: is required; the cell is empty");
    expect(text).toContain('line 9: group_code: "G404" is not the code of a registered group');
    expect(text).toMatch(/line 9: national_id "12-34": must be 6-20 digits or capital letters/);
    // A cell reported as unreadable is left out of the rule check, not reported twice.
    expect(report.rejected.filter((r) => r.line === 3)).toHaveLength(1);
    expect(report.rejected.filter((r) => r.line === 6)).toHaveLength(1);
  });

  it("reports a column it does not know on the header line", async () => {
    const path = dir.path("typo.csv");
    await writeCsv(path, [...columns, "nickname"], [{ ...mohammed, given_ar: "يوسف", nickname: "Abu Ali" }]);
    const before = await counts(store);
    const report = await importFile({ store, actor: admin, kind: "persons", path });
    expect(report).toMatchObject({ ok: false, rejected: [{ line: 1 }] });
    expect(await counts(store)).toEqual(before);
  });

  it("reports an empty file rather than importing nothing", async () => {
    const path = dir.path("empty.csv");
    await writeCsv(path, columns, []);
    expect(await importFile({ store, actor: admin, kind: "persons", path })).toMatchObject({
      ok: false,
      rejected: [{ line: 1 }],
    });
  });
});

describe("exporting persons", () => {
  it("is a logged read of everyone's record: who, why and how many, before the file is written", async () => {
    const path = dir.path("persons-logged.csv");
    const before = await store.db.select().from(tables.accessLog);
    const { rows } = await exportAndOpen({
      store,
      reader: exportReader,
      what: "persons",
      format: "csv",
      path,
    });
    const after = await store.db.select().from(tables.accessLog);
    expect(after.length).toBe(before.length + 1);
    expect(after.at(-1)).toMatchObject({
      actor: exportReader.account.id,
      role: "admin",
      action: "person.export",
      channel: "armsledger export persons",
      subjectKind: "person",
      subjectId: null,
      records: rows,
      purpose: exportReader.purpose,
    });
  });

  it.each([
    ["no one named", undefined, "request.invalid", /--as USERNAME/],
    ["no purpose", { ...exportReader, purpose: undefined }, "request.invalid", /needs a purpose/],
    [
      "a purpose of one word",
      { ...exportReader, purpose: "  audit  " },
      "request.invalid",
      /needs a purpose/,
    ],
    [
      "a registrar",
      { ...exportReader, account: { ...exportReader.account, role: "registrar" as const } },
      "auth.forbidden",
      /may not person export/,
    ],
    [
      "an admin limited to one governorate",
      {
        ...exportReader,
        account: { ...exportReader.account, scope: { sites: "all" as const, governorates: ["IQ-BG"] } },
      },
      "auth.out-of-scope",
      /covers every site/,
    ],
  ])("is refused with %s, writing no file and logging nothing", async (_case, reader, code, message) => {
    const path = dir.path(`persons-refused-${code}.csv`);
    const before = await store.db.select().from(tables.accessLog);
    await expect(
      exportTable({ store, what: "persons", format: "csv", path, ...(reader ? { reader } : {}) }),
    ).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    await expect(readFile(path)).rejects.toThrow(/ENOENT/);
    expect(await store.db.select().from(tables.accessLog)).toEqual(before);
  });

  it("is written encrypted (age): no name or id in the file, and only the passphrase opens it", async () => {
    const path = dir.path("persons-encrypted.csv.age");
    await exportTable({
      store,
      reader: exportReader,
      what: "persons",
      format: "csv",
      path,
      passphrase: EXPORT_PASSPHRASE,
    });
    const encrypted = await readFile(path);
    expect(encrypted.subarray(0, 22).toString("latin1")).toBe("age-encryption.org/v1\n");
    expect(
      await findDecryptedWithPassphrase(encrypted, "umbrella quarry saddle nineteen lanterns"),
    ).toBeUndefined();
    const plain = Buffer.from((await findDecryptedWithPassphrase(encrypted, EXPORT_PASSPHRASE))!);
    const opened = dir.path("persons-encrypted-opened.csv");
    await writeFile(opened, plain);
    const { rows } = await readTable(opened);
    expect(rows.length).toBeGreaterThan(0);
    for (const { values } of rows)
      for (const secret of [
        values.given_latin,
        values.family_latin,
        values.given_ar,
        values.national_id,
        values.person_id,
      ])
        if (secret) {
          expect(plain.includes(Buffer.from(secret))).toBe(true);
          expect(encrypted.includes(Buffer.from(secret))).toBe(false);
        }
  });

  it.each([
    ["no passphrase", undefined, /is missing/],
    ["a short one", "short but new", /too short/],
    ["a guessable one", "password12345678", /too easy to guess/],
    ["one character repeated", "aaaaaaaaaaaaaaaaaaaaaaaa", /too easy to guess/],
  ])("is refused with %s, writing no file and logging nothing", async (_case, passphrase, message) => {
    const path = dir.path("persons-no-passphrase.csv.age");
    const before = await store.db.select().from(tables.accessLog);
    await expect(
      exportTable({ store, reader: exportReader, what: "persons", format: "csv", path, passphrase }),
    ).rejects.toMatchObject({ code: "request.invalid", message: expect.stringMatching(message) });
    await expect(readFile(path)).rejects.toThrow(/ENOENT/);
    expect(await store.db.select().from(tables.accessLog)).toEqual(before);
  });

  it("round-trips through CSV and XLSX into another store with the same codes", async () => {
    for (const format of ["csv", "xlsx"] as const) {
      const first = dir.path(`export-a.${format}`);
      const { rows } = await exportAndOpen({
        store,
        reader: exportReader,
        what: "persons",
        format,
        path: first,
      });
      expect(rows).toBe((await counts(store)).persons);

      const other = await seededStore();
      try {
        expect(other.siteId).not.toBe(store.siteId);
        const report = await importFile({ store: other, actor: admin, kind: "persons", path: first });
        expect(report).toMatchObject({ ok: true, recorded: rows });
        const second = dir.path(`export-b.${format}`);
        await exportAndOpen({ store: other, reader: exportReader, what: "persons", format, path: second });
        const a = await readTable(first);
        const b = await readTable(second);
        expect(b.columns).toEqual(a.columns);
        expect(b.rows).toEqual(a.rows);
        if (format === "csv") expect(await readFile(second)).toEqual(await readFile(first));
      } finally {
        await other.dispose();
      }
    }
  }, 120_000);

  it("writes CSV as UTF-8 with a byte-order mark, Arabic readable, no group name", async () => {
    const path = dir.path("persons-export.csv");
    await exportAndOpen({ store, reader: exportReader, what: "persons", format: "csv", path });
    const bytes = await readFile(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    expect(text).toContain("محمد");
    expect(text.split("\r\n")[0]).toBe(
      "\uFEFFperson_id,site_code,kind,given_ar,father_ar,grandfather_ar,family_ar,given_latin,father_latin,grandfather_latin,family_latin,mother_ar,mother_latin,birth_date,birth_year,sex,governorate,group_code,role,national_id,photo,listed_by_group,consent_given,consent_date,registered_on,age_group,eligible",
    );
    expect(text).not.toContain("كتائب الاختبار");
    expect(text).not.toContain("Test Brigades");
    expect(text).toContain(",G1,");
  });

  it("sets the persons worksheet right to left", async () => {
    const path = dir.path("persons-export.xlsx");
    await exportAndOpen({ store, reader: exportReader, what: "persons", format: "xlsx", path });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe("persons");
    expect(sheet.views[0]?.rightToLeft).toBe(true);
    expect(sheet.getRow(1).getCell(4).value).toBe("given_ar");
  });
});
