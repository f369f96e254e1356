import { executeCommand, openRow, tables } from "@armsledger/server";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { command, personPayload } from "../../server/test/support/fixtures.ts";
import { exportTable, handoverExportColumns, itemExportColumns } from "../src/export/export-table.ts";
import { weaponFileColumns } from "../src/import/columns.ts";
import { describeRejection, type ImportReport, importFile } from "../src/import/import-file.ts";
import { readTable } from "../src/import/read-table.ts";
import { exportAndOpen } from "./support/encrypted-export.ts";
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
const P1 = "6f1c2d3e-4b5a-4c6d-8e7f-101112131415";
const P2 = "7a2b3c4d-5e6f-4a1b-9c2d-161718192021";

beforeAll(async () => {
  store = await seededStore();
  dir = await tempDir();
  for (const personId of [P1, P2])
    await executeCommand(
      store,
      command("person.register", { ...personPayload(store.siteId, store.groupId), personId }),
      admin,
    );
});
afterAll(async () => {
  await store.dispose();
  await dir.remove();
});

const columns = [...weaponFileColumns];

const handover = (ref: string, personId = P1) => ({
  handover_ref: ref,
  site_code: "BGD-01",
  handed_at: "2026-02-01T09:30:00+03:00",
  person_id: personId,
  verifier_name: "Observer One",
  verifier_affiliation: "UN Mission",
});
const rifle = (serial: string) => ({
  item: "weapon",
  category: "rifle",
  type: "assault rifle",
  make: "Kalashnikov",
  model: "AKM",
  calibre: "7.62x39mm",
  serial,
  country: "RU",
  year: "1975",
  condition: "good",
  serviceable: "yes",
});
const rounds = (quantity: string) => ({
  item: "ammunition",
  kind: "cartridge",
  calibre_or_type: "7.62x39mm",
  quantity,
  unit: "rounds",
  lot_mark: "539-84",
  condition: "stable",
  safe_to_move: "نعم",
});

function rejectedText(report: ImportReport): string {
  if (report.ok) throw new Error(`expected a refusal, got ${JSON.stringify(report)}`);
  return report.rejected.map(describeRejection).join("\n");
}

