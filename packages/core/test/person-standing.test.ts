import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isProblem } from "../src/problems.ts";
import {
  assertGoodStanding,
  duplicateReviewStates,
  type PersonStanding,
  standingBlockers,
} from "../src/rules/person-standing.ts";

const good: PersonStanding = {
  eligible: true,
  eligibilityRevoked: false,
  deceased: false,
  duplicateReview: "none",
};

describe("person standing", () => {
  it.each([
    [{}, []],
    [{ duplicateReview: "dismissed" }, []],
    [{ eligible: false }, ["not_eligible"]],
    [{ eligibilityRevoked: true }, ["eligibility_revoked"]],
    // A revoked person was eligible once: the revocation is the reason, not "never eligible".
    [{ eligible: false, eligibilityRevoked: true }, ["eligibility_revoked"]],
    [{ deceased: true }, ["deceased"]],
    [{ duplicateReview: "pending" }, ["duplicate_review_pending"]],
    [{ duplicateReview: "merged" }, ["merged_duplicate"]],
    [
      { deceased: true, duplicateReview: "pending", eligible: false },
      ["deceased", "duplicate_review_pending", "not_eligible"],
    ],
  ] as [Partial<PersonStanding>, string[]][])("%j blocks with %j", (change, blockers) => {
    expect(standingBlockers({ ...good, ...change })).toEqual(blockers);
  });

  it("refuses with every reason, each as a field", () => {
    let caught: unknown;
    try {
      assertGoodStanding(
        { ...good, deceased: true, duplicateReview: "pending" },
        "a payment",
        "payload.personId",
      );
    } catch (e) {
      caught = e;
    }
    expect(isProblem(caught) && caught.code).toBe("rule.violated");
    expect((caught as Error).message).toMatch(/^A payment cannot be recorded: .*deceased.*duplicate review/);
    expect(isProblem(caught) && caught.fields.map((f) => f.message)).toEqual([
      "deceased",
      "duplicate_review_pending",
    ]);
  });

  it("passes exactly the people with no blocker", () => {
    const standing = fc.record({
      eligible: fc.boolean(),
      eligibilityRevoked: fc.boolean(),
      deceased: fc.boolean(),
      duplicateReview: fc.constantFrom(...duplicateReviewStates),
    });
    fc.assert(
      fc.property(standing, (s) => {
        const ok =
          s.eligible &&
          !s.eligibilityRevoked &&
          !s.deceased &&
          ["none", "dismissed"].includes(s.duplicateReview);
        let threw = false;
        try {
          assertGoodStanding(s, "a card", "payload.personId");
        } catch {
          threw = true;
        }
        expect(threw).toBe(!ok);
        expect(standingBlockers(s).length === 0).toBe(ok);
      }),
    );
  });
});
