import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as t from "../src/store/schema.ts";
import { verifyDatabase } from "../src/verify/index.ts";
import { type Api, counts, expectProblem, startApi } from "./api/support.ts";
import {
  groupPayload,
  handoverPayload,
  personPayload,
  programmePayload,
  rifle,
  sitePayload,
} from "./support/fixtures.ts";

// Screening and eligibility (issue 9) through the HTTP API: a programme that requires screening,
// a combatant found eligible only once screened and armed, an unarmed associated member, an
// exclusion overturned on appeal, a revocation freeing a place under the group's cap, a death,
// and the person's history and the aggregate report. Runs on PGlite, and on PostgreSQL when
// DATABASE_URL is set.

let api: Api;
const cookie: Record<string, string> = {};
let groupId: string;
let siteId: string;
const send = (who: string, method: "GET" | "POST", url: string, payload?: object) =>
  api.app.inject({
    method,
    url,
    headers: { cookie: cookie[who]! },
    ...(payload === undefined ? {} : { payload }),
  } as InjectOptions);
const post = (who: string, type: string, payload: unknown) =>
  send(who, "POST", "/api/v1/commands", { commandId: randomUUID(), type, payload });
async function ok(who: string, type: string, payload: unknown) {
  const res = await post(who, type, payload);
  if (res.statusCode !== 200) throw new Error(`${type}: ${res.statusCode} ${res.body}`);
  return res.json() as { seq: number; data: Record<string, unknown> };
}
/** Refused with this code and field, and nothing recorded. */
async function refused(who: string, type: string, payload: unknown, code: string, path?: string) {
  const before = await counts(api.store);
  const problem = expectProblem(await post(who, type, payload), code as never);
  if (path)
    expect(
      problem.errors?.map((e) => e.path),
      problem.detail,
    ).toContain(path);
  expect(await counts(api.store)).toEqual(before);
  return problem;
}
const now = () => new Date().toISOString();
const get = async (who: string, url: string) => {
  const res = await send(who, "GET", url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const register = async (overrides: Record<string, unknown> = {}) =>
  (await ok("registrar", "person.register", { ...personPayload(siteId, groupId), ...overrides })).data
    .personId as string;
const answers = [{ questionId: "commander_name", answer: "abu saif", evidence: ["ID card photo 17"] }];

beforeAll(async () => {
  api = await startApi();
  cookie.admin = api.headers("admin").cookie!;
  groupId = (await ok("admin", "group.register", groupPayload("ELG-G"))).data.groupId as string;
  siteId = (await ok("admin", "site.register", sitePayload("ELG-01"))).data.siteId as string;
  await ok("admin", "programme.configure", {
    ...programmePayload({ groupId, maxParticipants: 2 }),
    screening: {
      required: true,
      questions: [
        {
          id: "commander_name",
          text: { ar: "ما اسم آمر وحدتك؟", en: "What is your unit commander's name?" },
          verifiedBy: { kind: "answer", answer: "Abu Saif" },
        },
      ],
      minimumVerified: 1,
      exclusionIndications: ["grave_crime"],
      associatedMembersWithoutWeapon: true,
    },
  });
  cookie.registrar = (
    await api.addUser("registrar", "registrar", { sites: [siteId], governorates: "all" })
  ).cookie;
  cookie.caseWorker = (await api.addUser("case-worker", "case_worker")).cookie;
  cookie.analyst = (await api.addUser("analyst", "analyst")).cookie;
});
afterAll(() => api?.close());

describe("screening and eligibility through the API", () => {
  let combatant: string;
  let associate: string;
  let excluded: string;
  let latecomer: string;

  it("finds a combatant eligible only once screened: the group's list alone is not enough", async () => {
    combatant = await register();
    const handover = await ok(
      "registrar",
      "handover.record",
      handoverPayload(siteId, combatant, [rifle("ELG-1")]),
    );
    expect(handover.data.eligibility).toEqual({ status: "ineligible", reasons: ["not_screened"] });
    // Named on the group's list, but answers wrongly: not verified.
    const wrong = await ok("registrar", "screening.record", {
      personId: combatant,
      screenedAt: now(),
      answers: [{ questionId: "commander_name", answer: "I forget" }],
    });
    expect(wrong.data.decision).toEqual({ status: "ineligible", reasons: ["membership_not_verified"] });
    const right = await ok("registrar", "screening.record", {
      personId: combatant,
      screenedAt: now(),
      answers,
    });
    expect(right.data.decision).toEqual({
      status: "eligible",
      reasons: ["membership_verified", "eligible_weapon"],
    });
    expect((await get("admin", `/api/v1/persons/${combatant}`)).eligible).toBe(true);
    // The leaf holds the decision, never the person or what they said.
    const [leaf] = await api.store.db
      .select({ entry: t.events.entry })
      .from(t.events)
      .where(eq(t.events.seq, right.seq));
    expect(leaf!.entry).toContain("membership_verified");
    for (const s of [combatant, "abu saif", "ID card photo"]) expect(leaf!.entry).not.toContain(s);
  });

  it("finds an unarmed associated member eligible without a weapon", async () => {
    associate = await register({ kind: "associated_member", sex: "female", birth: { date: "2010-04-01" } });
    const screened = await ok("caseWorker", "screening.record", {
      personId: associate,
      screenedAt: now(),
      answers,
    });
    expect(screened.data.decision).toEqual({
      status: "eligible",
      reasons: ["membership_verified", "associated_member_unarmed"],
    });
  });

  it("refuses a third person at the cap, and counts a revoked person out of it", async () => {
    latecomer = await register({ sex: "female" });
    await ok("registrar", "handover.record", handoverPayload(siteId, latecomer, [rifle("ELG-2")]));
    const full = await ok("registrar", "screening.record", {
      personId: latecomer,
      screenedAt: now(),
      answers,
    });
    expect(full.data.decision).toEqual({ status: "ineligible", reasons: ["group_cap_reached"] });

    await refused(
      "registrar",
      "eligibility.revoke",
      { personId: combatant, revokedAt: now(), reason: "x" },
      "auth.forbidden",
    );
    await ok("admin", "eligibility.revoke", {
      personId: combatant,
      revokedAt: now(),
      reason: "Also registered in Basra under his grandfather's name.",
    });
    await refused(
      "admin",
      "eligibility.revoke",
      { personId: combatant, revokedAt: now(), reason: "again" },
      "rule.violated",
      "payload.personId",
    );
    // The revoked combatant cannot be screened back in; the latecomer now has a place.
    await refused(
      "registrar",
      "screening.record",
      { personId: combatant, screenedAt: now(), answers },
      "rule.violated",
      "payload.personId",
    );
    const freed = await ok("registrar", "screening.record", {
      personId: latecomer,
      screenedAt: now(),
      answers,
    });
    expect(freed.data.decision).toMatchObject({ status: "eligible" });
    expect((await get("admin", `/api/v1/persons/${combatant}/eligibility`)).eligibilityRevoked).toBe(true);
  });

  it("excludes on an indication of grave crimes, and an overturned appeal makes the person eligible", async () => {
    excluded = await register({ groupId: undefined });
    await ok("registrar", "handover.record", handoverPayload(siteId, excluded, [rifle("ELG-3")]));
    const screened = await ok("registrar", "screening.record", {
      personId: excluded,
      screenedAt: now(),
      answers,
      indications: ["grave_crime"],
      notes: "Named by two witnesses at the Badush inquiry.",
    });
    expect(screened.data.decision).toEqual({ status: "ineligible", reasons: ["exclusion_indicated"] });
    await refused(
      "registrar",
      "screening.record",
      { personId: excluded, screenedAt: now(), answers, indications: ["theft"] },
      "reference.unknown",
      "payload.indications.0",
    );

    const appeal = await ok("registrar", "eligibility.appeal", {
      personId: excluded,
      lodgedAt: now(),
      lodgedBy: { kind: "representative", name: "Umm Hassan", relationship: "mother" },
      grounds: "He was in hospital in Erbil at the time.",
      evidence: ["hospital record 2014/311"],
    });
    const appealId = appeal.data.appealId as string;
    await refused(
      "registrar",
      "eligibility.appeal",
      { personId: excluded, lodgedAt: now(), lodgedBy: { kind: "person" }, grounds: "again" },
      "rule.violated",
      "payload.personId",
    );
    const decision = {
      appealId,
      outcome: "overturned",
      decidedAt: now(),
      reason: "The hospital record holds.",
    };
    await refused("caseWorker", "eligibility.decide_appeal", decision, "auth.forbidden");
    await ok("admin", "eligibility.decide_appeal", decision);
    await refused(
      "admin",
      "eligibility.decide_appeal",
      { ...decision, outcome: "upheld" },
      "rule.violated",
      "payload.appealId",
    );
    expect((await get("admin", `/api/v1/persons/${excluded}`)).eligible).toBe(true);
    await refused(
      "registrar",
      "eligibility.appeal",
      { personId: excluded, lodgedAt: now(), lodgedBy: { kind: "person" }, grounds: "why not" },
      "rule.violated",
      "payload.personId",
    );
    await refused(
      "registrar",
      "eligibility.appeal",
      { personId: randomUUID(), lodgedAt: now(), lodgedBy: { kind: "person" }, grounds: "who?" },
      "reference.unknown",
      "payload.personId",
    );
  });

  it("records a death once, never in the future nor before the birth", async () => {
    const death = (diedOn: string) => ({ personId: associate, diedOn, source: "Civil registry, Mosul" });
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await refused("caseWorker", "person.record_death", death(tomorrow), "rule.violated", "payload.diedOn");
    await refused(
      "caseWorker",
      "person.record_death",
      death("2010-03-31"),
      "rule.violated",
      "payload.diedOn",
    );
    await refused("registrar", "person.record_death", death("2020-01-01"), "auth.forbidden");
    await ok("caseWorker", "person.record_death", death("2010-04-01"));
    await refused(
      "caseWorker",
      "person.record_death",
      death("2020-01-01"),
      "rule.violated",
      "payload.personId",
    );
    expect((await get("admin", `/api/v1/persons/${associate}/eligibility`)).deceasedOn).toBe("2010-04-01");
  });

  it("answers a person's history: handovers, screenings, appeals and revocations", async () => {
    const revoked = await get("registrar", `/api/v1/persons/${combatant}/eligibility`);
    expect(revoked).toMatchObject({
      personId: combatant,
      listedByGroup: true,
      eligible: true,
      eligibilityRevoked: true,
      handovers: [{ status: "ineligible", reasons: ["not_screened"] }],
      screenings: [
        { status: "ineligible", reasons: ["membership_not_verified"], verifiedCount: 0 },
        { status: "eligible", reasons: ["membership_verified", "eligible_weapon"], verifiedCount: 1 },
      ],
      revocations: [{ reason: "Also registered in Basra under his grandfather's name." }],
    });
    const appealed = await get("caseWorker", `/api/v1/persons/${excluded}/eligibility`);
    expect(appealed.appeals).toEqual([
      expect.objectContaining({
        against: "ineligibility",
        status: "overturned",
        grounds: "He was in hospital in Erbil at the time.",
        decisionReason: "The hospital record holds.",
      }),
    ]);
    expect(appealed.screenings[0]).toMatchObject({ indications: ["grave_crime"], excluded: true });
    expectProblem(await send("analyst", "GET", `/api/v1/persons/${excluded}/eligibility`), "auth.forbidden");
    expectProblem(
      await send("admin", "GET", `/api/v1/persons/${randomUUID()}/eligibility`),
      "resource.not-found",
    );
  });

  it("reports counts by group, governorate, sex and age group, with no one named", async () => {
    const res = await send("analyst", "GET", "/api/v1/reports/eligibility");
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.totals).toEqual({
      registered: 4,
      screened: 4,
      eligible: 3, // the associate (deceased, still eligible: standing says what a benefit may do), the latecomer, the appellant
      ineligible: 1, // the revoked combatant
      ineligibleByReason: {},
      appeals: { lodged: 1, pending: 0, upheld: 0, overturned: 1 },
      revoked: 1,
      deceased: 1,
    });
    const cell = (sex: string, ageGroup: string, group: string | null) =>
      report.rows.find(
        (r: { sex: string; ageGroup: string; groupId: string | null }) =>
          r.sex === sex && r.ageGroup === ageGroup && r.groupId === group,
      );
    expect(cell("female", "child", groupId)).toMatchObject({
      groupCode: "ELG-G",
      registered: 1,
      eligible: 1,
      deceased: 1,
    });
    expect(cell("male", "adult", groupId)).toMatchObject({ registered: 1, revoked: 1, ineligible: 1 });
    expect(cell("male", "adult", null)).toMatchObject({ appeals: { lodged: 1, overturned: 1 }, eligible: 1 });
    const text = JSON.stringify(report);
    for (const s of [combatant, associate, excluded, latecomer, "Hassan", "Mohammed"])
      expect(text).not.toContain(s);
    expectProblem(await send("registrar", "GET", "/api/v1/reports/eligibility"), "auth.forbidden");
    // Within the reader's scope: a case worker of Nineveh counts no one in Baghdad; one of the site, everyone.
    cookie.nineveh = (
      await api.addUser("cw-ni", "case_worker", { sites: "all", governorates: ["IQ-NI"] })
    ).cookie;
    cookie.site = (
      await api.addUser("cw-site", "case_worker", { sites: [siteId], governorates: "all" })
    ).cookie;
    expect((await get("nineveh", "/api/v1/reports/eligibility")).totals.registered).toBe(0);
    expect((await get("site", "/api/v1/reports/eligibility")).totals).toEqual(report.totals);
  });

  it("shows the ineligible by the reasons of their latest screening", async () => {
    const unlisted = await register({ groupId: undefined, listedByGroup: false });
    await ok("registrar", "screening.record", { personId: unlisted, screenedAt: now(), answers: [] });
    const report = await get("analyst", "/api/v1/reports/eligibility");
    expect(report.totals.ineligibleByReason).toEqual({ membership_not_verified: 1, no_eligible_item: 1 });
  });

  it("keeps each group's count of eligible people (what the cap is checked against) equal to a count of the people", async () => {
    // Handovers, screenings, an overturned appeal and a revocation all changed it above.
    const kept = await api.store.db.select().from(t.groupEligibleCounts);
    const counted = await api.store.db.execute(
      sql`select group_id as "groupId", count(*)::int as eligible from persons
          where group_id is not null and eligible and not eligibility_revoked group by group_id`,
    );
    const rows = (counted as unknown as { rows: { groupId: string; eligible: number }[] }).rows;
    const nonZero = kept.filter((r) => r.eligible !== 0);
    expect(nonZero.length).toBeGreaterThan(0);
    expect(new Map(nonZero.map((r) => [r.groupId, r.eligible]))).toEqual(
      new Map(rows.map((r) => [r.groupId, r.eligible])),
    );
  });

  it("rebuilds every screening table from the ledger", async () => {
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, projections: [] });
  });
});