describe("importing a weapon items file", () => {
  let receipts: Record<string, string>;

  it("groups the rows into one handover per handover_ref, with the right items", async () => {
    const path = dir.path("weapons.csv");
    await writeCsv(path, columns, [
      { ...handover("H-001"), ...rifle("AK-1001") }, // line 2
      {
        handover_ref: "H-002",
        site_code: "BGD-01",
        handed_at: "2026-02-02 10:00:00+03:00",
        group_code: "G1",
        representative: "Abu Haidar",
        verifier_name: "Observer Two",
        verifier_affiliation: "UN Mission",
        item: "weapon",
        category: "Machine gun",
        type: "general-purpose machine gun",
        make: "Degtyaryov",
        model: "PKM",
        serial: "PK-5001",
        condition: "worn",
        serviceable: "true",
      }, // line 3
      {
        handover_ref: "H-001",
        item: "weapon",
        category: "pistol",
        type: "pistol",
        make: "Glock",
        model: "17",
        serial: "GL-2002",
        condition: "good",
        serviceable: "1",
        altered_marks: "no",
      }, // line 4: handover columns left empty repeat the handover's
      { ...handover("H-001"), ...rounds("1,200") }, // line 5
      {
        handover_ref: "H-002",
        item: "ammunition",
        kind: "grenade",
        calibre_or_type: "RGD-5",
        quantity: "٤",
        unit: "items",
        condition: "unknown",
        safe_to_move: "no",
      }, // line 6
    ]);
    const before = await counts(store);
    const report = await importFile({ store, actor: admin, kind: "weapons", path });
    expect(report).toMatchObject({ ok: true, recorded: 2, alreadyRecorded: 0 });
    if (!report.ok) return;
    receipts = Object.fromEntries(report.receipts.map((r) => [r.handoverRef, r.receiptNumber]));
    expect(Object.keys(receipts)).toEqual(["H-001", "H-002"]);
    expect(await counts(store)).toMatchObject({
      handovers: before.handovers + 2,
      weapons: before.weapons + 3,
      ammunition: before.ammunition + 2,
    });

    // The representative is sealed (personal): read as the server opens it.
    const keys = await store.personal.keys();
    const handovers = (await store.db.select().from(tables.handovers)).map((h) =>
      openRow(keys, "handovers", h.id, h),
    );
    const h1 = handovers.find((h) => h.receiptNumber === receipts["H-001"])!;
    const h2 = handovers.find((h) => h.receiptNumber === receipts["H-002"])!;
    expect(h1).toMatchObject({ fromKind: "person", personId: P1, siteId: store.siteId });
    expect(h2).toMatchObject({ fromKind: "group", groupId: store.groupId, representative: "Abu Haidar" });
    expect(new Date(h2.handedAt).toISOString()).toBe("2026-02-02T07:00:00.000Z");

    const weapons = await store.db.select().from(tables.weaponItems).orderBy(tables.weaponItems.position);
    expect(
      weapons.filter((w) => w.handoverId === h1.id).map((w) => [w.position, w.serial, w.category]),
    ).toEqual([
      [0, "AK-1001", "rifle"],
      [1, "GL-2002", "pistol"],
    ]);
    expect(weapons.filter((w) => w.handoverId === h2.id).map((w) => [w.serial, w.category])).toEqual([
      ["PK-5001", "machine_gun"],
    ]);
    const lots = await store.db.select().from(tables.ammunitionLots);
    expect(lots.filter((a) => a.handoverId === h1.id).map((a) => [a.kind, a.quantity, a.unit])).toEqual([
      ["cartridge", 1200, "rounds"],
    ]);
    expect(
      lots.filter((a) => a.handoverId === h2.id).map((a) => [a.kind, a.quantity, a.unit, a.safeToMove]),
    ).toEqual([["grenade", 4, "items", false]]);
  });

  it("records nothing new when the same file is imported again", async () => {
    const before = await counts(store);
    const report = await importFile({ store, actor: admin, kind: "weapons", path: dir.path("weapons.csv") });
    expect(report).toMatchObject({ ok: true, recorded: 0, alreadyRecorded: 2 });
    if (report.ok)
      expect(Object.fromEntries(report.receipts.map((r) => [r.handoverRef, r.receiptNumber]))).toEqual(
        receipts,
      );
    expect(await counts(store)).toEqual(before);
  });

  it("reports a placeholder serial on the line of its item, and stores nothing", async () => {
    const path = dir.path("placeholder.xlsx");
    await writeXlsx(path, columns, [
      { ...handover("H-010", P2), ...rifle("AK-3001") }, // row 2
      { ...handover("H-011"), ...rifle("AK-3002") }, // row 3
      { ...handover("H-010", P2), ...rifle("xxx") }, // row 4
      { ...handover("H-010", P2), ...rounds("60") }, // row 5
    ]);
    const before = await counts(store);
    const report = await importFile({ store, actor: admin, kind: "weapons", path });
    expect(await counts(store)).toEqual(before);
    expect(report).toMatchObject({ ok: false, rejected: [{ line: 4 }] });
    expect(rejectedText(report)).toMatch(/^line 4: serial: "xxx" is a placeholder, not a serial number/);
  });

  it("reports reading problems and rule refusals together, each on its line", async () => {
    const path = dir.path("mixed.csv");
    await writeCsv(path, columns, [
      { ...handover("H-020"), ...rifle("AK-4001") }, // line 2
      { ...handover("H-020"), site_code: "DEP-01", ...rifle("AK-4002") }, // line 3: disagrees on the site
      { ...handover("H-021"), ...rifle("AK-4003") }, // line 4
      { ...handover("H-021"), ...rifle("unknown") }, // line 5: placeholder (a rule)
      { ...handover("H-022"), site_code: "DEP-01", ...rifle("AK-4004") }, // line 6: a depot (a rule)
      { ...handover("H-023"), ...rifle("AK-4005"), quantity: "5" }, // line 7: ammunition column on a weapon
      { ...handover("H-023"), ...rounds("10"), condition: "excellent" }, // line 8: schema refusal
      { ...handover(""), ...rifle("AK-4006") }, // line 9: no handover_ref
      { ...handover("H-024"), item: "grenade" }, // line 10: unknown item
      { ...handover("H-025"), person_id: "", ...rifle("AK-4007") }, // line 11: nobody
      { ...handover("H-026"), ...rifle(""), no_readable_serial: "yes" }, // line 12: no photo
      { ...handover("H-027", "00000000-0000-4000-8000-00000000dead"), ...rifle("AK-4008") }, // line 13
      { ...handover("H-028"), handed_at: "2026-02-01 09:30", ...rifle("AK-4009") }, // line 14: no zone
    ]);
    const before = await counts(store);
    const report = await importFile({ store, actor: admin, kind: "weapons", path });
    expect(await counts(store)).toEqual(before);
    const text = rejectedText(report);
    expect(text).toContain(
      'line 3: site_code: "DEP-01" differs from "BGD-01" on line 2; all rows of handover H-020 must agree on site_code',
    );
    expect(text).toMatch(/line 5: serial: "unknown" is a placeholder/);
    expect(text).toMatch(/line 6: site_code "DEP-01": Handovers are recorded at collection sites/);
    expect(text).toContain("line 7: quantity: is for ammunition rows; leave it empty on a weapon row");
    expect(text).toMatch(/line 8: condition "excellent": Invalid option/);
    expect(text).toMatch(/line 9: handover_ref: is required/);
    expect(text).toContain('line 10: item: "grenade" is not weapon or ammunition');
    expect(text).toMatch(/line 11: person_id: handover H-025 names nobody/);
    expect(text).toMatch(/line 12: photo: an item with no readable serial needs at least one photo/);
    expect(text).toMatch(
      /line 13: person_id "00000000-0000-4000-8000-00000000dead": The person is not registered/,
    );
    expect(text).toMatch(/line 14: handed_at "2026-02-01 09:30": .*; write the date, the time and the zone/);
    if (report.ok) return;
    expect(report.rejected.map((r) => r.line)).not.toContain(2);
    expect(report.rejected.map((r) => r.line)).not.toContain(4);
    expect(report.rejected).toHaveLength(11);
  });

  it("points a tag already in use at the row that carries it", async () => {
    const first = dir.path("tag-1.csv");
    await writeCsv(first, columns, [{ ...handover("H-030"), ...rifle("AK-5001"), tag: "QR-777" }]);
    expect(await importFile({ store, actor: admin, kind: "weapons", path: first })).toMatchObject({
      ok: true,
    });
    const second = dir.path("tag-2.csv");
    await writeCsv(second, columns, [
      { ...handover("H-031"), ...rifle("AK-5002") },
      { ...handover("H-031"), ...rifle("AK-5003"), tag: "qr-777" },
    ]);
    const report = await importFile({ store, actor: admin, kind: "weapons", path: second });
    expect(rejectedText(report)).toMatch(/^line 3: The tag QR-777 is already on another item/);
  });
});

