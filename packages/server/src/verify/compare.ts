import { canonicalJson } from "@armsledger/ledger";
import { getTableColumns } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { FieldDecryptionError, type FieldKeys } from "../crypto/field-keys.ts";
import { openRow, type PersonalTable, personalColumns, personalRowKey } from "../crypto/personal-columns.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

/** The projections a replay must reproduce exactly, each with the columns that identify a row. */
export const projectionTables: { name: string; table: PgTable; key: string[] }[] = [
  { name: "programme", table: t.programme, key: ["id"] },
  { name: "armed_groups", table: t.armedGroups, key: ["id"] },
  { name: "group_declarations", table: t.groupDeclarations, key: ["groupId", "version"] },
  { name: "sites", table: t.sites, key: ["id"] },
  { name: "persons", table: t.persons, key: ["id"] },
  { name: "handovers", table: t.handovers, key: ["id"] },
  { name: "weapon_items", table: t.weaponItems, key: ["id"] },
  { name: "ammunition_lots", table: t.ammunitionLots, key: ["id"] },
  { name: "key_parts", table: t.keyParts, key: ["id"] },
  { name: "anomalies", table: t.anomalies, key: ["id"] },
  { name: "corrections", table: t.corrections, key: ["seq"] },
  { name: "record_history", table: t.recordHistory, key: ["kind", "id", "seq"] },
  { name: "transfers", table: t.transfers, key: ["id"] },
  { name: "transfer_items", table: t.transferItems, key: ["transferId", "itemKind", "itemId"] },
  { name: "seals", table: t.seals, key: ["seal"] },
  { name: "discrepancies", table: t.discrepancies, key: ["id"] },
  { name: "dispositions", table: t.dispositions, key: ["id"] },
  { name: "registration_numbers", table: t.registrationNumbers, key: ["number"] },
  { name: "store_access", table: t.storeAccess, key: ["id"] },
  { name: "store_access_items", table: t.storeAccessItems, key: ["accessId", "itemKind", "itemId"] },
  { name: "stock_checks", table: t.stockChecks, key: ["id"] },
  { name: "loss_investigations", table: t.lossInvestigations, key: ["id"] },
  { name: "caches", table: t.caches, key: ["id"] },
  // payments
  { name: "payment_schedules", table: t.paymentSchedules, key: ["id"] },
  { name: "payout_accounts", table: t.payoutAccounts, key: ["personId", "channel"] },
  { name: "payment_lists", table: t.paymentLists, key: ["id"] },
  { name: "payment_lines", table: t.paymentLines, key: ["reference"] },
  { name: "payment_exceptions", table: t.paymentExceptions, key: ["listId", "personId"] },
  { name: "payment_confirmations", table: t.paymentConfirmations, key: ["seq"] },
  // Demobilisation cards (cards slice).
  { name: "demobilisation_cards", table: t.demobilisationCards, key: ["number"] },
  // Screening and eligibility.
  { name: "screenings", table: t.screenings, key: ["id"] },
  { name: "eligibility_appeals", table: t.eligibilityAppeals, key: ["id"] },
  { name: "eligibility_revocations", table: t.eligibilityRevocations, key: ["seq"] },
  // Kept by a trigger on persons: the replay's persons rebuild it as the live ones did.
  { name: "group_eligible_counts", table: t.groupEligibleCounts, key: ["groupId"] },
  // Group rosters.
  { name: "group_rosters", table: t.groupRosters, key: ["groupId", "version"] },
  { name: "group_roster_entries", table: t.groupRosterEntries, key: ["groupId", "version", "position"] },
  // pathways
  { name: "group_status_history", table: t.groupStatusHistory, key: ["groupId", "seq"] },
  { name: "group_party_history", table: t.groupPartyHistory, key: ["groupId", "seq"] },
  { name: "pathways", table: t.pathways, key: ["id"] },
  { name: "pathway_follow_ups", table: t.pathwayFollowUps, key: ["pathwayId", "seq"] },
  // duplicate review (issue 5)
  { name: "person_name_keys", table: t.personNameKeys, key: ["key", "personId"] },
  { name: "person_name_counts", table: t.personNameCounts, key: ["field", "key"] },
  { name: "duplicate_reviews", table: t.duplicateReviews, key: ["personId"] },
];

/**
 * The tables that are not projections, and why a replay does not rebuild them. Every other table
 * must be in `projectionTables` (a test holds the two lists to the schema), so a new table that a
 * projection writes is checked by `verify` from the day it is added.
 */
