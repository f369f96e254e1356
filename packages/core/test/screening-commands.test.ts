import { describe, expect, it } from "vitest";
import { findCommandDefinition } from "../src/commands/registry.ts";
import { splitPersonal } from "../src/events.ts";
import { Problem, type ProblemCode } from "../src/problems.ts";
import { programmeConfig } from "../src/records/programme.ts";
import {
  appealDecisionPayload,
  appealPayload,
  deathPayload,
  handoverPayload,
  ids,
  revocationPayload,
  screeningPayload,
  screeningProgrammePayload,
  seededView,
} from "./fixtures.ts";
import { type MemoryView, makeActor, makeEnv, testUuid } from "./memory-view.ts";

let seq = 100;

/** Decides a command as the write path would (payload parsed first) and folds its event into the view. */
async function run(type: string, raw: unknown, view: MemoryView, now = "2025-03-01T10:00:00Z") {
  const def = findCommandDefinition(type)!;
  const event = await def.decide(def.payload.parse(raw), view, makeEnv({ seq, now, firstId: seq * 16 }));
  view.apply(seq++, event);
  return event;
}

async function refused(
  type: string,
  raw: unknown,
  view: MemoryView,
  code: ProblemCode,
  path?: string,
  message?: RegExp,
) {
  const before = structuredClone([...view.persons.values()]);
  const appealsBefore = structuredClone([...view.appeals.values()]);
  let problem: Problem | undefined;
  try {
    await run(type, raw, view);
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    problem = e;
  }
  expect(problem, `${type} should be refused`).toBeDefined();
  expect(problem!.code).toBe(code);
  if (path) expect(problem!.fields.map((f) => f.path)).toContain(path);
  if (message) expect(problem!.message).toMatch(message);
  // Nothing recorded: the view is as it was.
  expect([...view.persons.values()]).toEqual(before);
  expect([...view.appeals.values()]).toEqual(appealsBefore);
  return problem!;
}

/** The seeded record under a programme with screening (questions, exclusions, unarmed associates). */
function screeningView(screening: Record<string, unknown> = {}) {
  const view = seededView();
  view.programmeConfig = programmeConfig.parse(screeningProgrammePayload(screening));
  return view;
}

const verifiedAnswers = [
  { questionId: "commander_name", answer: "Abu Saif", evidence: ["unit card photo"] },
  { questionId: "knows_camp", judgement: "not_verified" },
];

