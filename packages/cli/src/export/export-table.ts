import { createWriteStream } from "node:fs";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import { authorize, Problem } from "@armsledger/core";
import type { Account, Store } from "@armsledger/server";
import {
  actorOf,
  checkExportPassphrase,
  checkPurpose,
  encryptStreamWithPassphrase,
  logRead,
  openPersonRow,
  openRow,
  PURGED,
  tables,
} from "@armsledger/server";
import { count } from "drizzle-orm";
import {
  itemExportOnlyColumns,
  personColumns,
  personExportOnlyColumns,
  weaponFileColumns,
} from "../import/columns.ts";
import { type CellValue, writeTable } from "./write-table.ts";

export type ExportWhat = "persons" | "weapons" | "handovers" | "ammunition";
export type ExportFormat = "csv" | "xlsx";

export interface ExportOptions {
  store: Store;
  what: ExportWhat;
  format: ExportFormat;
  path: string;
  /**
   * Who exports, and why: required for the exports that carry people (persons; handovers, which
   * link people to what they handed in and name officers and witnesses). Logged before the file
   * is written; the account must have unlimited scope, since the file holds every site.
   */
  reader?: { account: Account; purpose: string | undefined };
  /**
   * The passphrase the file of people's records is encrypted with (age, scrypt): required for the
   * personal exports, which are never written in the clear. Unused for the others.
   */
  passphrase?: string | undefined;
}

/** Exports whose rows are about people: each is a logged, purposed read of everyone's record. */
export const personalExports: readonly ExportWhat[] = ["persons", "handovers"];

/** Checks who exports, why and with what passphrase, then logs the export; answers the passphrase. */
async function logPersonalExport(
  store: Store,
  what: ExportWhat,
  reader: ExportOptions["reader"],
  passphrase: string | undefined,
): Promise<string> {
  if (!reader)
    throw new Problem(
      "request.invalid",
      `An export of ${what} holds people's records: say who exports (--as USERNAME) and why (--purpose "…").`,
    );
  const actor = actorOf(reader.account);
  authorize(actor, "person.export");
  if (actor.scope.sites !== "all" || actor.scope.governorates !== "all")
    throw new Problem(
      "auth.out-of-scope",
      `An export of ${what} covers every site and governorate; ${reader.account.username} is limited to some.`,
    );
  const purpose = checkPurpose(reader.purpose, `An export of ${what}`);
  const checked = checkExportPassphrase(passphrase, [reader.account.username, reader.account.displayName]);
  const table = what === "persons" ? tables.persons : tables.handovers;
  const [row] = await store.db.select({ n: count() }).from(table);
  await logRead(store, {
    actor: reader.account.id,
    role: reader.account.role,
    action: "person.export",
    channel: `armsledger export ${what}`,
    subjectKind: "person",
    subjects: "all",
    records: row?.n ?? 0,
    purpose,
  });
  return checked;
}

export interface ExportResult {
  rows: number;
  columns: string[];
}

/** Persons: the import columns, then what the system worked out. Never the group's name. */
export const personExportColumns = [...personColumns, ...personExportOnlyColumns] as const;

/** Weapons and ammunition share one header (the weapons file's), so the two can be pasted together and imported. */
export const itemExportColumns = [...weaponFileColumns, ...itemExportOnlyColumns] as const;

export const handoverExportColumns = [
  "handover_id",
  "receipt_number",
  "site_code",
  "handed_at",
  "from_kind",
  "person_id",
  "group_code",
  "representative",
  "governorate",
  "verifier_name",
  "verifier_affiliation",
  "witnesses",
  "receiving_officer",
  "weapons",
  "ammunition_lots",
  "eligibility_status",
  "eligibility_reasons",
  "notes",
] as const;

const PAGE = 2000;

/**
 * Writes one projection as a CSV or XLSX table with a stable column order and header names, in
 * the order the records were recorded. Persons' names are flattened into the import's columns,
 * so an export can be imported again (into a store with the same site and group codes), once
 * decrypted: the exports of people (persons, handovers) are written age-encrypted with the
 * passphrase, the table streamed through the encryption, never to the disk in the clear.
 */
