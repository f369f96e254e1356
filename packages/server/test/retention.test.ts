import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPersonRow } from "../src/crypto/personal-columns.ts";
import { NotPurged, purgePerson } from "../src/crypto/purge.ts";
import { applyRetention } from "../src/retention/apply.ts";
import { dueRecords, personStillDue, programmePolicy, retentionReport } from "../src/retention/due.ts";
import * as t from "../src/store/schema.ts";
import { verifyDatabase } from "../src/verify/index.ts";
import { type Api, startApi } from "./api/support.ts";
import { personPayload, programmePayload } from "./support/fixtures.ts";
import { personThroughEverything } from "./support/person-journey.ts";

// The retention policy (issue 7): what is due on a day, at its boundaries, and its application
// through the existing purges, after which the ledger still verifies and a second run purges
// nothing more.

/** `day` + `months` calendar months, a day past the month's end falling back to its last day. */
function plusMonths(day: string, months: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
}
const dayBefore = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const today = () => new Date().toISOString().slice(0, 10);

const policy = {
  registration_not_eligible: 12,
  reintegration_ended: 24,
  screening_details: 6,
  payout_details: 18,
  duplicate_decision: 3,
  roster_unmatched: 12,
  ended_session: 1,
};

let api: Api;
let neverEligible: string;
let journeyPerson: string;
let by: { actor: string; role: string; reason: string };
beforeAll(async () => {
  api = await startApi({ seed: true });
  await api.ok("admin", "programme.configure", { ...programmePayload(), retention: policy });
  neverEligible = (
    await api.ok("admin", "person.register", {
      ...personPayload(api.seed.siteA),
      name: { latin: { given: "Hamid", father: "Sabah", family: "al-Zubaidi" } },
      nationalId: "RETAIN000001",
    })
  ).personId as string;
  const journey = await personThroughEverything(api);
  journeyPerson = journey.personId;
  // Their reintegration ends (the placement still open is left) and their listed payment is
  // sent and confirmed paid: nothing of theirs is in flight any more.
  const [placed] = await api.store.db
    .select({ id: t.pathways.id })
    .from(t.pathways)
    .where(sql`${t.pathways.personId} = ${journeyPerson} and ${t.pathways.active}`);
  await api.ok("admin", "pathway.leave", { pathwayId: placed!.id, leftOn: today(), reason: "resigned" });
  await api.ok("admin", "payment.list_send", {
    listId: journey.paymentListId,
    sentAt: new Date().toISOString(),
  });
  const [line] = await api.store.db
    .select({ reference: t.paymentLines.reference, scheduleId: t.paymentLines.scheduleId })
    .from(t.paymentLines)
    .where(eq(t.paymentLines.listId, journey.paymentListId));
  await api.ok("admin", "payment.confirm", {
    fileName: "confirmation.csv",
    fileSha256: "d".repeat(64),
    receivedAt: new Date().toISOString(),
    lines: [{ line: 2, reference: line!.reference, amount: "150000", status: "paid", date: today() }],
  });
  // A person kept (eligible, no pathway) paid once: only their payment details fall due.
  await api.ok("admin", "payment.account_set", {
    personId: api.seed.personA,
    channel: "mobile_money",
    account: "+9647700000001",
    holder: "Retained-holder",
  });
  await api.ok("admin", "payment.record", {
    scheduleId: line!.scheduleId,
    period: "2026-05",
    personId: api.seed.personA,
    paidOn: today(),
    channel: "cash",
  });
  // A stipend still running for two years: personA, eligible, stays entitled until it ends.
  await api.ok("admin", "payment.schedule_set", {
    scheduleId: crypto.randomUUID(),
    name: "Second stipend",
    amount: { minor: 100_000, currency: "IQD" },
    periodLength: "monthly",
    firstPeriod: today().slice(0, 7),
    lastPeriod: plusMonths(today(), 24).slice(0, 7),
    channel: "mobile_money",
  });
  await api.ok("admin", "screening.record", {
    personId: api.seed.personA,
    screenedAt: new Date().toISOString(),
    answers: [],
    notes: "Retained-screening-note",
  });
  const [admin] = await api.store.db.select().from(t.users).where(eq(t.users.username, "admin"));
  by = { actor: admin!.id, role: "admin", reason: "the programme's retention policy" };
}, 180_000);
afterAll(() => api?.close());