describe("screening.record", () => {
  it("records the decision with its reasons and keeps answers and indications private", async () => {
    const view = screeningView();
    await run("handover.record", handoverPayload(), view);
    const event = await run(
      "screening.record",
      screeningPayload({ answers: verifiedAnswers, notes: "Came with his brother Saad Jaber." }),
      view,
    );
    expect(event.data).toMatchObject({
      personId: ids.person,
      groupId: ids.group,
      governorate: "IQ-NI",
      decision: { status: "eligible", reasons: ["membership_verified", "eligible_weapon"] },
      verifiedCount: 1,
      membershipVerified: true,
      excluded: false,
    });
    const { publicPart, privatePart } = splitPersonal(event.type, event.data);
    expect(Object.keys(privatePart).sort()).toEqual(["answers", "indications", "notes", "personId"]);
    const text = JSON.stringify(publicPart);
    for (const s of [ids.person, "Abu Saif", "Saad Jaber", "unit card"]) expect(text).not.toContain(s);
    expect(view.persons.get(ids.person)!.eligible).toBe(true);
  });

  it("finds an unarmed associated member eligible when the programme allows, not otherwise", async () => {
    const view = screeningView();
    view.persons.get(ids.lonePerson)!.kind = "associated_member";
    const event = await run(
      "screening.record",
      screeningPayload({ personId: ids.lonePerson, answers: verifiedAnswers }),
      view,
    );
    expect(event.data.decision).toEqual({
      status: "eligible",
      reasons: ["membership_verified", "associated_member_unarmed"],
    });
    const strict = screeningView({ associatedMembersWithoutWeapon: false });
    strict.persons.get(ids.lonePerson)!.kind = "associated_member";
    const refused = await run(
      "screening.record",
      screeningPayload({ personId: ids.lonePerson, answers: verifiedAnswers }),
      strict,
    );
    expect(refused.data.decision).toEqual({ status: "ineligible", reasons: ["no_eligible_item"] });
  });

  it("does not verify a person only because the group's list named them", async () => {
    const view = screeningView();
    await run("handover.record", handoverPayload(), view);
    // ids.person is on the group's list (see seededView); nothing else verifies them.
    const event = await run(
      "screening.record",
      screeningPayload({ answers: [{ questionId: "commander_name", answer: "I do not know" }] }),
      view,
    );
    expect(event.data.decision).toEqual({ status: "ineligible", reasons: ["membership_not_verified"] });
    expect(view.persons.get(ids.person)!.eligible).toBe(false);
  });

  it("takes away an eligibility the handover gave when an exclusion is indicated", async () => {
    const view = seededView({ programme: true });
    await run("handover.record", handoverPayload(), view);
    expect(view.persons.get(ids.person)!.eligible).toBe(true);
    view.programmeConfig = programmeConfig.parse(screeningProgrammePayload());
    const event = await run(
      "screening.record",
      screeningPayload({ answers: verifiedAnswers, indications: ["grave_crime"] }),
      view,
    );
    expect(event.data.decision).toEqual({ status: "ineligible", reasons: ["exclusion_indicated"] });
    expect(view.persons.get(ids.person)!.eligible).toBe(false);
    // And no later handover gives it back.
    const handover = await run("handover.record", handoverPayload({ weapons: [] }), view);
    expect(handover.data.eligibility).toEqual({ status: "ineligible", reasons: ["exclusion_indicated"] });
  });

  it("counts the group's cap without the person, and without revoked people", async () => {
    const view = screeningView();
    await run("handover.record", handoverPayload(), view);
    // Two others of the group are eligible: the cap (2) is reached.
    view.addPerson({ id: testUuid(0x201), siteId: ids.site, groupId: ids.group, eligible: true });
    view.addPerson({ id: testUuid(0x202), siteId: ids.site, groupId: ids.group, eligible: true });
    const full = await run("screening.record", screeningPayload({ answers: verifiedAnswers }), view);
    expect(full.data.decision).toEqual({ status: "ineligible", reasons: ["group_cap_reached"] });
    // One of them is revoked: the place is free again.
    await run("eligibility.revoke", revocationPayload({ personId: testUuid(0x202) }), view);
    const freed = await run("screening.record", screeningPayload({ answers: verifiedAnswers }), view);
    expect(freed.data.decision).toMatchObject({ status: "eligible" });
    // Screened again while eligible: the person does not crowd themself out.
    view.addPerson({ id: testUuid(0x203), siteId: ids.site, groupId: ids.group, eligible: false });
    const again = await run("screening.record", screeningPayload({ answers: verifiedAnswers }), view);
    expect(again.data.decision).toMatchObject({ status: "eligible" });
  });

  it("combines with handovers in either order: the screening reads the items, the handover the screening", async () => {
    const view = screeningView();
    // Handover first: not screened yet, so not eligible; the screening then finds the rifle.
    const before = await run("handover.record", handoverPayload(), view);
    expect(before.data.eligibility).toEqual({ status: "ineligible", reasons: ["not_screened"] });
    const screened = await run("screening.record", screeningPayload({ answers: verifiedAnswers }), view);
    expect(screened.data.decision).toMatchObject({ status: "eligible" });
    // Screening first: verified but nothing handed in; the handover then makes them eligible.
    const lone = { personId: ids.lonePerson, answers: verifiedAnswers };
    const first = await run("screening.record", screeningPayload(lone), view);
    expect(first.data.decision).toMatchObject({ status: "ineligible", reasons: ["no_eligible_item"] });
    const after = await run(
      "handover.record",
      handoverPayload({
        from: { kind: "person", personId: ids.lonePerson },
        siteId: ids.mobile,
        ammunition: [],
      }),
      view,
    );
    expect(after.data.eligibility).toEqual({ status: "eligible", reasons: ["eligible_weapon"] });
    expect(view.persons.get(ids.lonePerson)!.eligible).toBe(true);
  });

  it.each([
    ["an unknown person", { personId: ids.unknown }, "reference.unknown", "payload.personId"],
    [
      "an unknown question",
      { answers: [{ questionId: "favourite_colour", answer: "red" }] },
      "reference.unknown",
      "payload.answers.0.questionId",
    ],
    [
      "a question answered twice",
      { answers: [verifiedAnswers[0], verifiedAnswers[0]] },
      "rule.violated",
      "payload.answers.1.questionId",
    ],
    [
      "a judgement question without the judgement",
      { answers: [{ questionId: "knows_camp", answer: "yes" }] },
      "rule.violated",
      "payload.answers.0.judgement",
    ],
    [
      "an answer question without the answer",
      { answers: [{ questionId: "commander_name" }] },
      "rule.violated",
      "payload.answers.0.answer",
    ],
    [
      "a judgement on an answer question",
      { answers: [{ questionId: "commander_name", answer: "x", judgement: "verified" }] },
      "rule.violated",
      "payload.answers.0.judgement",
    ],
    ["an unknown indication", { indications: ["rudeness"] }, "reference.unknown", "payload.indications.0"],
    ["a time in the future", { screenedAt: "2025-03-02T10:00:00Z" }, "rule.violated", "payload.screenedAt"],
    [
      "a time before the registration",
      { screenedAt: "2025-01-31T10:00:00Z" },
      "rule.violated",
      "payload.screenedAt",
    ],
  ] as const)("refuses %s", async (_name, overrides, code, path) => {
    await refused(
      "screening.record",
      screeningPayload({ answers: verifiedAnswers, ...overrides }),
      screeningView(),
      code,
      path,
    );
  });

  it("refuses a revoked or deceased person, and any screening before the programme is configured", async () => {
    const view = screeningView();
    await run("eligibility.revoke", revocationPayload(), view);
    await refused(
      "screening.record",
      screeningPayload({ personId: ids.eligiblePerson }),
      view,
      "rule.violated",
      "payload.personId",
      /appeal/,
    );
    await run("person.record_death", deathPayload(), view);
    await refused(
      "screening.record",
      screeningPayload({ answers: verifiedAnswers }),
      view,
      "rule.violated",
      "payload.personId",
      /deceased/,
    );
    await refused(
      "screening.record",
      screeningPayload(),
      seededView(),
      "rule.violated",
      undefined,
      /Configure the programme/,
    );
  });
});

