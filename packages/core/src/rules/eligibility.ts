import type { ProgrammeConfig } from "../records/programme.ts";
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
  | "cache_extraction";

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
  if (input.alreadyEligible) return { status: "eligible", reasons: ["already_eligible"] };

  const reasons: EligibilityReason[] = [];
  if (input.registeredOn && input.registeredOn > rules.cutOffDate) reasons.push("registered_after_cut_off");

  const eligibleWeapon = input.weapons.some(
    (w) => rules.eligibleCategories.includes(w.category) && (!rules.requireServiceable || w.serviceable),
  );
  const rounds = input.ammunition.filter((a) => a.unit === "rounds").reduce((n, a) => n + a.quantity, 0);
  const enoughRounds = rules.minimumRounds > 0 && rounds >= rules.minimumRounds;
  if (!eligibleWeapon && !enoughRounds) reasons.push("no_eligible_item");

  const cap = input.groupId ? input.programme?.caps.find((c) => c.groupId === input.groupId) : undefined;
  if (cap && (input.groupEligibleCount ?? 0) >= cap.maxParticipants) reasons.push("group_cap_reached");

  if (reasons.length > 0) return { status: "ineligible", reasons };
  return { status: "eligible", reasons: [eligibleWeapon ? "eligible_weapon" : "minimum_rounds_met"] };
}
