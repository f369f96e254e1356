import type { DuplicateReviewCase } from "../commands/command.ts";
import { Problem } from "../problems.ts";
import type { DuplicateReviewState } from "./person-standing.ts";

/**
 * A receipt is not issued to a registration held for duplicate review, nor to one merged into
 * another (its handovers are recorded for the earlier registration). Unlike cards and payments
 * (assertGoodStanding), a handover does not need the person to be eligible already: it is what
 * makes them eligible, so only the duplicate hold is asked here.
 *
 * A handover made before the server knew of the doubt — recorded offline at a site, before the
 * registration synced and the check held it — is not refused: it happened, its weapons are in
 * custody, and refusing it would lose them from the record. Such a handover is recorded; its
 * receipt is still held by the receipt route while the review is pending.
 */
export function assertNoDuplicateHold(
  person: { duplicateReview: DuplicateReviewState },
  review: DuplicateReviewCase | undefined,
  at: string,
  what: string,
  path: string,
): void {
  if (person.duplicateReview !== "pending" && person.duplicateReview !== "merged") return;
  if (review && Date.parse(at) < Date.parse(review.openedAt)) return;
  if (person.duplicateReview === "pending")
    throw new Problem(
      "rule.violated",
      `${what} cannot be recorded: the registration awaits duplicate review (a likely match with another registration). Ask a reviewer to merge or dismiss it first.`,
      [{ path, message: "duplicate_review_pending" }],
    );
  throw new Problem(
    "rule.violated",
    `${what} cannot be recorded: this registration was merged into ${review?.mergedInto ?? "an earlier registration"} as a duplicate; record it for that person.`,
    [{ path, message: "merged_duplicate" }],
  );
}
