import { eventPrivacy } from "@armsledger/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRow } from "../../src/crypto/personal-columns.ts";
import { purgePerson } from "../../src/crypto/purge.ts";
import * as t from "../../src/store/schema.ts";
import { verifyDatabase } from "../../src/verify/index.ts";
import { type Api, startApi } from "../api/support.ts";
import {
  journeyNeedles,
  journeyPhotoHash,
  personThroughEverything,
  readsAbout,
} from "../support/person-journey.ts";
import { everyOpenedText, needlesIn } from "./personal-needles.ts";

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

describe("one person's purge after every kind of event about them", () => {
  it("replaces every private part naming them, and verify still rebuilds every projection", async () => {
    const { personId, types, pathwayIds, paymentListId } = await personThroughEverything(api);
    // Every event type whose private part can name one person, but the group's roster (its
    // entries are the group's list) and a merge (its subject is the duplicate, merged away).
    const aboutOnePerson = Object.keys(eventPrivacy).filter((type) =>
      ["personId", "subject"].some((field) =>
        eventPrivacy[type]!({ subject: { kind: "person" } }).includes(field),
      ),
    );
    expect([...types].sort()).toEqual(aboutOnePerson.filter((type) => type !== "duplicate.merged").sort());
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, projections: [] });

    // The figures: the same after the purge (the roster's one entry is unreadable instead of registered).
    const get = async (url: string) => {
      const res = await api.send("admin", { method: "GET", url });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      return res.json();
    };
    const figures = async () => ({
      payments: await get("/api/v1/reports/payments"),
      pathways: await get("/api/v1/reports/pathways"),
      eligibility: await get("/api/v1/reports/eligibility"),
      list: (({ lineCount, totalMinor, exceptionCount }) => ({ lineCount, totalMinor, exceptionCount }))(
        await get(`/api/v1/payment-lists/${paymentListId}`),
      ),
      roster: await get(`/api/v1/groups/${api.seed.groupId}/roster-comparison`),
    });
    const before = await figures();
    expect(before.roster.roster).toMatchObject({ entries: 2, registered: 1, unreadable: 0 });

    const [admin] = await api.store.db.select().from(t.users).limit(1);
    const done = await purgePerson(api.store, personId, {
      actor: admin!.id,
      role: "admin",
      reason: "consent withdrawn in writing",
    });
    // Beside the parts about them, their payment list's and their group's roster's, whole.
    expect(done.privateParts).toBeGreaterThanOrEqual(types.size + 2);
    expect(done).toMatchObject({ rosterEntries: 1, photos: 1, payoutAccounts: 1 });
    const after = await figures();
    const asOfless = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (k === "asOf" ? undefined : v)));
    expect(asOfless({ ...after, roster: undefined })).toEqual(asOfless({ ...before, roster: undefined }));
    expect(after.roster.growth).toEqual(before.roster.growth);
    expect(after.roster.roster).toMatchObject({ entries: 2, registered: 0, notRegistered: 2, unreadable: 1 });
    // What the records about them said went too, as the server itself reads them (opened): their
    // screenings, appeals, revocations, pathways (the offer too), follow-ups, handovers, payout
    // accounts, payment lines (a list's included), their group's roster entries, and every private
    // part (the lists that named them among others included).
    const needles = journeyNeedles();
    for (const [table, text] of await everyOpenedText(api.store))
      expect.soft(needlesIn(text, needles), table).toEqual([]);
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
    // Its reason is kept in its event's private part alone (purged), not in the table.
    expect(correction).not.toHaveProperty("reason");
    // Their handover's notes (about them) went; the verifying officer and the witnesses it names
    // act in their own roles, not the person's data: they stay (the emergency purge shreds them).
    const [handover] = await api.store.db
      .select()
      .from(t.handovers)
      .where(eq(t.handovers.personId, personId));
    const opened = openRow(await api.store.personal.keys(), "handovers", handover!.id, handover!);
    expect(opened.notes).toBe("[purged]");
    expect(opened.verifyingOfficer).toMatchObject({
      name: expect.any(String),
      affiliation: expect.any(String),
    });
    expect(Array.isArray(opened.witnesses)).toBe(true);
    const report = await verifyDatabase(api.store);
    expect(report.projections).toEqual([]);
    expect(report).toMatchObject({ ok: true, ledger: [], purgedLeftovers: 0, purged: done.privateParts });

    // Every read that shows them, their pathways, payments and their group's roster: no 5xx, and
    // nothing of theirs in the answer.
    for (const url of [
      `/api/v1/files/${journeyPhotoHash}`,
      ...readsAbout(personId, paymentListId, api.seed.groupId),
    ]) {
      const res = await api.send("admin", { method: "GET", url });
      // Their photo is gone: not found, as any file that does not exist.
      expect(res.statusCode, `${url}: ${res.body}`).toBe(url.startsWith("/api/v1/files/") ? 404 : 200);
      // (A 404 names the file asked for, which the asker knew.)
      if (res.statusCode === 200) expect(needlesIn(res.body, needles), url).toEqual([]);
    }
    const pathways = (
      await api.send("admin", { method: "GET", url: `/api/v1/persons/${personId}/pathways` })
    ).json();
    expect(JSON.stringify(pathways)).toContain(pathwayIds[0]);
  }, 120_000);
});

