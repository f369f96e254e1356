import { eventPrivacy } from "@armsledger/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRow } from "../../src/crypto/personal-columns.ts";
import { subjectIndex } from "../../src/crypto/private-part.ts";
import { purgePerson } from "../../src/crypto/purge.ts";
import * as t from "../../src/store/schema.ts";
import { verifyDatabase } from "../../src/verify/index.ts";
import { type Api, startApi } from "../api/support.ts";
import { handoverPayload, rifle } from "../support/fixtures.ts";

// One person's purge after a person has been through every kind of event whose private part names
// them (issue 7): registration (with a duplicate review), its dismissal, a handover, a screening,
// cards issued, reissued and revoked, two pathways through every stage, a payout account and a
// payment, a revocation, an appeal and its decision, a correction, and the record of a death.
// The purge replaces each of those private parts; `verify` must still rebuild every projection.

let api: Api;
beforeAll(async () => {
  api = await startApi({ seed: true });
}, 60_000);
afterAll(() => api.close());

const today = new Date().toISOString().slice(0, 10);
const now = () => new Date().toISOString();
const name = {
  arabic: { given: "كاظم", father: "جواد", family: "الربيعي" },
  latin: { given: "Kadhim", father: "Jawad", family: "al-Rubaie" },
};
const registration = (nationalId?: string) => ({
  siteId: api.seed.siteA,
  kind: "combatant",
  name,
  motherName: { arabic: "زهرة" },
  birth: { date: "1985-03-04" },
  sex: "male",
  governorate: "IQ-BG",
  groupId: api.seed.groupId,
  role: "deputy commander at the Tarmiyah checkpoint",
  ...(nationalId ? { nationalId } : {}),
  listedByGroup: true,
  consent: { given: true, recordedOn: today },
});

async function journey(): Promise<{ personId: string; types: Set<string> }> {
  const ok = (type: string, payload: unknown) => api.ok("admin", type, payload);
  // Registered by a registrar: another officer reviews.
  await api.ok("registrar", "person.register", registration());
  // A near-copy of the first: its registration opens a duplicate review, dismissed.
  const registered = await api.post("registrar", "person.register", registration());
  expect(registered.statusCode, registered.body).toBe(200);
  const personId = registered.json().data.personId as string;
  const registeredSeq = registered.json().seq as number;
  await ok("duplicate.dismiss", {
    personId,
    reason: "A brother, not the same man: two identity cards seen.",
  });
  await ok("handover.record", {
    ...handoverPayload(api.seed.siteA, personId, [rifle("PRG-JRN-1")]),
    notes: "Came with his cousin Karim.",
  });
  await ok("screening.record", { personId, screenedAt: now(), answers: [], notes: "Limps on the left leg." });
  const { cardNumber } = await ok("card.issue", { personId });
  const reissued = await ok("card.reissue", {
    cardNumber,
    reason: "lost",
    note: "Lost at the Shorja market.",
  });
  await ok("card.revoke", { cardNumber: reissued.cardNumber, reason: "Sold at the Sadr market." });
  const civilian = (
    await ok("pathway.offer", { personId, kind: "civilian", offeredOn: today, trainingCourse: "Welding" })
  ).pathwayId as string;
  await ok("pathway.respond", { pathwayId: civilian, response: "accept", respondedOn: today });
  await ok("pathway.place", {
    pathwayId: civilian,
    placedOn: today,
    placement: "Welders' cooperative, Karkh",
  });
  await ok("pathway.follow_up", {
    pathwayId: civilian,
    followedUpOn: today,
    status: "still_placed",
    note: "Moved in with his cousin.",
  });
  await ok("pathway.leave", {
    pathwayId: civilian,
    leftOn: today,
    reason: "resigned",
    note: "Went back to Tarmiyah.",
  });
  const police = (
    await ok("pathway.offer", {
      personId,
      kind: "security_forces",
      offeredOn: today,
      force: "Federal Police",
      unit: "9th Brigade",
    })
  ).pathwayId as string;
  await ok("pathway.respond", { pathwayId: police, response: "accept", respondedOn: today });
  await ok("pathway.vet", { pathwayId: police, result: "cleared", vettedOn: today, reference: "VET-JRN-1" });
  await ok("pathway.place", { pathwayId: police, placedOn: today, serviceNumber: "FP-JRN-0001" });
  const scheduleId = crypto.randomUUID();
  await ok("payment.schedule_set", {
    scheduleId,
    name: "Reinsertion stipend",
    amount: { minor: 150_000, currency: "IQD" },
    periodLength: "monthly",
    firstPeriod: "2026-01",
    lastPeriod: "2026-12",
    channel: "mobile_money",
  });
  await ok("payment.account_set", { personId, channel: "mobile_money", account: "+964 770 765 4321" });
  await ok("payment.record", {
    scheduleId,
    period: "2026-03",
    personId,
    paidOn: today,
    channel: "cash",
    note: "Paid to his wife.",
  });
  await ok("eligibility.revoke", {
    personId,
    revokedAt: now(),
    reason: "Seen at a checkpoint of a group still fighting.",
  });
  const { appealId } = await ok("eligibility.appeal", {
    personId,
    lodgedAt: now(),
    lodgedBy: { kind: "representative", name: "Umm Kadhim", relationship: "mother" },
    grounds: "He was at the checkpoint to fetch his brother.",
    evidence: ["Statement of the mukhtar of Tarmiyah"],
  });
  await ok("eligibility.decide_appeal", {
    appealId,
    outcome: "overturned",
    decidedAt: now(),
    reason: "The mukhtar confirmed it.",
  });
  await ok("record.correct", {
    kind: "person",
    id: personId,
    corrects: registeredSeq,
    changes: { role: "commander at the Tarmiyah checkpoint", motherName: { arabic: "زهراء" } },
    reason: "Misread at the desk.",
  });
  await ok("person.record_death", {
    personId,
    diedOn: today,
    source: "Certificate of the Tarmiyah hospital.",
  });
  const keys = await api.store.personal.keys();
  const events = await api.store.db
    .select({ type: t.events.type })
    .from(t.events)
    .innerJoin(t.eventPrivate, eq(t.eventPrivate.seq, t.events.seq))
    .where(eq(t.eventPrivate.subjectIndex, subjectIndex(keys, personId)));
  return { personId, types: new Set(events.map((e) => e.type)) };
}