describe("what the policy makes due", () => {
  it("takes the policy from the programme's configuration, as the write path recorded it", async () => {
    expect(await programmePolicy(api.store)).toEqual(policy);
  });

  it("refuses an absurd period through the write path, naming it, and stores nothing", async () => {
    const [before] = await api.store.db.select().from(t.programme);
    for (const months of [-1, 0, 1201, 2.5]) {
      const res = await api.post("admin", "programme.configure", {
        ...programmePayload(),
        retention: { ...policy, payout_details: months },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: "request.invalid",
        errors: [{ path: "payload.retention.payout_details" }],
      });
    }
    expect((await api.store.db.select().from(t.programme))[0]).toEqual(before);
  });

  it("a registration never found eligible: not due the day before its period has run, due on the day and after", async () => {
    const dueOn = plusMonths(today(), 12);
    const on = async (asOf: string) =>
      (await dueRecords(api.store, policy, asOf)).registration_not_eligible.includes(neverEligible);
    expect(await on(dayBefore(dueOn))).toBe(false);
    expect(await on(dueOn)).toBe(true);
    expect(await on(plusMonths(dueOn, 1))).toBe(true);
    // The seeded people handed in weapons (eligible): never due under this type.
    const due = await dueRecords(api.store, policy, plusMonths(today(), 600));
    expect(due.registration_not_eligible).not.toContain(api.seed.personA);
  });

  it("a screening's details: due six months after the screening, not a day before", async () => {
    const [screening] = await api.store.db
      .select({ id: t.screenings.id, at: t.screenings.screenedAt })
      .from(t.screenings)
      .where(eq(t.screenings.personId, journeyPerson));
    const dueOn = plusMonths(new Date(screening!.at).toISOString().slice(0, 10), 6);
    const on = async (asOf: string) =>
      (await dueRecords(api.store, policy, asOf)).screening_details.includes(screening!.id);
    expect(await on(dayBefore(dueOn))).toBe(false);
    expect(await on(dueOn)).toBe(true);
  });

  it("payment details: kept while the person is still entitled (a schedule runs), due after it ends", async () => {
    const [person] = await api.store.db
      .select({ eligible: t.persons.eligible })
      .from(t.persons)
      .where(eq(t.persons.id, api.seed.personA));
    expect(person?.eligible).toBe(true);
    const due = async (asOf: string) =>
      (await dueRecords(api.store, policy, asOf)).payout_details.includes(api.seed.personA);
    // 18 months after their payment the period has run, but the stipend still runs.
    expect(await due(plusMonths(today(), 18))).toBe(false);
    expect(await due(plusMonths(today(), 25))).toBe(true);
  });

  it("a roster entry matched to no one: due a year after the roster, not a day before; a matched one never", async () => {
    const entries = await api.store.db
      .select()
      .from(t.groupRosterEntries)
      .where(eq(t.groupRosterEntries.groupId, api.seed.groupId));
    const [roster] = await api.store.db
      .select()
      .from(t.groupRosters)
      .where(eq(t.groupRosters.groupId, api.seed.groupId));
    const key = (e: (typeof entries)[number]) => `${e.groupId}/${e.version}/${e.position}`;
    const dueOn = plusMonths(roster!.submittedOn, 12);
    const due = async (asOf: string) => (await dueRecords(api.store, policy, asOf)).roster_unmatched;
    expect(entries).toHaveLength(2);
    expect(await due(dayBefore(dueOn))).toEqual([]);
    // The journey person's entry (position 0) is matched to them: only the other is due.
    expect(await due(dueOn)).toEqual([key(entries.find((e) => e.position === 1)!)]);
  });

  it("an ended session: due a month after it expired, not a day before", async () => {
    const [session] = await api.store.db
      .select({ tokenHash: t.sessions.tokenHash, expiresAt: t.sessions.expiresAt })
      .from(t.sessions)
      .orderBy(sql`${t.sessions.expiresAt} desc`)
      .limit(1);
    const dueOn = plusMonths(new Date(session!.expiresAt).toISOString().slice(0, 10), 1);
    const on = async (asOf: string) =>
      (await dueRecords(api.store, policy, asOf)).ended_session.includes(`session:${session!.tokenHash}`);
    expect(await on(dayBefore(dueOn))).toBe(false);
    expect(await on(dueOn)).toBe(true);
  });

  it("reports counts per type, never who", async () => {
    const report = await retentionReport(api.store, plusMonths(today(), 600));
    expect(Object.keys(report.due).sort()).toEqual(Object.keys(policy).sort());
    expect(report.due.registration_not_eligible).toBeGreaterThan(0);
    expect(JSON.stringify(report)).not.toContain(neverEligible);
  });
});

