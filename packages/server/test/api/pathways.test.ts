import { addDays } from "@armsledger/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyDatabase } from "../../src/verify/index.ts";
import { handoverPayload, personPayload, rifle } from "../support/fixtures.ts";
import { type Api, counts, expectProblem, startApi } from "./support.ts";

// Pathways and group transformation through the HTTP API: the full path of one person from
// registration to a placement counted in the outcome report, and the refusals that keep offered,
// accepted and placed apart.

let api: Api;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  api = await startApi({ seed: true });
});
afterAll(() => api?.close());

const get = (who: Parameters<Api["send"]>[0], url: string) => api.send(who, { method: "GET", url });

async function report(who: Parameters<Api["send"]>[0] = "analyst") {
  const res = await get(who, "/api/v1/reports/pathways");
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    totals: Record<string, number>;
    by: Record<string, ({ key: string } & Record<string, number>)[]>;
  };
}

/** Refused with this code and a field at this path, and nothing recorded. */
async function refused(who: Parameters<Api["post"]>[0], type: string, payload: unknown, path?: string) {
  const before = await counts(api.store);
  const body = expectProblem(await api.post(who, type, payload), "rule.violated");
  if (path) expect(body.errors?.map((e) => e.path)).toContain(path);
  expect(await counts(api.store)).toEqual(before);
  return body;
}

/** A new person registered at site A and, with `eligible`, found eligible by a handover. */
async function newPerson(nationalId: string, options: { eligible?: boolean; sex?: string } = {}) {
  const personId = (
    await api.ok("registrar", "person.register", {
      ...personPayload(api.seed.siteA, api.seed.groupId),
      nationalId,
      sex: options.sex ?? "male",
    })
  ).personId as string;
  if (options.eligible !== false) {
    const handover = await api.ok(
      "registrar",
      "handover.record",
      handoverPayload(api.seed.siteA, personId, [rifle(`PW-${nationalId}`)]),
    );
    expect((handover.eligibility as { status: string }).status).toBe("eligible");
  }
  return personId;
}

describe("one person from registration to a placement", () => {
  it("counts placed, never merely offered or accepted, in the outcome report", async () => {
    const start = await report();
    const personId = await newPerson("PWAY000001", { sex: "female" });

    const offered = await api.ok("case_worker", "pathway.offer", {
      personId,
      kind: "civilian",
      offeredOn: today,
      trainingCourse: "Tailoring, 3 months",
      referrals: ["microcredit"],
      note: "Has two children; needs a course near home.",
    });
    const pathwayId = offered.pathwayId as string;
    let r = await report();
    expect(r.totals.offered).toBe(start.totals.offered! + 1);
    expect(r.totals.placed).toBe(start.totals.placed);

    await api.ok("case_worker", "pathway.respond", { pathwayId, response: "accept", respondedOn: today });
    r = await report();
    expect(r.totals.accepted).toBe(start.totals.accepted! + 1);
    expect(r.totals.placed).toBe(start.totals.placed);

    const placed = await api.ok("case_worker", "pathway.place", {
      pathwayId,
      placedOn: today,
      placement: "Tailoring course, Karkh centre",
    });
    expect(placed.followUpSchedule).toEqual([addDays(today, 30), addDays(today, 90), addDays(today, 180)]);
    r = await report();
    expect(r.totals.placed).toBe(start.totals.placed! + 1);
    expect(r.totals.stillPlaced).toBe(start.totals.stillPlaced! + 1);
    expect(r.by.sex?.find((row) => row.key === "female")?.placed).toBe(1);

    // Due, not yet overdue; overdue once its day has passed.
    const due = (await get("case_worker", "/api/v1/pathways/follow-ups")).json();
    expect(due.items.find((i: { pathwayId: string }) => i.pathwayId === pathwayId)).toMatchObject({
      nextFollowUpDue: addDays(today, 30),
      overdue: false,
    });
    const later = addDays(today, 31);
    const overdue = (
      await get("case_worker", `/api/v1/pathways/follow-ups?overdue=true&asOf=${later}`)
    ).json();
    expect(overdue.items.find((i: { pathwayId: string }) => i.pathwayId === pathwayId)).toMatchObject({
      overdue: true,
      daysOverdue: 1,
      personId,
    });
    expect(
      (await get("case_worker", "/api/v1/pathways/follow-ups?overdue=true"))
        .json()
        .items.map((i: { pathwayId: string }) => i.pathwayId),
    ).not.toContain(pathwayId);

    await api.ok("case_worker", "pathway.follow_up", {
      pathwayId,
      followedUpOn: today,
      status: "still_placed",
      note: "Attends; the trainer is pleased.",
    });
    r = await report();
    expect(r.totals.stillPlacedAtLastFollowUp).toBe(start.totals.stillPlacedAtLastFollowUp! + 1);
    expect(r.totals.placed).toBe(start.totals.placed! + 1);
    // The report is aggregates: no person, no pathway id.
    const body = JSON.stringify(r);
    expect(body).not.toContain(personId);
    expect(body).not.toContain(pathwayId);

    const mine = (await get("case_worker", `/api/v1/persons/${personId}/pathways`)).json().items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      id: pathwayId,
      state: "placed",
      offeredOn: today,
      respondedOn: today,
      placedOn: today,
      followUpsDone: 1,
      nextFollowUpDue: addDays(today, 90),
      lastFollowUpStatus: "still_placed",
      offer: { trainingCourse: "Tailoring, 3 months", referrals: ["microcredit"] },
    });
    expect(mine[0].followUps).toEqual([
      expect.objectContaining({ followedUpOn: today, due: addDays(today, 30), status: "still_placed" }),
    ]);

    // The public leaf of the offer names no one and carries none of the notes.
    const events = (await get("admin", "/api/v1/events?limit=1000")).json().items as {
      type: string;
      entry: string;
    }[];
    for (const e of events.filter((x) => x.type.startsWith("pathway."))) {
      expect(e.entry).not.toContain(personId);
      expect(e.entry).not.toContain("two children");
      expect(e.entry).not.toContain("trainer is pleased");
    }

    await api.ok("case_worker", "pathway.leave", { pathwayId, leftOn: today, reason: "completed" });
    r = await report();
    expect(r.totals.left).toBe(start.totals.left! + 1);
    expect(r.totals.placed).toBe(start.totals.placed! + 1);
    expect(r.totals.stillPlaced).toBe(start.totals.stillPlaced);

    // Every projection is rebuilt the same from the ledger.
    const verified = await verifyDatabase(api.store);
    expect(verified.projections).toEqual([]);
  });
});

