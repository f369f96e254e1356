import { randomUUID } from "node:crypto";
import { type Actor, unlimitedScope } from "@armsledger/core";
import { eq } from "drizzle-orm";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDestructionCertificateData } from "../src/queries/disposition-certificate.ts";
import * as t from "../src/store/schema.ts";
import { verifyDatabase } from "../src/verify/index.ts";
import {
  type Api,
  counts,
  destructionPayload,
  dispatchPayload,
  expectProblem,
  startApi,
} from "./api/support.ts";
import {
  groupPayload,
  handoverPayload,
  personPayload,
  programmePayload,
  rifle,
  sitePayload,
} from "./support/fixtures.ts";

// Loose key parts (issue 4) end to end through the HTTP API: a rifle's bolt taken off at the
// collection site travels to the destruction site on its own manifest, the rifle on another; each
// trail shows the other; the balance counts the bolt apart; the rifle is destroyed only with its
// bolt. Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.

let api: Api;
const ids = {} as {
  collection: string;
  depot: string;
  destruction: string;
  rifles: string[];
  tags: string[];
  bolt: string;
  person: string;
};
const cookie: Record<string, string> = {};

const send = (who: string, method: "GET" | "POST", url: string, payload?: object) =>
  api.app.inject({
    method,
    url,
    headers: { cookie: cookie[who]! },
    ...(payload === undefined ? {} : { payload }),
  } as InjectOptions);
const post = (who: string, type: string, payload: unknown): Promise<LightMyRequestResponse> =>
  send(who, "POST", "/api/v1/commands", { commandId: randomUUID(), type, payload });
async function ok(who: string, type: string, payload: unknown) {
  const res = await post(who, type, payload);
  if (res.statusCode !== 200) throw new Error(`${type} as ${who}: ${res.statusCode} ${res.body}`);
  return res.json() as { seq: number; data: Record<string, unknown> };
}
async function get(who: string, url: string) {
  const res = await send(who, "GET", url);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json();
}
const trail = (kind: string, id: string) => get("monitor", `/api/v1/items/${kind}/${id}/trail`);
const stepTypes = (tr: { steps: { type: string }[] }) => tr.steps.map((s) => s.type);

/** Refused with the problem code, and nothing recorded: every table's row count and the ledger unchanged. */
async function refused(
  who: string,
  type: string,
  payload: unknown,
  code: Parameters<typeof expectProblem>[1],
) {
  const before = await counts(api.store);
  expectProblem(await post(who, type, payload), code);
  expect(await counts(api.store)).toEqual(before);
}

const separate = (overrides: Record<string, unknown> = {}) => ({
  weaponId: ids.rifles[0],
  part: "bolt",
  serial: "B-4471",
  separatedAt: "2026-02-01T12:00:00Z",
  note: "Bolt taken off by Sgt. Ali Hassan for separate shipment.",
  ...overrides,
});

const partsIn = (balance: { byCategory: { kind: string; category: string }[] }) =>
  balance.byCategory.filter((c) => c.kind === "key_part");

beforeAll(async () => {
  api = await startApi();
  cookie.admin = api.headers("admin").cookie!;
  const groupId = (await ok("admin", "group.register", groupPayload("KP-G"))).data.groupId as string;
  ids.collection = (await ok("admin", "site.register", sitePayload("KP-01"))).data.siteId as string;
  ids.depot = (await ok("admin", "site.register", sitePayload("KP-DEP", "depot"))).data.siteId as string;
  ids.destruction = (await ok("admin", "site.register", sitePayload("KP-DES", "destruction"))).data
    .siteId as string;
  await ok("admin", "programme.configure", programmePayload());
  cookie.keeper = (
    await api.addUser("keeper", "custodian", {
      sites: [ids.collection, ids.destruction],
      governorates: "all",
    })
  ).cookie;
  cookie.depotKeeper = (
    await api.addUser("depotKeeper", "custodian", { sites: [ids.depot], governorates: "all" })
  ).cookie;
  cookie.registrar = (
    await api.addUser("registrar", "registrar", { sites: [ids.collection], governorates: "all" })
  ).cookie;
  cookie.disposal = (
    await api.addUser("disposal", "disposal_officer", { sites: [ids.destruction], governorates: "all" })
  ).cookie;
  cookie.monitor = (await api.addUser("monitor", "monitor")).cookie;
  const personId = (await ok("admin", "person.register", personPayload(ids.collection, groupId))).data
    .personId as string;
  ids.person = personId;
  const handover = await ok(
    "admin",
    "handover.record",
    handoverPayload(ids.collection, personId, [rifle("KP-1"), rifle("KP-2"), rifle("KP-3")]),
  );
  const weapons = handover.data.weapons as { itemId: string; tag: string }[];
  ids.rifles = weapons.map((w) => w.itemId);
  ids.tags = weapons.map((w) => w.tag);
  ids.bolt = randomUUID();
});
afterAll(() => api?.close());

