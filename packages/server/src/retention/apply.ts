// Applying the programme's retention policy: what `dueRecords` finds is purged with the purges
// that exist (crypto/purge.ts): a person's purge for people, the purge marker and purged private
// parts for the other records, deletion for ended sessions. One transaction per person and per
// batch of records, each with its row in the access log: an interruption loses nothing and leaves
// nothing half purged, and the next run, finding it purged, purges only the rest.
import { type RetentionRecordType, retentionRecordTypes } from "@armsledger/core";
import { and, eq, inArray, sql } from "drizzle-orm";
import { logRead } from "../access/read-audit.ts";
import type { FieldKeys } from "../crypto/field-keys.ts";
import {
  listsNaming,
  NotPurged,
  type PurgeActor,
  personPurgeTables,
  purgePerson,
  purgePrivateParts,
  purgeRosterEntries,
  sealPurged,
  vacuum,
} from "../crypto/purge.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { dueRecords, dueRosterEntriesOf, personStillDue, programmePolicy, stillHolds } from "./due.ts";

type Tx = Parameters<Parameters<Store["db"]["transaction"]>[0]>[0];

export const RETENTION_CHANNEL = "armsledger retention apply";

/** Records purged in one transaction (and logged in one access-log row set). */
const BATCH = 200;

export interface RetentionApplied {
  asOf: string;
  purged: Record<RetentionRecordType, number>;
  vacuumed: string[];
}

/** Purges what the policy makes due on `asOf`, type by type. */
export async function applyRetention(store: Store, asOf: string, by: PurgeActor): Promise<RetentionApplied> {
  const policy = await programmePolicy(store);
  const due = await dueRecords(store, policy, asOf);
  const purged = Object.fromEntries(retentionRecordTypes.map((type) => [type, 0])) as Record<
    RetentionRecordType,
    number
  >;
  for (const type of ["registration_not_eligible", "reintegration_ended"] as const)
    for (const personId of due[type]) {
      try {
        await purgePerson(store, personId, by, {
          channel: `${RETENTION_CHANNEL} (${type})`,
          vacuum: false,
          onlyIf: (tx) => personStillDue(tx, type, policy[type], asOf, personId),
        });
        purged[type]++;
      } catch (error) {
        // No longer due (an appeal lodged, a payment listed meanwhile): kept, nothing changed.
        if (!(error instanceof NotPurged)) throw error;
      }
    }
  const keys = await store.personal.keys();
  for (const type of ["screening_details", "payout_details", "duplicate_decision"] as const)
    for (let i = 0; i < due[type].length; i += BATCH) {
      const batch = due[type].slice(i, i + BATCH);
      purged[type] += await store.db.transaction(async (tx) => {
        const about = await recordPurges[type](tx, keys, batch);
        if (about.length > 0)
          await logRead(
            { db: tx },
            {
              ...retentionLogRow(by, type),
              subjectKind: "person",
              subjects: about,
            },
          );
        return about.length;
      });
    }
  // One transaction per group: its entries due are found again inside it (a person registered
  // meanwhile may now match one), purged a member number at a time, and the roster versions
  // listing them have their private part purged whole (the replay rebuilds them from the entries).
  for (const groupId of new Set(due.roster_unmatched.map((key) => key.split("/")[0]!)))
    purged.roster_unmatched += await store.db.transaction(async (tx) => {
      const numbers = await dueRosterEntriesOf(tx, keys, groupId, policy.roster_unmatched, asOf);
      for (const entries of numbers) await purgeRosterEntries(tx, keys, entries);
      const versions = new Set(numbers.flat().map((e) => Number(e.version)));
      const rosters = await tx
        .select({ seq: t.groupRosters.seq, version: t.groupRosters.version })
        .from(t.groupRosters)
        .where(eq(t.groupRosters.groupId, groupId));
      await purgePrivateParts(
        tx,
        keys,
        rosters.filter((r) => versions.has(r.version)).map((r) => r.seq),
      );
      const n = numbers.flat().length;
      if (n > 0)
        await logRead(
          { db: tx },
          { ...retentionLogRow(by, "roster_unmatched"), subjectKind: "roster", subjects: "all", records: n },
        );
      return n;
    });
  purged.ended_session = await store.db.transaction(async (tx) => {
    const n = await deleteSessions(tx, due.ended_session);
    if (n > 0)
      await logRead(
        { db: tx },
        { ...retentionLogRow(by, "ended_session"), subjectKind: "session", subjects: "all", records: n },
      );
    return n;
  });
  const vacuumed = await vacuum(store, [...personPurgeTables, "sessions", "api_tokens"]);
  return { asOf, purged, vacuumed };
}

