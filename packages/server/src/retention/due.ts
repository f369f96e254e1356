// What the programme's retention policy (core records/retention.ts) makes due on a day: read
// only. Each record type's anchor is the last thing that still gave the record a purpose; the
// period runs from it in calendar months (PostgreSQL's date + interval: 31 January + 1 month is
// the last day of February). A record is due on the day its period has run, and after.
import {
  Problem,
  type ProgrammeConfig,
  type RetentionPolicy,
  type RetentionRecordType,
  retentionPolicyOf,
  retentionRecordTypes,
} from "@armsledger/core";
import { type SQL, sql } from "drizzle-orm";
import { type FieldKeys, PURGED } from "../crypto/field-keys.ts";
import { openRow, type PersonalTable, personalColumns, personalRowKey } from "../crypto/personal-columns.ts";
import { groupRosterMatches, type RosterEntryMatch } from "../crypto/purge.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { holdsNothing } from "../verify/purged-stand-ins.ts";

type Db = Store["db"];

/** The rows a raw query answers (pg and PGlite both answer `{ rows }`). */
async function rowsOf<R>(db: Db, query: SQL): Promise<R[]> {
  return ((await db.execute(query)) as unknown as { rows: R[] }).rows;
}

/** Is the day's anchor (a date expression) at least `months` before `asOf`? */
function ranOut(anchor: SQL, months: number, asOf: string): SQL {
  return sql`(${anchor} + make_interval(months => ${months}::int))::date <= ${asOf}::date`;
}

/** A timestamp's day in UTC, whatever the session's time zone. */
function day(column: SQL): SQL {
  return sql`(${column} at time zone 'UTC')::date`;
}

/**
 * A person already purged: by `armsledger purge --person` or a retention run (both log
 * `person.purge` naming them), or by the emergency purge after their registration (the data key
 * their values were sealed under is destroyed).
 */
const notPurged = sql`not exists (
    select 1 from ${t.accessLog} l
    where l.subject_kind = 'person' and l.subject_id = p.id::text and l.action = 'person.purge'
  ) and not exists (
    select 1 from ${t.dataKeys} k join ${t.events} e on e.seq = p.registered_seq
    where k.destroyed_at is not null and k.destroyed_at > e.recorded_at
  )`;

/** Nothing still open about the person: no duplicate review pending, no appeal awaiting its decision. */
const nothingOpen = sql`p.duplicate_review <> 'pending' and not exists (
    select 1 from ${t.eligibilityAppeals} a where a.person_id = p.id and a.status = 'lodged'
  )`;

/** The last day anything was done with or for the person that these anchors share. */
const lastContact = sql`greatest(
    p.registered_on,
    (select max((s.screened_at at time zone 'UTC')::date) from ${t.screenings} s where s.person_id = p.id),
    (select max((a.decided_at at time zone 'UTC')::date) from ${t.eligibilityAppeals} a where a.person_id = p.id),
    (select max((h.handed_at at time zone 'UTC')::date) from ${t.handovers} h where h.person_id = p.id)
  )`;

/** One person, or everyone (`only` undefined). */
const onlyPerson = (only: string | undefined) => (only === undefined ? sql`true` : sql`p.id = ${only}`);

/** People never found eligible: no eligible screening, no revocation (which means they were), no appeal won. */
async function notEligiblePeople(db: Db, months: number, asOf: string, only?: string): Promise<string[]> {
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`
    select p.id from ${t.persons} p
    where ${onlyPerson(only)} and not p.eligible and not p.eligibility_revoked and ${nothingOpen} and ${notPurged}
      and not exists (select 1 from ${t.screenings} s where s.person_id = p.id and s.status = 'eligible')
      and not exists (select 1 from ${t.eligibilityAppeals} a where a.person_id = p.id and a.status = 'overturned')
      and not exists (select 1 from ${t.pathways} w where w.person_id = p.id)
      and not exists (select 1 from ${t.paymentLines} l where l.person_id = p.id)
      and ${ranOut(lastContact, months, asOf)}
    order by p.id`,
  );
  return rows.map((r) => r.id);
}

