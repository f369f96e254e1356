import { describe, expect, it } from "vitest";
import { programmeConfig, type ScreeningQuestion, screeningRulesOf } from "../src/records/programme.ts";
import type { WeaponCategory } from "../src/records/weapon.ts";
import { decideEligibility } from "../src/rules/eligibility.ts";
import {
  answerVerifies,
  decideScreening,
  type ScreeningInput,
  type ScreeningReason,
  screeningReasons,
} from "../src/rules/screening.ts";
import { ids, programmePayload, screeningProgrammePayload } from "./fixtures.ts";

// The programme of the fixtures: rifles, pistols and machine guns (serviceable), or 100 rounds;
// cut-off 2025-06-30; ids.group capped at 2. Its screening: "commander_name" verified by the
// answer "Abu Saif", "knows_camp" by the officer's judgement, one of the two must be verified;
// grave_crime and child_recruitment exclude; unarmed associated members may be eligible.
const programme = programmeConfig.parse(screeningProgrammePayload());
const strict = programmeConfig.parse(screeningProgrammePayload({ associatedMembersWithoutWeapon: false }));

const rifle = { category: "rifle" as WeaponCategory, serviceable: true };
const brokenRifle = { category: "rifle" as WeaponCategory, serviceable: false };
const mortar = { category: "mortar" as WeaponCategory, serviceable: true };
const verified = [{ questionId: "commander_name", answer: "Abu Saif" }];

function input(overrides: Partial<ScreeningInput> = {}): ScreeningInput {
  return {
    programme,
    kind: "combatant",
    registeredOn: "2025-03-01",
    listedByGroup: false,
    answers: verified,
    indications: [],
    groupId: ids.group,
    groupEligibleCount: 0,
    weapons: [rifle],
    ammunition: [],
    ...overrides,
  };
}

const rounds = (quantity: number) => [{ unit: "rounds", quantity }];

/** Every rule, each row naming the reasons it must give. */
const table: [string, Partial<ScreeningInput>, "eligible" | "ineligible", ScreeningReason[]][] = [
  ["verified combatant with a serviceable rifle", {}, "eligible", ["membership_verified", "eligible_weapon"]],
  [
    "verified combatant with enough rounds and no weapon",
    { weapons: [], ammunition: rounds(100) },
    "eligible",
    ["membership_verified", "minimum_rounds_met"],
  ],
  [
    "verified unarmed associated member, programme allows",
    { kind: "associated_member", weapons: [] },
    "eligible",
    ["membership_verified", "associated_member_unarmed"],
  ],
  [
    "associated member who handed in a rifle: the weapon is the ground",
    { kind: "associated_member" },
    "eligible",
    ["membership_verified", "eligible_weapon"],
  ],
  [
    "unarmed associated member, programme does not allow",
    { kind: "associated_member", weapons: [], programme: strict },
    "ineligible",
    ["no_eligible_item"],
  ],
  ["unarmed combatant", { weapons: [] }, "ineligible", ["no_eligible_item"]],
  ["combatant with a broken rifle", { weapons: [brokenRifle] }, "ineligible", ["no_eligible_item"]],
  ["combatant with a mortar only", { weapons: [mortar] }, "ineligible", ["no_eligible_item"]],
  ["combatant with 99 rounds", { weapons: [], ammunition: rounds(99) }, "ineligible", ["no_eligible_item"]],
  [
    "wrong answer",
    { answers: [{ questionId: "commander_name", answer: "Abu Ali" }] },
    "ineligible",
    ["membership_not_verified"],
  ],
  ["no answer at all", { answers: [] }, "ineligible", ["membership_not_verified"]],
  [
    "named on the group's list, nothing verified",
    { listedByGroup: true, answers: [] },
    "ineligible",
    ["membership_not_verified"],
  ],
  [
    "officer's judgement verifies",
    { answers: [{ questionId: "knows_camp", judgement: "verified" }] },
    "eligible",
    ["membership_verified", "eligible_weapon"],
  ],
  [
    "officer's judgement does not verify",
    { answers: [{ questionId: "knows_camp", judgement: "not_verified" }] },
    "ineligible",
    ["membership_not_verified"],
  ],
  ["grave crime indicated", { indications: ["grave_crime"] }, "ineligible", ["exclusion_indicated"]],
  [
    "unarmed associated member with an exclusion indication",
    { kind: "associated_member", weapons: [], indications: ["child_recruitment"] },
    "ineligible",
    ["exclusion_indicated"],
  ],
  [
    "registered after the cut-off",
    { registeredOn: "2025-07-01" },
    "ineligible",
    ["registered_after_cut_off"],
  ],
  [
    "registered on the cut-off",
    { registeredOn: "2025-06-30" },
    "eligible",
    ["membership_verified", "eligible_weapon"],
  ],
  ["group cap reached", { groupEligibleCount: 2 }, "ineligible", ["group_cap_reached"]],
  [
    "one place left under the cap",
    { groupEligibleCount: 1 },
    "eligible",
    ["membership_verified", "eligible_weapon"],
  ],
  [
    "no cap without a group",
    { groupId: undefined, groupEligibleCount: 99 },
    "eligible",
    ["membership_verified", "eligible_weapon"],
  ],
  [
    "everything wrong at once, in order",
    {
      indications: ["grave_crime"],
      registeredOn: "2025-12-01",
      answers: [],
      weapons: [mortar],
      groupEligibleCount: 5,
    },
    "ineligible",
    [
      "exclusion_indicated",
      "registered_after_cut_off",
      "membership_not_verified",
      "no_eligible_item",
      "group_cap_reached",
    ],
  ],
];