describe("eligibility.appeal and eligibility.decide_appeal", () => {
  it("lodges an appeal, keeps who lodged it and the grounds private, and an overturn makes the person eligible", async () => {
    const view = screeningView();
    const lodged = await run("eligibility.appeal", appealPayload(), view);
    const appealId = lodged.data.appealId as string;
    expect(lodged.data).toMatchObject({ against: "ineligibility", groupId: ids.group });
    const { privatePart, publicPart } = splitPersonal(lodged.type, lodged.data);
    expect(Object.keys(privatePart).sort()).toEqual(["evidence", "grounds", "lodgedBy", "personId"]);
    expect(JSON.stringify(publicPart)).not.toContain("Saad");
    expect(view.appeals.get(appealId)).toMatchObject({ status: "lodged", personId: ids.person });

    const decided = await run("eligibility.decide_appeal", appealDecisionPayload({ appealId }), view);
    expect(splitPersonal(decided.type, decided.data).privatePart).toEqual({
      personId: ids.person,
      reason: "Two witnesses from the gate confirm his service.",
    });
    expect(view.appeals.get(appealId)!.status).toBe("overturned");
    expect(view.persons.get(ids.person)!.eligible).toBe(true);
  });

  it("leaves the person ineligible when the decision is upheld", async () => {
    const view = screeningView();
    await run("eligibility.decide_appeal", appealDecisionPayload({ outcome: "upheld" }), view);
    expect(view.appeals.get(ids.appeal)!.status).toBe("upheld");
    expect(view.persons.get(ids.lonePerson)!.eligible).toBe(false);
  });

  it("appeals a revocation, and an overturn restores the eligibility", async () => {
    const view = screeningView();
    await run("eligibility.revoke", revocationPayload(), view);
    const lodged = await run("eligibility.appeal", appealPayload({ personId: ids.eligiblePerson }), view);
    expect(lodged.data.against).toBe("revocation");
    await run("eligibility.decide_appeal", appealDecisionPayload({ appealId: lodged.data.appealId }), view);
    expect(view.persons.get(ids.eligiblePerson)).toMatchObject({ eligible: true, eligibilityRevoked: false });
  });

  it("refuses an appeal of an eligible person, a second pending appeal, a reused id, a future time, an unknown or deceased person", async () => {
    const view = screeningView();
    await refused(
      "eligibility.appeal",
      appealPayload({ personId: ids.eligiblePerson }),
      view,
      "rule.violated",
      "payload.personId",
      /eligible/,
    );
    await refused(
      "eligibility.appeal",
      appealPayload({ personId: ids.lonePerson }),
      view,
      "rule.violated",
      "payload.personId",
      /awaits a decision/,
    );
    await refused(
      "eligibility.appeal",
      appealPayload({ appealId: ids.appeal }),
      view,
      "rule.violated",
      "payload.appealId",
    );
    await refused(
      "eligibility.appeal",
      appealPayload({ lodgedAt: "2025-03-01T11:00:00Z" }),
      view,
      "rule.violated",
      "payload.lodgedAt",
    );
    await refused(
      "eligibility.appeal",
      appealPayload({ personId: ids.unknown }),
      view,
      "reference.unknown",
      "payload.personId",
    );
    await run("person.record_death", deathPayload(), view);
    await refused(
      "eligibility.appeal",
      appealPayload(),
      view,
      "rule.violated",
      "payload.personId",
      /deceased/,
    );
  });

  it("refuses an unknown appeal, an appeal decided twice and a decision before the appeal", async () => {
    const view = screeningView();
    await refused(
      "eligibility.decide_appeal",
      appealDecisionPayload({ appealId: ids.unknown }),
      view,
      "reference.unknown",
      "payload.appealId",
    );
    await refused(
      "eligibility.decide_appeal",
      appealDecisionPayload({ decidedAt: "2025-02-19T10:00:00Z" }),
      view,
      "rule.violated",
      "payload.decidedAt",
    );
    await run("eligibility.decide_appeal", appealDecisionPayload({ outcome: "upheld" }), view);
    await refused(
      "eligibility.decide_appeal",
      appealDecisionPayload(),
      view,
      "rule.violated",
      "payload.appealId",
      /decided already \(upheld\)/,
    );
  });

  it("refuses an outcome other than upheld or overturned", () => {
    const r = findCommandDefinition("eligibility.decide_appeal")!.payload.safeParse(
      appealDecisionPayload({ outcome: "granted" }),
    );
    expect(r.success).toBe(false);
  });
});