describe("GET /api/v1/retention", () => {
  it("answers an administrator the policy and the counts due, and names no one", async () => {
    const asOf = plusMonths(today(), 600);
    const res = await api.send("admin", { method: "GET", url: `/api/v1/retention?asOf=${asOf}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(await retentionReport(api.store, asOf));
    expect(res.body).not.toContain(neverEligible);
  });

  it("refuses a day that is not one, with a stable code", async () => {
    for (const asOf of ["2026-02-30", "2026-13-01", "0000-01-01", "tomorrow", "2026-1-1"]) {
      const res = await api.send("admin", { method: "GET", url: `/api/v1/retention?asOf=${asOf}` });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: "request.invalid", errors: [{ path: "asOf" }] });
    }
  });

  it("refuses every other role (deny by default)", async () => {
    for (const who of ["registrar", "custodian", "analyst", "monitor"] as const) {
      const res = await api.send(who, { method: "GET", url: "/api/v1/retention" });
      expect(res.statusCode, who).toBe(403);
    }
  });
});

describe("applying the policy", () => {
  it("re-checks each person in the purge's own transaction: one no longer due is kept, unchanged", async () => {
    const dueOn = plusMonths(today(), 12);
    const still = (asOf: string) =>
      personStillDue(api.store.db, "registration_not_eligible", 12, asOf, neverEligible);
    expect(await still(dueOn)).toBe(true);
    expect(await still(dayBefore(dueOn))).toBe(false);
    await expect(
      purgePerson(api.store, neverEligible, by, {
        onlyIf: (tx) => personStillDue(tx, "registration_not_eligible", 12, dayBefore(dueOn), neverEligible),
      }),
    ).rejects.toBeInstanceOf(NotPurged);
    const keys = await api.store.personal.keys();
    const [row] = await api.store.db.select().from(t.persons).where(eq(t.persons.id, neverEligible));
    expect(openPersonRow(keys, row!).name).not.toEqual({ purged: true });
  });

  it("purges nothing before anything is due", async () => {
    const done = await applyRetention(api.store, today(), by);
    expect(Object.values(done.purged).every((n) => n === 0)).toBe(true);
  }, 60_000);

  it("purges what is due through the existing purges, logs it, verifies after, and purges nothing more the second time", async () => {
    const later = plusMonths(today(), 600);
    const before = await retentionReport(api.store, later);
    const done = await applyRetention(api.store, later, by);
    expect(done.purged.registration_not_eligible).toBe(before.due.registration_not_eligible);
    expect(done.purged.ended_session).toBe(before.due.ended_session);
    // The journey person's ended reintegration purges them whole (their screening, payments and
    // review with them); personA is kept, their payment details and screening are due.
    expect(before.due).toMatchObject({
      payout_details: 1,
      screening_details: 1,
      duplicate_decision: 0,
      roster_unmatched: 1,
    });
    expect(done.purged).toEqual(before.due);
    expect(before.due.reintegration_ended).toBe(1);
    expect(Object.values(done.purged).reduce((a, b) => a + b, 0)).toBeGreaterThan(2);

    // The never-eligible person's record reads purged, as after `armsledger purge --person`.
    const keys = await api.store.personal.keys();
    const [row] = await api.store.db.select().from(t.persons).where(eq(t.persons.id, neverEligible));
    expect(openPersonRow(keys, row!).name).toEqual({ purged: true });
    // Their purge is in the access log, with the reason, under retention's channel.
    const logged = await api.store.db
      .select()
      .from(t.accessLog)
      .where(sql`${t.accessLog.subjectId} = ${neverEligible} and ${t.accessLog.action} = 'person.purge'`);
    expect(logged).toEqual([
      expect.objectContaining({
        channel: "armsledger retention apply (registration_not_eligible)",
        purpose: "the programme's retention policy",
      }),
    ]);

    // Nothing left due, a second run purges nothing, and the ledger and projections still verify.
    expect(Object.values((await retentionReport(api.store, later)).due).every((n) => n === 0)).toBe(true);
    const again = await applyRetention(api.store, later, by);
    expect(Object.values(again.purged).every((n) => n === 0)).toBe(true);
    const verified = await verifyDatabase(api.store);
    expect(verified).toMatchObject({ ok: true, ledger: [], projections: [] });
    expect(verified.purged).toBeGreaterThan(0);
    // Weapons and handovers stay.
    expect((await api.store.db.select().from(t.weaponItems)).length).toBeGreaterThan(0);
  }, 240_000);
});