export async function exportTable(options: ExportOptions): Promise<ExportResult> {
  const { store, what, format, path } = options;
  const passphrase = personalExports.includes(what)
    ? await logPersonalExport(store, what, options.reader, options.passphrase)
    : undefined;
  const codes = await codeMaps(store);
  const columns: readonly string[] =
    what === "persons"
      ? personExportColumns
      : what === "handovers"
        ? handoverExportColumns
        : itemExportColumns;
  const rows =
    what === "persons"
      ? personRows(store, codes)
      : what === "handovers"
        ? handoverRows(store, codes)
        : itemRows(store, codes, what);
  const table = { format, columns, rows, sheetName: what, rightToLeft: what === "persons" };
  if (passphrase === undefined) return { rows: await writeTable({ ...table, path }), columns: [...columns] };
  const plain = new PassThrough();
  const encrypted = await encryptStreamWithPassphrase(plain, passphrase);
  const [count] = await Promise.all([
    // A failure while reading the rows ends the encryption too, rather than leave it waiting.
    writeTable({ ...table, path: plain }).catch((error: unknown) => {
      plain.destroy(error as Error);
      throw error;
    }),
    pipeline(encrypted, createWriteStream(path)),
  ]);
  return { rows: count, columns: [...columns] };
}

interface CodeMaps {
  site(id: string): string;
  group(id: string | null): string;
}

async function codeMaps(store: Store): Promise<CodeMaps> {
  const sites = await store.db.select({ id: tables.sites.id, code: tables.sites.code }).from(tables.sites);
  const groups = await store.db
    .select({ id: tables.armedGroups.id, code: tables.armedGroups.code })
    .from(tables.armedGroups);
  const siteCode = new Map(sites.map((s) => [s.id, s.code]));
  const groupCode = new Map(groups.map((g) => [g.id, g.code]));
  return {
    site: (id) => siteCode.get(id) ?? "",
    group: (id) => (id ? (groupCode.get(id) ?? "") : ""),
  };
}

/** Pages through a query in a stable order. */
async function* paged<T>(fetch: (offset: number, limit: number) => Promise<T[]>): AsyncGenerator<T> {
  for (let offset = 0; ; offset += PAGE) {
    const page = await fetch(offset, PAGE);
    yield* page;
    if (page.length < PAGE) return;
  }
}

const yesNo = (value: boolean | null | undefined): string =>
  value === true ? "yes" : value === false ? "no" : "";

/** A timestamp as PostgreSQL prints it ("2026-02-01 06:30:00+00") in ISO 8601 UTC. */
function isoInstant(text: string): string {
  const date = new Date(text.replace(" ", "T").replace(/([+-][0-9]{2})$/u, "$1:00"));
  return Number.isNaN(date.getTime()) ? text : date.toISOString().replace(".000Z", "Z");
}

interface NameChain {
  given?: string;
  father?: string;
  grandfather?: string;
  family?: string;
}