describe("refusals", () => {
  it("refuses an offer to someone not found eligible, and a second active pathway", async () => {
    const unscreened = await newPerson("PWAY000002", { eligible: false });
    const body = await refused(
      "case_worker",
      "pathway.offer",
      { personId: unscreened, kind: "civilian", offeredOn: today, jobPlacement: "Bakery" },
      "payload.personId",
    );
    expect(body.detail).toMatch(/not been found eligible/);

    const personId = await newPerson("PWAY000003");
    const offer = { personId, kind: "security_forces", force: "Federal Police", offeredOn: today };
    const pathwayId = (await api.ok("case_worker", "pathway.offer", offer)).pathwayId as string;
    expect((await refused("case_worker", "pathway.offer", offer, "payload.personId")).detail).toMatch(
      /one pathway at a time/,
    );
    // Not placed before acceptance, nor before vetting clears, nor without a service number.
    const place = { pathwayId, placedOn: today, serviceNumber: "FP-1001", unit: "3rd Brigade" };
    await refused("case_worker", "pathway.place", place, "payload.pathwayId");
    await api.ok("case_worker", "pathway.respond", { pathwayId, response: "accept", respondedOn: today });
    expect((await refused("case_worker", "pathway.place", place, "payload.pathwayId")).detail).toMatch(
      /Vetting/,
    );
    await api.ok("case_worker", "pathway.vet", {
      pathwayId,
      result: "cleared",
      vettedOn: today,
      reference: "MOI-VET-55",
    });
    await refused(
      "case_worker",
      "pathway.place",
      { ...place, serviceNumber: undefined },
      "payload.serviceNumber",
    );
    await api.ok("case_worker", "pathway.place", place);
    // The same force's service number for a second person is refused.
    const other = await newPerson("PWAY000006");
    const second = (await api.ok("case_worker", "pathway.offer", { ...offer, personId: other }))
      .pathwayId as string;
    await api.ok("case_worker", "pathway.respond", {
      pathwayId: second,
      response: "accept",
      respondedOn: today,
    });
    await api.ok("case_worker", "pathway.vet", {
      pathwayId: second,
      result: "cleared",
      vettedOn: today,
      reference: "V-2",
    });
    await refused("case_worker", "pathway.place", { ...place, pathwayId: second }, "payload.serviceNumber");
    const [pathway] = (await get("admin", `/api/v1/persons/${personId}/pathways`)).json().items;
    expect(pathway).toMatchObject({ vetting: "cleared", serviceNumber: "FP-1001", unit: "3rd Brigade" });
  });

  it("keeps commands and reads to the case worker's scope", async () => {
    const personId = await newPerson("PWAY000004");
    const elsewhere = await api.addUser("cw-basra", "case_worker", {
      sites: [api.seed.siteB],
      governorates: "all",
    });
    const res = await api.app.inject({
      method: "POST",
      url: "/api/v1/commands",
      headers: { cookie: elsewhere.cookie },
      payload: {
        commandId: crypto.randomUUID(),
        type: "pathway.offer",
        payload: { personId, kind: "civilian", offeredOn: today, jobPlacement: "Bakery" },
      },
    });
    expectProblem(res, "auth.out-of-scope");
    const read = await api.app.inject({
      method: "GET",
      url: `/api/v1/persons/${personId}/pathways`,
      headers: { cookie: elsewhere.cookie },
    });
    expectProblem(read, "resource.not-found");
  });
});

