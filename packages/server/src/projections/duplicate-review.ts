import {
  type DuplicateMatch,
  givenNameKeys,
  type MatchInput,
  type PreparedPerson,
  personNameKeys,
  preparePerson,
} from "@armsledger/core";
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import type { FieldKeys } from "../crypto/field-keys.ts";
import { openRow } from "../crypto/personal-columns.ts";
import type { Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { type Projector, touch } from "./recorded-event.ts";

// Duplicate review (issue 5): the name-key table the write path's duplicate check reads, the
// given-name counts its scoring weighs by, and the review cases with their decisions. All of it
// is rebuilt by replaying the ledger, like every other projection.

/** What matching reads of a persons row. */
export function matchInputOfRow(row: {
  name: unknown;
  motherName: unknown;
  birthYear: number | null;
  sex: string;
  governorate: string;
  nationalId: string | null;
}): MatchInput {
  return {
    name: row.name as MatchInput["name"],
    motherName: (row.motherName ?? undefined) as MatchInput["motherName"],
    birthYear: row.birthYear ?? undefined,
    sex: row.sex as "male" | "female",
    governorate: row.governorate,
    nationalId: row.nationalId ?? undefined,
  };
}

function prepared(input: MatchInput): PreparedPerson | undefined {
  // Registration validated the names already; a record that does not fold is simply not indexed.
  try {
    return preparePerson(input);
  } catch {
    return undefined;
  }
}

async function countGiven(tx: Tx, keys: number[], delta: 1 | -1): Promise<void> {
  if (keys.length === 0) return;
  if (delta === 1)
    await tx
      .insert(t.personNameCounts)
      .values(keys.map((key) => ({ field: "given", key, count: 1 })))
      .onConflictDoUpdate({
        target: [t.personNameCounts.field, t.personNameCounts.key],
        set: { count: sql`${t.personNameCounts.count} + 1` },
      });
  else
    await tx
      .update(t.personNameCounts)
      .set({ count: sql`${t.personNameCounts.count} - 1` })
      .where(and(eq(t.personNameCounts.field, "given"), inArray(t.personNameCounts.key, keys)));
}

/**
 * The name keys a person is filed under and the given-name keys it counts, keyed
 * (FieldKeys.nameKey); none for a record that does not fold. Also used by the encryption
 * benchmark's bulk load (bench/src/encryption).
 */
export function nameIndexOf(
  keys: FieldKeys,
  input: MatchInput,
  /** The input already folded (a bulk load folds each person once for two stores). */
  person: PreparedPerson | undefined = prepared(input),
): { nameKeys: number[]; givenKeys: number[] } | undefined {
  if (!person) return undefined;
  const hash = (key: string) => keys.nameKey(key);
  return { nameKeys: personNameKeys(person, hash), givenKeys: givenNameKeys(person, hash) };
}

/** Files a person under its name keys (keyed: FieldKeys.nameKey) and counts its given name. */
export async function indexPersonName(
  tx: Tx,
  keys: FieldKeys,
  personId: string,
  input: MatchInput,
): Promise<void> {
  const index = nameIndexOf(keys, input);
  if (!index) return;
  if (index.nameKeys.length > 0)
    await tx
      .insert(t.personNameKeys)
      .values(index.nameKeys.map((key) => ({ key, personId })))
      .onConflictDoNothing();
  await countGiven(tx, index.givenKeys, 1);
}

/** After a correction of the person's names: the old keys and counts go, the new ones come. */
export async function reindexPersonName(
  tx: Tx,
  keys: FieldKeys,
  personId: string,
  before: MatchInput,
): Promise<void> {
  const old = prepared(before);
  await tx.delete(t.personNameKeys).where(eq(t.personNameKeys.personId, personId));
  if (old)
    await countGiven(
      tx,
      givenNameKeys(old, (key) => keys.nameKey(key)),
      -1,
    );
  const [row] = await tx.select().from(t.persons).where(eq(t.persons.id, personId));
  if (row)
    await indexPersonName(tx, keys, personId, matchInputOfRow(openRow(keys, "persons", personId, row)));
}

/**
 * A person's purge: their name keys go, and their given-name counts go down (a count that falls
 * to nothing is deleted, as if the name had never been counted: a replay never counts a purged name).
 */
export async function unindexPersonName(tx: Tx, keys: FieldKeys, personId: string, before: MatchInput) {
  await tx.delete(t.personNameKeys).where(eq(t.personNameKeys.personId, personId));
  const old = prepared(before);
  if (!old) return;
  const given = givenNameKeys(old, (key) => keys.nameKey(key));
  await countGiven(tx, given, -1);
  if (given.length > 0)
    await tx
      .delete(t.personNameCounts)
      .where(
        and(
          eq(t.personNameCounts.field, "given"),
          inArray(t.personNameCounts.key, given),
          sql`${t.personNameCounts.count} <= 0`,
        ),
      );
}

/** The matching fields of a person as they stand (before a correction changes them). */
export async function findPersonMatchInput(
  tx: Tx,
  keys: FieldKeys,
  personId: string,
): Promise<MatchInput | undefined> {
  const [row] = await tx.select().from(t.persons).where(eq(t.persons.id, personId));
  return row && matchInputOfRow(openRow(keys, "persons", personId, row));
}

/**
 * A registration (or a correction) the check held: the person is pending and a review case is
 * opened. A person whose earlier review was dismissed and whose corrected record is held again
 * gets the case re-opened: the earlier decision stays in the ledger and the record's history.
 */
export async function openDuplicateReview(
  tx: Tx,
  e: { seq: number; recordedAt: string; actor: string },
  personId: string,
  matches: DuplicateMatch[],
): Promise<void> {
  await tx.update(t.persons).set({ duplicateReview: "pending" }).where(eq(t.persons.id, personId));
  const opened = {
    status: "pending",
    openedSeq: e.seq,
    openedAt: e.recordedAt,
    registeredBy: e.actor,
    matches,
  };
  await tx
    .insert(t.duplicateReviews)
    .values({ personId, ...opened })
    .onConflictDoUpdate({
      target: t.duplicateReviews.personId,
      set: { ...opened, decidedSeq: null, decidedAt: null, decidedBy: null, reason: null, mergedInto: null },
    });
}

interface Decision {
  personId: string;
  intoPersonId?: string;
  reason: string;
  decidedBy: string;
}

const decide =
  (status: "merged" | "dismissed"): Projector =>
  async (tx, e) => {
    const d = e.data as unknown as Decision;
    await tx
      .update(t.persons)
      .set({ duplicateReview: status, updatedSeq: e.seq })
      .where(eq(t.persons.id, d.personId));
    await tx
      .update(t.duplicateReviews)
      .set({
        status,
        decidedSeq: e.seq,
        decidedAt: e.recordedAt,
        decidedBy: d.decidedBy,
        reason: d.reason,
        mergedInto: d.intoPersonId ?? null,
      })
      .where(eq(t.duplicateReviews.personId, d.personId));
    await touch(tx, e.seq, [
      { kind: "person", id: d.personId },
      ...(d.intoPersonId ? [{ kind: "person", id: d.intoPersonId }] : []),
    ]);
  };

export const duplicateMerged = decide("merged");
export const duplicateDismissed = decide("dismissed");

/**
 * A handover recorded for a registration held for review (or merged) can only be one made
 * offline before the registration synced (rules/duplicate-hold.ts). It is kept, and an anomaly
 * asks someone to look: a handover time set back to slip past the hold would show here. The
 * anomaly names the handover, never the person (analysts and monitors read anomalies).
 */
export async function raiseHandoverUnderReview(
  tx: Tx,
  seq: number,
  handoverId: string,
  receiptNumber: string,
  personId: string,
): Promise<void> {
  const [person] = await tx
    .select({ duplicateReview: t.persons.duplicateReview })
    .from(t.persons)
    .where(eq(t.persons.id, personId));
  if (person?.duplicateReview !== "pending" && person?.duplicateReview !== "merged") return;
  await tx.insert(t.anomalies).values({
    id: `${seq}:duplicate-review`,
    kind: "handover_under_duplicate_review",
    raisedSeq: seq,
    subjectKind: "handover",
    subjectId: handoverId,
    related: [],
    detail:
      person.duplicateReview === "pending"
        ? `Handover ${receiptNumber} was recorded for a registration awaiting duplicate review (handed over before the registration reached the server); its receipt is held until the review.`
        : `Handover ${receiptNumber} was recorded for a registration merged into another as a duplicate (handed over before the merge reached the server).`,
  });
}

/**
 * Rebuilds the name keys and given-name counts from the people's decrypted names, under the
 * current name-key key: for a database whose keys were unkeyed hashes (before field encryption)
 * or that never had keys, and after a new data key. `armsledger reindex names`.
 */
export async function reindexAllNames(tx: Tx, keys: FieldKeys): Promise<number> {
  await tx.delete(t.personNameKeys);
  await tx.delete(t.personNameCounts);
  let done = 0;
  for (let after: string | undefined; ; ) {
    const rows = await tx
      .select()
      .from(t.persons)
      .where(after ? gt(t.persons.id, after) : undefined)
      .orderBy(t.persons.id)
      .limit(1000);
    if (rows.length === 0) return done;
    for (const row of rows)
      await indexPersonName(tx, keys, row.id, matchInputOfRow(openRow(keys, "persons", row.id, row)));
    done += rows.length;
    after = rows.at(-1)!.id;
  }
}
