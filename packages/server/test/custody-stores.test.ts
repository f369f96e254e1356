import { randomUUID } from "node:crypto";
import { drawStockCheckSample, type ProblemCode } from "@armsledger/core";
import { eq, inArray } from "drizzle-orm";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as t from "../src/store/schema.ts";
import { verifyDatabase } from "../src/verify/index.ts";
import {
  type Api,
  counts,
  dispatchPayload,
  expectClientProblem,
  startApi,
  storeRemovalPayload,
  storeReturnPayload,
} from "./api/support.ts";
import {
  groupPayload,
  handoverPayload,
  personPayload,
  programmePayload,
  rifle,
  sitePayload,
} from "./support/fixtures.ts";

// Stores (issue 4), end to end through the HTTP API and the write path: the access log of
// removals and returns. Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.

let api: Api;
const ids = {} as {
  collection: string;
  depot: string;
  other: string;
  person: string;
  rifles: string[];
  lot: string;
  access: string;
  /** Two rifles whose investigations are closed: nothing flags them. */
  cleared: [string, string];
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
  return res.json() as { seq: number; leafHash: string; data: Record<string, unknown> };
}
async function get(who: string, url: string) {
  const res = await send(who, "GET", url);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json();
}
const trail = (kind: "weapon" | "ammunition", id: string, who = "monitor") =>
  get(who, `/api/v1/items/${kind}/${id}/trail`);
async function refusedAll(cases: [string, string, string, unknown, ProblemCode][]) {
  const failures: string[] = [];
  for (const [label, who, type, payload, code] of cases) {
    const before = await counts(api.store);
    const res = await post(who, type, payload);
    const problem = expectClientProblem(res);
    if (problem.code !== code)
      failures.push(`${label}: ${problem.code} (${problem.detail}), expected ${code}`);
    if (JSON.stringify(await counts(api.store)) !== JSON.stringify(before))
      failures.push(`${label}: rows changed`);
  }
  expect(failures).toEqual([]);
}

beforeAll(async () => {
  api = await startApi();
  cookie.admin = api.headers("admin").cookie!;
  const groupId = (await ok("admin", "group.register", groupPayload("STO-G"))).data.groupId as string;
  ids.collection = (await ok("admin", "site.register", sitePayload("STO-01"))).data.siteId as string;
  ids.depot = (await ok("admin", "site.register", sitePayload("STO-DEP", "depot"))).data.siteId as string;
  ids.other = (await ok("admin", "site.register", sitePayload("STO-DEP2", "depot"))).data.siteId as string;
  await ok("admin", "programme.configure", programmePayload());
  const scope = (...sites: string[]) => ({ sites, governorates: "all" as const });
  cookie.keeper = (await api.addUser("keeper", "custodian", scope(ids.collection, ids.depot))).cookie;
  cookie.otherKeeper = (await api.addUser("other-keeper", "custodian", scope(ids.other))).cookie;
  cookie.monitor = (await api.addUser("monitor", "monitor")).cookie;
  cookie.registrar = (await api.addUser("registrar", "registrar", scope(ids.collection))).cookie;
  ids.person = (await ok("admin", "person.register", personPayload(ids.collection, groupId))).data
    .personId as string;
  const handover = await ok(
    "admin",
    "handover.record",
    handoverPayload(
      ids.collection,
      ids.person,
      Array.from({ length: 12 }, (_, i) => rifle(`STK-${i + 1}`)),
    ),
  );
  ids.rifles = (handover.data.weapons as { itemId: string }[]).map((w) => w.itemId);
  ids.lot = (handover.data.ammunition as { lotId: string }[])[0]!.lotId;
  // Everything goes to the depot.
  const sent = await ok(
    "keeper",
    "custody.dispatch",
    dispatchPayload(ids.collection, ids.depot, ids.rifles, ["STO-S1"]),
  );
  await ok("keeper", "custody.receive", {
    transferId: sent.data.transferId,
    receivedAt: "2026-02-02T10:00:00Z",
    items: ids.rifles.map((id) => ({ kind: "weapon", id })),
    countAtReceipt: ids.rifles.length,
    sealsIntact: ["STO-S1"],
    location: { store: "Depot store", rack: "R1" },
    countersignedBy: { name: "Capt. Nadia Salem", affiliation: "Depot command" },
  });
});
afterAll(() => api?.close());