export const notProjections: Record<string, string> = {
  ledger_state: "the ledger itself (its size)",
  events: "the ledger itself (its leaves)",
  event_private: "the ledger's personal parts, checked against their commitments",
  data_keys: "the wrapped data keys of field encryption: operational, not ledgered",
  log_tiles: "the log's tiles, checked against the leaves",
  checkpoints: "signed checkpoints, checked by their signatures",
  cosignatures: "witness cosignatures, checked by their signatures",
  ledger_tally: "a cache of the ledger for the balance, rebuilt on demand",
  ledger_tally_items: "a cache of the ledger for the balance, rebuilt on demand",
  access_log: "the log of reads of people's records: reads, not the programme's record",
  users: "accounts: operational configuration, not ledgered",
  sessions: "sign-in sessions: operational, not ledgered",
  api_tokens: "API tokens: operational, not ledgered",
  totp_factors: "second factors of accounts: operational, not ledgered",
  totp_required_roles: "which roles must use a second factor: operational, not ledgered",
  // Photos and the offline queue (issue 6).
  files: "uploaded photos, named by their SHA-256: the ledger carries the hash, not the bytes",
  file_uploads: "who uploaded which photo: operational, not ledgered",
  queue_keys: "keys of the browsers' offline queues: operational secrets, not ledgered",
};

export interface RowDifference {
  table: string;
  key: string;
  kind: "changed" | "missing from the live tables" | "not explained by the ledger";
  /** Column names that differ (values are not reported: they may be personal). */
  columns?: string[];
}

/** Normalises a value so both drivers' answers compare equal (timestamps, numbers, JSON). */
function normalise(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}/.test(value)) {
    const d = new Date(value.replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00"));
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  if (typeof value === "object") return JSON.parse(canonicalJson(value));
  return value;
}

/**
 * Stands for a personal value sealed under a destroyed data key (crypto-shredded): nothing of it
 * can be read or checked any more, whatever the replay rebuilt from the purged part's stand-in.
 */
const SHREDDED = Symbol("shredded");

/** The personal columns of a live row whose values were sealed under a destroyed data key. */
function shreddedColumns(keys: FieldKeys, name: string, row: Record<string, unknown>): Set<string> {
  if (!(name in personalColumns)) return new Set();
  return new Set(
    Object.keys(personalColumns[name as PersonalTable]).filter((column) => {
      const value = row[column];
      return typeof value === "string" && keys.isPurged(value);
    }),
  );
}

/** The row decrypted; kept sealed when it does not decrypt (altered or moved), so it shows as changed. */
function openOrKeep(keys: FieldKeys, table: PersonalTable, row: Record<string, unknown>) {
  try {
    return openRow(keys, table, personalRowKey[table](row), row);
  } catch (error) {
    if (error instanceof FieldDecryptionError) return row;
    throw error;
  }
}

async function rowsByKey(store: Store, name: string, table: PgTable, key: string[]) {
  const columns = Object.keys(getTableColumns(table));
  const sealed = (await store.db.select().from(table as never)) as Record<string, unknown>[];
  // Personal columns are compared decrypted: the same value encrypts differently each time.
  const keys = await store.personal.keys();
  const map = new Map<string, Record<string, unknown>>();
  for (const sealedRow of sealed) {
    const shredded = shreddedColumns(keys, name, sealedRow);
    const row = name in personalColumns ? openOrKeep(keys, name as PersonalTable, sealedRow) : sealedRow;
    const normalised = Object.fromEntries(
      columns.map((c) => [c, shredded.has(c) ? SHREDDED : normalise(row[c])]),
    );
    map.set(key.map((k) => String(normalised[k])).join("/"), normalised);
  }
  return map;
}

/**
 * Compares every projection row of the live store with the replayed one and names each difference.
 * A live personal value sealed under a destroyed data key (the emergency purge) is not compared:
 * its key is gone, so it cannot be read, altered or checked; every other column of the row still is.
 */
export async function compareProjections(live: Store, replayed: Store): Promise<RowDifference[]> {
  const differences: RowDifference[] = [];
  for (const { name, table, key } of projectionTables) {
    const [a, b] = [await rowsByKey(live, name, table, key), await rowsByKey(replayed, name, table, key)];
    for (const [k, expected] of b) {
      const actual = a.get(k);
      if (!actual) {
        differences.push({ table: name, key: k, kind: "missing from the live tables" });
        continue;
      }
      const columns = Object.keys(expected).filter(
        (c) => actual[c] !== SHREDDED && canonicalJson(expected[c]) !== canonicalJson(actual[c]),
      );
      if (columns.length > 0) differences.push({ table: name, key: k, kind: "changed", columns });
    }
    for (const k of a.keys())
      if (!b.has(k)) differences.push({ table: name, key: k, kind: "not explained by the ledger" });
  }
  return differences;
}