async function* personRows(store: Store, codes: CodeMaps): AsyncGenerator<CellValue[]> {
  const p = tables.persons;
  const all = paged((offset, limit) =>
    store.db.select().from(p).orderBy(p.registeredSeq, p.id).limit(limit).offset(offset),
  );
  const keys = await store.personal.keys();
  for await (const sealed of all) {
    const row = openPersonRow(keys, sealed);
    const name = row.name as { arabic?: NameChain; latin?: NameChain };
    const mother = (row.motherName ?? {}) as { arabic?: string; latin?: string };
    const consent = row.consent as { given: boolean; recordedOn: string };
    const chain = (c: NameChain | undefined) => [c?.given, c?.father, c?.grandfather, c?.family];
    const values: Record<(typeof personExportColumns)[number], CellValue> = {
      person_id: row.id,
      site_code: codes.site(row.siteId),
      kind: row.kind,
      given_ar: chain(name.arabic)[0],
      father_ar: chain(name.arabic)[1],
      grandfather_ar: chain(name.arabic)[2],
      family_ar: chain(name.arabic)[3],
      given_latin: chain(name.latin)[0],
      father_latin: chain(name.latin)[1],
      grandfather_latin: chain(name.latin)[2],
      family_latin: chain(name.latin)[3],
      mother_ar: mother.arabic,
      mother_latin: mother.latin,
      birth_date: row.birthDate,
      birth_year: row.birthYear,
      sex: row.sex,
      governorate: row.governorate,
      group_code: codes.group(row.groupId),
      role: row.role,
      national_id: row.nationalId,
      photo: row.photo,
      listed_by_group: yesNo(row.listedByGroup),
      consent_given: yesNo(consent.given),
      consent_date: consent.recordedOn,
      registered_on: row.registeredOn,
      age_group: row.ageGroup,
      eligible: yesNo(row.eligible),
    };
    yield personExportColumns.map((c) => values[c]);
  }
}

/** A sealed signatory (a handover's verifying officer): "[purged]" once its data key is destroyed. */
function shownSignatory(value: unknown): { name: string; affiliation: string } {
  const signatory = value as { name: string; affiliation: string; purged?: boolean };
  return signatory.purged === true ? { name: PURGED, affiliation: PURGED } : signatory;
}

interface HandoverFacts {
  receiptNumber: string;
  siteCode: string;
  handedAt: string;
  personId: string | null;
  groupCode: string;
}

/**
 * What an item's row repeats of its handover in the plain (unencrypted, unlogged) weapons and
 * ammunition exports: where, when, from whom (a random person id or the group's code). Never the
 * people the handover names (the group's representative, the verifying officer, the witnesses)
 * nor its notes: sealed as personal (`personalColumns.handovers`), so they are never opened for a
 * file anyone may be sent. Their columns stay, empty, so the header is still the import's; such a
 * file is imported again only once its verifier columns are filled in. The handovers export,
 * encrypted and logged, carries them.
 */
async function handoverFacts(store: Store, codes: CodeMaps): Promise<Map<string, HandoverFacts>> {
  const h = tables.handovers;
  const facts = new Map<string, HandoverFacts>();
  const all = paged((offset, limit) =>
    store.db
      .select({
        id: h.id,
        receiptNumber: h.receiptNumber,
        siteId: h.siteId,
        handedAt: h.handedAt,
        fromKind: h.fromKind,
        personId: h.personId,
        groupId: h.groupId,
      })
      .from(h)
      .orderBy(h.seq)
      .limit(limit)
      .offset(offset),
  );
  for await (const row of all) {
    facts.set(row.id, {
      receiptNumber: row.receiptNumber,
      siteCode: codes.site(row.siteId),
      handedAt: isoInstant(row.handedAt),
      personId: row.personId,
      // A person's group is known from their registration; the import takes group_code for a group's handover only.
      groupCode: row.fromKind === "group" ? codes.group(row.groupId) : "",
    });
  }
  return facts;
}

function handoverCells(handoverId: string, facts: Map<string, HandoverFacts>) {
  const f = facts.get(handoverId);
  return {
    handover_ref: f?.receiptNumber,
    site_code: f?.siteCode,
    handed_at: f?.handedAt,
    person_id: f?.personId,
    group_code: f?.groupCode,
    representative: "",
    verifier_name: "",
    verifier_affiliation: "",
    receipt_number: f?.receiptNumber,
    handover_id: handoverId,
  };
}