describe("one person's purge after every kind of event about them", () => {
  it("replaces every private part naming them, and verify still rebuilds every projection", async () => {
    const { personId, types } = await journey();
    // Every event type whose private part can name one person, but the group's roster (its
    // entries are the group's list) and a merge (its subject is the duplicate, merged away).
    const aboutOnePerson = Object.keys(eventPrivacy).filter((type) =>
      ["personId", "subject"].some((field) =>
        eventPrivacy[type]!({ subject: { kind: "person" } }).includes(field),
      ),
    );
    expect([...types].sort()).toEqual(aboutOnePerson.filter((type) => type !== "duplicate.merged").sort());
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, projections: [] });

    const [admin] = await api.store.db.select().from(t.users).limit(1);
    const done = await purgePerson(api.store, personId, {
      actor: admin!.id,
      role: "admin",
      reason: "consent withdrawn in writing",
    });
    expect(done.privateParts).toBeGreaterThanOrEqual(types.size);
    // What the records about them said went too, as the server itself reads them (opened).
    const keys = await api.store.personal.keys();
    const opened = JSON.stringify([
      ...(await api.store.db.select().from(t.screenings)).map((r) => openRow(keys, "screenings", r.id, r)),
      ...(await api.store.db.select().from(t.eligibilityAppeals)).map((r) =>
        openRow(keys, "eligibility_appeals", r.id, r),
      ),
      ...(await api.store.db.select().from(t.eligibilityRevocations)).map((r) =>
        openRow(keys, "eligibility_revocations", r.seq, r),
      ),
      ...(await api.store.db.select().from(t.pathways)).map((r) => openRow(keys, "pathways", r.id, r)),
      ...(await api.store.db.select().from(t.pathwayFollowUps)).map((r) =>
        openRow(keys, "pathway_follow_ups", `${r.pathwayId}/${r.seq}`, r),
      ),
      ...(await api.store.db.select().from(t.handovers)).map((r) => openRow(keys, "handovers", r.id, r)),
    ]);
    for (const said of [
      "Limps",
      "Umm Kadhim",
      "mukhtar",
      "Seen at a checkpoint",
      "Welders",
      "FP-JRN",
      "9th Brigade",
      "cousin",
    ])
      expect(opened).not.toContain(said);
    expect(done.records).toBeGreaterThanOrEqual(7);
    // The correction's new role and mother's name went with the record.
    const [correction] = await api.store.db
      .select()
      .from(t.corrections)
      .where(eq(t.corrections.subjectId, personId));
    const changes = openRow(
      await api.store.personal.keys(),
      "corrections",
      correction!.seq,
      correction!,
    ).changes;
    expect(changes).toEqual({ role: "[purged]", motherName: { purged: true } });
    const report = await verifyDatabase(api.store);
    expect(report.projections).toEqual([]);
    expect(report).toMatchObject({ ok: true, ledger: [], purgedLeftovers: 0, purged: done.privateParts });
  }, 120_000);
});