describe("eligibility.revoke", () => {
  it("revokes with a private reason, once, and only an eligible person", async () => {
    const view = screeningView();
    const event = await run("eligibility.revoke", revocationPayload(), view);
    expect(splitPersonal(event.type, event.data).privatePart).toMatchObject({ personId: ids.eligiblePerson });
    expect(view.persons.get(ids.eligiblePerson)!.eligibilityRevoked).toBe(true);
    await refused(
      "eligibility.revoke",
      revocationPayload(),
      view,
      "rule.violated",
      "payload.personId",
      /already/,
    );
    await refused(
      "eligibility.revoke",
      revocationPayload({ personId: ids.person }),
      view,
      "rule.violated",
      "payload.personId",
      /never found eligible/,
    );
    await refused(
      "eligibility.revoke",
      revocationPayload({ personId: ids.unknown }),
      view,
      "reference.unknown",
      "payload.personId",
    );
    expect(
      findCommandDefinition("eligibility.revoke")!.payload.safeParse(revocationPayload({ reason: "  " }))
        .success,
    ).toBe(false);
  });
});

describe("person.record_death", () => {
  it("records the death once, with the date and source private", async () => {
    const view = screeningView();
    const event = await run("person.record_death", deathPayload(), view);
    expect(splitPersonal(event.type, event.data).privatePart).toEqual({
      personId: ids.person,
      diedOn: "2025-02-25",
      source: "Death certificate from Mona Haddad, civil registry",
    });
    expect(view.persons.get(ids.person)!.deceased).toBe(true);
    await refused(
      "person.record_death",
      deathPayload(),
      view,
      "rule.violated",
      "payload.personId",
      /already/,
    );
  });

  it.each([
    ["a date in the future", { diedOn: "2025-03-02" }, "rule.violated", "payload.diedOn"],
    [
      "a date before the birth date",
      { personId: ids.lonePerson, diedOn: "1995-05-19" },
      "rule.violated",
      "payload.diedOn",
    ],
    ["a date before the birth year", { diedOn: "1989-12-31" }, "rule.violated", "payload.diedOn"],
    ["an unknown person", { personId: ids.unknown }, "reference.unknown", "payload.personId"],
  ] as const)("refuses %s", async (_name, overrides, code, path) => {
    await refused("person.record_death", deathPayload(overrides), screeningView(), code, path);
  });

  it("accepts a death on the day of birth and on today's date", async () => {
    await run(
      "person.record_death",
      deathPayload({ personId: ids.lonePerson, diedOn: "1995-05-20" }),
      screeningView(),
    );
    await run("person.record_death", deathPayload({ diedOn: "2025-03-01" }), screeningView());
  });
});

