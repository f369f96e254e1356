import { describe, expect, it } from "vitest";
import { groupTransitions } from "../src/commands/group-transform.ts";
import { addDays } from "../src/commands/pathway.ts";
import { findCommandDefinition } from "../src/commands/registry.ts";
import { splitPersonal } from "../src/events.ts";
import { Problem, type ProblemCode } from "../src/problems.ts";
import { groupStatuses } from "../src/records/pathway.ts";
import { ids, programmePayload, seededView } from "./fixtures.ts";
import { type MemoryView, makeActor, makeEnv, testUuid } from "./memory-view.ts";

// Group transformation and pathways: offered, accepted, placed and left kept apart, one active
// pathway per person, placement only in good standing (and, for the security forces, vetted).

const NOW = "2025-09-01T10:00:00Z";
let seq = 900;
async function decide(type: string, raw: unknown, view: MemoryView) {
  const def = findCommandDefinition(type)!;
  return def.decide(def.payload.parse(raw), view, makeEnv({ seq, now: NOW, firstId: 0x9000 + seq * 0x10 }));
}
async function record(type: string, raw: unknown, view: MemoryView) {
  const event = await decide(type, raw, view);
  view.apply(seq++, event);
  return event;
}
async function refused(type: string, raw: unknown, view: MemoryView, code: ProblemCode, path?: string) {
  const before = structuredClone([[...view.pathways], [...view.groupTransformations]]);
  const problem = await decide(type, raw, view).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(problem, `${type} should be refused`).toBeInstanceOf(Problem);
  expect((problem as Problem).code, (problem as Problem).message).toBe(code);
  if (path) expect((problem as Problem).fields.map((f) => f.path)).toContain(path);
  expect(structuredClone([[...view.pathways], [...view.groupTransformations]])).toEqual(before);
  return problem as Problem;
}

const decision = (decidedOn = "2025-05-01", reference = "CoM decision 2025/41") => ({
  reference,
  decidedBy: "Council of Ministers",
  decidedOn,
});
const transform = (status: string, extra: Record<string, unknown> = {}) => ({
  groupId: ids.group,
  status,
  decision: decision(),
  ...extra,
});
const party = (status: string, extra: Record<string, unknown> = {}) => ({
  groupId: ids.group,
  status,
  decision: decision(),
  ...extra,
});
const partyName = { ar: "حزب الشرق", en: "Eastern Party" };

function eligibleView() {
  const view = seededView();
  view.persons.get(ids.person)!.eligible = true;
  return view;
}
const civilianOffer = (extra: Record<string, unknown> = {}) => ({
  personId: ids.person,
  kind: "civilian",
  offeredOn: "2025-06-01",
  trainingCourse: "Electrician, 6 months",
  referrals: ["psychosocial support"],
  note: "Prefers to work near Mosul.",
  ...extra,
});

