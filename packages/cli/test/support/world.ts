import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { executeCommand, type Store, tables } from "@armsledger/server";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { admin, command, groupPayload, sitePayload } from "../../../server/test/support/fixtures.ts";
import { freshStore } from "../../../server/test/support/store.ts";

export { admin };

/**
 * Who exports people's records in these tests, and why: exports of persons and handovers are
 * logged reads that need an admin with unlimited scope and a purpose.
 */
export const exportReader = {
  account: {
    id: "00000000-0000-4000-8000-00000000e0e0",
    username: "hq-exports",
    displayName: "HQ exports",
    role: "admin" as const,
    scope: { sites: "all" as const, governorates: "all" as const },
  },
  purpose: "Reconciliation with the ministry's list",
};

/** A fresh store with the codes the files use: group G1, collection site BGD-01, depot DEP-01. */
export async function seededStore(): Promise<
  Awaited<ReturnType<typeof freshStore>> & { siteId: string; groupId: string }
> {
  const store = await freshStore();
  const groupId = (await executeCommand(store, command("group.register", groupPayload("G1")), admin)).data
    .groupId as string;
  const siteId = (await executeCommand(store, command("site.register", sitePayload("BGD-01")), admin)).data
    .siteId as string;
  await executeCommand(store, command("site.register", sitePayload("DEP-01", "depot")), admin);
  return Object.assign(store, { siteId, groupId });
}

export async function tempDir(): Promise<{ path: (name: string) => string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "armsledger-cli-"));
  return { path: (name) => join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}

export type TestStore = Awaited<ReturnType<typeof seededStore>>;

/** Row counts of the tables an import writes to. */
export async function counts(store: Store) {
  return {
    events: (await store.db.select({ seq: tables.events.seq }).from(tables.events)).length,
    persons: (await store.db.select({ id: tables.persons.id }).from(tables.persons)).length,
    handovers: (await store.db.select({ id: tables.handovers.id }).from(tables.handovers)).length,
    weapons: (await store.db.select({ id: tables.weaponItems.id }).from(tables.weaponItems)).length,
    ammunition: (await store.db.select({ id: tables.ammunitionLots.id }).from(tables.ammunitionLots)).length,
  };
}

/** Writes rows as CSV with csv-stringify, with the columns in the order of `columns`. */
export async function writeCsv(
  path: string,
  columns: string[],
  rows: Record<string, string>[],
  options: { bom?: boolean } = {},
): Promise<void> {
  await writeFile(path, stringify(rows, { header: true, columns, bom: options.bom ?? false }));
}

/** Writes rows to the first worksheet of a new workbook with exceljs. */
export async function writeXlsx(
  path: string,
  columns: string[],
  rows: Record<string, ExcelJS.CellValue>[],
): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("data");
  sheet.addRow(columns);
  for (const row of rows) sheet.addRow(columns.map((c) => row[c] ?? null));
  await workbook.xlsx.writeFile(path);
}
