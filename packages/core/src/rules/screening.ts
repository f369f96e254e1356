import { type ProgrammeConfig, type ScreeningQuestion, screeningRulesOf } from "../records/programme.ts";
import type { WeaponCategory } from "../records/weapon.ts";
import { meetsItemCriteria } from "./eligibility.ts";

export type ScreeningReason =
  // Why a person is eligible (all that apply).
  | "membership_verified"
  | "eligible_weapon"
  | "minimum_rounds_met"
  | "associated_member_unarmed"
  // Why a person is not (all that apply, in this order).
  | "exclusion_indicated"
  | "registered_after_cut_off"
  | "membership_not_verified"
  | "no_eligible_item"
  | "group_cap_reached";

export const screeningReasons: readonly ScreeningReason[] = [
  "membership_verified",
  "eligible_weapon",
  "minimum_rounds_met",
  "associated_member_unarmed",
  "exclusion_indicated",
  "registered_after_cut_off",
  "membership_not_verified",
  "no_eligible_item",
  "group_cap_reached",
];

/** One answer to a verification question, as recorded by the screening officer. */
export interface ScreeningAnswer {
  questionId: string;
  /** What the person answered (for questions with an expected answer). */
  answer?: boolean | string | undefined;
  /** The officer's judgement (for questions left to it). */
  judgement?: "verified" | "not_verified" | undefined;
}

export interface ScreeningInput {
  programme: ProgrammeConfig;
  kind: "combatant" | "associated_member";
  /** The person's registration date (YYYY-MM-DD). */
  registeredOn: string;
  /**
   * Whether the group's list named the person. Recorded for the file, deliberately not a ground:
   * commanders pad lists (DOMAIN.md, failure 1), so a name on a list verifies nothing.
   */
  listedByGroup: boolean;
  answers: ScreeningAnswer[];
  /** Indication codes found at screening (each one of the programme's exclusion indications). */
  indications: string[];
  groupId?: string | undefined;
  /** Eligible, unrevoked people the group already has, not counting this person. */
  groupEligibleCount: number;
  /** Everything the person has handed in so far, over all their handovers. */
  weapons: { category: WeaponCategory; serviceable: boolean }[];
  ammunition: { unit: string; quantity: number }[];
}

export interface ScreeningDecision {
  status: "eligible" | "ineligible";
  reasons: ScreeningReason[];
  /** How many of the programme's questions the answers verified. */
  verifiedCount: number;
  membershipVerified: boolean;
  excluded: boolean;
}

const fold = (s: string) => s.normalize("NFC").trim().replace(/\s+/gu, " ").toLocaleLowerCase("en");

/** Whether one answer verifies its question. */
export function answerVerifies(question: ScreeningQuestion, answer: ScreeningAnswer | undefined): boolean {
  if (!answer) return false;
  if (question.verifiedBy.kind === "officer_judgement") return answer.judgement === "verified";
  const expected = question.verifiedBy.answer;
  if (typeof expected === "boolean") return answer.answer === expected;
  return typeof answer.answer === "string" && fold(answer.answer) === fold(expected);
}

/**
 * Decides a screening (IDDRS 4.20): membership verified by the programme's questions, no exclusion
 * indication, registered by the cut-off, within the group's cap, and the handover criteria met —
 * a weapon or enough rounds, or, for an unarmed associated member, nothing at all when the
 * programme allows it. An exclusion indication makes the person ineligible whatever else holds;
 * it stands until an appeal is decided.
 */
export function decideScreening(input: ScreeningInput): ScreeningDecision {
  const rules = screeningRulesOf(input.programme);
  const eligibility = input.programme.eligibility;
  const verifiedCount = rules.questions.filter((q) =>
    answerVerifies(
      q,
      input.answers.find((a) => a.questionId === q.id),
    ),
  ).length;
  const membershipVerified = verifiedCount >= rules.minimumVerified;
  const excluded = input.indications.some((i) => rules.exclusionIndications.includes(i));
  const items = meetsItemCriteria(eligibility, input.weapons, input.ammunition);
  const unarmedAllowed = input.kind === "associated_member" && rules.associatedMembersWithoutWeapon;

  const refusals: ScreeningReason[] = [];
  if (excluded) refusals.push("exclusion_indicated");
  if (input.registeredOn > eligibility.cutOffDate) refusals.push("registered_after_cut_off");
  if (!membershipVerified) refusals.push("membership_not_verified");
  if (!items.eligibleWeapon && !items.enoughRounds && !unarmedAllowed) refusals.push("no_eligible_item");
  const cap = input.groupId ? input.programme.caps.find((c) => c.groupId === input.groupId) : undefined;
  if (cap && input.groupEligibleCount >= cap.maxParticipants) refusals.push("group_cap_reached");

  const facts = { verifiedCount, membershipVerified, excluded };
  if (refusals.length > 0) return { status: "ineligible", reasons: refusals, ...facts };
  const ground: ScreeningReason = items.eligibleWeapon
    ? "eligible_weapon"
    : items.enoughRounds
      ? "minimum_rounds_met"
      : "associated_member_unarmed";
  return { status: "eligible", reasons: ["membership_verified", ground], ...facts };
}