describe("the store access log through the API", () => {
  it("logs a removal: the items are out of the store, still the depot's, and cannot be dispatched", async () => {
    const [r1, r2] = ids.rifles as [string, string];
    const out = await ok("keeper", "store.remove", {
      ...storeRemovalPayload(ids.depot, [r1, r2]),
      removedAt: "2026-02-03T08:00:00Z",
      purpose: "training",
      dueBack: "2026-02-03T16:00:00Z",
    });
    ids.access = out.data.accessId as string;
    expect((await trail("weapon", r1)).item).toMatchObject({
      state: "out_of_store",
      holderSiteId: ids.depot,
    });
    const listed = (await get("monitor", "/api/v1/store-access?open=true")).items;
    expect(listed).toEqual([
      expect.objectContaining({
        id: ids.access,
        siteId: ids.depot,
        purpose: "training",
        removedAt: "2026-02-03T08:00:00.000Z",
        dueBack: "2026-02-03T16:00:00.000Z",
        status: "out",
        itemCount: 2,
        returnedCount: 0,
        removedSeq: out.seq,
      }),
    ]);
    expect(listed[0].items).toHaveLength(2);
    // Who took them is personal: not in the list, not in the leaf.
    expect(JSON.stringify(listed)).not.toContain("Ali Hassan");
    const [leaf] = await api.store.db.select().from(t.events).where(eq(t.events.seq, out.seq));
    expect(leaf!.entry).not.toContain("Ali Hassan");

    await refusedAll([
      [
        "dispatching an item out of the store",
        "keeper",
        "custody.dispatch",
        dispatchPayload(ids.depot, ids.collection, [r1], ["STO-X1"]),
        "rule.violated",
      ],
      [
        "taking it out twice",
        "keeper",
        "store.remove",
        storeRemovalPayload(ids.depot, [r1]),
        "rule.violated",
      ],
      [
        "an unknown item",
        "keeper",
        "store.remove",
        storeRemovalPayload(ids.depot, [randomUUID()]),
        "reference.unknown",
      ],
      [
        "another site's items",
        "otherKeeper",
        "store.remove",
        storeRemovalPayload(ids.other, [ids.rifles[5]!]),
        "rule.violated",
      ],
      [
        "a site outside the keeper's scope",
        "otherKeeper",
        "store.remove",
        storeRemovalPayload(ids.depot, [ids.rifles[5]!]),
        "auth.out-of-scope",
      ],
      [
        "a registrar",
        "registrar",
        "store.remove",
        storeRemovalPayload(ids.collection, [ids.lot]),
        "auth.forbidden",
      ],
      [
        "a return before the removal",
        "keeper",
        "store.return",
        { ...storeReturnPayload(ids.access, [r1]), returnedAt: "2026-02-03T07:00:00Z" },
        "rule.violated",
      ],
      [
        "returning what was not taken out",
        "keeper",
        "store.return",
        storeReturnPayload(ids.access, [ids.rifles[5]!]),
        "rule.violated",
      ],
      [
        "an unknown removal",
        "keeper",
        "store.return",
        storeReturnPayload(randomUUID(), [r1]),
        "reference.unknown",
      ],
    ]);
  });

  it("logs the returns, one item then the other, each back in custody at a named place", async () => {
    const [r1, r2] = ids.rifles as [string, string];
    await ok("keeper", "store.return", {
      ...storeReturnPayload(ids.access, [r1]),
      returnedAt: "2026-02-03T12:00:00Z",
      location: { store: "Depot store", rack: "R9" },
    });
    expect((await get("monitor", `/api/v1/store-access?siteId=${ids.depot}`)).items[0]).toMatchObject({
      status: "partly_returned",
      returnedCount: 1,
    });
    expect((await trail("weapon", r1)).item).toMatchObject({
      state: "in_custody",
      location: { store: "Depot store", rack: "R9" },
    });
    await ok("keeper", "store.return", {
      ...storeReturnPayload(ids.access, [r2]),
      returnedAt: "2026-02-03T15:00:00Z",
    });
    expect((await get("monitor", "/api/v1/store-access?open=true")).items).toEqual([]);
    const [closed] = (await get("keeper", "/api/v1/store-access?open=false")).items;
    expect(closed).toMatchObject({
      status: "returned",
      returnedCount: 2,
      lastReturnedAt: "2026-02-03T15:00:00.000Z",
    });
    // The rifle kept its place; the trail names each step with its leaf.
    expect((await trail("weapon", r2)).item).toMatchObject({
      state: "in_custody",
      location: { store: "Depot store", rack: "R1" },
    });
    expect((await trail("weapon", r2)).steps.map((s: { type: string }) => s.type)).toEqual([
      "handover.recorded",
      "custody.dispatched",
      "custody.received",
      "store.removed",
      "store.returned",
    ]);
    // A keeper of another site sees none of it, not even the rifle's trail.
    expect((await get("otherKeeper", "/api/v1/store-access")).items).toEqual([]);
    const hidden = await send("otherKeeper", "GET", `/api/v1/items/weapon/${r2}/trail`);
    expect(hidden.statusCode).toBe(404);
  });

  it("runs a weekly stock check: the system draws the sample, anyone can redraw it from the leaf", async () => {
    const started = await ok("keeper", "stock_check.start", {
      siteId: ids.depot,
      kind: "weekly",
      startedAt: "2026-02-04T08:00:00Z",
    });
    const sample = started.data.sample as { kind: string; id: string }[];
    expect(sample).toHaveLength(2); // 10% of 12, rounded up
    const [leaf] = await api.store.db.select().from(t.events).where(eq(t.events.seq, started.seq));
    const entry = JSON.parse(leaf!.entry).data;
    expect(entry.seed).toMatch(/^[0-9a-f]{64}$/);
    const expectedWeapons = (entry.expected as { kind: string; id: string }[])
      .filter((i) => i.kind === "weapon")
      .map((i) => i.id);
    expect(expectedWeapons.sort()).toEqual([...ids.rifles].sort());
    expect(drawStockCheckSample(entry.seed, expectedWeapons, 2)).toEqual(sample.map((s) => s.id));

    // Nothing moves at the depot while the check runs.
    await refusedAll([
      [
        "a removal during the check",
        "keeper",
        "store.remove",
        { ...storeRemovalPayload(ids.depot, [ids.rifles[6]!]), removedAt: "2026-02-04T08:30:00Z" },
        "rule.violated",
      ],
      [
        "a second check",
        "keeper",
        "stock_check.start",
        { siteId: ids.depot, kind: "full", startedAt: "2026-02-04T08:05:00Z" },
        "rule.violated",
      ],
      [
        "a check at a collection site",
        "keeper",
        "stock_check.start",
        { siteId: ids.collection, kind: "weekly", startedAt: "2026-02-04T08:05:00Z" },
        "rule.violated",
      ],
    ]);
    const serialOf = (id: string) => `STK-${ids.rifles.indexOf(id) + 1}`;
    const result = {
      checkId: started.data.checkId,
      completedAt: "2026-02-04T09:00:00Z",
      counts: [{ kind: "weapon", category: "rifle", count: 12 }],
      sample: sample.map((s) => ({ ...s, found: true, serial: serialOf(s.id) })),
      countedBy: [{ name: "Sgt. Ali Hassan", affiliation: "Depot guard" }],
    };
    await refusedAll([
      [
        "an incomplete sample",
        "keeper",
        "stock_check.record",
        { ...result, sample: result.sample.slice(1) },
        "rule.violated",
      ],
      [
        "a negative count",
        "keeper",
        "stock_check.record",
        { ...result, counts: [{ kind: "weapon", category: "rifle", count: -3 }] },
        "request.invalid",
      ],
      ["a keeper of another depot", "otherKeeper", "stock_check.record", result, "auth.out-of-scope"],
    ]);
    const recorded = await ok("keeper", "stock_check.record", result);
    expect(recorded.data.findings).toEqual([]);
    const [check] = (await get("monitor", `/api/v1/stock-checks?siteId=${ids.depot}`)).items;
    expect(check).toMatchObject({
      id: started.data.checkId,
      kind: "weekly",
      status: "completed",
      expectedCount: 12,
      expectedCounts: { "weapon:rifle": 12 },
      sample,
      seed: entry.seed,
      findings: [],
      completedAt: "2026-02-04T09:00:00.000Z",
    });
    expect(JSON.stringify(check)).not.toContain("Ali Hassan");
  });

  it("opens a loss investigation for a sampled rifle not found, and lists overdue checks", async () => {
    const started = await ok("keeper", "stock_check.start", {
      siteId: ids.depot,
      kind: "full",
      startedAt: "2026-02-05T08:00:00Z",
    });
    const sample = started.data.sample as { kind: string; id: string }[];
    expect(sample).toHaveLength(12);
    const gone = sample[0]!.id;
    const recorded = await ok("keeper", "stock_check.record", {
      checkId: started.data.checkId,
      completedAt: "2026-02-05T10:00:00Z",
      counts: [{ kind: "weapon", category: "rifle", count: 11 }],
      sample: sample.map((s) => ({ ...s, found: s.id !== gone, ...(s.id !== gone ? { tag: "x" } : {}) })),
      countedBy: [{ name: "Sgt. Ali Hassan", affiliation: "Depot guard" }],
    });
    const findings = recorded.data.findings as { kind: string }[];
    // The tag "x" is not any rifle's tag: every found rifle is a marking mismatch.
    expect(findings.filter((f) => f.kind === "sample_missing")).toHaveLength(1);
    expect(findings.filter((f) => f.kind === "marking_mismatch")).toHaveLength(11);
    expect(findings.filter((f) => f.kind === "shortfall")).toEqual([]);
    expect((await trail("weapon", gone)).item).toMatchObject({ state: "lost", flagged: true });
    const investigations = await api.store.db.select().from(t.lossInvestigations);
    expect(investigations.find((i) => i.itemId === gone)).toMatchObject({
      reason: "sample_missing",
      status: "open",
      siteId: ids.depot,
      origin: "stock_check",
    });

    const schedule = async (query: string) =>
      (await get("monitor", `/api/v1/stock-checks/schedule${query}`)).items;
    // Checked (on the dates given) in February: by now both the weekly and the full checks are
    // overdue at the first depot; the second depot, registered today, is not yet due.
    const now = await schedule("");
    expect(now.find((s: { siteId: string }) => s.siteId === ids.depot)).toMatchObject({
      lastCheck: "2026-02-05T10:00:00.000Z",
      lastFullCheck: "2026-02-05T10:00:00.000Z",
      weeklyOverdue: true,
      checkUnderWay: null,
    });
    expect(now.find((s: { siteId: string }) => s.siteId === ids.other)).toMatchObject({
      lastCheck: null,
      weeklyOverdue: false,
      fullOverdue: false,
    });
    const later = new Date(Date.now() + 8 * 24 * 3600 * 1000).toISOString();
    expect(
      (await schedule(`?overdue=true&asOf=${later}`)).map((s: { siteId: string }) => s.siteId).sort(),
    ).toEqual([ids.depot, ids.other].sort());
    expect(
      (await get("otherKeeper", "/api/v1/stock-checks/schedule")).items.map(
        (s: { siteId: string }) => s.siteId,
      ),
    ).toEqual([ids.other]);
  });

  it("investigates: the missing rifle is found and back in custody, a mismatch was a recording error", async () => {
    const open = (await get("monitor", `/api/v1/investigations?siteId=${ids.depot}&status=open`)).items as {
      id: string;
      reason: string;
      itemId: string | null;
    }[];
    expect(open).toHaveLength(12);
    const missing = open.find((i) => i.reason === "sample_missing")!;
    const mismatch = open.find((i) => i.reason === "marking_mismatch")!;
    const before = (await get("monitor", "/api/v1/reports/disposition-balance")).byCategory;
    expect(before.find((c: { category: string }) => c.category === "rifle").states).toMatchObject({
      lost_under_investigation: 1,
      confirmed_lost: 0,
      stolen: 0,
    });
    await refusedAll([
      [
        "a keeper closing an investigation into its own store",
        "keeper",
        "investigation.close",
        { investigationId: missing.id, closedAt: "2026-02-06T10:00:00Z", outcome: "stolen", reason: "Gone." },
        "auth.forbidden",
      ],
      [
        "found, but nowhere",
        "admin",
        "investigation.close",
        { investigationId: missing.id, closedAt: "2026-02-06T10:00:00Z", outcome: "found", reason: "Found." },
        "rule.violated",
      ],
      [
        "closed before it was opened",
        "admin",
        "investigation.close",
        {
          investigationId: missing.id,
          closedAt: "2026-02-01T10:00:00Z",
          outcome: "found",
          reason: "Found.",
          foundAt: { siteId: ids.depot, location: { store: "Depot store" } },
        },
        "rule.violated",
      ],
    ]);
    await ok("admin", "investigation.update", {
      investigationId: missing.id,
      status: "under_investigation",
      at: "2026-02-05T12:00:00Z",
      note: "Maj. Lars Berg reviews the access log.",
    });
    await ok("admin", "investigation.close", {
      investigationId: missing.id,
      closedAt: "2026-02-06T10:00:00Z",
      outcome: "found",
      reason: "It was on the cleaning bench, not logged out.",
      foundAt: { siteId: ids.depot, location: { store: "Depot store", rack: "R3" } },
    });
    await ok("admin", "investigation.close", {
      investigationId: mismatch.id,
      closedAt: "2026-02-06T10:00:00Z",
      outcome: "recording_error",
      reason: "The keeper wrote x for the tag.",
    });
    expect((await trail("weapon", missing.itemId!)).item).toMatchObject({
      state: "in_custody",
      holderSiteId: ids.depot,
      location: { store: "Depot store", rack: "R3" },
      flagged: false,
    });
    expect((await trail("weapon", mismatch.itemId!)).item).toMatchObject({
      state: "in_custody",
      flagged: false,
    });
    const closed = (await get("monitor", "/api/v1/investigations?status=closed")).items;
    expect(closed.map((i: { id: string; outcome: string }) => [i.id, i.outcome]).sort()).toEqual(
      [
        [missing.id, "found"],
        [mismatch.id, "recording_error"],
      ].sort(),
    );
    ids.cleared = [missing.itemId!, mismatch.itemId!];
    const after = await get("monitor", "/api/v1/reports/disposition-balance");
    expect(after.balanced).toBe(true);
    expect(after.byCategory.find((c: { category: string }) => c.category === "rifle").states).toMatchObject({
      lost_under_investigation: 0,
      confirmed_lost: 0,
      stolen: 0,
    });
  });

  it("opens an investigation for a rifle missing at receipt and lifts a broken seal's doubt once resolved", async () => {
    // r3 is clear of any investigation, so only the broken seal will flag it.
    const [r3, r4] = ids.cleared;
    const sent = await ok("keeper", "custody.dispatch", {
      ...dispatchPayload(ids.depot, ids.collection, [r3, r4], ["STO-S2", "STO-S3"]),
      dispatchedAt: "2026-02-07T08:00:00Z",
    });
    const receipt = {
      transferId: sent.data.transferId,
      receivedAt: "2026-02-07T10:00:00Z",
      items: [{ kind: "weapon", id: r3 }],
      countAtReceipt: 1,
      sealsIntact: ["STO-S2"],
      location: { store: "Site store" },
      countersignedBy: { name: "Capt. Nadia Salem", affiliation: "Depot command" },
    };
    await refusedAll([
      // Dispatched on 7 February: it cannot arrive on the 1st.
      [
        "a receipt before the dispatch",
        "keeper",
        "custody.receive",
        { ...receipt, receivedAt: "2026-02-01T10:00:00Z" },
        "rule.violated",
      ],
      [
        "a retention before the rifle arrived at the depot",
        "admin",
        "disposition.retain",
        {
          siteId: ids.depot,
          retainedAt: "2026-02-01T10:00:00Z",
          purpose: "training",
          justification: "For the armourers' course.",
          custodian: { name: "Capt. Nadia Salem", affiliation: "Depot command" },
          reviewOn: "2027-02-01",
          items: [{ kind: "weapon", id: ids.rifles[7] }],
        },
        "rule.violated",
      ],
    ]);
    const received = await ok("keeper", "custody.receive", {
      transferId: sent.data.transferId,
      receivedAt: "2026-02-07T10:00:00Z",
      items: [{ kind: "weapon", id: r3 }],
      countAtReceipt: 1,
      sealsIntact: ["STO-S2"],
      location: { store: "Site store" },
      countersignedBy: { name: "Capt. Nadia Salem", affiliation: "Depot command" },
    });
    const [investigation] = (await get("monitor", "/api/v1/investigations?status=open")).items.filter(
      (i: { origin: string }) => i.origin === "discrepancy",
    );
    expect(investigation).toMatchObject({ id: `${received.seq}:0`, reason: "missing_item", itemId: r4 });
    expect((await trail("weapon", r3)).item.flagged).toBe(true);
    await ok("admin", "discrepancy.resolve", {
      discrepancyId: `${received.seq}:1`,
      resolvedAt: "2026-02-07T12:00:00Z",
      reason: "The seal was cut by the police at a checkpoint; their report is on file.",
    });
    expect((await trail("weapon", r3)).item.flagged).toBe(false);
    expect((await trail("weapon", r4)).item).toMatchObject({ state: "lost", flagged: true });
    const open = (await get("monitor", "/api/v1/discrepancies?status=open")).items;
    expect(open.map((d: { id: string }) => d.id)).toEqual([`${received.seq}:0`]);
  });

  it("splits the lost: under investigation until the inquiry closes, then stolen, still balanced", async () => {
    const r4 = ids.cleared[1]!;
    const rifles = async () => {
      const balance = await get("monitor", "/api/v1/reports/disposition-balance");
      expect(balance.balanced).toBe(true);
      const rifle = balance.byCategory.find((c: { category: string }) => c.category === "rifle");
      // Every item in exactly one bucket: the buckets add up to what was collected, and "lost"
      // itself is no longer a bucket.
      expect(Object.values(rifle.states as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(
        rifle.collected,
      );
      expect(rifle.states).not.toHaveProperty("lost");
      return rifle.states as Record<string, number>;
    };
    const before = await rifles();
    expect(before).toMatchObject({ lost_under_investigation: 1, confirmed_lost: 0, stolen: 0 });
    const [investigation] = (await get("monitor", "/api/v1/investigations?status=open")).items.filter(
      (i: { itemId: string | null }) => i.itemId === r4,
    );
    await ok("admin", "investigation.update", {
      investigationId: investigation.id,
      status: "under_investigation",
      at: "2026-02-08T09:00:00Z",
      note: "The escort is questioned.",
    });
    expect(await rifles()).toMatchObject({ lost_under_investigation: 1, stolen: 0 });
    await ok("admin", "investigation.close", {
      investigationId: investigation.id,
      closedAt: "2026-02-09T09:00:00Z",
      outcome: "stolen",
      reason: "Taken at a false checkpoint; police report on file.",
    });
    const after = await rifles();
    expect(after).toMatchObject({ lost_under_investigation: 0, confirmed_lost: 0, stolen: 1 });
    expect(after.in_custody).toBe(before.in_custody);
    expect((await trail("weapon", r4)).item).toMatchObject({ state: "lost" });
    // The rows by group and governorate split the same way.
    const rows = (await get("monitor", "/api/v1/reports/disposition-balance")).rows.filter(
      (r: { kind: string; category: string }) => r.kind === "weapon" && r.category === "rifle",
    );
    expect(rows.reduce((n: number, r: { states: { stolen: number } }) => n + r.states.stolen, 0)).toBe(1);
  });

  it("stays balanced and verifies: replaying the ledger rebuilds the access log exactly", async () => {
    expect((await get("monitor", "/api/v1/reports/disposition-balance")).balanced).toBe(true);
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, projections: [] });
    await api.store.db
      .update(t.storeAccessItems)
      .set({ returnSeq: null, returnedAt: null })
      .where(inArray(t.storeAccessItems.itemId, [ids.rifles[0]!]));
    const report = await verifyDatabase(api.store);
    expect(report.projections).toEqual([
      expect.objectContaining({ table: "store_access_items", kind: "changed" }),
    ]);
  }, 120_000);
});
