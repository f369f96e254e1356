import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRow, sealRow } from "../../src/crypto/personal-columns.ts";
import { purgeAllPersonalData } from "../../src/crypto/purge.ts";
import * as t from "../../src/store/schema.ts";
import { verifyDatabase } from "../../src/verify/index.ts";
import { type Api, startApi } from "../api/support.ts";
import {
  type Journey,
  journeyNeedles,
  personThroughEverything,
  readsAbout,
} from "../support/person-journey.ts";
import { everyOpenedText, needlesIn } from "./personal-needles.ts";

// The emergency purge (crypto-shredding) of a database holding one person with every kind of
// record (issue 7): replay must still rebuild every projection from the leaves and the purged
// parts' stand-ins, row for row, and name a real edit of those rows made after the purge.

const keyPartNotes = ["Taken-off-by-sergeant-Ali-Hassan", "Put-back-by-sergeant-Ali-Hassan"];
// People a group's records name (private in their events, sealed in their rows): its liaison
// officers (and their correction), its handover's representative, verifying officer and witness.
const groupPeople = {
  liaison: { name: "Liaison Abu Haidar Rubaie", phone: "+964 770 555 0101" },
  correctedLiaison: { name: "Liaison Umm Zahraa Khafaji", phone: "+964 781 555 0202" },
  representative: "Representative Abbas Fartusi",
  verifyingOfficer: { name: "Observer Salwa Janabi", affiliation: "Monitoring-mission-Mahmudiyah" },
  witness: { name: "Witness Kadhim Obeidi", affiliation: "Elders-of-Yusufiyah" },
  transformReason: "commander-Abu-Haidar-signed-at-Latifiya",
};
const groupNeedles = [
  groupPeople.liaison.name,
  groupPeople.liaison.phone,
  groupPeople.correctedLiaison.name,
  groupPeople.correctedLiaison.phone,
  groupPeople.representative,
  groupPeople.verifyingOfficer.name,
  groupPeople.verifyingOfficer.affiliation,
  groupPeople.witness.name,
  groupPeople.witness.affiliation,
  groupPeople.transformReason,
];
let groupId: string;
let groupHandoverId: string;

let api: Api;
let journey: Journey;
beforeAll(async () => {
  api = await startApi({ seed: true });
  journey = await personThroughEverything(api);
  // A key part of their rifle taken off and put back, each with a note (private parts, no person).
  const [rifle] = await api.store.db
    .select({ id: t.weaponItems.id })
    .from(t.weaponItems)
    .where(eq(t.weaponItems.serial, "PRG-JRN-1"));
  const { partId } = await api.ok("admin", "weapon.separate_part", {
    weaponId: rifle!.id,
    part: "bolt",
    separatedAt: new Date().toISOString(),
    note: keyPartNotes[0],
  });
  await api.ok("admin", "weapon.reattach_part", {
    partId,
    reattachedAt: new Date().toISOString(),
    note: keyPartNotes[1],
  });
  ({ groupId } = (await api.ok("admin", "group.register", {
    code: "SHAMS",
    name: { ar: "كتائب الشمس", en: "Sun Brigades" },
    governorates: ["IQ-BG"],
    liaisonOfficers: [groupPeople.liaison],
  })) as { groupId: string });
  const [group] = await api.store.db
    .select({ seq: t.armedGroups.registeredSeq })
    .from(t.armedGroups)
    .where(eq(t.armedGroups.id, groupId));
  await api.ok("admin", "record.correct", {
    kind: "group",
    id: groupId,
    corrects: group!.seq,
    changes: { liaisonOfficers: [groupPeople.correctedLiaison] },
    reason: "The first officer was replaced.",
  });
  await api.ok("admin", "group.transform", {
    groupId,
    status: "disarming",
    decision: { reference: "CoM 2026/9", decidedBy: "Council of Ministers", decidedOn: "2026-02-10" },
    reason: groupPeople.transformReason,
  });
  ({ handoverId: groupHandoverId } = (await api.ok("admin", "handover.record", {
    siteId: api.seed.siteA,
    handedAt: new Date().toISOString(),
    verifyingOfficer: groupPeople.verifyingOfficer,
    witnesses: [groupPeople.witness],
    from: { kind: "group", groupId, representative: groupPeople.representative },
    weapons: [
      {
        category: "rifle",
        type: "assault rifle",
        make: "Kalashnikov",
        model: "AKM",
        calibre: "7.62x39mm",
        serial: "SHAMS-JRN-1",
        condition: "good",
        serviceable: true,
      },
    ],
    ammunition: [],
  })) as { handoverId: string });
}, 120_000);
afterAll(() => api.close());

const get = async (url: string) => {
  const res = await api.send("admin", { method: "GET", url });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json();
};