/**
 * People whose reintegration has ended: a pathway, none active, no payment in flight. The anchor
 * is the last step of any pathway (offer, answer, vetting, placement, leaving, follow-up) or
 * payment, or the shared last contact.
 */
async function reintegrationEndedPeople(
  db: Db,
  months: number,
  asOf: string,
  only?: string,
): Promise<string[]> {
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`
    select p.id from ${t.persons} p
    where ${onlyPerson(only)} and exists (select 1 from ${t.pathways} w where w.person_id = p.id)
      and not exists (select 1 from ${t.pathways} w where w.person_id = p.id and w.active)
      and not exists (
        select 1 from ${t.paymentLines} l where l.person_id = p.id and l.status in ('listed', 'sent')
      )
      and ${nothingOpen} and ${notPurged}
      and ${ranOut(
        sql`greatest(
          ${lastContact},
          (select max(greatest(w.offered_on, w.responded_on, w.vetted_on, w.placed_on, w.left_on, w.last_follow_up_on))
             from ${t.pathways} w where w.person_id = p.id),
          (select max(greatest(l.paid_on, l.confirmed_on)) from ${t.paymentLines} l where l.person_id = p.id)
        )`,
        months,
        asOf,
      )}
    order by p.id`,
  );
  return rows.map((r) => r.id);
}

/**
 * Is this person still due under a person type on `asOf`? Asked again in the purge's own
 * transaction (an appeal lodged or a payment listed since the list was made keeps them).
 */
export async function personStillDue(
  db: Db,
  type: "registration_not_eligible" | "reintegration_ended",
  months: number,
  asOf: string,
  personId: string,
): Promise<boolean> {
  const found =
    type === "registration_not_eligible"
      ? await notEligiblePeople(db, months, asOf, personId)
      : await reintegrationEndedPeople(db, months, asOf, personId);
  return found.length === 1;
}

/** Does a row of a personal table still hold a personal value (not nothing, not the marker)? */
export function stillHolds(keys: FieldKeys, table: PersonalTable, row: Record<string, unknown>): boolean {
  const open = openRow(keys, table, personalRowKey[table](row), row) as Record<string, unknown>;
  return Object.keys(personalColumns[table]).some((column) => !holdsNothing(open[column]));
}

/** Screenings past their period, of people with no appeal awaiting a decision (it may rest on them). */
async function dueScreenings(db: Db, keys: FieldKeys, months: number, asOf: string) {
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    sql`
    select s.id, s.person_id as "personId", s.answers, s.indications, s.notes from ${t.screenings} s
    where ${ranOut(day(sql`s.screened_at`), months, asOf)}
      and not exists (
        select 1 from ${t.eligibilityAppeals} a where a.person_id = s.person_id and a.status = 'lodged'
      )
    order by s.id`,
  );
  return rows
    .filter((row) => stillHolds(keys, "screenings", row))
    .map((row) => ({ id: String(row.id), personId: String(row.personId) }));
}

/**
 * People whose payment details are past their period: the anchor is their last payment (paid or
 * confirmed), or the day their account or a line was recorded when later; never while a payment
 * is in flight, nor while they are still entitled (eligible, alive, a schedule still running).
 */