// A merge's private part names the duplicate (`personId`, its subject) and the registration it
// was merged into. After either is purged, verify replays the merge from its stand-in
// (verify/purged-stand-ins.ts) and must rebuild the same review, persons and name keys.
describe("one person's purge after a merge, either side", () => {
  const registration = (given: [string, string], nationalId: string) => ({
    siteId: api.seed.siteA,
    kind: "combatant",
    name: {
      arabic: { given: given[0], father: "مهدي", family: "الساعدي" },
      latin: { given: given[1], father: "Mahdi", family: "al-Saadi" },
    },
    motherName: { arabic: "سكينة" },
    birth: { date: "1979-11-02" },
    sex: "male",
    governorate: "IQ-BG",
    groupId: api.seed.groupId,
    nationalId,
    listedByGroup: true,
    consent: { given: true, recordedOn: new Date().toISOString().slice(0, 10) },
  });

  /** Two registrations of one man, the second merged into the first by another officer. */
  async function merged(given: [string, string], nationalId: string) {
    const first = (await api.ok("registrar", "person.register", registration(given, nationalId)))
      .personId as string;
    const copy = await api.post("registrar", "person.register", registration(given, nationalId));
    expect(copy.statusCode, copy.body).toBe(200);
    const duplicate = copy.json().data.personId as string;
    await api.ok("admin", "duplicate.merge", {
      personId: duplicate,
      intoPersonId: first,
      reason: "The same man: the same identity card, registered twice.",
    });
    const [review] = await api.store.db
      .select()
      .from(t.duplicateReviews)
      .where(eq(t.duplicateReviews.personId, duplicate));
    expect(review).toMatchObject({ status: "merged", mergedInto: first });
    return { first, duplicate };
  }

  const purge = async (personId: string) => {
    const [admin] = await api.store.db.select().from(t.users).limit(1);
    return purgePerson(api.store, personId, { actor: admin!.id, role: "admin", reason: "court order" });
  };

  it("the duplicate merged away: verify rebuilds the merge from its stand-in", async () => {
    const { duplicate } = await merged(["مرتضى", "Murtadha"], "197911020001");
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, projections: [] });
    const done = await purge(duplicate);
    expect(done.privateParts).toBeGreaterThanOrEqual(2);
    const report = await verifyDatabase(api.store);
    expect(report.projections).toEqual([]);
    expect(report).toMatchObject({ ok: true, ledger: [], purgedLeftovers: 0 });
    const reviews = await api.send("admin", {
      method: "GET",
      url: "/api/v1/duplicate-reviews?status=merged",
    });
    expect(reviews.statusCode).toBe(200);
    const review = (reviews.json().items as { personId: string }[]).find((r) => r.personId === duplicate);
    // The record merged away reads purged; the registration it was merged into keeps its name.
    expect(review).toMatchObject({ person: { purged: true, name: { arabic: null } }, reason: "[purged]" });
  }, 60_000);

  it("the registration merged into: verify rebuilds the merge, the duplicate keeps what it had", async () => {
    const { first, duplicate } = await merged(["منتظر", "Muntadhar"], "197911020002");
    const done = await purge(first);
    expect(done.privateParts).toBeGreaterThanOrEqual(1);
    const report = await verifyDatabase(api.store);
    expect(report.projections).toEqual([]);
    expect(report).toMatchObject({ ok: true, ledger: [], purgedLeftovers: 0 });
    const res = await api.send("admin", { method: "GET", url: `/api/v1/persons/${duplicate}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ purged: false });
    expect(
      (await api.send("admin", { method: "GET", url: `/api/v1/persons/${first}` })).json(),
    ).toMatchObject({
      purged: true,
    });
  }, 60_000);
});
