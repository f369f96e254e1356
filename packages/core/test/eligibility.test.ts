import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ProgrammeConfig, programmeConfig } from "../src/records/programme.ts";
import type { WeaponCategory } from "../src/records/weapon.ts";
import { decideEligibility, type EligibilityInput } from "../src/rules/eligibility.ts";
import { ids, programmePayload } from "./fixtures.ts";

const programme: ProgrammeConfig = programmeConfig.parse(programmePayload());
// eligible categories: rifle, pistol, machine_gun; serviceable required; 100 rounds; cut-off 2025-06-30;
// the group ids.group may have at most 2 eligible people.

const rifle = { category: "rifle" as WeaponCategory, serviceable: true };
const brokenRifle = { category: "rifle" as WeaponCategory, serviceable: false };
const mortar = { category: "mortar" as WeaponCategory, serviceable: true };

function person(overrides: Partial<EligibilityInput> = {}): EligibilityInput {
  return {
    programme,
    kind: "person",
    registeredOn: "2025-03-01",
    alreadyEligible: false,
    groupId: ids.group,
    groupEligibleCount: 0,
    weapons: [rifle],
    ammunition: [],
    ...overrides,
  };
}

describe("decideEligibility", () => {
  it("makes a person eligible for a serviceable weapon of an eligible category", () => {
    expect(decideEligibility(person())).toEqual({ status: "eligible", reasons: ["eligible_weapon"] });
  });

  it("is not applicable to a collective handover, whatever is handed in", () => {
    expect(decideEligibility({ programme, kind: "group", weapons: [], ammunition: [] })).toEqual({
      status: "not_applicable",
      reasons: ["collective_handover"],
    });
    expect(
      decideEligibility({ programme: undefined, kind: "group", weapons: [mortar], ammunition: [] }),
    ).toEqual({ status: "not_applicable", reasons: ["collective_handover"] });
  });

  it("refuses when no programme is configured", () => {
    expect(decideEligibility(person({ programme: undefined }))).toEqual({
      status: "ineligible",
      reasons: ["no_programme_rules"],
    });
  });

  it("keeps a person already found eligible eligible", () => {
    expect(decideEligibility(person({ alreadyEligible: true, weapons: [], groupEligibleCount: 99 }))).toEqual(
      {
        status: "eligible",
        reasons: ["already_eligible"],
      },
    );
  });

  it("refuses a registration after the cut-off date, but not on it", () => {
    expect(decideEligibility(person({ registeredOn: "2025-07-01" }))).toEqual({
      status: "ineligible",
      reasons: ["registered_after_cut_off"],
    });
    expect(decideEligibility(person({ registeredOn: "2025-06-30" })).status).toBe("eligible");
  });

  it("refuses when no item is of an eligible category", () => {
    expect(decideEligibility(person({ weapons: [mortar] }))).toEqual({
      status: "ineligible",
      reasons: ["no_eligible_item"],
    });
    expect(decideEligibility(person({ weapons: [] })).reasons).toEqual(["no_eligible_item"]);
  });

  it("refuses an unserviceable weapon when the programme requires serviceable ones", () => {
    expect(decideEligibility(person({ weapons: [brokenRifle] }))).toEqual({
      status: "ineligible",
      reasons: ["no_eligible_item"],
    });
    const lenient = { ...programme, eligibility: { ...programme.eligibility, requireServiceable: false } };
    expect(decideEligibility(person({ programme: lenient, weapons: [brokenRifle] }))).toEqual({
      status: "eligible",
      reasons: ["eligible_weapon"],
    });
  });

  it("accepts enough rounds instead of a weapon, counting only rounds", () => {
    const rounds = (quantity: number, unit = "rounds") => ({ unit, quantity });
    expect(decideEligibility(person({ weapons: [], ammunition: [rounds(60), rounds(40)] }))).toEqual({
      status: "eligible",
      reasons: ["minimum_rounds_met"],
    });
    expect(decideEligibility(person({ weapons: [], ammunition: [rounds(99)] })).reasons).toEqual([
      "no_eligible_item",
    ]);
    expect(
      decideEligibility(person({ weapons: [], ammunition: [rounds(5000, "grams"), rounds(50)] })).reasons,
    ).toEqual(["no_eligible_item"]);
  });

  it("never counts rounds when the minimum is 0", () => {
    const never = { ...programme, eligibility: { ...programme.eligibility, minimumRounds: 0 } };
    expect(
      decideEligibility(
        person({ programme: never, weapons: [], ammunition: [{ unit: "rounds", quantity: 1 }] }),
      ),
    ).toEqual({ status: "ineligible", reasons: ["no_eligible_item"] });
  });

  it("prefers the weapon as the reason when both a weapon and enough rounds are handed in", () => {
    expect(decideEligibility(person({ ammunition: [{ unit: "rounds", quantity: 500 }] })).reasons).toEqual([
      "eligible_weapon",
    ]);
  });

  it("refuses once the group's cap is reached, not before", () => {
    expect(decideEligibility(person({ groupEligibleCount: 1 })).status).toBe("eligible");
    expect(decideEligibility(person({ groupEligibleCount: 2 }))).toEqual({
      status: "ineligible",
      reasons: ["group_cap_reached"],
    });
  });

  it("applies no cap to a group without one, nor to a person without a group", () => {
    expect(decideEligibility(person({ groupId: ids.otherGroup, groupEligibleCount: 1000 })).status).toBe(
      "eligible",
    );
    expect(decideEligibility(person({ groupId: undefined, groupEligibleCount: 1000 })).status).toBe(
      "eligible",
    );
  });

  it("lists every reason that applies, in order", () => {
    expect(
      decideEligibility(person({ registeredOn: "2025-12-31", weapons: [mortar], groupEligibleCount: 5 })),
    ).toEqual({
      status: "ineligible",
      reasons: ["registered_after_cut_off", "no_eligible_item", "group_cap_reached"],
    });
  });

  it("agrees with a model of the rules (property)", () => {
    const categories = ["rifle", "pistol", "mortar", "drone", "machine_gun"] as const;
    fc.assert(
      fc.property(
        fc.array(fc.record({ category: fc.constantFrom(...categories), serviceable: fc.boolean() }), {
          maxLength: 4,
        }),
        fc.array(
          fc.record({ unit: fc.constantFrom("rounds", "items"), quantity: fc.integer({ min: 1, max: 200 }) }),
          { maxLength: 3 },
        ),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom("2025-01-01", "2025-06-30", "2025-07-01"),
        (weapons, ammunition, count, registeredOn) => {
          const result = decideEligibility(
            person({ weapons, ammunition, groupEligibleCount: count, registeredOn }),
          );
          const hasWeapon = weapons.some(
            (w) => w.category !== "mortar" && w.category !== "drone" && w.serviceable,
          );
          const rounds = ammunition.filter((a) => a.unit === "rounds").reduce((n, a) => n + a.quantity, 0);
          const refusals = [
            ...(registeredOn > "2025-06-30" ? ["registered_after_cut_off"] : []),
            ...(hasWeapon || rounds >= 100 ? [] : ["no_eligible_item"]),
            ...(count >= 2 ? ["group_cap_reached"] : []),
          ];
          expect(result).toEqual(
            refusals.length > 0
              ? { status: "ineligible", reasons: refusals }
              : { status: "eligible", reasons: [hasWeapon ? "eligible_weapon" : "minimum_rounds_met"] },
          );
        },
      ),
    );
  });
});