async function* itemRows(
  store: Store,
  codes: CodeMaps,
  what: "weapons" | "ammunition",
): AsyncGenerator<CellValue[]> {
  const facts = await handoverFacts(store, codes);
  const photos = (value: unknown) => ((value as string[] | null) ?? []).join(" ");
  if (what === "weapons") {
    const w = tables.weaponItems;
    const all = paged((offset, limit) =>
      store.db.select().from(w).orderBy(w.seq, w.position).limit(limit).offset(offset),
    );
    for await (const row of all) {
      const values: Partial<Record<(typeof itemExportColumns)[number], CellValue>> = {
        ...handoverCells(row.handoverId, facts),
        item: "weapon",
        tag: row.tag,
        category: row.category,
        type: row.type,
        make: row.make,
        model: row.model,
        calibre: row.calibre,
        serial: row.serial,
        no_readable_serial: yesNo(row.noReadableSerial),
        country: row.countryOfManufacture,
        year: row.yearOfManufacture,
        condition: row.condition,
        serviceable: yesNo(row.serviceable),
        altered_marks: yesNo(row.alteredMarks),
        list_check: row.listCheck,
        source: row.source,
        photo: photos(row.photos),
        item_id: row.id,
      };
      yield itemExportColumns.map((c) => values[c]);
    }
    return;
  }
  const a = tables.ammunitionLots;
  const all = paged((offset, limit) =>
    store.db.select().from(a).orderBy(a.seq, a.position).limit(limit).offset(offset),
  );
  for await (const row of all) {
    const values: Partial<Record<(typeof itemExportColumns)[number], CellValue>> = {
      ...handoverCells(row.handoverId, facts),
      item: "ammunition",
      tag: row.tag,
      kind: row.kind,
      calibre_or_type: row.calibreOrType,
      quantity: row.quantity,
      unit: row.unit,
      lot_mark: row.lotMark,
      headstamp: row.headstamp,
      hazard_division: row.hazardDivision,
      condition: row.condition,
      safe_to_move: yesNo(row.safeToMove),
      destroyed_in_situ: yesNo(row.destroyedInSitu),
      source: row.source,
      photo: photos(row.photos),
      item_id: row.id,
    };
    yield itemExportColumns.map((c) => values[c]);
  }
}

async function* handoverRows(store: Store, codes: CodeMaps): AsyncGenerator<CellValue[]> {
  const countBy = async (table: typeof tables.weaponItems | typeof tables.ammunitionLots) => {
    const counts = new Map<string, number>();
    const all = paged((offset, limit) =>
      store.db
        .select({ handoverId: table.handoverId })
        .from(table)
        .orderBy(table.id)
        .limit(limit)
        .offset(offset),
    );
    for await (const row of all) counts.set(row.handoverId, (counts.get(row.handoverId) ?? 0) + 1);
    return counts;
  };
  const weapons = await countBy(tables.weaponItems);
  const lots = await countBy(tables.ammunitionLots);
  const h = tables.handovers;
  const all = paged((offset, limit) => store.db.select().from(h).orderBy(h.seq).limit(limit).offset(offset));
  const keys = await store.personal.keys();
  for await (const sealed of all) {
    const row = openRow(keys, "handovers", sealed.id, sealed);
    const verifier = shownSignatory(row.verifyingOfficer);
    // Sealed: a list, or `{ purged: true }` once its data key is destroyed.
    const witnesses = row.witnesses as { name: string; affiliation: string }[] | { purged: true };
    const values: Record<(typeof handoverExportColumns)[number], CellValue> = {
      handover_id: row.id,
      receipt_number: row.receiptNumber,
      site_code: codes.site(row.siteId),
      handed_at: isoInstant(row.handedAt),
      from_kind: row.fromKind,
      person_id: row.personId,
      group_code: codes.group(row.groupId),
      representative: row.representative,
      governorate: row.governorate,
      verifier_name: verifier.name,
      verifier_affiliation: verifier.affiliation,
      witnesses: Array.isArray(witnesses)
        ? witnesses.map((w) => `${w.name} (${w.affiliation})`).join("; ")
        : PURGED,
      receiving_officer: row.receivingOfficer,
      weapons: weapons.get(row.id) ?? 0,
      ammunition_lots: lots.get(row.id) ?? 0,
      eligibility_status: row.eligibilityStatus,
      eligibility_reasons: ((row.eligibilityReasons as string[] | null) ?? []).join("; "),
      notes: row.notes,
    };
    yield handoverExportColumns.map((c) => values[c]);
  }
}