function retentionLogRow(by: PurgeActor, type: RetentionRecordType) {
  return {
    actor: by.actor,
    role: by.role,
    action: "retention.purge",
    channel: `${RETENTION_CHANNEL} (${type})`,
    purpose: by.reason,
  };
}

/**
 * Each record type's purge of a batch, re-read inside its transaction (a row already purged, by
 * a person's purge meanwhile, is left): answers the people the purged records were about.
 */
const recordPurges: Record<
  "screening_details" | "payout_details" | "duplicate_decision",
  (tx: Tx, keys: FieldKeys, ids: string[]) => Promise<string[]>
> = {
  // The screening's answers, indications and notes, and the screening event's private part.
  async screening_details(tx, keys, ids) {
    // An appeal lodged since the run listed them may rest on the answers: kept.
    const appealing = new Set(
      (
        await tx
          .select({ personId: t.eligibilityAppeals.personId })
          .from(t.eligibilityAppeals)
          .where(sql`${t.eligibilityAppeals.status} = 'lodged'`)
      ).map((a) => a.personId),
    );
    const rows = (await tx.select().from(t.screenings).where(inArray(t.screenings.id, ids))).filter(
      (row) => !appealing.has(row.personId) && stillHolds(keys, "screenings", row),
    );
    await sealPurged(tx, keys, "screenings", rows);
    await purgePrivateParts(
      tx,
      keys,
      rows.map((row) => row.seq),
    );
    return rows.map((row) => row.personId);
  },
  // Where they were paid: their payout accounts and every event that set one, the account on each
  // of their payment lines, the payments recorded on their own and the lists naming them (a
  // list's private part is one whole: purged whole, rebuilt by the replay from its live lines).
  async payout_details(tx, keys, personIds) {
    const purgedFor: string[] = [];
    for (const personId of personIds) {
      const accounts = await tx
        .select()
        .from(t.payoutAccounts)
        .where(eq(t.payoutAccounts.personId, personId));
      const lines = await tx.select().from(t.paymentLines).where(eq(t.paymentLines.personId, personId));
      if (
        // A payment listed or sent since the run listed them: it needs the account, kept.
        lines.some((line) => line.status === "listed" || line.status === "sent") ||
        (!accounts.some((row) => stillHolds(keys, "payout_accounts", row)) &&
          !lines.some((row) => stillHolds(keys, "payment_lines", row)))
      )
        continue;
      purgedFor.push(personId);
      await sealPurged(tx, keys, "payout_accounts", accounts);
      await sealPurged(tx, keys, "payment_lines", lines);
      const setEvents = await tx
        .select({ seq: t.events.seq })
        .from(t.recordHistory)
        .innerJoin(t.events, eq(t.events.seq, t.recordHistory.seq))
        .where(
          and(
            eq(t.recordHistory.kind, "person"),
            eq(t.recordHistory.id, personId),
            sql`${t.events.type} = 'payment.account_set'`,
          ),
        );
      await purgePrivateParts(tx, keys, [
        ...setEvents.map((e) => e.seq),
        ...lines.filter((line) => line.listId === null).map((line) => line.createdSeq),
        ...(await listsNaming(tx, personId, [])),
      ]);
    }
    return purgedFor;
  },
  // The reviewer's words, and the decision event's private part (ids and weights stay).
  async duplicate_decision(tx, keys, personIds) {
    const rows = (
      await tx.select().from(t.duplicateReviews).where(inArray(t.duplicateReviews.personId, personIds))
    ).filter((row) => stillHolds(keys, "duplicate_reviews", row));
    await sealPurged(tx, keys, "duplicate_reviews", rows);
    await purgePrivateParts(
      tx,
      keys,
      rows.flatMap((row) => (row.decidedSeq === null ? [] : [row.decidedSeq])),
    );
    return rows.map((row) => row.personId);
  },
};

async function deleteSessions(tx: Tx, keys: string[]): Promise<number> {
  const sessions = keys.filter((k) => k.startsWith("session:")).map((k) => k.slice("session:".length));
  const tokens = keys.filter((k) => k.startsWith("token:")).map((k) => k.slice("token:".length));
  let n = 0;
  for (let i = 0; i < sessions.length; i += 1_000)
    n += (
      await tx
        .delete(t.sessions)
        .where(inArray(t.sessions.tokenHash, sessions.slice(i, i + 1_000)))
        .returning({ k: t.sessions.tokenHash })
    ).length;
  for (let i = 0; i < tokens.length; i += 1_000)
    n += (
      await tx
        .delete(t.apiTokens)
        .where(inArray(t.apiTokens.id, tokens.slice(i, i + 1_000)))
        .returning({ k: t.apiTokens.id })
    ).length;
  return n;
}