describe("the emergency purge after one person's every kind of record", () => {
  it("verify passes with no difference, names the purged parts; weapons, custody and the balance remain", async () => {
    const { personId, pathwayIds, paymentListId, cardNumber } = journey;
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, projections: [], purged: 0 });
    const weapons = async () => (await api.store.db.select({ n: count() }).from(t.weaponItems))[0]!.n;
    const [weapon] = await api.store.db
      .select({ id: t.weaponItems.id })
      .from(t.weaponItems)
      .where(eq(t.weaponItems.serial, "PRG-JRN-1"));
    const keyParts = async () => (await api.store.db.select({ n: count() }).from(t.keyParts))[0]!.n;
    const before = {
      weapons: await weapons(),
      keyParts: await keyParts(),
      trail: await get(`/api/v1/items/weapon/${weapon!.id}/trail`),
      balance: await get("/api/v1/reports/disposition-balance"),
    };

    const [admin] = await api.store.db.select().from(t.users).limit(1);
    await purgeAllPersonalData(api.store, {
      actor: admin!.id,
      role: "admin",
      reason: "the office is about to be overrun",
    });
    const report = await verifyDatabase(api.store);
    expect(report.projections).toEqual([]);
    expect(report).toMatchObject({ ok: true, ledger: [], purgedLeftovers: 0 });
    const privateParts = (await api.store.db.select({ n: count() }).from(t.eventPrivate))[0]!.n;
    expect(report.purged).toBe(privateParts);

    const asOfless = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (k === "asOf" ? undefined : v)));
    expect(await weapons()).toBe(before.weapons);
    expect(await keyParts()).toBe(before.keyParts);
    expect(before.keyParts).toBeGreaterThan(0);
    expect(await get(`/api/v1/items/weapon/${weapon!.id}/trail`)).toEqual(before.trail);
    expect(asOfless(await get("/api/v1/reports/disposition-balance"))).toEqual(asOfless(before.balance));

    // The reviewers' words (sealed beside the review) go too.
    const keys = await api.store.personal.keys();
    const reviews = (await api.store.db.select().from(t.duplicateReviews)).map(
      (r) => openRow(keys, "duplicate_reviews", r.personId, r).reason,
    );
    expect(reviews.filter((r) => r !== null).length).toBeGreaterThan(0);
    for (const reason of reviews) expect([null, "[purged]"]).toContain(reason);
    // The people a group's records name read purged: its liaison officers, its handover's
    // representative, verifying officer and witnesses, the reason for its transformation.
    const [group] = await api.store.db.select().from(t.armedGroups).where(eq(t.armedGroups.id, groupId));
    expect(openRow(keys, "armed_groups", groupId, group!).liaisonOfficers).toEqual({ purged: true });
    const [handover] = await api.store.db
      .select()
      .from(t.handovers)
      .where(eq(t.handovers.id, groupHandoverId));
    expect(openRow(keys, "handovers", groupHandoverId, handover!)).toMatchObject({
      representative: "[purged]",
      verifyingOfficer: { purged: true },
      witnesses: { purged: true },
    });
    const history = await get(`/api/v1/groups/${groupId}/status-history`);
    expect(history.history.map((h: { reason: string | null }) => h.reason)).toEqual(["[purged]"]);
    // The group's handover's receipt still prints, its verifying officer "[purged]".
    const receipt = await api.send("admin", {
      method: "GET",
      url: `/api/v1/handovers/${groupHandoverId}/receipt.pdf`,
    });
    expect(receipt.statusCode, receipt.body).toBe(200);
    // Nothing of the person decrypts any more, wherever the server itself would read it.
    const needles = [...journeyNeedles(), ...keyPartNotes, ...groupNeedles];
    for (const [table, text] of await everyOpenedText(api.store))
      expect.soft(needlesIn(text, needles), table).toEqual([]);
    // Every read about them answers purged fields: no 5xx, nothing of theirs.
    for (const url of [
      ...readsAbout(personId, paymentListId, api.seed.groupId),
      ...readsAbout(personId, paymentListId, groupId),
      `/api/v1/handovers/${groupHandoverId}`,
      `/api/v1/persons/${personId}/history`,
      "/api/v1/persons?limit=1000",
    ]) {
      const res = await api.send("admin", { method: "GET", url });
      expect.soft(res.statusCode, `${url}: ${res.body}`).toBeLessThan(500);
      expect.soft(needlesIn(res.body, needles), url).toEqual([]);
    }
    expect(await get(`/api/v1/persons/${personId}`)).toMatchObject({ id: personId, purged: true });
    expect(JSON.stringify(await get(`/api/v1/persons/${personId}/pathways`))).toContain(pathwayIds[0]);
    expect(JSON.stringify(await get(`/api/v1/persons/${personId}/cards`))).toContain(cardNumber);
  }, 120_000);

  it("still names a real edit of the records built from purged parts, or a purged value written back", async () => {
    const [civilian, police] = journey.pathwayIds;
    await api.store.db
      .update(t.pathways)
      .set({ kind: "security_forces" })
      .where(eq(t.pathways.id, civilian!));
    // A value where the purge left nothing, sealed under the live key: it reads, so it is compared.
    const keys = await api.store.personal.keys();
    await api.store.db
      .update(t.pathways)
      .set(sealRow(keys, "pathways", police!, { unit: "Invented-unit" }))
      .where(eq(t.pathways.id, police!));
    const [correction] = await api.store.db
      .select({ seq: t.corrections.seq })
      .from(t.corrections)
      .where(eq(t.corrections.subjectId, journey.personId));
    await api.store.db
      .update(t.corrections)
      .set({ corrects: 1 })
      .where(eq(t.corrections.seq, correction!.seq));
    const [screening] = await api.store.db
      .select({ id: t.screenings.id, status: t.screenings.status })
      .from(t.screenings)
      .where(eq(t.screenings.personId, journey.personId));
    await api.store.db
      .update(t.screenings)
      .set({ status: screening!.status === "eligible" ? "ineligible" : "eligible" })
      .where(eq(t.screenings.id, screening!.id));
    const report = await verifyDatabase(api.store);
    expect(report.ok).toBe(false);
    const named = (table: string, key: string, columns: string[]) => ({
      table,
      key,
      kind: "changed",
      columns,
    });
    expect(report.projections).toEqual(
      expect.arrayContaining([
        named("corrections", String(correction!.seq), ["corrects"]),
        named("screenings", screening!.id, ["status"]),
        named("pathways", civilian!, ["kind"]),
        named("pathways", police!, ["unit"]),
      ]),
    );
    expect(report.projections).toHaveLength(4);
  }, 120_000);
});
