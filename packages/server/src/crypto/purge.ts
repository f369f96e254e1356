// Purges of people's data (issue 7). `purgeAllPersonalData` is the emergency purge: the data key
// is destroyed (crypto-shredding), so every personal value, private part and keyed index made
// under it is gone for good; what was derived from it and can be deleted is deleted, and the
// purge is logged. The ledger's leaves hold only commitments: `verify` still passes.
import { Problem } from "@armsledger/core";
import { eq, inArray, sql } from "drizzle-orm";
import { logRead } from "../access/read-audit.ts";
import { findPersonMatchInput, unindexPersonName } from "../projections/duplicate-review.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { personalTargets } from "./encrypt-existing.ts";
import { type FieldKeys, PURGED } from "./field-keys.ts";
import {
  openRow,
  type PersonalTable,
  PURGED_NAME,
  payoutAccountKey,
  personalColumns,
  personalRowKey,
  sealRow,
} from "./personal-columns.ts";
import { sealPrivatePart, subjectIndex } from "./private-part.ts";

/** The phrase the operator must type, whole, to purge everyone's data. */
export const PURGE_ALL_CONFIRMATION = "destroy all personal data";

export interface PurgeActor {
  /** The account id. */
  actor: string;
  role: string;
  /** Why, in the operator's words: logged. */
  reason: string;
}

export interface AllPurged {
  /** The data keys destroyed. */
  destroyedKeys: number[];
  /** People whose personal values are now unreadable. */
  persons: number;
  nameKeys: number;
  nameCounts: number;
  /** Tables vacuumed (PostgreSQL keeps old row versions until VACUUM). */
  vacuumed: string[];
}

// Tables whose rows a purge rewrites or deletes: VACUUM after, so no old version survives.
const touchedTables = ["data_keys", "persons", "person_name_keys", "person_name_counts"];

export async function purgeAllPersonalData(store: Store, by: PurgeActor): Promise<AllPurged> {
  const result = await store.db.transaction(async (tx) => {
    const destroyedKeys = await store.personal.destroyDataKey(tx);
    // Keyed by the destroyed key, these match nothing any more: deleted, not left to mislead.
    const nameKeys = (await tx.delete(t.personNameKeys).returning({ key: t.personNameKeys.key })).length;
    const nameCounts = (await tx.delete(t.personNameCounts).returning({ key: t.personNameCounts.key }))
      .length;
    const persons = (
      await tx
        .update(t.persons)
        .set({ nationalIdIndex: null, photoIndex: null })
        .returning({ id: t.persons.id })
    ).length;
    // In the purge's own transaction: the purge and its record in the log commit or roll back
    // together (one row for everyone, naming no one).
    await logRead(
      { db: tx },
      {
        actor: by.actor,
        role: by.role,
        action: "person.purge",
        channel: "armsledger purge --all-personal-data",
        subjectKind: "person",
        subjects: "all",
        records: persons,
        purpose: by.reason,
      },
    );
    return { destroyedKeys, persons, nameKeys, nameCounts };
  });
  store.personal.forget();
  return { ...result, vacuumed: await vacuum(store, touchedTables) };
}

/** PostgreSQL keeps a rewritten row's old version until VACUUM; the embedded database is vacuumed too. */
export async function vacuum(store: Store, tables: string[]): Promise<string[]> {
  const done: string[] = [];
  for (const table of tables) {
    try {
      await store.db.execute(sql.raw(`VACUUM ${table}`));
      done.push(table);
    } catch {
      // The application role may not own the table: the operator runs VACUUM as its owner
      // (docs/security.md).
    }
  }
  return done;
}

export interface PersonPurged {
  personId: string;
  /** Rows of other tables about the person (screenings, appeals, pathways…) whose sealed columns were purged. */
  records: number;
  /** Private parts of events about the person, replaced by the purge marker. */
  privateParts: number;
  payoutAccounts: number;
  vacuumed: string[];
}

/** Every personal column of a table holding what a crypto-shredded value reads as. */
function purgedValues(table: "persons" | "payout_accounts"): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(personalColumns[table]).map(([column, encoding]) => [
      column,
      encoding === "json" ? PURGED_NAME : PURGED,
    ]),
  );
}

type Tx = Parameters<Parameters<Store["db"]["transaction"]>[0]>[0];
// biome-ignore lint/suspicious/noExplicitAny: rows of any personal table
type Row = Record<string, any>;

/**
 * The sealed columns of the records about one person, in the tables whose rows name them:
 * overwritten with the purge marker (a null stays null), so they read as crypto-shredded values
 * read and the replay's stand-ins (verify/purged-stand-ins.ts) rebuild them as they now are. A
 * pathway's offer is left: the offer event's projection builds it from parts, and a purged whole
 * cannot be rebuilt from them (it holds the course, job, referrals and a note).
 */