describe("loose key parts through the API", () => {
  it("refuses a separation by the wrong people, of an unknown weapon, or before the handover", async () => {
    await refused("registrar", "weapon.separate_part", separate(), "auth.forbidden");
    await refused("depotKeeper", "weapon.separate_part", separate(), "auth.out-of-scope");
    await refused(
      "keeper",
      "weapon.separate_part",
      separate({ weaponId: randomUUID() }),
      "reference.unknown",
    );
    await refused(
      "keeper",
      "weapon.separate_part",
      separate({ separatedAt: "2026-01-31T12:00:00Z" }),
      "rule.violated",
    );
    await refused("keeper", "weapon.separate_part", separate({ part: "stock" }), "request.invalid");
  });

  it("takes the bolt off a rifle: a key part in custody where the rifle is, counted apart in the balance", async () => {
    const answer = await ok("keeper", "weapon.separate_part", separate({ partId: ids.bolt }));
    expect(answer.data).toMatchObject({ partId: ids.bolt, part: "bolt", siteId: ids.collection });
    // The note is personal: not in the public leaf.
    const [leaf] = await api.store.db
      .select({ entry: t.events.entry })
      .from(t.events)
      .where(eq(t.events.seq, answer.seq));
    expect(leaf!.entry).not.toContain("Ali Hassan");
    await refused("keeper", "weapon.separate_part", separate(), "rule.violated");
    const balance = await get("monitor", "/api/v1/reports/disposition-balance");
    expect(balance.balanced).toBe(true);
    expect(partsIn(balance)).toEqual([
      expect.objectContaining({
        category: "bolt",
        collected: 1,
        states: expect.objectContaining({ in_custody: 1 }),
      }),
    ]);
    // The rifle is still one rifle collected, in custody.
    const rifles = balance.byCategory.find((c: { kind: string; category: string }) => c.kind === "weapon");
    expect(rifles).toMatchObject({ collected: 3, states: expect.objectContaining({ in_custody: 3 }) });
  });

  it("sends the bolt and its rifle on separate manifests, never on one", async () => {
    const both = {
      ...dispatchPayload(ids.collection, ids.destruction, [ids.rifles[0]!], ["KP-S0"]),
      items: [
        { kind: "weapon", id: ids.rifles[0] },
        { kind: "key_part", id: ids.bolt },
      ],
      countAtDispatch: 2,
    };
    await refused("keeper", "custody.dispatch", both, "rule.violated");
    const boltOut = await ok("keeper", "custody.dispatch", {
      ...dispatchPayload(ids.collection, ids.destruction, [], ["KP-S1"]),
      items: [{ kind: "key_part", id: ids.bolt }],
      countAtDispatch: 1,
    });
    expect(boltOut.data.manifest).toBe("key_part");
    const rifleOut = await ok(
      "keeper",
      "custody.dispatch",
      dispatchPayload(ids.collection, ids.destruction, [ids.rifles[0]!, ids.rifles[1]!], ["KP-S2"]),
    );
    expect((await get("monitor", "/api/v1/reports/disposition-balance")).balanced).toBe(true);
    await ok("keeper", "custody.receive", {
      transferId: boltOut.data.transferId,
      receivedAt: "2026-02-02T10:00:00Z",
      items: [{ kind: "key_part", id: ids.bolt }],
      countAtReceipt: 1,
      sealsIntact: ["KP-S1"],
      location: { store: "Destruction store", container: "Parts box 1" },
      countersignedBy: { name: "Capt. Nadia Salem", affiliation: "Destruction site" },
    });
    await ok("keeper", "custody.receive", {
      transferId: rifleOut.data.transferId,
      receivedAt: "2026-02-02T10:30:00Z",
      items: [
        { kind: "weapon", id: ids.rifles[0] },
        { kind: "weapon", id: ids.rifles[1] },
      ],
      countAtReceipt: 2,
      sealsIntact: ["KP-S2"],
      location: { store: "Destruction store" },
      countersignedBy: { name: "Capt. Nadia Salem", affiliation: "Destruction site" },
    });
  });

  it("shows each in the other's trail, and the bolt's own journey", async () => {
    const bolt = await trail("key_part", ids.bolt);
    expect(bolt.item).toMatchObject({
      kind: "key_part",
      // Its weapon's tag, numbered among the parts taken off it.
      tag: `${ids.tags[0]}/P1`,
      part: "bolt",
      serial: "B-4471",
      state: "in_custody",
      holderSiteId: ids.destruction,
      location: { store: "Destruction store", container: "Parts box 1" },
      weapon: { id: ids.rifles[0], tag: ids.tags[0], state: "in_custody" },
    });
    expect(stepTypes(bolt)).toEqual(["weapon.part_separated", "custody.dispatched", "custody.received"]);
    const rifleTrail = await trail("weapon", ids.rifles[0]!);
    expect(rifleTrail.item.keyParts).toEqual([
      expect.objectContaining({
        id: ids.bolt,
        part: "bolt",
        state: "in_custody",
        holderSiteId: ids.destruction,
      }),
    ]);
    expect(stepTypes(rifleTrail)).toEqual([
      "handover.recorded",
      "weapon.part_separated",
      "custody.dispatched",
      "custody.received",
    ]);
    // The other rifle has no part apart.
    expect((await trail("weapon", ids.rifles[1]!)).item.keyParts).toEqual([]);
    expectProblem(
      await send("monitor", "GET", `/api/v1/items/key_part/${ids.rifles[0]}/trail`),
      "resource.not-found",
    );
  });

  it("destroys the rifle only with its bolt, and balances the bolt as destroyed", async () => {
    await refused(
      "disposal",
      "disposition.destroy",
      destructionPayload(ids.destruction, [ids.rifles[0]!]),
      "rule.violated",
    );
    const batch = destructionPayload(ids.destruction, [ids.rifles[0]!, ids.rifles[1]!]);
    batch.items.push({ kind: "key_part", id: ids.bolt });
    const destroyed = await ok("disposal", "disposition.destroy", batch);
    // The certificate names every item of the batch, the bolt by its rifle's tag and its own serial.
    const certificate = await getDestructionCertificateData(
      api.store,
      { userId: "monitor", role: "monitor", scope: unlimitedScope } as Actor,
      destroyed.data.batchId as string,
    );
    expect(certificate.weapons.map((w) => [w.tag, w.serial])).toEqual([
      [ids.tags[0], "KP-1"],
      [ids.tags[1], "KP-2"],
      [`${ids.tags[0]} / bolt`, "B-4471"],
    ]);
    expect((await trail("key_part", ids.bolt)).item.state).toBe("destroyed");
    expect((await trail("weapon", ids.rifles[0]!)).item).toMatchObject({
      state: "destroyed",
      keyParts: [expect.objectContaining({ state: "destroyed" })],
    });
    // A destroyed part never moves again.
    await refused(
      "keeper",
      "custody.dispatch",
      {
        ...dispatchPayload(ids.destruction, ids.collection, [], ["KP-S3"]),
        items: [{ kind: "key_part", id: ids.bolt }],
        countAtDispatch: 1,
      },
      "rule.violated",
    );
    const balance = await get("monitor", "/api/v1/reports/disposition-balance");
    expect(balance.balanced).toBe(true);
    expect(partsIn(balance)).toEqual([
      expect.objectContaining({
        category: "bolt",
        collected: 1,
        states: expect.objectContaining({ destroyed: 1 }),
      }),
    ]);
  });

  it("puts a slide back on its pistol where both are held: both trails show it, the balance counts it as reattached", async () => {
    const slide = randomUUID();
    await ok(
      "keeper",
      "weapon.separate_part",
      separate({ weaponId: ids.rifles[2], part: "slide", serial: "S-1", partId: slide }),
    );
    const reattach = (overrides: Record<string, unknown> = {}) => ({
      partId: slide,
      reattachedAt: "2026-02-03T09:00:00Z",
      note: "Refitted by Sgt. Ali Hassan for the inspection.",
      ...overrides,
    });
    await refused("registrar", "weapon.reattach_part", reattach(), "auth.forbidden");
    await refused("depotKeeper", "weapon.reattach_part", reattach(), "auth.out-of-scope");
    await refused("keeper", "weapon.reattach_part", reattach({ partId: randomUUID() }), "reference.unknown");
    await refused(
      "keeper",
      "weapon.reattach_part",
      reattach({ reattachedAt: "2026-02-01T11:00:00Z" }),
      "rule.violated",
    );
    // The bolt of rifle 1 was destroyed: it is never put back.
    await refused("keeper", "weapon.reattach_part", reattach({ partId: ids.bolt }), "rule.violated");
    const answer = await ok("keeper", "weapon.reattach_part", reattach());
    expect(answer.data).toMatchObject({ partId: slide, weaponId: ids.rifles[2], part: "slide" });
    const [leaf] = await api.store.db
      .select({ entry: t.events.entry })
      .from(t.events)
      .where(eq(t.events.seq, answer.seq));
    expect(leaf!.entry).not.toContain("Ali Hassan");
    await refused("keeper", "weapon.reattach_part", reattach(), "rule.violated");

    const part = await trail("key_part", slide);
    expect(part.item).toMatchObject({
      state: "reattached",
      tag: `${ids.tags[2]}/P1`,
      weapon: { id: ids.rifles[2] },
    });
    expect(stepTypes(part)).toEqual(["weapon.part_separated", "weapon.part_reattached"]);
    const pistol = await trail("weapon", ids.rifles[2]!);
    expect(pistol.item.keyParts).toEqual([expect.objectContaining({ id: slide, state: "reattached" })]);
    expect(stepTypes(pistol)).toEqual([
      "handover.recorded",
      "weapon.part_separated",
      "weapon.part_reattached",
    ]);
    // It no longer travels alone.
    await refused(
      "keeper",
      "custody.dispatch",
      {
        ...dispatchPayload(ids.collection, ids.depot, [], ["KP-S9"]),
        items: [{ kind: "key_part", id: slide }],
        countAtDispatch: 1,
      },
      "rule.violated",
    );
    const balance = await get("monitor", "/api/v1/reports/disposition-balance");
    expect(balance.balanced).toBe(true);
    expect(partsIn(balance).find((c: { category: string }) => c.category === "slide")).toMatchObject({
      collected: 1,
      states: expect.objectContaining({ reattached: 1, in_custody: 0 }),
    });
  });

  it("takes in a rifle with its bolt in another bag, and flags one handed in without its bolt", async () => {
    const before = partsIn(await get("monitor", "/api/v1/reports/disposition-balance"));
    const bagged = randomUUID();
    const weapons: object[] = [
      { ...rifle("KP-4"), keyPartsApart: [{ part: "bolt", serial: "B-5000", partId: bagged }] },
      { ...rifle("KP-5"), keyPartsMissing: ["bolt"] },
    ];
    const answer = await ok(
      "admin",
      "handover.record",
      handoverPayload(ids.collection, ids.person, weapons as ReturnType<typeof rifle>[]),
    );
    const [withBag, without] = answer.data.weapons as { itemId: string; tag: string }[];
    // The weapon that came without its bolt is flagged for an officer; the handover is recorded.
    const anomalies = (await get("admin", "/api/v1/anomalies?limit=1000")).items as {
      kind: string;
      subjectId: string;
    }[];
    expect(anomalies).toContainEqual(
      expect.objectContaining({ kind: "weapon_missing_key_part", subjectId: without!.itemId }),
    );
    const part = await trail("key_part", bagged);
    expect(part.item).toMatchObject({
      state: "in_custody",
      holderSiteId: ids.collection,
      part: "bolt",
      serial: "B-5000",
      tag: `${withBag!.tag}/P1`,
      weapon: { id: withBag!.itemId },
    });
    expect(stepTypes(part)).toEqual(["handover.recorded"]);
    expect((await trail("weapon", withBag!.itemId)).item.keyParts).toEqual([
      expect.objectContaining({ id: bagged, part: "bolt" }),
    ]);
    // The ledger's handover leaf counts the bolt as collected, apart from its rifle.
    const balance = await get("monitor", "/api/v1/reports/disposition-balance");
    expect(balance.balanced).toBe(true);
    const bolts = (rows: { category: string; collected: number }[]) =>
      rows.find((r) => r.category === "bolt")?.collected ?? 0;
    expect(bolts(partsIn(balance) as never)).toBe(bolts(before as never) + 1);
  });

  it("prints a loose part's label for those who keep it, within their scope", async () => {
    const label = await send("keeper", "GET", `/api/v1/key-parts/${ids.bolt}/label.pdf?size=101x51`);
    expect(label.statusCode, label.body).toBe(200);
    expect(label.headers["content-type"]).toBe("application/pdf");
    expect(label.headers["content-disposition"]).toContain(`label-${ids.tags[0]}-P1.pdf`);
    expect(label.rawPayload.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expectProblem(
      await send("registrar", "GET", `/api/v1/key-parts/${ids.bolt}/label.pdf`),
      "auth.forbidden",
    );
    // The depot's keeper never held the bolt: not found, as an unknown id.
    expectProblem(
      await send("depotKeeper", "GET", `/api/v1/key-parts/${ids.bolt}/label.pdf`),
      "resource.not-found",
    );
    expectProblem(
      await send("keeper", "GET", `/api/v1/key-parts/${ids.rifles[0]}/label.pdf`),
      "resource.not-found",
    );
  });

  it("finds an item by the label scanned or typed, a loose part by its W…/P tag, within the reader's scope", async () => {
    const byTag = (who: string, tag: string) =>
      send(who, "GET", `/api/v1/items?tag=${encodeURIComponent(tag)}`);
    // The bolt was held at the collection site and is destroyed at the destruction site: both the keeper's.
    expect((await byTag("keeper", `${ids.tags[0]}/P1`)).json()).toEqual({
      kind: "key_part",
      id: ids.bolt,
      tag: `${ids.tags[0]}/P1`,
      category: "bolt",
      state: "destroyed",
      holderSiteId: ids.destruction,
    });
    expect((await byTag("keeper", ids.tags[1]!)).json()).toMatchObject({ kind: "weapon", id: ids.rifles[1] });
    // Typed by hand: lower case and stray spaces name the same label (tags are printed upper case).
    expect((await byTag("keeper", ` ${ids.tags[1]!.toLowerCase()} `)).json()).toMatchObject({
      kind: "weapon",
      id: ids.rifles[1],
      tag: ids.tags[1],
    });
    expect((await byTag("keeper", `${ids.tags[0]!.toLowerCase()}/p1`)).json()).toMatchObject({
      kind: "key_part",
      id: ids.bolt,
    });
    // Never at the depot: the depot's keeper learns nothing from the label, as for a tag that names nothing.
    expectProblem(await byTag("depotKeeper", `${ids.tags[0]}/P1`), "resource.not-found");
    expectProblem(await byTag("keeper", `${ids.tags[0]}/P9`), "resource.not-found");
    expectProblem(await byTag("keeper", "NO-SUCH-TAG"), "resource.not-found");
    expectProblem(await byTag("registrar", `${ids.tags[0]}/P1`), "auth.forbidden");
  });

  it("corrects a loose part's name and serial on the one write path: trail, balance, serial checks", async () => {
    const partId = randomUUID();
    const separated = await ok(
      "keeper",
      "weapon.separate_part",
      separate({
        weaponId: ids.rifles[2],
        part: "barrel",
        serial: "X-1",
        partId,
        separatedAt: "2026-03-10T12:00:00Z",
      }),
    );
    const correction = (changes: Record<string, unknown>) => ({
      kind: "key_part",
      id: partId,
      corrects: separated.seq,
      changes,
      reason: "Mistyped at separation.",
    });
    const before = await get("monitor", "/api/v1/reports/disposition-balance");
    await refused("disposal", "record.correct", correction({ serial: "B-4417" }), "auth.forbidden");
    await refused("depotKeeper", "record.correct", correction({ serial: "B-4417" }), "auth.out-of-scope");
    await refused("keeper", "record.correct", correction({ serial: "N/A" }), "serial.placeholder");
    // The same rule when a part is first recorded: a placeholder typed at separation stores nothing.
    await refused(
      "keeper",
      "weapon.separate_part",
      separate({
        weaponId: ids.rifles[2],
        part: "slide",
        serial: "N/A",
        separatedAt: "2026-03-10T12:10:00Z",
      }),
      "serial.placeholder",
    );
    await refused("keeper", "record.correct", correction({ make: "Kalashnikov" }), "request.invalid");
    // A bolt whose serial reads like the destroyed bolt's with a B for an 8: flagged, never merged.
    const near = await post("keeper", "record.correct", correction({ part: "bolt", serial: "8-4471" }));
    expect(near.statusCode, near.body).toBe(200);
    expect(near.json().anomalies).toEqual([
      expect.objectContaining({ kind: "near_duplicate_serial", subjectKind: "key_part", subjectId: partId }),
    ]);
    // The registrar who records parts at handovers corrects them too; the destroyed bolt's serial seen again.
    const again = await post("registrar", "record.correct", correction({ serial: "B-4471" }));
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().anomalies).toEqual([
      expect.objectContaining({ kind: "recirculation", subjectKind: "key_part", subjectId: partId }),
    ]);
    // The other part is named by the tag on its own label (W…/P1), not its weapon's tag.
    expect(again.json().anomalies[0].detail).toContain(`B-4471 (${ids.tags[0]}/P1)`);
    expect(again.json().anomalies[0].detail).not.toContain(" of W");
    const part = await trail("key_part", partId);
    expect(part.item).toMatchObject({ part: "bolt", serial: "B-4471", tag: `${ids.tags[2]}/P2` });
    expect(stepTypes(part)).toEqual(["weapon.part_separated", "record.corrected", "record.corrected"]);
    // The balance moves the part from the barrels to the bolts, and still balances with the ledger.
    const after = await get("monitor", "/api/v1/reports/disposition-balance");
    const collected = (b: typeof before, name: string) =>
      (partsIn(b) as unknown as { category: string; collected: number }[]).find((r) => r.category === name)
        ?.collected ?? 0;
    expect(after.balanced).toBe(true);
    expect(collected(after, "bolt")).toBe(collected(before, "bolt") + 1);
    expect(collected(after, "barrel")).toBe(collected(before, "barrel") - 1);
    // The rifle has a bolt loose now: another part is not renamed a bolt.
    const other = await ok(
      "keeper",
      "weapon.separate_part",
      separate({
        weaponId: ids.rifles[2],
        part: "other",
        serial: "O-1",
        separatedAt: "2026-03-10T12:30:00Z",
      }),
    );
    await refused(
      "keeper",
      "record.correct",
      { ...correction({ part: "bolt" }), id: other.data.partId, corrects: other.seq },
      "rule.violated",
    );
    // A part's serial is checked when it is first recorded too: 0-1 reads like the other part's O-1.
    const lookalike = await post(
      "keeper",
      "weapon.separate_part",
      separate({
        weaponId: ids.rifles[2],
        part: "other",
        serial: "0-1",
        separatedAt: "2026-03-10T12:45:00Z",
      }),
    );
    expect(lookalike.statusCode, lookalike.body).toBe(200);
    expect(lookalike.json().anomalies).toEqual([
      expect.objectContaining({ kind: "near_duplicate_serial", subjectKind: "key_part" }),
    ]);
  });

  it("rebuilds the ledger tally from leaf 0 to the same balance, and verifies the key parts by replay", async () => {
    const before = await get("monitor", "/api/v1/reports/disposition-balance");
    await api.store.db.delete(t.ledgerTallyItems);
    await api.store.db.update(t.ledgerTally).set({ throughSeq: -1 });
    expect(await get("monitor", "/api/v1/reports/disposition-balance")).toEqual(before);
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, projections: [] });
    // A key part changed behind the write path is named by the verification.
    await api.store.db.update(t.keyParts).set({ state: "in_custody" }).where(eq(t.keyParts.id, ids.bolt));
    const report = await verifyDatabase(api.store);
    expect(report.projections).toEqual([expect.objectContaining({ table: "key_parts", kind: "changed" })]);
  }, 120_000);
});
