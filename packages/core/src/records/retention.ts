import { z } from "zod";

/**
 * Retention (issue 7; IDDRS 4.20 and the UN Personal Data Protection and Privacy Principles):
 * personal data is kept no longer than its purpose needs, per kind of record. Each type names
 * what a period runs from (its anchor: server/src/retention/due.ts) and what goes when it has
 * run (docs/security.md "Retention"). Weapon, custody and disposition records and the ledger are
 * the programme's accountability: they are kept, and are not in this list.
 */
export const retentionRecordTypes = [
  /** A registration never found eligible (no eligibility ever, no open appeal or review): the person's purge. */
  "registration_not_eligible",
  /** A person whose reintegration pathway has ended (none active, no payment in flight): the person's purge. */
  "reintegration_ended",
  /** The screening's answers, indications and notes (the decision and its reason codes stay). */
  "screening_details",
  /** Where a person was paid (payout accounts, the account on each payment line), after the last payment. */
  "payout_details",
  /** The reviewer's words on a duplicate review's decision (ids, weights and outcome stay). */
  "duplicate_decision",
  /** A group roster's entries the roster comparison matches to no registered person, in any version. */
  "roster_unmatched",
  /** Ended sign-in sessions and revoked or expired API tokens (operational, not the programme's record). */
  "ended_session",
] as const;

export type RetentionRecordType = (typeof retentionRecordTypes)[number];

/** The longest period a policy may set: 100 years, as `retentionYears` allows. */
export const MAX_RETENTION_MONTHS = 1200;

/**
 * A period in whole months. At least one: a period of nothing would purge a record the day it is
 * made, which is a purge, not a retention policy (`armsledger purge` does that, with a reason).
 */
export const retentionMonths = z
  .int("a retention period is a whole number of months")
  .min(1, "a retention period is at least 1 month")
  .max(MAX_RETENTION_MONTHS, `a retention period is at most ${MAX_RETENTION_MONTHS} months (100 years)`);

/** Per record type, in months; a type left out takes the default (`retentionPolicyOf`). */
export const retentionPolicy = z.strictObject(
  Object.fromEntries(retentionRecordTypes.map((type) => [type, retentionMonths.optional()])) as {
    [K in RetentionRecordType]: z.ZodOptional<typeof retentionMonths>;
  },
);

export type RetentionPolicyInput = z.infer<typeof retentionPolicy>;
export type RetentionPolicy = Record<RetentionRecordType, number>;

/**
 * Sessions and tokens are not the programme's records: once ended they serve only to look into
 * an incident, so they default to months, not the programme's years.
 */
export const ENDED_SESSION_DEFAULT_MONTHS = 3;

/**
 * The programme's whole policy: each type as set, or else the programme's `retentionYears` (the
 * one number programmes configured before per-type periods existed have), sessions excepted.
 */
export function retentionPolicyOf(programme: {
  retentionYears: number;
  retention?: RetentionPolicyInput | undefined;
}): RetentionPolicy {
  const set = programme.retention ?? {};
  return Object.fromEntries(
    retentionRecordTypes.map((type) => [
      type,
      set[type] ?? (type === "ended_session" ? ENDED_SESSION_DEFAULT_MONTHS : programme.retentionYears * 12),
    ]),
  ) as RetentionPolicy;
}

const perType = z.strictObject(
  Object.fromEntries(retentionRecordTypes.map((type) => [type, z.int().min(0)])) as {
    [K in RetentionRecordType]: z.ZodInt;
  },
);

/**
 * What the policy makes due on a day: the policy in force (months per type) and how many records
 * of each type are due. Counts only: it names no one (GET /api/v1/retention, `armsledger
 * retention report`).
 */
export const retentionReportView = z.strictObject({
  asOf: z.iso.date(),
  policy: perType,
  due: perType,
});
export type RetentionReportView = z.infer<typeof retentionReportView>;
