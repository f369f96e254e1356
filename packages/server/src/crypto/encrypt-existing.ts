// A database written before field encryption holds people's data in plain text. This one-off
// step (run by `armsledger migrate`, at the start of `serve`, or alone as
// `armsledger encrypt-existing`) encrypts every plain personal value in place, in batches; run
// again it finds nothing to do.
import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { reindexAllNames } from "../projections/duplicate-review.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { isCiphertext, PURGED } from "./field-keys.ts";
import { type PersonalTable, personalColumns, personalRowKey, sealRow } from "./personal-columns.ts";
import { openPrivatePart, privateSubjectIndex } from "./private-part.ts";

const BATCH = 500;

// biome-ignore lint/suspicious/noExplicitAny: rows of any table
type Row = Record<string, any>;

export interface PersonalTarget {
  table: PgTable;
  /** The row's primary key, to update it alone. */
  where(row: Row): SQL | undefined;
  /** Only these rows hold personal values (a person's corrections, not a weapon's). */
  only?: SQL;
}

/** Each personal table, and how to update one of its rows alone. */
export const personalTargets: Record<PersonalTable, PersonalTarget> = {
  persons: { table: t.persons, where: (r) => eq(t.persons.id, r.id) },
  event_private: { table: t.eventPrivate, where: (r) => eq(t.eventPrivate.seq, r.seq) },
  group_roster_entries: {
    table: t.groupRosterEntries,
    where: (r) =>
      and(
        eq(t.groupRosterEntries.groupId, r.groupId),
        eq(t.groupRosterEntries.version, r.version),
        eq(t.groupRosterEntries.position, r.position),
      ),
  },
  payout_accounts: {
    table: t.payoutAccounts,
    where: (r) => and(eq(t.payoutAccounts.personId, r.personId), eq(t.payoutAccounts.channel, r.channel)),
  },
  payment_lines: { table: t.paymentLines, where: (r) => eq(t.paymentLines.reference, r.reference) },
  totp_factors: { table: t.totpFactors, where: (r) => eq(t.totpFactors.userId, r.userId) },
  corrections: {
    table: t.corrections,
    where: (r) => eq(t.corrections.seq, r.seq),
    // A person's, and a group's that changes its liaison officers (a JSON string once sealed).
    only: sql`(${t.corrections.subjectKind} = 'person' or (${t.corrections.subjectKind} = 'group' and (jsonb_typeof(${t.corrections.changes}) = 'string' or ${t.corrections.changes} ? 'liaisonOfficers')))`,
  },
  screenings: { table: t.screenings, where: (r) => eq(t.screenings.id, r.id) },
  eligibility_appeals: { table: t.eligibilityAppeals, where: (r) => eq(t.eligibilityAppeals.id, r.id) },
  eligibility_revocations: {
    table: t.eligibilityRevocations,
    where: (r) => eq(t.eligibilityRevocations.seq, r.seq),
  },
  pathways: { table: t.pathways, where: (r) => eq(t.pathways.id, r.id) },
  pathway_follow_ups: {
    table: t.pathwayFollowUps,
    where: (r) => and(eq(t.pathwayFollowUps.pathwayId, r.pathwayId), eq(t.pathwayFollowUps.seq, r.seq)),
  },
  handovers: { table: t.handovers, where: (r) => eq(t.handovers.id, r.id) },
  armed_groups: { table: t.armedGroups, where: (r) => eq(t.armedGroups.id, r.id) },
  group_status_history: { table: t.groupStatusHistory, where: (r) => eq(t.groupStatusHistory.seq, r.seq) },
  group_party_history: { table: t.groupPartyHistory, where: (r) => eq(t.groupPartyHistory.seq, r.seq) },
  duplicate_reviews: {
    table: t.duplicateReviews,
    where: (r) => eq(t.duplicateReviews.personId, r.personId),
  },
};

/** A plain value: not null and not (a JSON string holding) a ciphertext. */
function isPlain(value: unknown): boolean {
  return value !== null && value !== undefined && !(typeof value === "string" && isCiphertext(value));
}

function plainCondition(table: PgTable, columns: string[]): SQL {
  const cols = columns.map((c) => (table as unknown as Record<string, PgColumn>)[c]!);
  // Text columns start with "v1:" once encrypted; a jsonb column then holds a JSON string.
  return sql.join(
    cols.map((c) =>
      c.getSQLType() === "jsonb"
        ? sql`(${c} is not null and jsonb_typeof(${c}) <> 'string')`
        : sql`(${c} is not null and ${c} not like 'v1:%')`,
    ),
    sql` or `,
  );
}

/** Encrypts every plain personal value; answers how many rows were changed, per table. */
export async function encryptExistingPersonalData(store: Store): Promise<Record<string, number>> {
  const keys = await store.personal.keys();
  const changed: Record<string, number> = {};
  for (const [name, columns] of Object.entries(personalColumns) as [
    PersonalTable,
    Record<string, string>,
  ][]) {
    const target = personalTargets[name];
    const columnNames = Object.keys(columns);
    const condition = and(target.only, sql`(${plainCondition(target.table, columnNames)})`);
    changed[name] = 0;
    for (;;) {
      const rows = (await store.db
        .select()
        .from(target.table as never)
        .where(condition)
        .limit(BATCH)) as Row[];
      if (rows.length === 0) break;
      await store.db.transaction(async (tx) => {
        for (const row of rows) {
          const plain: Row = {};
          for (const c of columnNames) {
            if (!isPlain(row[c])) continue;
            // A column that was jsonb before holds the JSON's text: sealed as the value it was.
            plain[c] = columns[c] === "json" && typeof row[c] === "string" ? JSON.parse(row[c]) : row[c];
          }
          // sealRow sets the blind indexes (national id, photo, service number) beside them.
          const set: Row = sealRow(keys, name, personalRowKey[name](row), plain);
          await tx.update(target.table).set(set).where(target.where(row));
        }
      });
      changed[name] += rows.length;
    }
  }
  changed.event_private_subjects = await indexExistingSubjects(store);
  return changed;
}

/**
 * Fills `event_private.subject_index` on rows written before it (a person's purge finds the events
 * about them by it). Purged parts name no one any more: "". Answers how many rows it filled.
 */
export async function indexExistingSubjects(store: Store): Promise<number> {
  const keys = await store.personal.keys();
  let filled = 0;
  for (;;) {
    const rows = await store.db
      .select({ seq: t.eventPrivate.seq, data: t.eventPrivate.data })
      .from(t.eventPrivate)
      .where(isNull(t.eventPrivate.subjectIndex))
      .limit(BATCH);
    if (rows.length === 0) return filled;
    await store.db.transaction(async (tx) => {
      for (const row of rows) {
        // Still plain (from before field encryption), or sealed.
        const json = isCiphertext(row.data) ? openPrivatePart(keys, row) : row.data;
        const part = json === PURGED ? {} : (JSON.parse(json) as Record<string, unknown>);
        await tx
          .update(t.eventPrivate)
          .set({ subjectIndex: privateSubjectIndex(keys, part) })
          .where(eq(t.eventPrivate.seq, row.seq));
      }
    });
    filled += rows.length;
  }
}

/**
 * `armsledger reindex names`: the name keys rebuilt under the name-key key from the decrypted
 * people (projections/duplicate-review.ts), in one transaction.
 */
export async function reindexNames(store: Store): Promise<number> {
  const keys = await store.personal.keys();
  return store.db.transaction((tx) => reindexAllNames(tx, keys));
}