describe("group transformation and the party pathway", () => {
  it("tracks the group's status and party with their decisions, and opens the party pathway once registered", async () => {
    const personId = await newPerson("PWAY000005");
    const offer = { personId, kind: "political_party", offeredOn: today };
    expect((await refused("case_worker", "pathway.offer", offer, "payload.kind")).detail).toMatch(
      /not registered as a party/,
    );
    const decision = (reference: string) => ({
      reference,
      decidedBy: "Council of Ministers",
      decidedOn: today,
    });
    const groupId = api.seed.groupId;
    const history = async () => (await get("analyst", `/api/v1/groups/${groupId}/status-history`)).json();
    const before = await history();
    // Only the administrator decides about groups.
    expectProblem(
      await api.post("case_worker", "group.transform", {
        groupId,
        status: "disbanded",
        decision: decision("X"),
      }),
      "auth.forbidden",
    );
    if (before.status === "armed")
      await api.ok("admin", "group.transform", { groupId, status: "disarming", decision: decision("CoM 1") });
    await refused(
      "admin",
      "group.transform",
      { groupId, status: "registered_party", decision: decision("CoM 2") },
      "payload.status",
    );
    if (before.party === null)
      await api.ok("admin", "group.party", {
        groupId,
        status: "applied",
        name: { ar: "حزب الاختبار", en: "Test Party" },
        decision: decision("IHEC-7"),
      });
    await api.ok("admin", "group.party", { groupId, status: "registered", decision: decision("IHEC-8") });
    await api.ok("admin", "group.transform", {
      groupId,
      status: "registered_party",
      decision: decision("CoM 3"),
    });
    await refused(
      "admin",
      "group.transform",
      { groupId, status: "armed", decision: decision("CoM 4") },
      "payload.reason",
    );

    const after = await history();
    expect(after).toMatchObject({
      status: "registered_party",
      statusDecidedOn: today,
      party: { status: "registered", on: today, name: { ar: "حزب الاختبار", en: "Test Party" } },
    });
    expect((await get("analyst", `/api/v1/groups/${groupId}`)).json()).toMatchObject({
      status: "registered_party",
      partyStatus: "registered",
      partyNameEn: "Test Party",
    });
    expect(after.history.at(-1)).toMatchObject({
      fromStatus: "disarming",
      status: "registered_party",
      reference: "CoM 3",
      decidedBy: "Council of Ministers",
      decidedOn: today,
    });
    expect(after.partyHistory.map((p: { status: string }) => p.status).slice(-2)).toEqual([
      "applied",
      "registered",
    ]);

    const pathwayId = (await api.ok("case_worker", "pathway.offer", offer)).pathwayId as string;
    await api.ok("case_worker", "pathway.respond", { pathwayId, response: "accept", respondedOn: today });
    await api.ok("case_worker", "pathway.place", { pathwayId, placedOn: today, membershipNumber: "TP-0042" });
    const r = await report("monitor");
    expect(r.by.kind?.find((k) => k.key === "political_party")?.placed).toBeGreaterThanOrEqual(1);
  });

  it("lets no one but those named read a person's pathways or the outcome report", async () => {
    expectProblem(await get("registrar", `/api/v1/persons/${api.seed.personA}/pathways`), "auth.forbidden");
    expectProblem(await get("analyst", `/api/v1/persons/${api.seed.personA}/pathways`), "auth.forbidden");
    expectProblem(await get("custodian", "/api/v1/reports/pathways"), "auth.forbidden");
    expectProblem(await get("anonymous", "/api/v1/reports/pathways"), "auth.required");
  });
});
