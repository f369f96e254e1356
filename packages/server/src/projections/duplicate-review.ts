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
import { openRow, sealRow } from "../crypto/personal-columns.ts";
import type { Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { type Write, writeTogether } from "../store/write-together.ts";
import { raiseAnomaly } from "./anomalies.ts";
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

/** A person's given names no longer counted (a correction of the name, a purge). */
async function uncountGiven(tx: Tx, keys: number[]): Promise<void> {
  if (keys.length === 0) return;
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

/** `array[$1, $2, …]::int[]`: the keys as an int array parameter list (an empty list included). */
function intArray(values: number[]) {
  return sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::int[]`;
}

/**
 * Files a person under its name keys (keyed: FieldKeys.nameKey), counts each key's block (field
 * "block": how many people are filed under the key, which the duplicate check reads instead of
 * counting the index, docs/names.md) and counts its given name, in one statement.
 */
export async function indexPersonName(
  tx: Tx,
  keys: FieldKeys,
  personId: string,
  input: MatchInput,
): Promise<void> {
  await writeTogether(tx, nameIndexWrites(keys, personId, input));
}

/**
 * indexPersonName's writes, unsent: to go in one statement with others (store/write-together.ts;
 * the person's registration sends them with its row). Only the keys actually filed are counted
 * (on conflict: a key filed already stays counted once).
 */
export function nameIndexWrites(keys: FieldKeys, personId: string, input: MatchInput): Write[] {
  const index = nameIndexOf(keys, input);
  if (!index) return [];
  const { nameKeys, givenKeys: given } = index;
  if (nameKeys.length === 0 && given.length === 0) return [];
  return [
    {
      as: "filed",
      write: sql`
        insert into ${t.personNameKeys} (key, person_id)
        select k, ${personId}::uuid from unnest(${intArray(nameKeys)}) as k
        on conflict do nothing
        returning key`,
    },
    {
      as: "given",
      write: sql`
        insert into ${t.personNameCounts} (field, key, count)
        select 'given', k, 1 from unnest(${intArray(given)}) as k
        on conflict (field, key) do update set count = ${t.personNameCounts}.count + 1`,
    },
    sql`
      insert into ${t.personNameCounts} (field, key, count)
      select 'block', key, 1 from filed
      on conflict (field, key) do update set count = ${t.personNameCounts}.count + 1`,
  ];
}

/**
 * Takes a person out of the name keys, and their blocks' counts down with them (a count that
 * falls to nothing is deleted: the block counts are always exactly the key table grouped by key).
 */
async function unfilePersonName(tx: Tx, personId: string): Promise<void> {
  const { rows } = (await tx.execute(sql`
    with unfiled as (
      delete from ${t.personNameKeys} where person_id = ${personId}::uuid returning key
    )
    update ${t.personNameCounts} c set count = c.count - 1
    from unfiled u where c.field = 'block' and c.key = u.key
    returning c.key, c.count`)) as unknown as { rows: { key: number; count: number }[] };
  const emptied = rows.filter((r) => r.count <= 0).map((r) => r.key);
  if (emptied.length > 0)
    await tx
      .delete(t.personNameCounts)
      .where(
        and(
          eq(t.personNameCounts.field, "block"),
          inArray(t.personNameCounts.key, emptied),
          sql`${t.personNameCounts.count} <= 0`,
        ),
      );
}

/** After a correction of the person's names: the old keys and counts go, the new ones come. */
export async function reindexPersonName(
  tx: Tx,
  keys: FieldKeys,
  personId: string,
  before: MatchInput,
): Promise<void> {
  const old = prepared(before);
  await unfilePersonName(tx, personId);
  if (old)
    await uncountGiven(
      tx,
      givenNameKeys(old, (key) => keys.nameKey(key)),
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
  await unfilePersonName(tx, personId);
  const old = prepared(before);
  if (!old) return;
  const given = givenNameKeys(old, (key) => keys.nameKey(key));
  await uncountGiven(tx, given);
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
  async (tx, e, keys) => {
    const d = e.data as unknown as Decision;
    await tx
      .update(t.persons)
      .set({ duplicateReview: status, updatedSeq: e.seq })
      .where(eq(t.persons.id, d.personId));
    await tx
      .update(t.duplicateReviews)
      .set(
        // The reviewer's words about the person, private in the event: sealed.
        sealRow(keys, "duplicate_reviews", d.personId, {
          status,
          decidedSeq: e.seq,
          decidedAt: e.recordedAt,
          decidedBy: d.decidedBy,
          reason: d.reason,
          mergedInto: d.intoPersonId ?? null,
        }),
      )
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
  /** The person's review state, when read in the handover's last statement (handover.ts). */
  read?: { duplicateReview: string },
): Promise<void> {
  const [person] = read
    ? [read]
    : await tx
        .select({ duplicateReview: t.persons.duplicateReview })
        .from(t.persons)
        .where(eq(t.persons.id, personId));
  if (person?.duplicateReview !== "pending" && person?.duplicateReview !== "merged") return;
  await raiseAnomaly(tx, {
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