describe("scope of the screening commands", () => {
  it("acts where the person was registered; an appeal's decision where its person was", async () => {
    const view = screeningView();
    const target = (type: string, raw: unknown) => {
      const def = findCommandDefinition(type)!;
      return def.target(def.payload.parse(raw), view);
    };
    expect(await target("screening.record", screeningPayload())).toEqual({
      siteId: ids.site,
      governorate: "IQ-NI",
    });
    expect(await target("eligibility.appeal", appealPayload())).toEqual({
      siteId: ids.site,
      governorate: "IQ-NI",
    });
    expect(await target("eligibility.decide_appeal", appealDecisionPayload())).toEqual({
      siteId: ids.mobile,
      governorate: "IQ-NI",
    });
    expect(await target("eligibility.revoke", revocationPayload())).toEqual({
      siteId: ids.site,
      governorate: "IQ-BG",
    });
    expect(await target("person.record_death", deathPayload())).toEqual({
      siteId: ids.site,
      governorate: "IQ-NI",
    });
    expect(
      await target("eligibility.decide_appeal", appealDecisionPayload({ appealId: ids.unknown })),
    ).toBeUndefined();
  });

  it("is refused to roles the policy does not name", async () => {
    const { authorize } = await import("../src/access/policy.ts");
    expect(() => authorize(makeActor("registrar"), "eligibility.revoke")).toThrow(/may not/);
    expect(() => authorize(makeActor("case_worker"), "eligibility.decide_appeal")).toThrow(/may not/);
    expect(() => authorize(makeActor("registrar"), "screening.record")).not.toThrow();
  });
});