describe("decideScreening (rule table)", () => {
  it.each(table)("%s", (_name, overrides, status, reasons) => {
    const decision = decideScreening(input(overrides));
    expect(decision.status).toBe(status);
    expect(decision.reasons).toEqual(reasons);
  });

  it("covers every reason code in the table", () => {
    const seen = new Set(table.flatMap(([, , , reasons]) => reasons));
    expect([...seen].sort()).toEqual([...screeningReasons].sort());
  });

  it("never counts the group's list: the decision is the same whether or not it named the person", () => {
    for (const [, overrides] of table)
      expect(decideScreening(input({ ...overrides, listedByGroup: true }))).toEqual(
        decideScreening(input({ ...overrides, listedByGroup: false })),
      );
  });

  it("reports how many questions were verified, and whether an exclusion was found", () => {
    expect(
      decideScreening(
        input({
          answers: [
            { questionId: "commander_name", answer: "  abu   SAIF " },
            { questionId: "knows_camp", judgement: "verified" },
          ],
          indications: ["grave_crime"],
        }),
      ),
    ).toMatchObject({ verifiedCount: 2, membershipVerified: true, excluded: true });
  });

  it("asks nothing of membership when the programme sets no questions (programmes configured before screening)", () => {
    const legacy = programmeConfig.parse(programmePayload());
    expect(screeningRulesOf(legacy)).toMatchObject({ required: false, minimumVerified: 0, questions: [] });
    expect(decideScreening(input({ programme: legacy, answers: [] }))).toMatchObject({
      status: "eligible",
      reasons: ["membership_verified", "eligible_weapon"],
    });
    // Unarmed associated members are not eligible by default.
    expect(
      decideScreening(input({ programme: legacy, answers: [], kind: "associated_member", weapons: [] }))
        .reasons,
    ).toEqual(["no_eligible_item"]);
  });
});