async function purgeRecordsAbout(tx: Tx, keys: FieldKeys, personId: string): Promise<number> {
  const pathways = await tx.select().from(t.pathways).where(eq(t.pathways.personId, personId));
  const followUps = pathways.length
    ? await tx
        .select()
        .from(t.pathwayFollowUps)
        .where(
          inArray(
            t.pathwayFollowUps.pathwayId,
            pathways.map((p) => p.id),
          ),
        )
    : [];
  const about: [PersonalTable, Row[], string[]][] = [
    ["screenings", await tx.select().from(t.screenings).where(eq(t.screenings.personId, personId)), []],
    [
      "eligibility_appeals",
      await tx.select().from(t.eligibilityAppeals).where(eq(t.eligibilityAppeals.personId, personId)),
      [],
    ],
    [
      "eligibility_revocations",
      await tx.select().from(t.eligibilityRevocations).where(eq(t.eligibilityRevocations.personId, personId)),
      [],
    ],
    ["pathways", pathways, ["offer"]],
    ["pathway_follow_ups", followUps, []],
    ["handovers", await tx.select().from(t.handovers).where(eq(t.handovers.personId, personId)), []],
  ];
  let purged = 0;
  for (const [table, rows, kept] of about)
    for (const row of rows) {
      const marker = Object.fromEntries(
        Object.entries(personalColumns[table] as Record<string, string>)
          .filter(([column]) => !kept.includes(column) && row[column] !== null && row[column] !== undefined)
          .map(([column, encoding]) => [column, encoding === "json" ? PURGED_NAME : PURGED]),
      );
      if (Object.keys(marker).length === 0) continue;
      await tx
        .update(personalTargets[table].table)
        .set(sealRow(keys, table, personalRowKey[table](row), marker))
        .where(personalTargets[table].where(row));
      purged++;
    }
  return purged;
}

/** A person's correction with its personal values (those of `personalColumns.persons`) purged. */
function purgedChanges(changes: unknown): unknown {
  if (typeof changes !== "object" || changes === null) return changes;
  const encodings = personalColumns.persons as Record<string, string>;
  return Object.fromEntries(
    Object.entries(changes).map(([field, value]) => {
      if (field === "birth" && (value as { date?: unknown } | null)?.date)
        return [field, { ...(value as object), date: PURGED }];
      if (field in encodings && value !== null && value !== undefined)
        return [field, encodings[field] === "json" ? PURGED_NAME : PURGED];
      return [field, value];
    }),
  );
}

/**
 * One person's purge (a withdrawal of consent, a court order): their personal columns, payout
 * accounts' personal columns and the private parts of the events about them (found by the keyed
 * subject index) are overwritten with the purge marker, sealed as any value is, so they read as a
 * crypto-shredded value reads; their name keys go. The leaves and commitments stay: verify
 * reports those parts purged. Roster entries are the group's list, not the person's record: left.
 */
export async function purgePerson(store: Store, personId: string, by: PurgeActor): Promise<PersonPurged> {
  const keys = await store.personal.keys();
  const result = await store.db.transaction(async (tx) => {
    const before = await findPersonMatchInput(tx, keys, personId);
    if (!before) throw new Problem("resource.not-found", `There is no person ${personId}.`);
    // Nullable columns stay null: a null held nothing. Others take the marker.
    const [row] = await tx.select().from(t.persons).where(eq(t.persons.id, personId));
    const marker = Object.fromEntries(
      Object.entries(purgedValues("persons")).filter(([c]) => (row as Record<string, unknown>)[c] !== null),
    );
    await tx
      .update(t.persons)
      .set({ ...sealRow(keys, "persons", personId, marker), nationalIdIndex: null, photoIndex: null })
      .where(eq(t.persons.id, personId));
    await unindexPersonName(tx, keys, personId, before);
    const accounts = await tx.select().from(t.payoutAccounts).where(eq(t.payoutAccounts.personId, personId));
    for (const account of accounts)
      await tx
        .update(t.payoutAccounts)
        .set(
          sealRow(
            keys,
            "payout_accounts",
            payoutAccountKey(personId, account.channel),
            purgedValues("payout_accounts"),
          ),
        )
        .where(
          sql`${t.payoutAccounts.personId} = ${personId} and ${t.payoutAccounts.channel} = ${account.channel}`,
        );
    const parts = await tx
      .select({ seq: t.eventPrivate.seq })
      .from(t.eventPrivate)
      .where(eq(t.eventPrivate.subjectIndex, subjectIndex(keys, personId)));
    for (const { seq } of parts)
      await tx
        .update(t.eventPrivate)
        .set({ data: sealPrivatePart(keys, seq, PURGED) })
        .where(eq(t.eventPrivate.seq, seq));
    const records = await purgeRecordsAbout(tx, keys, personId);
    // The person's corrections hold their old and new personal values: overwritten the same way
    // (the other changes, such as a governorate, stay: they are public in the leaf too).
    const corrections = await tx
      .select({ seq: t.corrections.seq, changes: t.corrections.changes })
      .from(t.corrections)
      .where(sql`${t.corrections.subjectKind} = 'person' and ${t.corrections.subjectId} = ${personId}`);
    for (const correction of corrections) {
      const changes = openRow(keys, "corrections", correction.seq, { changes: correction.changes }).changes;
      await tx
        .update(t.corrections)
        .set(sealRow(keys, "corrections", correction.seq, { changes: purgedChanges(changes) }))
        .where(eq(t.corrections.seq, correction.seq));
    }
    // In the purge's transaction: the purge and its record in the log commit or roll back together.
    await logRead(
      { db: tx },
      {
        actor: by.actor,
        role: by.role,
        action: "person.purge",
        channel: "armsledger purge --person",
        subjectKind: "person",
        subjects: [personId],
        purpose: by.reason,
      },
    );
    return { personId, privateParts: parts.length, payoutAccounts: accounts.length, records };
  });
  return {
    ...result,
    vacuumed: await vacuum(store, [
      "persons",
      "person_name_keys",
      "person_name_counts",
      "payout_accounts",
      "event_private",
      "corrections",
      "screenings",
      "eligibility_appeals",
      "eligibility_revocations",
      "pathways",
      "pathway_follow_ups",
      "handovers",
    ]),
  };
}