describe("exporting weapons, ammunition and handovers", () => {
  it("writes items with the import's columns, so an export imports into another store", async () => {
    const weaponsPath = dir.path("weapons-export.csv");
    const ammunitionPath = dir.path("ammunition-export.csv");
    const personsPath = dir.path("persons-export.csv");
    const w = await exportTable({ store, what: "weapons", format: "csv", path: weaponsPath });
    const a = await exportTable({ store, what: "ammunition", format: "csv", path: ammunitionPath });
    await exportAndOpen({ store, reader: exportReader, what: "persons", format: "csv", path: personsPath });
    expect(w.columns).toEqual([...itemExportColumns]);
    expect(a.columns).toEqual(w.columns);
    const now = await counts(store);
    expect([w.rows, a.rows]).toEqual([now.weapons, now.ammunition]);

    const weapons = await readTable(weaponsPath);
    const ak = weapons.rows.find((r) => r.values.serial === "AK-1001")!;
    expect(ak.values).toMatchObject({
      handover_ref: ak.values.receipt_number,
      site_code: "BGD-01",
      handed_at: "2026-02-01T06:30:00Z",
      person_id: P1,
      group_code: "",
      item: "weapon",
      category: "rifle",
      country: "RU",
      year: "1975",
      serviceable: "yes",
    });

    // The plain export names no one: the handover's representative and verifier are left empty.
    expect(weapons.rows.every((r) => !r.values.verifier_name && !r.values.representative)).toBe(true);
    const other = await seededStore();
    try {
      expect(
        await importFile({ store: other, actor: admin, kind: "persons", path: personsPath }),
      ).toMatchObject({ ok: true });
      // So a file to import again is completed from the encrypted, logged handovers export.
      const refusedPlain = await importFile({
        store: other,
        actor: admin,
        kind: "weapons",
        path: weaponsPath,
      });
      expect(rejectedText(refusedPlain)).toMatch(/verifier_name/);
      const handoversPath = dir.path("handovers-export.csv");
      await exportAndOpen({
        store,
        reader: exportReader,
        what: "handovers",
        format: "csv",
        path: handoversPath,
      });
      const signed = new Map(
        (await readTable(handoversPath)).rows.map((r) => [r.values.handover_id, r.values]),
      );
      const completed = (r: { values: Record<string, string> }) => {
        const h = signed.get(r.values.handover_id)!;
        return {
          ...r.values,
          representative: h.representative!,
          verifier_name: h.verifier_name!,
          verifier_affiliation: h.verifier_affiliation!,
        };
      };
      const completedPath = dir.path("weapons-export-completed.csv");
      await writeCsv(completedPath, weapons.columns, weapons.rows.map(completed));
      // Tags the system gave are reserved: a clerk re-importing elsewhere clears them (the rules say so).
      const refused = await importFile({ store: other, actor: admin, kind: "weapons", path: completedPath });
      expect(rejectedText(refused)).toMatch(
        /tag: The tag W\d{7}-01 has the form the system gives its own tags/,
      );
      const untagged = dir.path("weapons-export-untagged.csv");
      await writeCsv(
        untagged,
        weapons.columns,
        weapons.rows.map((r) => ({
          ...completed(r),
          tag: /^W\d{7}-\d{2}$/u.test(r.values.tag!) ? "" : r.values.tag!,
        })),
      );
      const report = await importFile({ store: other, actor: admin, kind: "weapons", path: untagged });
      expect(report).toMatchObject({ ok: true, recorded: now.handovers });
      const again = dir.path("weapons-export-2.csv");
      await exportTable({ store: other, what: "weapons", format: "csv", path: again });
      const keep = (r: { values: Record<string, string> }) => {
        const { receipt_number, handover_ref, handover_id, item_id, tag, ...rest } = r.values;
        return { ...rest, tag: /^W\d{7}-\d{2}$/u.test(tag!) ? "(system)" : tag };
      };
      expect((await readTable(again)).rows.map(keep)).toEqual(weapons.rows.map(keep));
    } finally {
      await other.dispose();
    }
  });

  it("leaves a handover's notes, which may name people, out of the plain weapons and ammunition exports", async () => {
    const note = "Handed in by his cousin Karim Jasim, who keeps the other rifle";
    const path = dir.path("weapons-with-notes.csv");
    await writeCsv(path, columns, [
      { ...handover("H-NOTE", P2), notes: note, ...rifle("AK-NOTE-1") },
      { handover_ref: "H-NOTE", ...rounds("40") },
    ]);
    expect(await importFile({ store, actor: admin, kind: "weapons", path })).toMatchObject({ ok: true });
    for (const what of ["weapons", "ammunition"] as const)
      for (const format of ["csv", "xlsx"] as const) {
        const out = dir.path(`${what}-plain.${format}`);
        await exportTable({ store, what, format, path: out });
        const table = await readTable(out);
        const mine = table.rows.filter((r) => r.values.person_id === P2);
        expect(mine.length).toBeGreaterThan(0);
        // The column stays (the file is still the import's), empty.
        expect(table.columns).toContain("notes");
        expect(mine.every((r) => (r.values.notes ?? "") === "")).toBe(true);
        expect(JSON.stringify(table.rows)).not.toContain("Karim");
      }
    // The encrypted handovers export, logged and purposed, still carries them.
    const handovers = dir.path("handovers-with-notes.csv");
    await exportAndOpen({ store, reader: exportReader, what: "handovers", format: "csv", path: handovers });
    const noted = (await readTable(handovers)).rows.find((r) => r.values.person_id === P2);
    expect(noted?.values.notes).toBe(note);
  });

  it("writes handovers and XLSX exports of every kind", async () => {
    for (const what of ["weapons", "ammunition", "handovers"] as const) {
      const path = dir.path(`${what}.xlsx`);
      const { rows, columns: written } = await exportAndOpen({
        store,
        reader: exportReader,
        what,
        format: "xlsx",
        path,
      });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(path);
      expect(workbook.worksheets[0]!.views[0]?.rightToLeft).toBeFalsy();
      const table = await readTable(path);
      expect(table.columns).toEqual(written);
      expect(table.rows).toHaveLength(rows);
    }
    const handovers = await readTable(dir.path("handovers.xlsx"));
    expect(handovers.columns).toEqual([...handoverExportColumns]);
    const group = handovers.rows.find((r) => r.values.from_kind === "group")!;
    expect(group.values).toMatchObject({
      group_code: "G1",
      representative: "Abu Haidar",
      weapons: "1",
      ammunition_lots: "1",
      site_code: "BGD-01",
    });
  });
});