describe("group transformation", () => {
  it("records each status with its decision and refuses changes the rules do not allow", async () => {
    const view = seededView();
    const first = await record("group.transform", transform("disarming"), view);
    expect(first.data).toMatchObject({ from: "armed", status: "disarming" });
    expect(view.groupTransformations.get(ids.group)).toMatchObject({
      status: "disarming",
      decidedOn: "2025-05-01",
    });
    await refused("group.transform", transform("disarming"), view, "rule.violated", "payload.status");
    // Back to arms only with a stated reason.
    const p = await refused("group.transform", transform("armed"), view, "rule.violated", "payload.reason");
    expect(p.message).toMatch(/reason/);
    await record(
      "group.transform",
      transform("armed", { reason: "Walked out of the talks after the attack." }),
      view,
    );
    await record("group.transform", transform("disbanded"), view);
    await refused("group.transform", transform("integrated"), view, "rule.violated", "payload.status");
    // Not before the previous decision, not in the future.
    await refused(
      "group.transform",
      transform("registered_party", { decision: decision("2025-04-01") }),
      view,
      "rule.violated",
    );
    await refused(
      "group.transform",
      transform("armed", { reason: "x", decision: decision("2026-01-01") }),
      view,
      "rule.violated",
      "payload.decision.decidedOn",
    );
    await refused(
      "group.transform",
      { ...transform("disarming"), groupId: ids.unknown },
      view,
      "reference.unknown",
    );
  });

  it("lets every status go back to arms, and none stay where it is", () => {
    for (const status of groupStatuses) {
      expect(groupTransitions[status]).not.toContain(status);
      if (status !== "armed") expect(groupTransitions[status]).toContain("armed");
    }
  });

  it("makes a group a registered party only once its party is registered", async () => {
    const view = seededView();
    await refused("group.transform", transform("registered_party"), view, "rule.violated", "payload.status");
    await refused("group.party", party("registered"), view, "rule.violated", "payload.status");
    await refused("group.party", party("applied"), view, "rule.violated", "payload.name");
    await record("group.party", party("applied", { name: partyName }), view);
    await refused("group.transform", transform("registered_party"), view, "rule.violated", "payload.status");
    await refused("group.party", party("refused"), view, "rule.violated", "payload.reason");
    await refused("group.party", party("dissolved"), view, "rule.violated", "payload.status");
    const registered = await record("group.party", party("registered"), view);
    expect(registered.data.name).toEqual(partyName);
    await record("group.transform", transform("registered_party"), view);
    expect(view.groupTransformations.get(ids.group)).toMatchObject({
      status: "registered_party",
      party: { status: "registered", name: partyName },
    });
  });

  it("keeps a decision's reason out of the public leaf", async () => {
    const event = await decide(
      "group.transform",
      transform("disarming", { reason: "Named commander agreed." }),
      seededView(),
    );
    const { publicPart, privatePart } = splitPersonal(event.type, event.data);
    expect(Object.keys(privatePart)).toEqual(["reason"]);
    expect(publicPart).toMatchObject({ status: "disarming", decision: decision() });
  });
});

