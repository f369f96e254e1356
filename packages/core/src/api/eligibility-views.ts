import { z } from "zod";

// What the eligibility endpoints answer (screening, appeals, revocation). One contract for the
// server, the CLI and the browser.

/** GET /api/v1/persons/:id/eligibility: where a person stands and every decision that led there. */
export const eligibilityHistoryView = z.object({
  personId: z.string(),
  kind: z.string(),
  listedByGroup: z.boolean(),
  eligible: z.boolean(),
  eligibilityRevoked: z.boolean(),
  deceasedOn: z.string().nullable(),
  handovers: z.array(
    z.object({
      handoverId: z.string(),
      receiptNumber: z.string(),
      handedAt: z.string(),
      status: z.string(),
      reasons: z.array(z.string()),
      leafIndex: z.number(),
    }),
  ),
  screenings: z.array(
    z.object({
      screeningId: z.string(),
      screenedAt: z.string(),
      status: z.string(),
      reasons: z.array(z.string()),
      verifiedCount: z.number(),
      membershipVerified: z.boolean(),
      excluded: z.boolean(),
      answers: z.array(z.record(z.string(), z.unknown())),
      indications: z.array(z.string()),
      notes: z.string().nullable(),
      recordedBy: z.string(),
      leafIndex: z.number(),
    }),
  ),
  appeals: z.array(
    z.object({
      appealId: z.string(),
      against: z.string(),
      lodgedAt: z.string(),
      lodgedBy: z.record(z.string(), z.unknown()),
      grounds: z.string(),
      evidence: z.array(z.string()),
      status: z.string(),
      decidedAt: z.string().nullable(),
      decisionReason: z.string().nullable(),
      decidedBy: z.string().nullable(),
      leafIndex: z.number(),
    }),
  ),
  revocations: z.array(
    z.object({ revokedAt: z.string(), reason: z.string(), revokedBy: z.string(), leafIndex: z.number() }),
  ),
});
export type EligibilityHistory = z.infer<typeof eligibilityHistoryView>;

const eligibilityCounts = {
  registered: z.number(),
  screened: z.number(),
  /** Eligible now: found eligible and not revoked. */
  eligible: z.number(),
  /** Screened and not eligible now. */
  ineligible: z.number(),
  /** The reasons of the latest screening of those found ineligible (a person may have several). */
  ineligibleByReason: z.record(z.string(), z.number()),
  appeals: z.object({ lodged: z.number(), pending: z.number(), upheld: z.number(), overturned: z.number() }),
  revoked: z.number(),
  deceased: z.number(),
};

/** GET /api/v1/reports/eligibility: counts only, by group, governorate, sex and age group. */
export const eligibilityReportView = z.object({
  rows: z.array(
    z.object({
      groupId: z.string().nullable(),
      groupCode: z.string().nullable(),
      governorate: z.string(),
      sex: z.string(),
      ageGroup: z.string(),
      ...eligibilityCounts,
    }),
  ),
  totals: z.object(eligibilityCounts),
});
export type EligibilityReport = z.infer<typeof eligibilityReportView>;