describe("answerVerifies", () => {
  const [byAnswer, byJudgement] = screeningRulesOf(programme).questions as [
    ScreeningQuestion,
    ScreeningQuestion,
  ];
  it.each([
    [byAnswer, { questionId: "commander_name", answer: "Abu Saif" }, true],
    [byAnswer, { questionId: "commander_name", answer: "ABU saif" }, true],
    [byAnswer, { questionId: "commander_name", answer: "Abu Saifi" }, false],
    [byAnswer, { questionId: "commander_name", answer: true }, false],
    [byAnswer, { questionId: "commander_name", judgement: "verified" as const }, false],
    [byJudgement, { questionId: "knows_camp", judgement: "verified" as const }, true],
    [byJudgement, { questionId: "knows_camp", judgement: "not_verified" as const }, false],
    [byJudgement, { questionId: "knows_camp", answer: "yes" }, false],
    [byAnswer, undefined, false],
  ])("%#", (question, answer, expected) => {
    expect(answerVerifies(question, answer)).toBe(expected);
  });

  it("compares a yes/no answer exactly", () => {
    const yesNo = programmeConfig.parse(
      screeningProgrammePayload({
        questions: [
          {
            id: "carried_arms",
            text: { ar: "هل حملت السلاح؟", en: "Did you bear arms?" },
            verifiedBy: { kind: "answer", answer: true },
          },
        ],
      }),
    );
    const [q] = screeningRulesOf(yesNo).questions;
    expect(answerVerifies(q!, { questionId: "carried_arms", answer: true })).toBe(true);
    expect(answerVerifies(q!, { questionId: "carried_arms", answer: false })).toBe(false);
    expect(answerVerifies(q!, { questionId: "carried_arms", answer: "true" })).toBe(false);
  });
});

describe("the programme's screening section", () => {
  it("refuses a minimum above the number of questions, repeated ids and repeated indications", () => {
    const paths = (screening: Record<string, unknown>) => {
      const r = programmeConfig.safeParse(screeningProgrammePayload(screening));
      return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
    };
    expect(paths({ minimumVerified: 3 })).toEqual(["screening.minimumVerified"]);
    const q = screeningProgrammePayload().screening.questions[0]!;
    expect(paths({ questions: [q, q], minimumVerified: 1 })).toEqual(["screening.questions"]);
    expect(paths({ exclusionIndications: ["grave_crime", "grave_crime"] })).toEqual([
      "screening.exclusionIndications",
    ]);
    expect(paths({ exclusionIndications: ["Grave Crime"] })).toEqual(["screening.exclusionIndications.0"]);
  });

  it("fills in the defaults for what a partial section leaves out", () => {
    const partial = programmeConfig.parse({ ...programmePayload(), screening: { required: true } });
    expect(partial.screening).toEqual({
      required: true,
      questions: [],
      minimumVerified: 0,
      exclusionIndications: [],
      associatedMembersWithoutWeapon: false,
    });
  });
});

describe("decideEligibility with screening (the handover's decision)", () => {
  const handover = (overrides: Partial<Parameters<typeof decideEligibility>[0]> = {}) =>
    decideEligibility({
      programme,
      kind: "person",
      registeredOn: "2025-03-01",
      groupId: ids.group,
      groupEligibleCount: 0,
      weapons: [rifle],
      ammunition: [],
      ...overrides,
    });

  it.each([
    [
      "screened and verified: the rifle makes them eligible",
      { screening: { membershipVerified: true, excluded: false } },
      "eligible",
      ["eligible_weapon"],
    ],
    ["not screened where screening is required", {}, "ineligible", ["not_screened"]],
    [
      "screened, membership not verified",
      { screening: { membershipVerified: false, excluded: false } },
      "ineligible",
      ["membership_not_verified"],
    ],
    [
      "an exclusion indication, whatever is handed in",
      { screening: { membershipVerified: true, excluded: true }, alreadyEligible: true },
      "ineligible",
      ["exclusion_indicated"],
    ],
    [
      "revoked: a new handover does not restore",
      { revoked: true, alreadyEligible: true, screening: { membershipVerified: true, excluded: false } },
      "ineligible",
      ["eligibility_revoked"],
    ],
    [
      "verified but the weapon is a mortar",
      { screening: { membershipVerified: true, excluded: false }, weapons: [mortar] },
      "ineligible",
      ["no_eligible_item"],
    ],
  ] as const)("%s", (_name, overrides, status, reasons) => {
    const decision = handover(overrides as Partial<Parameters<typeof decideEligibility>[0]>);
    expect(decision).toEqual({ status, reasons });
  });

  it("keeps the old rule for a programme that does not require screening", () => {
    const legacy = programmeConfig.parse(programmePayload());
    expect(handover({ programme: legacy })).toEqual({ status: "eligible", reasons: ["eligible_weapon"] });
    // A recorded screening that did not verify still counts.
    expect(
      handover({ programme: legacy, screening: { membershipVerified: false, excluded: false } }).reasons,
    ).toEqual(["membership_not_verified"]);
  });
});