describe("pathways", () => {
  it("keeps offered, accepted, placed and left apart, each with its day", async () => {
    const view = eligibleView();
    view.programmeConfig = {
      ...programmePayload(),
      pathways: { followUpDays: { civilian: [10, 20] } },
    } as never;
    const offered = await record("pathway.offer", civilianOffer(), view);
    const pathwayId = offered.data.pathwayId as string;
    expect(view.pathways.get(pathwayId)).toMatchObject({
      state: "offered",
      active: true,
      vetting: "not_required",
    });
    // A placement before acceptance is refused: an offer is not a transition.
    await refused(
      "pathway.place",
      { pathwayId, placedOn: "2025-06-10" },
      view,
      "rule.violated",
      "payload.pathwayId",
    );
    await refused(
      "pathway.leave",
      { pathwayId, leftOn: "2025-06-10", reason: "resigned" },
      view,
      "rule.violated",
    );
    await refused(
      "pathway.respond",
      { pathwayId, response: "accept", respondedOn: "2025-05-30" },
      view,
      "rule.violated",
      "payload.respondedOn",
    );
    await record("pathway.respond", { pathwayId, response: "accept", respondedOn: "2025-06-02" }, view);
    await refused(
      "pathway.respond",
      { pathwayId, response: "accept", respondedOn: "2025-06-03" },
      view,
      "rule.violated",
    );
    const placed = await record(
      "pathway.place",
      { pathwayId, placedOn: "2025-06-15", placement: "Course started" },
      view,
    );
    expect(placed.data.followUpSchedule).toEqual(["2025-06-25", "2025-07-05"]);
    const follow = await record(
      "pathway.follow_up",
      { pathwayId, followedUpOn: "2025-06-26", status: "still_placed", note: "Attends every day." },
      view,
    );
    expect(follow.data.due).toBe("2025-06-25");
    await refused(
      "pathway.follow_up",
      { pathwayId, followedUpOn: "2025-06-20", status: "still_placed" },
      view,
      "rule.violated",
      "payload.followedUpOn",
    );
    await record("pathway.leave", { pathwayId, leftOn: "2025-07-01", reason: "completed" }, view);
    expect(view.pathways.get(pathwayId)).toMatchObject({ state: "left", active: false });
    await refused(
      "pathway.follow_up",
      { pathwayId, followedUpOn: "2025-07-02", status: "left" },
      view,
      "rule.violated",
    );
    // Having left, the person may be offered another pathway.
    await record(
      "pathway.offer",
      civilianOffer({ offeredOn: "2025-07-10", jobPlacement: "Workshop in Mosul" }),
      view,
    );
  });

  it("allows one active pathway per person; a decline ends it", async () => {
    const view = eligibleView();
    const offered = await record("pathway.offer", civilianOffer(), view);
    const pathwayId = offered.data.pathwayId as string;
    const p = await refused("pathway.offer", civilianOffer(), view, "rule.violated", "payload.personId");
    expect(p.message).toMatch(/one pathway at a time/);
    await refused(
      "pathway.respond",
      { pathwayId, response: "decline", respondedOn: "2025-06-02" },
      view,
      "request.invalid",
    ).catch(() => undefined);
    await record(
      "pathway.respond",
      { pathwayId, response: "decline", respondedOn: "2025-06-02", reason: "Wants to farm his land." },
      view,
    );
    expect(view.pathways.get(pathwayId)).toMatchObject({ state: "declined", active: false });
    await record("pathway.offer", civilianOffer({ offeredOn: "2025-06-05" }), view);
  });

  it("places only a person in good standing", async () => {
    const view = eligibleView();
    const pathwayId = (await record("pathway.offer", civilianOffer(), view)).data.pathwayId as string;
    await record("pathway.respond", { pathwayId, response: "accept", respondedOn: "2025-06-02" }, view);
    view.persons.get(ids.person)!.duplicateReview = "pending";
    const p = await refused("pathway.place", { pathwayId, placedOn: "2025-06-10" }, view, "rule.violated");
    expect(p.fields).toContainEqual({ path: "payload.pathwayId", message: "duplicate_review_pending" });
    view.persons.get(ids.person)!.duplicateReview = "dismissed";
    view.persons.get(ids.person)!.deceased = true;
    await refused("pathway.place", { pathwayId, placedOn: "2025-06-10" }, view, "rule.violated");
    view.persons.get(ids.person)!.deceased = false;
    await record("pathway.place", { pathwayId, placedOn: "2025-06-10" }, view);
  });

  it("does not offer a pathway to someone not found eligible, or unknown", async () => {
    const view = seededView();
    const p = await refused("pathway.offer", civilianOffer(), view, "rule.violated", "payload.personId");
    expect(p.fields).toContainEqual({ path: "payload.personId", message: "not_eligible" });
    await refused("pathway.offer", civilianOffer({ personId: ids.unknown }), view, "reference.unknown");
    expect(() =>
      findCommandDefinition("pathway.offer")!.payload.parse(
        civilianOffer({ trainingCourse: undefined, referrals: [] }),
      ),
    ).toThrow(/training course/);
  });

  it("places in the security forces only after vetting clears, with a service number and unit", async () => {
    const view = eligibleView();
    const offer = {
      personId: ids.person,
      kind: "security_forces",
      offeredOn: "2025-06-01",
      force: "Iraqi Army",
    };
    const pathwayId = (await record("pathway.offer", offer, view)).data.pathwayId as string;
    expect(view.pathways.get(pathwayId)?.vetting).toBe("pending");
    await record("pathway.respond", { pathwayId, response: "accept", respondedOn: "2025-06-02" }, view);
    const place = { pathwayId, placedOn: "2025-07-01", serviceNumber: "IA-2025-0001", unit: "9th Division" };
    await refused("pathway.place", place, view, "rule.violated", "payload.pathwayId");
    await record(
      "pathway.vet",
      { pathwayId, result: "cleared", vettedOn: "2025-06-20", reference: "VET-77" },
      view,
    );
    await refused(
      "pathway.vet",
      { pathwayId, result: "refused", vettedOn: "2025-06-21", reference: "VET-78" },
      view,
      "rule.violated",
    );
    await refused(
      "pathway.place",
      { ...place, serviceNumber: undefined },
      view,
      "rule.violated",
      "payload.serviceNumber",
    );
    await refused("pathway.place", { ...place, unit: undefined }, view, "rule.violated", "payload.unit");
    await refused(
      "pathway.place",
      { ...place, placedOn: "2025-06-10" },
      view,
      "rule.violated",
      "payload.placedOn",
    );
    const placed = await record("pathway.place", place, view);
    expect(placed.data.followUpSchedule).toEqual([
      addDays("2025-07-01", 30),
      addDays("2025-07-01", 90),
      addDays("2025-07-01", 180),
    ]);
    const { publicPart, privatePart } = splitPersonal(placed.type, placed.data);
    expect(Object.keys(privatePart).sort()).toEqual(["personId", "serviceNumber", "unit"]);
    expect(JSON.stringify(publicPart)).not.toContain("IA-2025-0001");
    expect(JSON.stringify(publicPart)).not.toContain(ids.person);
  });

  it("gives each service number of a force to one person only", async () => {
    const view = eligibleView();
    const offer = {
      personId: ids.person,
      kind: "security_forces",
      offeredOn: "2025-06-01",
      force: "Iraqi Army",
    };
    const place = async (personId: string, serviceNumber: string) => {
      const pathwayId = (await record("pathway.offer", { ...offer, personId }, view)).data
        .pathwayId as string;
      await record("pathway.respond", { pathwayId, response: "accept", respondedOn: "2025-06-02" }, view);
      await record(
        "pathway.vet",
        { pathwayId, result: "cleared", vettedOn: "2025-06-03", reference: "V" },
        view,
      );
      return { pathwayId, placed: { pathwayId, placedOn: "2025-06-04", serviceNumber, unit: "1st Brigade" } };
    };
    const first = await place(ids.person, "IA-7");
    await record("pathway.place", first.placed, view);
    view.persons.get(ids.lonePerson)!.eligible = true;
    const second = await place(ids.lonePerson, "IA-7");
    const p = await refused("pathway.place", second.placed, view, "rule.violated", "payload.serviceNumber");
    expect(p.message).toMatch(/already gave service number IA-7/);
    await record("pathway.place", { ...second.placed, serviceNumber: "IA-8" }, view);
  });

  it("offers no place in the security forces to someone registered as a child", async () => {
    const view = eligibleView();
    view.persons.get(ids.person)!.ageGroup = "child";
    const offer = {
      personId: ids.person,
      kind: "security_forces",
      offeredOn: "2025-06-01",
      force: "Iraqi Army",
    };
    const p = await refused("pathway.offer", offer, view, "rule.violated", "payload.kind");
    expect(p.message).toMatch(/child/);
    await record("pathway.offer", civilianOffer(), view);
  });

  it("closes a pathway refused at vetting, and then another may be offered", async () => {
    const view = eligibleView();
    const offer = {
      personId: ids.person,
      kind: "security_forces",
      offeredOn: "2025-06-01",
      force: "Federal Police",
    };
    const pathwayId = (await record("pathway.offer", offer, view)).data.pathwayId as string;
    await record(
      "pathway.vet",
      { pathwayId, result: "refused", vettedOn: "2025-06-05", reference: "VET-9", note: "Flagged" },
      view,
    );
    await refused(
      "pathway.respond",
      { pathwayId, response: "accept", respondedOn: "2025-06-06" },
      view,
      "rule.violated",
    );
    await record("pathway.offer", civilianOffer({ offeredOn: "2025-06-07" }), view);
  });

  it("offers a political party pathway only when the person's group is a registered party", async () => {
    const view = eligibleView();
    const offer = { personId: ids.person, kind: "political_party", offeredOn: "2025-06-01" };
    const p = await refused("pathway.offer", offer, view, "rule.violated", "payload.kind");
    expect(p.message).toMatch(/not registered as a party/);
    await record("group.party", party("applied", { name: partyName }), view);
    await refused("pathway.offer", offer, view, "rule.violated", "payload.kind");
    await record("group.party", party("registered", { decision: decision("2025-05-10") }), view);
    const pathwayId = (await record("pathway.offer", offer, view)).data.pathwayId as string;
    await record("pathway.respond", { pathwayId, response: "accept", respondedOn: "2025-06-02" }, view);
    // Dissolved before the membership starts: no placement.
    await record("group.party", party("dissolved", { decision: decision("2025-06-03") }), view);
    await refused(
      "pathway.place",
      { pathwayId, placedOn: "2025-06-04" },
      view,
      "rule.violated",
      "payload.pathwayId",
    );
    // Someone with no group has no party to join.
    view.persons.get(ids.lonePerson)!.eligible = true;
    await refused(
      "pathway.offer",
      { ...offer, personId: ids.lonePerson },
      view,
      "rule.violated",
      "payload.kind",
    );
  });

  it("ends a placement found left at a follow-up; unknown pathways are refused", async () => {
    const view = eligibleView();
    const pathwayId = (await record("pathway.offer", civilianOffer(), view)).data.pathwayId as string;
    await record("pathway.respond", { pathwayId, response: "accept", respondedOn: "2025-06-02" }, view);
    await record("pathway.place", { pathwayId, placedOn: "2025-06-03" }, view);
    await record("pathway.follow_up", { pathwayId, followedUpOn: "2025-07-03", status: "left" }, view);
    expect(view.pathways.get(pathwayId)).toMatchObject({ state: "left", active: false });
    await refused(
      "pathway.leave",
      { pathwayId, leftOn: "2025-07-04", reason: "resigned" },
      view,
      "rule.violated",
    );
    await refused(
      "pathway.respond",
      { pathwayId: testUuid(0xbeef), response: "accept", respondedOn: "2025-06-02" },
      view,
      "reference.unknown",
    );
  });

  it("keeps the person, notes and reasons of every pathway event private", async () => {
    const view = eligibleView();
    const offered = await record("pathway.offer", civilianOffer({ jobPlacement: "Bakery of Abu Ali" }), view);
    const { publicPart, privatePart } = splitPersonal(offered.type, offered.data);
    expect(Object.keys(privatePart).sort()).toEqual([
      "jobPlacement",
      "note",
      "personId",
      "referrals",
      "trainingCourse",
    ]);
    expect(publicPart).toMatchObject({
      kind: "civilian",
      offeredOn: "2025-06-01",
      groupId: ids.group,
      governorate: "IQ-NI",
    });
    const responded = await decide(
      "pathway.respond",
      {
        pathwayId: offered.data.pathwayId,
        response: "decline",
        respondedOn: "2025-06-02",
        reason: "Family reasons",
      },
      view,
    );
    expect(Object.keys(splitPersonal(responded.type, responded.data).privatePart).sort()).toEqual([
      "personId",
      "reason",
    ]);
  });

  it("scopes pathway commands to the person's site", async () => {
    const view = eligibleView();
    const def = findCommandDefinition("pathway.offer")!;
    expect(await def.target(def.payload.parse(civilianOffer()), view)).toEqual({
      siteId: ids.site,
      governorate: "IQ-NI",
    });
    const pathwayId = (await record("pathway.offer", civilianOffer(), view)).data.pathwayId as string;
    const respond = findCommandDefinition("pathway.respond")!;
    expect(
      await respond.target(
        respond.payload.parse({ pathwayId, response: "accept", respondedOn: "2025-06-02" }),
        view,
      ),
    ).toEqual({ siteId: ids.site, governorate: "IQ-NI" });
    expect(makeActor("case_worker").role).toBe("case_worker");
  });
});
