import { type ProgrammeConfig, screeningRulesOf } from "../records/programme.ts";
import type { WeaponCategory } from "../records/weapon.ts";

export type EligibilityReason =
  | "eligible_weapon"
  | "minimum_rounds_met"
  | "already_eligible"
  | "no_programme_rules"
  | "registered_after_cut_off"
  | "no_eligible_item"
  | "group_cap_reached"
  | "collective_handover"
  | "cache_extraction"
  // Screening (rules/screening.ts) bears on a handover's decision.
  | "eligibility_revoked"
  | "exclusion_indicated"
  | "not_screened"
  | "membership_not_verified";

export interface Eligibility {
  status: "eligible" | "ineligible" | "not_applicable";
  reasons: EligibilityReason[];
}

export interface EligibilityInput {
  programme: ProgrammeConfig | undefined;
  kind: "person" | "group";
  /** The person's registration date (YYYY-MM-DD). */
  registeredOn?: string;
  alreadyEligible?: boolean;
  /** Eligibility was revoked: only an appeal restores it, not another handover. */
  revoked?: boolean;
  /** The person's latest screening, when one was recorded. */
  screening?: { membershipVerified: boolean; excluded: boolean } | undefined;
  groupId?: string | undefined;
  /** Eligible people the group already has, not counting this person. */
  groupEligibleCount?: number;
  weapons: { category: WeaponCategory; serviceable: boolean }[];
  ammunition: { unit: string; quantity: number }[];
}

/**
 * Decides whether a handover makes its person eligible (IDDRS 4.10). Ineligible people still get
 * a receipt, so they can appeal; the reasons are recorded with the decision.
 */
export function decideEligibility(input: EligibilityInput): Eligibility {
  if (input.kind === "group") return { status: "not_applicable", reasons: ["collective_handover"] };
  const rules = input.programme?.eligibility;
  if (!rules) return { status: "ineligible", reasons: ["no_programme_rules"] };
  // Neither a revocation nor an exclusion indication is undone by handing in a weapon.
  if (input.revoked) return { status: "ineligible", reasons: ["eligibility_revoked"] };
  if (input.screening?.excluded) return { status: "ineligible", reasons: ["exclusion_indicated"] };
  if (input.alreadyEligible) return { status: "eligible", reasons: ["already_eligible"] };

  const reasons: EligibilityReason[] = [];
  if (input.registeredOn && input.registeredOn > rules.cutOffDate) reasons.push("registered_after_cut_off");
  // A recorded screening that did not verify membership counts whether or not screening is required.
  if (input.screening && !input.screening.membershipVerified) reasons.push("membership_not_verified");
  else if (!input.screening && input.programme && screeningRulesOf(input.programme).required)
    reasons.push("not_screened");

  const { eligibleWeapon, enoughRounds } = meetsItemCriteria(rules, input.weapons, input.ammunition);
  if (!eligibleWeapon && !enoughRounds) reasons.push("no_eligible_item");

  const cap = input.groupId ? input.programme?.caps.find((c) => c.groupId === input.groupId) : undefined;
  if (cap && (input.groupEligibleCount ?? 0) >= cap.maxParticipants) reasons.push("group_cap_reached");

  if (reasons.length > 0) return { status: "ineligible", reasons };
  return { status: "eligible", reasons: [eligibleWeapon ? "eligible_weapon" : "minimum_rounds_met"] };
}

/** The handover criteria (IDDRS 4.10): an eligible weapon, or at least the minimum rounds. */
export function meetsItemCriteria(
  rules: ProgrammeConfig["eligibility"],
  weapons: { category: WeaponCategory; serviceable: boolean }[],
  ammunition: { unit: string; quantity: number }[],
): { eligibleWeapon: boolean; enoughRounds: boolean } {
  const eligibleWeapon = weapons.some(
    (w) => rules.eligibleCategories.includes(w.category) && (!rules.requireServiceable || w.serviceable),
  );
  const rounds = ammunition.filter((a) => a.unit === "rounds").reduce((n, a) => n + a.quantity, 0);
  return { eligibleWeapon, enoughRounds: rules.minimumRounds > 0 && rounds >= rules.minimumRounds };
}
