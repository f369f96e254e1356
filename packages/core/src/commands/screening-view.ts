import type { WeaponCategory } from "../records/weapon.ts";

/** The latest screening of a person, as later handovers and appeals need it. */
export interface ScreeningRecord {
  screeningId: string;
  status: "eligible" | "ineligible";
  membershipVerified: boolean;
  excluded: boolean;
}

export interface AppealRecord {
  id: string;
  personId: string;
  status: "lodged" | "upheld" | "overturned";
  /** UTC ISO-8601. */
  lodgedAt: string;
}

/** What the screening and eligibility rules read of the record, beyond `RecordView`. */
export interface ScreeningView {
  findLatestScreening(personId: string): Promise<ScreeningRecord | undefined>;
  /** Facts of the registration the screening rules read (the birth, for a death's date). */
  findPersonFacts(
    personId: string,
  ): Promise<
    { listedByGroup: boolean; birthDate?: string | undefined; birthYear?: number | undefined } | undefined
  >;
  /** Everything the person has handed in, over all their handovers. */
  personItems(personId: string): Promise<{
    weapons: { category: WeaponCategory; serviceable: boolean }[];
    ammunition: { unit: string; quantity: number }[];
  }>;
  findAppeal(appealId: string): Promise<AppealRecord | undefined>;
  /** The person's appeal awaiting a decision, if any. */
  findOpenAppeal(personId: string): Promise<AppealRecord | undefined>;
}
