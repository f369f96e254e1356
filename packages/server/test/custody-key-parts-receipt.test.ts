import { randomUUID } from "node:crypto";
import { drawStockCheckSample } from "@armsledger/core";
import { eq } from "drizzle-orm";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as t from "../src/store/schema.ts";
import { verifyDatabase } from "../src/verify/index.ts";
import { type Api, counts, dispatchPayload, expectProblem, startApi } from "./api/support.ts";
import {
  groupPayload,
  handoverPayload,
  personPayload,
  programmePayload,
  rifle,
  sitePayload,
} from "./support/fixtures.ts";

// Loose key parts at a custody receipt and in a depot's stock check (issue 4): a bolt that does
// not arrive, a rifle that arrives without the bolt it left with, a bolt found off its rifle in
// the load; then the depot's check counts and samples the loose parts as it does the rifles, and
// a sampled bolt not on the shelf opens a loss investigation. The balance adds up at every step.
// Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.

let api: Api;
const ids = {} as {
  collection: string;
  depot: string;
  rifles: string[];
  tags: string[];
  looseBolt: string;
  missingBolt: string;
  apartBolt: string;
  partsTransfer: string;
  riflesTransfer: string;
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

async function refused(
  who: string,
  type: string,
  payload: unknown,
  code: Parameters<typeof expectProblem>[1],
  path?: string,
) {
  const before = await counts(api.store);
  const res = await post(who, type, payload);
  expectProblem(res, code);
  if (path) expect(res.body).toContain(path);
  expect(await counts(api.store)).toEqual(before);
}

type Balance = {
  balanced: boolean;
  byCategory: { kind: string; category: string; collected: number; states: Record<string, number> }[];
};
/** The bolts' row of the balance (one group, one governorate here). */
async function bolts() {
  const balance = (await get("monitor", "/api/v1/reports/disposition-balance")) as Balance;
  expect(balance.balanced).toBe(true);
  const row = balance.byCategory.find((c) => c.kind === "key_part" && c.category === "bolt");
  // Every bolt collected is in exactly one bucket.
  if (row) expect(Object.values(row.states).reduce((a, b) => a + b, 0)).toBe(row.collected);
  return row;
}

const receipt = (transferId: string, seal: string, items: { kind: string; id: string }[]) => ({
  transferId,
  receivedAt: "2026-02-03T10:00:00Z",
  items,
  countAtReceipt: items.length,
  sealsIntact: [seal],
  location: { store: "Depot store", container: "Rack A" },
  countersignedBy: { name: "Capt. Nadia Salem", affiliation: "Depot" },
});
const weapons = (...n: number[]) => n.map((i) => ({ kind: "weapon", id: ids.rifles[i]! }));

beforeAll(async () => {
  api = await startApi();
  cookie.admin = api.headers("admin").cookie!;
  const groupId = (await ok("admin", "group.register", groupPayload("KPR-G"))).data.groupId as string;
  ids.collection = (await ok("admin", "site.register", sitePayload("KPR-01"))).data.siteId as string;
  ids.depot = (await ok("admin", "site.register", sitePayload("KPR-DEP", "depot"))).data.siteId as string;
  await ok("admin", "programme.configure", programmePayload());
  cookie.keeper = (
    await api.addUser("keeper", "custodian", { sites: [ids.collection], governorates: "all" })
  ).cookie;
  cookie.depotKeeper = (
    await api.addUser("depotKeeper", "custodian", { sites: [ids.depot], governorates: "all" })
  ).cookie;
  cookie.monitor = (await api.addUser("monitor", "monitor")).cookie;
  const personId = (await ok("admin", "person.register", personPayload(ids.collection, groupId))).data
    .personId as string;
  const handover = await ok(
    "admin",
    "handover.record",
    handoverPayload(ids.collection, personId, [
      rifle("KPR-1"),
      rifle("KPR-2"),
      // Handed in without its bolt: the bolt never travels with it.
      Object.assign(rifle("KPR-3"), { keyPartsMissing: ["bolt"] }),
      rifle("KPR-4"),
    ]),
  );
  const w = handover.data.weapons as { itemId: string; tag: string }[];
  ids.rifles = w.map((x) => x.itemId);
  ids.tags = w.map((x) => x.tag);
  ids.looseBolt = randomUUID();
  ids.missingBolt = randomUUID();
  ids.apartBolt = randomUUID();
  // Rifle 4's bolt was taken off at the collection site and travels on its own manifest.
  await ok("keeper", "weapon.separate_part", {
    weaponId: ids.rifles[3],
    part: "bolt",
    serial: "B-44",
    separatedAt: "2026-02-01T12:00:00Z",
    partId: ids.looseBolt,
  });
  ids.partsTransfer = (
    await ok("keeper", "custody.dispatch", {
      ...dispatchPayload(ids.collection, ids.depot, [], ["KPR-S1"]),
      items: [{ kind: "key_part", id: ids.looseBolt }],
      countAtDispatch: 1,
    })
  ).data.transferId as string;
  ids.riflesTransfer = (
    await ok("keeper", "custody.dispatch", dispatchPayload(ids.collection, ids.depot, ids.rifles, ["KPR-S2"]))
  ).data.transferId as string;
});
afterAll(() => api?.close());

describe("key parts at a custody receipt", () => {
  it("opens a missing-item discrepancy for a loose bolt that does not arrive, and its investigation", async () => {
    const received = await ok("depotKeeper", "custody.receive", {
      ...receipt(ids.partsTransfer, "KPR-S1", []),
      countAtReceipt: 0,
    });
    expect(received.data.discrepancies).toEqual([
      { kind: "missing_item", item: { kind: "key_part", id: ids.looseBolt } },
    ]);
    expect((await trail("key_part", ids.looseBolt)).item).toMatchObject({ state: "lost", flagged: true });
    const investigations = (await get("monitor", "/api/v1/investigations?status=open")).items as {
      reason: string;
      itemKind: string;
      itemId: string;
    }[];
    expect(investigations).toContainEqual(
      expect.objectContaining({ reason: "missing_item", itemKind: "key_part", itemId: ids.looseBolt }),
    );
    expect(await bolts()).toMatchObject({
      collected: 1,
      states: expect.objectContaining({ lost_under_investigation: 1, in_custody: 0 }),
    });
  });

  it("refuses parts off weapons that did not arrive, parts already apart, parts listed twice and placeholder serials", async () => {
    const base = receipt(ids.riflesTransfer, "KPR-S2", weapons(0, 1, 2, 3));
    await refused(
      "depotKeeper",
      "custody.receive",
      {
        ...base,
        items: weapons(1, 2, 3),
        countAtReceipt: 3,
        keyPartsMissing: [{ weaponId: ids.rifles[0], part: "bolt" }],
      },
      "rule.violated",
      "payload.keyPartsMissing.0.weaponId",
    );
    // Rifle 4 left without its bolt (separated before): it cannot arrive without it.
    await refused(
      "depotKeeper",
      "custody.receive",
      { ...base, keyPartsMissing: [{ weaponId: ids.rifles[3], part: "bolt" }] },
      "rule.violated",
      "payload.keyPartsMissing.0.part",
    );
    // Rifle 3 was handed in without its bolt: it cannot have lost it on the road.
    await refused(
      "depotKeeper",
      "custody.receive",
      { ...base, keyPartsMissing: [{ weaponId: ids.rifles[2], part: "bolt" }] },
      "rule.violated",
      "payload.keyPartsMissing.0.part",
    );
    await refused(
      "depotKeeper",
      "custody.receive",
      {
        ...base,
        keyPartsApart: [{ weaponId: ids.rifles[0], part: "bolt" }],
        keyPartsMissing: [{ weaponId: ids.rifles[0], part: "bolt" }],
      },
      "request.invalid",
    );
    await refused(
      "depotKeeper",
      "custody.receive",
      { ...base, keyPartsApart: [{ weaponId: ids.rifles[0], part: "bolt", partId: ids.looseBolt }] },
      "rule.violated",
      "payload.keyPartsApart.0.partId",
    );
    // A part's serial typed at receipt is held to the rule a weapon's is at handover.
    await refused(
      "depotKeeper",
      "custody.receive",
      { ...base, keyPartsApart: [{ weaponId: ids.rifles[1], part: "bolt", serial: "XXX" }] },
      "serial.placeholder",
      "payload.keyPartsApart.0.serial",
    );
  });

  it("receives a rifle without the bolt it left with (a discrepancy, the bolt lost and flagged) and a bolt found off its rifle", async () => {
    const received = await ok("depotKeeper", "custody.receive", {
      ...receipt(ids.riflesTransfer, "KPR-S2", weapons(0, 1, 2, 3)),
      keyPartsMissing: [{ weaponId: ids.rifles[0], part: "bolt", partId: ids.missingBolt }],
      keyPartsApart: [{ weaponId: ids.rifles[1], part: "bolt", serial: "B-2", partId: ids.apartBolt }],
    });
    expect(received.data.discrepancies).toEqual([
      {
        kind: "missing_item",
        item: { kind: "key_part", id: ids.missingBolt },
        weaponId: ids.rifles[0],
        part: "bolt",
      },
    ]);
    const open = (await get("monitor", "/api/v1/discrepancies?status=open")).items as {
      transferId: string;
      kind: string;
      itemId?: string;
    }[];
    expect(open.filter((d) => d.transferId === ids.riflesTransfer)).toEqual([
      expect.objectContaining({ kind: "missing_item" }),
    ]);
    expect(
      (await get("monitor", "/api/v1/transfers")).items.find(
        (x: { id: string }) => x.id === ids.riflesTransfer,
      ),
    ).toMatchObject({ status: "received_with_discrepancies" });

    const missing = await trail("key_part", ids.missingBolt);
    expect(missing.item).toMatchObject({
      state: "lost",
      flagged: true,
      part: "bolt",
      tag: `${ids.tags[0]}/P1`,
      weapon: { id: ids.rifles[0], state: "in_custody" },
    });
    expect(stepTypes(missing)).toEqual(["custody.received"]);
    // The receipt's discrepancies are kept whole on the part's trail; its lists of parts narrowed.
    expect(missing.steps[0].data).toMatchObject({
      discrepancies: received.data.discrepancies,
      keyPartsMissing: [{ weaponId: ids.rifles[0], part: "bolt", partId: ids.missingBolt }],
      keyPartsApart: [],
      keyPartsApartCount: 1,
    });
    // The weapon's trail keeps the part recorded off it.
    const rifleReceipt = (await trail("weapon", ids.rifles[0]!)).steps.find(
      (x: { type: string }) => x.type === "custody.received",
    );
    expect(rifleReceipt.data.keyPartsMissing).toEqual([
      { weaponId: ids.rifles[0], part: "bolt", partId: ids.missingBolt },
    ]);
    const investigations = (await get("monitor", "/api/v1/investigations?status=open")).items as {
      id: string;
      reason: string;
      itemKind: string;
      itemId: string;
    }[];
    const inquiry = investigations.find((i) => i.itemId === ids.missingBolt);
    expect(inquiry).toMatchObject({ reason: "missing_item" });

    const apart = await trail("key_part", ids.apartBolt);
    expect(apart.item).toMatchObject({
      state: "in_custody",
      flagged: false,
      serial: "B-2",
      holderSiteId: ids.depot,
      location: { store: "Depot store", container: "Rack A" },
      tag: `${ids.tags[1]}/P1`,
    });
    // The depot's shelf lists it by its derived tag, as its label prints it.
    const shelf = await get("depotKeeper", `/api/v1/sites/${ids.depot}/items?kind=key_part`);
    expect(shelf.items).toEqual([
      expect.objectContaining({
        id: ids.apartBolt,
        tag: `${ids.tags[1]}/P1`,
        category: "bolt",
        serial: "B-2",
      }),
    ]);
    // The receipt is on the part's trail, narrowed to it; the rifle's trail lists the part.
    expect(stepTypes(apart)).toEqual(["custody.received"]);
    expect(apart.steps[0].data.keyPartsApart).toEqual([
      { weaponId: ids.rifles[1], part: "bolt", serial: "B-2", partId: ids.apartBolt },
    ]);
    expect((await trail("weapon", ids.rifles[1]!)).item.keyParts).toEqual([
      expect.objectContaining({ id: ids.apartBolt, state: "in_custody" }),
    ]);
    // The rifles arrived; the one without its bolt is not flagged (the bolt is).
    expect((await trail("weapon", ids.rifles[0]!)).item).toMatchObject({
      state: "in_custody",
      flagged: false,
    });

    // Three bolts collected now (one separated, two recorded at the receipt), all accounted for.
    expect(await bolts()).toMatchObject({
      collected: 3,
      states: expect.objectContaining({ lost_under_investigation: 2, in_custody: 1 }),
    });
    // A lost part is not put back on its rifle. (It stays the sender's as holder, where it was
    // last seen, like any item missing at receipt: the depot's keeper is out of its scope.)
    await refused(
      "depotKeeper",
      "weapon.reattach_part",
      { partId: ids.missingBolt, reattachedAt: "2026-02-03T11:00:00Z" },
      "auth.out-of-scope",
    );
    await refused(
      "admin",
      "weapon.reattach_part",
      { partId: ids.missingBolt, reattachedAt: "2026-02-03T11:00:00Z" },
      "rule.violated",
    );

    // The bolt turns up in the depot: found, back in custody, unflagged, and balanced.
    await ok("admin", "investigation.close", {
      investigationId: inquiry!.id,
      closedAt: "2026-02-03T12:00:00Z",
      outcome: "found",
      reason: "Found in the truck's cab.",
      foundAt: { siteId: ids.depot, location: { store: "Depot store", container: "Parts box" } },
    });
    expect((await trail("key_part", ids.missingBolt)).item).toMatchObject({
      state: "in_custody",
      flagged: false,
      holderSiteId: ids.depot,
    });
    expect(await bolts()).toMatchObject({
      collected: 3,
      states: expect.objectContaining({ lost_under_investigation: 1, in_custody: 2 }),
    });
  });
});

describe("key parts in a depot's stock check", () => {
  it("expects, counts and samples the loose bolts; a sampled bolt missing opens a loss investigation", async () => {
    const started = await ok("depotKeeper", "stock_check.start", {
      siteId: ids.depot,
      kind: "weekly",
      startedAt: "2026-02-04T08:00:00Z",
    });
    const [leaf] = await api.store.db.select().from(t.events).where(eq(t.events.seq, started.seq));
    const entry = JSON.parse(leaf!.entry).data;
    expect(entry.expectedCounts).toEqual({ "weapon:rifle": 4, "key_part:bolt": 2 });
    const expectedOf = (kind: string) =>
      (entry.expected as { kind: string; id: string }[]).filter((i) => i.kind === kind).map((i) => i.id);
    expect(expectedOf("key_part").sort()).toEqual([ids.apartBolt, ids.missingBolt].sort());
    // 10% of each, at least one: a rifle and a bolt, each redrawn from the leaf alone.
    const sample = started.data.sample as { kind: string; id: string }[];
    expect(sample).toEqual([
      ...drawStockCheckSample(entry.seed, expectedOf("weapon"), 1).map((id) => ({ kind: "weapon", id })),
      ...drawStockCheckSample(entry.seed, expectedOf("key_part"), 1).map((id) => ({ kind: "key_part", id })),
    ]);
    const gone = sample[1]!.id;
    const rifleTag = ids.tags[ids.rifles.indexOf(sample[0]!.id)];
    const result = {
      checkId: started.data.checkId,
      completedAt: "2026-02-04T09:00:00Z",
      counts: [
        { kind: "weapon", category: "rifle", count: 4 },
        { kind: "key_part", category: "bolt", count: 1 },
      ],
      sample: [
        { ...sample[0], found: true, tag: rifleTag },
        { ...sample[1], found: false },
      ],
      countedBy: [{ name: "Sgt. Ali Hassan", affiliation: "Depot guard" }],
    };
    await refused(
      "depotKeeper",
      "stock_check.record",
      { ...result, sample: result.sample.slice(0, 1) },
      "rule.violated",
      "payload.sample",
    );
    await refused(
      "depotKeeper",
      "stock_check.record",
      { ...result, counts: result.counts.slice(0, 1) },
      "rule.violated",
      "payload.counts",
    );
    const recorded = await ok("depotKeeper", "stock_check.record", result);
    // The bolt short in the count is the sampled one not found: one finding, not two.
    expect(recorded.data.findings).toEqual([
      expect.objectContaining({
        kind: "sample_missing",
        item: { kind: "key_part", id: gone },
        category: "bolt",
      }),
    ]);
    expect((await trail("key_part", gone)).item).toMatchObject({ state: "lost", flagged: true });
    const investigations = (await get("monitor", "/api/v1/investigations?status=open")).items as {
      reason: string;
      itemKind: string;
      itemId: string;
    }[];
    expect(investigations).toContainEqual(
      expect.objectContaining({ reason: "sample_missing", itemKind: "key_part", itemId: gone }),
    );
    expect(await bolts()).toMatchObject({
      collected: 3,
      states: expect.objectContaining({ lost_under_investigation: 2, in_custody: 1 }),
    });
    // Closed as stolen: the bolt moves to that bucket, and the balance still adds up.
    const inquiry = (await get("monitor", "/api/v1/investigations?status=open")).items.find(
      (i: { itemId: string | null }) => i.itemId === gone,
    );
    await ok("admin", "investigation.close", {
      investigationId: inquiry.id,
      closedAt: "2026-02-04T12:00:00Z",
      outcome: "stolen",
      reason: "Taken from the parts box.",
    });
    expect(await bolts()).toMatchObject({
      collected: 3,
      states: expect.objectContaining({ lost_under_investigation: 1, stolen: 1, in_custody: 1 }),
    });
  });

  it("checks a sampled bolt's tag and serial, and names a shortfall of bolts beyond the sample", async () => {
    const started = await ok("depotKeeper", "stock_check.start", {
      siteId: ids.depot,
      kind: "full",
      startedAt: "2026-02-05T08:00:00Z",
    });
    const sample = started.data.sample as { kind: string; id: string }[];
    const bolt = sample.find((s) => s.kind === "key_part")!;
    expect(sample.filter((s) => s.kind === "key_part")).toEqual([bolt]);
    const part = await trail("key_part", bolt.id);
    const recorded = await ok("depotKeeper", "stock_check.record", {
      checkId: started.data.checkId,
      completedAt: "2026-02-05T09:00:00Z",
      counts: [
        { kind: "weapon", category: "rifle", count: 4 },
        { kind: "key_part", category: "bolt", count: 0 },
      ],
      sample: sample.map((s) =>
        s.kind === "weapon"
          ? { ...s, found: true, tag: ids.tags[ids.rifles.indexOf(s.id)] }
          : // The tag read off the bolt's label is right, the serial read off the bolt is not.
            { ...s, found: true, tag: part.item.tag.toLowerCase(), serial: "B-999" },
      ),
      countedBy: [{ name: "Sgt. Ali Hassan", affiliation: "Depot guard" }],
    });
    expect((recorded.data.findings as { kind: string }[]).map((f) => f.kind)).toEqual([
      "marking_mismatch",
      "shortfall",
    ]);
    expect((await trail("key_part", bolt.id)).item).toMatchObject({ state: "in_custody", flagged: true });
    expect((await bolts())?.collected).toBe(3);
  });

  it("rebuilds the ledger tally from leaf 0 to the same balance, and verifies by replay", async () => {
    const before = await get("monitor", "/api/v1/reports/disposition-balance");
    await api.store.db.delete(t.ledgerTallyItems);
    await api.store.db.update(t.ledgerTally).set({ throughSeq: -1 });
    expect(await get("monitor", "/api/v1/reports/disposition-balance")).toEqual(before);
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, projections: [] });
  }, 120_000);
});