async function duePayoutPeople(db: Db, keys: FieldKeys, months: number, asOf: string) {
  const rows = await rowsOf<{ personId: string }>(
    db,
    sql`
    select p.person_id as "personId" from (
      select person_id from ${t.payoutAccounts} union select person_id from ${t.paymentLines}
    ) p
    where not exists (
        select 1 from ${t.paymentLines} l where l.person_id = p.person_id and l.status in ('listed', 'sent')
      )
      -- Still entitled while a schedule runs: a later list would pay them against a purged account.
      and not exists (
        select 1 from ${t.persons} q, ${t.paymentSchedules} s
        where q.id = p.person_id and q.eligible and not q.eligibility_revoked and q.deceased_on is null
          and s.last_period >= to_char(${asOf}::date, 'YYYY-MM')
      )
      and ${ranOut(
        sql`greatest(
          (select max(greatest(l.paid_on, l.confirmed_on)) from ${t.paymentLines} l where l.person_id = p.person_id),
          (select max((e.recorded_at at time zone 'UTC')::date) from ${t.payoutAccounts} a
             join ${t.events} e on e.seq = a.set_seq where a.person_id = p.person_id),
          (select max((e.recorded_at at time zone 'UTC')::date) from ${t.paymentLines} l
             join ${t.events} e on e.seq = l.created_seq where l.person_id = p.person_id)
        )`,
        months,
        asOf,
      )}
    order by p.person_id`,
  );
  const due: { personId: string }[] = [];
  for (const { personId } of rows) {
    const held = await rowsOf<Record<string, unknown>>(
      db,
      sql`
      select 'a' as kind, person_id as "personId", channel, null as reference, account, holder
        from ${t.payoutAccounts} where person_id = ${personId}
      union all
      select 'l', person_id, channel, reference, account, holder
        from ${t.paymentLines} where person_id = ${personId}`,
    );
    if (held.some((row) => stillHolds(keys, row.kind === "a" ? "payout_accounts" : "payment_lines", row)))
      due.push({ personId });
  }
  return due;
}

/** Duplicate reviews decided before the period, whose reason still reads. */
async function dueDuplicateDecisions(db: Db, keys: FieldKeys, months: number, asOf: string) {
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    sql`
    select r.person_id as "personId", r.reason from ${t.duplicateReviews} r
    where r.reason is not null and r.decided_at is not null
      and ${ranOut(day(sql`r.decided_at`), months, asOf)}
    order by r.person_id`,
  );
  return rows
    .filter((row) => stillHolds(keys, "duplicate_reviews", row))
    .map((row) => ({ personId: String(row.personId) }));
}

/**
 * A group's roster entries that are due: those of a member number that the comparison matches to
 * no registered person (nor for review) in any version listing it, still readable, and whose last
 * version listing it was submitted before the period. Grouped by member number: each number's
 * entries are purged together, with one marker, so the roster's growth counts as before.
 */
export async function dueRosterEntriesOf(
  db: Db,
  keys: FieldKeys,
  groupId: string,
  months: number,
  asOf: string,
): Promise<RosterEntryMatch["entry"][][]> {
  const versions = await rowsOf<{ version: number; ranOut: boolean }>(
    db,
    sql`select version, ${ranOut(sql`submitted_on`, months, asOf)} as "ranOut"
        from ${t.groupRosters} where group_id = ${groupId}`,
  );
  const ran = new Set(versions.filter((v) => v.ranOut).map((v) => Number(v.version)));
  const byNumber = new Map<string, RosterEntryMatch[]>();
  for (const m of await groupRosterMatches(db, keys, groupId)) {
    const number = String(m.entry.memberNumber);
    byNumber.set(number, [...(byNumber.get(number) ?? []), m]);
  }
  return [...byNumber.entries()]
    .filter(
      ([number, matches]) =>
        !number.startsWith(PURGED) &&
        matches.every((m) => m.status === "not_registered" && ran.has(Number(m.entry.version))),
    )
    .map(([, matches]) => matches.map((m) => m.entry));
}

/** Entries due in every group with a roster version past its period (keys `group/version/position`). */
async function dueRosterEntries(db: Db, keys: FieldKeys, months: number, asOf: string): Promise<string[]> {
  const groups = await rowsOf<{ groupId: string }>(
    db,
    sql`select distinct group_id as "groupId" from ${t.groupRosters}
        where ${ranOut(sql`submitted_on`, months, asOf)} order by 1`,
  );
  const due: string[] = [];
  for (const { groupId } of groups)
    for (const entries of await dueRosterEntriesOf(db, keys, groupId, months, asOf))
      for (const e of entries) due.push(`${groupId}/${e.version}/${e.position}`);
  return due;
}

