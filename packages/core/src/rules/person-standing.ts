import { Problem } from "../problems.ts";

/**
 * Where a person stands in the programme, as far as benefits go. Past programmes paid ghosts,
 * the dead and the same fighter twice (DOMAIN.md, failures 1 and 2): cards, payments and
 * pathway placements all ask this one question before they are recorded.
 */
export interface PersonStanding {
  /** Found eligible (by a handover or a screening decision). */
  eligible: boolean;
  /** Eligibility was withdrawn later, with a reason. */
  eligibilityRevoked: boolean;
  /** Recorded as deceased. */
  deceased: boolean;
  /**
   * Duplicate review of the registration: `pending` while a likely match with another
   * registration awaits a decision; `merged` when it was found to be another person's second
   * registration (the other record is the one that counts).
   */
  duplicateReview: DuplicateReviewState;
}

export const duplicateReviewStates = ["none", "pending", "dismissed", "merged"] as const;
export type DuplicateReviewState = (typeof duplicateReviewStates)[number];

export type StandingBlocker =
  | "not_eligible"
  | "eligibility_revoked"
  | "deceased"
  | "duplicate_review_pending"
  | "merged_duplicate";

const explanations: Record<StandingBlocker, string> = {
  not_eligible: "the person has not been found eligible",
  eligibility_revoked: "the person's eligibility was revoked",
  deceased: "the person is recorded as deceased",
  duplicate_review_pending:
    "the registration awaits duplicate review (a likely match with another registration)",
  merged_duplicate: "the registration was found to be a duplicate of another person's and merged",
};

/** Every reason the person may not receive a benefit now, most serious first; empty when none. */
export function standingBlockers(standing: PersonStanding): StandingBlocker[] {
  const blockers: StandingBlocker[] = [];
  if (standing.deceased) blockers.push("deceased");
  if (standing.duplicateReview === "merged") blockers.push("merged_duplicate");
  if (standing.duplicateReview === "pending") blockers.push("duplicate_review_pending");
  if (standing.eligibilityRevoked) blockers.push("eligibility_revoked");
  else if (!standing.eligible) blockers.push("not_eligible");
  return blockers;
}

/**
 * Refuses a benefit (`what`: "a payment", "a demobilisation card", …) to a person who is not in
 * good standing, naming every reason so the officer can act on all of them at once.
 */
export function assertGoodStanding(standing: PersonStanding, what: string, path: string): void {
  const blockers = standingBlockers(standing);
  if (blockers.length === 0) return;
  throw new Problem(
    "rule.violated",
    `${what[0]?.toUpperCase()}${what.slice(1)} cannot be recorded: ${blockers.map((b) => explanations[b]).join("; ")}.`,
    blockers.map((b) => ({ path, message: b })),
  );
}
