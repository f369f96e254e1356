import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configureProgramme } from "../src/commands/programme-configure.ts";
import { programmeConfig } from "../src/records/programme.ts";
import {
  ENDED_SESSION_DEFAULT_MONTHS,
  MAX_RETENTION_MONTHS,
  retentionPolicyOf,
  retentionRecordTypes,
} from "../src/records/retention.ts";
import { programmePayload } from "./fixtures.ts";

/** The paths the programme's contract refuses a payload at (empty when it accepts it). */
function refusedAt(raw: unknown): string[] {
  const result = programmeConfig.safeParse(raw);
  return result.success ? [] : result.error.issues.map((i) => i.path.join("."));
}

const type = fc.constantFrom(...retentionRecordTypes);

describe("the retention policy in the programme's configuration", () => {
  it("keeps an old configuration (retentionYears only) valid: every type but sessions takes it", () => {
    const old = programmeConfig.parse(programmePayload());
    expect(old.retention).toBeUndefined();
    expect(retentionPolicyOf(old)).toEqual({
      registration_not_eligible: 120,
      reintegration_ended: 120,
      screening_details: 120,
      payout_details: 120,
      duplicate_decision: 120,
      roster_unmatched: 120,
      ended_session: ENDED_SESSION_DEFAULT_MONTHS,
    });
    // The command the one write path runs passes it through as given.
    expect(configureProgramme.payload.parse(programmePayload())).not.toHaveProperty("retention");
  });

  it("takes each type's own period where set, the default elsewhere", () => {
    const config = programmeConfig.parse({
      ...programmePayload(),
      retention: { screening_details: 24, ended_session: 1 },
    });
    expect(retentionPolicyOf(config)).toMatchObject({
      screening_details: 24,
      ended_session: 1,
      payout_details: 120,
    });
  });

  it("accepts any whole number of months from 1 to 1200 for any type", () => {
    fc.assert(
      fc.property(type, fc.integer({ min: 1, max: MAX_RETENTION_MONTHS }), (t, months) => {
        expect(refusedAt({ ...programmePayload(), retention: { [t]: months } })).toEqual([]);
      }),
    );
  });

  it("refuses a negative, zero, absurd, fractional or non-numeric period, naming the type", () => {
    const bad = fc.oneof(
      fc.integer({ max: 0 }),
      fc.integer({ min: MAX_RETENTION_MONTHS + 1 }),
      fc.double({ noInteger: true }),
      fc.constant(Number.POSITIVE_INFINITY),
      fc.constant(Number.NaN),
      fc.string(),
      fc.constant(null),
      fc.boolean(),
    );
    fc.assert(
      fc.property(type, bad, (t, months) => {
        expect(refusedAt({ ...programmePayload(), retention: { [t]: months } })).toEqual([`retention.${t}`]);
      }),
    );
  });

  it("says what is wrong in words", () => {
    const messages = (months: unknown) =>
      programmeConfig
        .safeParse({ ...programmePayload(), retention: { payout_details: months } })
        .error?.issues.map((i) => i.message);
    expect(messages(-3)).toEqual(["a retention period is at least 1 month"]);
    expect(messages(5000)).toEqual(["a retention period is at most 1200 months (100 years)"]);
    expect(messages(1.5)).toEqual(["a retention period is a whole number of months"]);
  });

  it("refuses a record type it does not know (weapons and the ledger are never purged)", () => {
    expect(refusedAt({ ...programmePayload(), retention: { weapons: 12 } })).toEqual(["retention"]);
    expect(refusedAt({ ...programmePayload(), retention: { ledger: 12 } })).toEqual(["retention"]);
  });
});