/** Sessions expired, and API tokens revoked or expired, before the period (keys `session:` and `token:`). */
async function dueSessions(db: Db, months: number, asOf: string): Promise<string[]> {
  const sessions = await rowsOf<{ key: string }>(
    db,
    sql`
    select 'session:' || token_hash as key from ${t.sessions}
    where ${ranOut(day(sql`expires_at`), months, asOf)}`,
  );
  const tokens = await rowsOf<{ key: string }>(
    db,
    sql`
    select 'token:' || id as key from ${t.apiTokens}
    where coalesce(revoked_at, expires_at) is not null
      and ${ranOut(day(sql`coalesce(revoked_at, expires_at)`), months, asOf)}`,
  );
  return [...sessions, ...tokens].map((r) => r.key);
}

/**
 * What is due on `asOf`, per type: the people (for the person purges and the payment details),
 * screening ids, reviewed persons' ids or session keys. A person due under both person types is
 * listed once, under the first.
 */
export async function dueRecords(
  store: Store,
  policy: RetentionPolicy,
  asOf: string,
): Promise<Record<RetentionRecordType, string[]>> {
  const db = store.db;
  const keys = await store.personal.keys();
  const notEligible = await notEligiblePeople(db, policy.registration_not_eligible, asOf);
  const first = new Set(notEligible);
  const ended = (await reintegrationEndedPeople(db, policy.reintegration_ended, asOf)).filter(
    (id) => !first.has(id),
  );
  // Their whole record goes with their purge: their screenings, payments and review are counted there.
  const purgedWhole = new Set([...notEligible, ...ended]);
  const kept = <R extends { personId: string }>(rows: R[]) =>
    rows.filter((r) => !purgedWhole.has(r.personId));
  return {
    registration_not_eligible: notEligible,
    reintegration_ended: ended,
    screening_details: kept(await dueScreenings(db, keys, policy.screening_details, asOf)).map((r) => r.id),
    payout_details: kept(await duePayoutPeople(db, keys, policy.payout_details, asOf)).map((r) => r.personId),
    duplicate_decision: kept(await dueDuplicateDecisions(db, keys, policy.duplicate_decision, asOf)).map(
      (r) => r.personId,
    ),
    // Matched to no one, so no person's purge takes them.
    roster_unmatched: await dueRosterEntries(db, keys, policy.roster_unmatched, asOf),
    ended_session: await dueSessions(db, policy.ended_session, asOf),
  };
}

export interface RetentionReport {
  asOf: string;
  /** The defaulted policy in months per type. */
  policy: RetentionPolicy;
  /** How many records of each type are due: counts only, never who. */
  due: Record<RetentionRecordType, number>;
}

/** A day as `--as-of`/`asOf` gives it: YYYY-MM-DD, a real day from 1900; today (UTC) when absent. */
export function retentionDay(value: string | undefined, path = "asOf"): string {
  if (value === undefined) return new Date().toISOString().slice(0, 10);
  const time = /^\d{4}-\d{2}-\d{2}$/u.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  // A day that does not exist (2026-02-30) parses as another or not at all: compared back. Before
  // 1900 no programme kept records (and PostgreSQL has no year 0).
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value || value < "1900-01-01")
    throw new Problem("request.invalid", `${path} must be a day written YYYY-MM-DD.`, [
      { path, message: "a day written YYYY-MM-DD" },
    ]);
  return value;
}

/** The programme's policy; refused before the programme is configured (it has no policy yet). */
export async function programmePolicy(store: Store): Promise<RetentionPolicy> {
  const [row] = await store.db.select({ config: t.programme.config }).from(t.programme);
  if (!row)
    throw new Problem(
      "resource.not-found",
      "The programme is not configured: it has no retention policy yet.",
    );
  return retentionPolicyOf(row.config as ProgrammeConfig);
}

/** Counts per record type of what the policy makes due on `asOf`: read only. */
export async function retentionReport(store: Store, asOf: string): Promise<RetentionReport> {
  const policy = await programmePolicy(store);
  const due = await dueRecords(store, policy, asOf);
  return {
    asOf,
    policy,
    due: Object.fromEntries(retentionRecordTypes.map((type) => [type, due[type].length])) as Record<
      RetentionRecordType,
      number
    >,
  };
}
