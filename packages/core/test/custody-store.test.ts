import { describe, expect, it } from "vitest";
import type { DecidedEvent } from "../src/commands/command.ts";
import { findCommandDefinition } from "../src/commands/registry.ts";
import { drawStockCheckSample, sampleSize } from "../src/commands/stock-check.ts";
import { Problem, type ProblemCode } from "../src/problems.ts";
import { destructionPayload, dispatchPayload, ids, seededView } from "./fixtures.ts";
import { type MemoryView, makeEnv, testUuid } from "./memory-view.ts";

// The store access log: store.remove takes items out of a store (they become out_of_store and
// cannot be dispatched, counted or disposed of), store.return brings them back.

const takenBy = { name: "Sgt. Ali Hassan", affiliation: "Depot guard" };
let seq = 300;

async function decide(type: string, raw: unknown, view: MemoryView, seed?: string) {
  const def = findCommandDefinition(type)!;
  return def.decide(
    def.payload.parse(raw),
    view,
    makeEnv({ seq, firstId: 0x7000 + seq * 0x10, ...(seed ? { seed } : {}) }),
  );
}
async function record(type: string, raw: unknown, view: MemoryView, seed?: string): Promise<DecidedEvent> {
  const event = await decide(type, raw, view, seed);
  view.apply(seq++, event);
  return event;
}
async function refused(type: string, raw: unknown, view: MemoryView, code: ProblemCode, path?: string) {
  const before = structuredClone([[...view.items], [...view.storeAccess], [...view.stockChecks]]);
  const problem = await decide(type, raw, view).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(problem, `${type} should be refused`).toBeInstanceOf(Problem);
  expect((problem as Problem).code, (problem as Problem).message).toBe(code);
  if (path) expect((problem as Problem).fields.map((f) => f.path)).toContain(path);
  expect(structuredClone([[...view.items], [...view.storeAccess], [...view.stockChecks]])).toEqual(before);
  return problem as Problem;
}

const removal = (items = [{ kind: "weapon", id: ids.weapon }], extra: object = {}) => ({
  siteId: ids.site,
  removedAt: "2025-03-01T08:00:00Z",
  items,
  takenBy,
  purpose: "inspection",
  note: "Shown to the verification team.",
  ...extra,
});

describe("store.remove and store.return", () => {
  it("takes items out and brings them back, logging who, when, why and where they go", async () => {
    const view = seededView();
    const out = await record(
      "store.remove",
      removal([
        { kind: "weapon", id: ids.weapon },
        { kind: "ammunition", id: ids.lot },
      ]),
      view,
    );
    expect(out.type).toBe("store.removed");
    const accessId = out.data.accessId as string;
    expect(out.data).toMatchObject({ siteId: ids.site, purpose: "inspection", takenBy });
    expect(out.subjects).toContainEqual({ kind: "store_access", id: accessId });
    expect(view.items.get(`weapon:${ids.weapon}`)?.state).toBe("out_of_store");

    // Out of the store: no dispatch, no second removal, no disposition.
    expect(
      (await refused("custody.dispatch", dispatchPayload(), view, "rule.violated", "payload.items.0"))
        .message,
    ).toMatch(/taken out of the store/);
    await refused("store.remove", removal(), view, "rule.violated", "payload.items.0");

    const back = await record(
      "store.return",
      {
        accessId,
        returnedAt: "2025-03-01T09:00:00Z",
        items: [{ kind: "weapon", id: ids.weapon }],
        returnedBy: takenBy,
        location: { store: "Main store", rack: "R2" },
      },
      view,
    );
    expect(back.data).toMatchObject({ siteId: ids.site, accessId });
    expect(view.items.get(`weapon:${ids.weapon}`)?.state).toBe("in_custody");
    expect(view.items.get(`ammunition:${ids.lot}`)?.state).toBe("out_of_store");
    // Returned once only.
    await refused(
      "store.return",
      {
        accessId,
        returnedAt: "2025-03-01T09:30:00Z",
        items: [{ kind: "weapon", id: ids.weapon }],
        returnedBy: takenBy,
      },
      view,
      "rule.violated",
      "payload.items.0",
    );
  });

  it("refuses bad removals and returns with a problem, changing nothing", async () => {
    const view = seededView();
    await refused("store.remove", removal([{ kind: "weapon", id: ids.unknown }]), view, "reference.unknown");
    await refused(
      "store.remove",
      removal([{ kind: "weapon", id: ids.travelling }]),
      view,
      "rule.violated",
      "payload.items.0",
    );
    await refused("store.remove", { ...removal(), siteId: ids.depot }, view, "rule.violated");
    await refused(
      "store.remove",
      removal(undefined, { removedAt: "2099-01-01T00:00:00Z" }),
      view,
      "rule.violated",
      "payload.removedAt",
    );
    await refused(
      "store.remove",
      removal(undefined, { dueBack: "2025-02-01T00:00:00Z" }),
      view,
      "rule.violated",
      "payload.dueBack",
    );
    const accessId = (await record("store.remove", removal(), view)).data.accessId as string;
    const back = (extra: object) => ({
      accessId,
      returnedAt: "2025-03-01T09:00:00Z",
      items: [{ kind: "weapon", id: ids.weapon }],
      returnedBy: takenBy,
      ...extra,
    });
    await refused("store.return", back({ accessId: testUuid(0xabc) }), view, "reference.unknown");
    await refused(
      "store.return",
      back({ returnedAt: "2025-03-01T07:00:00Z" }),
      view,
      "rule.violated",
      "payload.returnedAt",
    );
    await refused(
      "store.return",
      back({ items: [{ kind: "ammunition", id: ids.lot }] }),
      view,
      "rule.violated",
      "payload.items.0",
    );
    await refused("store.remove", removal(undefined, { accessId }), view, "rule.violated");
    expect(findCommandDefinition("store.remove")!.payload.safeParse(removal([])).success).toBe(false);
  });

  it("keeps an item out of the store from being destroyed", async () => {
    const view = seededView();
    await record(
      "store.remove",
      removal([{ kind: "weapon", id: ids.condemned }], { siteId: ids.destruction }),
      view,
    );
    await refused("disposition.destroy", destructionPayload(), view, "rule.violated", "payload.items.0");
  });
});

/** A depot holding `rifles` rifles (serial SN-<n>), a lot, and one more rifle taken out of the store. */
function depotWithStock(rifles: number) {
  const view = seededView();
  const held = (kind: "weapon" | "ammunition", id: string, state: string, category: string) =>
    view.items.set(`${kind}:${id}`, {
      kind,
      id,
      state,
      holderSiteId: ids.depot,
      category,
      flagged: false,
      alteredMarks: false,
    });
  const weapons = Array.from({ length: rifles }, (_, n) => testUuid(0x9000 + n));
  for (const [n, id] of weapons.entries()) {
    held("weapon", id, "in_custody", n % 5 === 0 ? "pistol" : "rifle");
    view.weaponMarks.set(id, { id, tag: `W-${n}`, serial: `SN-${n}` });
  }
  held("ammunition", testUuid(0x9900), "in_custody", "cartridge");
  held("weapon", testUuid(0x9901), "out_of_store", "rifle");
  return { view, weapons };
}

describe("the stock check sample", () => {
  it("is at least 10% of the weapons (all of them in a full check), drawn from the seed alone", () => {
    expect([0, 1, 9, 10, 11, 25, 100].map((n) => sampleSize("weekly", n))).toEqual([0, 1, 1, 1, 2, 3, 10]);
    expect(sampleSize("full", 25)).toBe(25);
    const ids = Array.from({ length: 50 }, (_, n) => testUuid(n + 1));
    const a = drawStockCheckSample("ab".repeat(32), ids, 5);
    expect(a).toHaveLength(5);
    expect(a).toEqual([...a].sort());
    // The order the ids come in does not matter; the seed does.
    expect(drawStockCheckSample("ab".repeat(32), [...ids].reverse(), 5)).toEqual(a);
    const others = new Set(
      Array.from({ length: 20 }, (_, n) => drawStockCheckSample(`${n}`.padStart(64, "0"), ids, 5).join()),
    );
    expect(others.size).toBeGreaterThan(15);
  });
});

describe("stock_check.start and stock_check.record", () => {
  it("snapshots the stock, draws the sample from the server's seed, and records it in the event", async () => {
    const { view, weapons } = depotWithStock(25);
    const seed = `${"c0ffee".repeat(10)}c0ff`;
    const started = await record(
      "stock_check.start",
      { siteId: ids.depot, kind: "weekly", startedAt: "2025-03-01T08:00:00Z" },
      view,
      seed,
    );
    const d = started.data as {
      checkId: string;
      seed: string;
      expected: { kind: string; id: string }[];
      expectedCounts: Record<string, number>;
      outOfStore: number;
      sample: { kind: string; id: string }[];
    };
    expect(d.seed).toBe(seed);
    expect(d.expected).toHaveLength(26);
    expect(d.expectedCounts).toEqual({ "weapon:rifle": 20, "weapon:pistol": 5, "ammunition:cartridge": 1 });
    expect(d.outOfStore).toBe(1);
    expect(d.sample).toHaveLength(3);
    // Anyone holding the leaf redraws the same sample.
    const expectedWeapons = d.expected.filter((i) => i.kind === "weapon").map((i) => i.id);
    expect(d.sample.map((s) => s.id)).toEqual(drawStockCheckSample(seed, expectedWeapons, 3));
    expect(expectedWeapons.sort()).toEqual([...weapons].sort());

    // While it runs, nothing leaves the depot and no second check starts.
    await refused(
      "custody.dispatch",
      dispatchPayload({
        fromSiteId: ids.depot,
        toSiteId: ids.site,
        items: [{ kind: "weapon", id: weapons[1] }],
      }),
      view,
      "rule.violated",
      "payload.fromSiteId",
    );
    await refused(
      "stock_check.start",
      { siteId: ids.depot, kind: "full", startedAt: "2025-03-01T08:10:00Z" },
      view,
      "rule.violated",
    );

    const sampled = d.sample.map((s) => s.id);
    const markOf = (id: string) => view.weaponMarks.get(id)!;
    const result = (overrides: object = {}) => ({
      checkId: d.checkId,
      completedAt: "2025-03-01T09:00:00Z",
      counts: [
        { kind: "weapon", category: "rifle", count: 20 },
        { kind: "weapon", category: "pistol", count: 5 },
        { kind: "ammunition", category: "cartridge", count: 1 },
      ],
      sample: sampled.map((id) => ({ kind: "weapon", id, found: true, serial: markOf(id).serial })),
      countedBy: [takenBy],
      ...overrides,
    });
    await refused(
      "stock_check.record",
      result({ sample: result().sample.slice(1) }),
      view,
      "rule.violated",
      "payload.sample",
    );
    const stranger = weapons.find((w) => !sampled.includes(w))!;
    await refused(
      "stock_check.record",
      result({
        sample: [...result().sample.slice(1), { kind: "weapon", id: stranger, found: true, tag: "W-0" }],
      }),
      view,
      "rule.violated",
      "payload.sample.2",
    );
    await refused(
      "stock_check.record",
      result({ counts: result().counts.slice(1) }),
      view,
      "rule.violated",
      "payload.counts",
    );
    await refused(
      "stock_check.record",
      result({ completedAt: "2025-03-01T07:00:00Z" }),
      view,
      "rule.violated",
      "payload.completedAt",
    );
    await refused("stock_check.record", result({ checkId: testUuid(0xabcd) }), view, "reference.unknown");
    const parse = findCommandDefinition("stock_check.record")!.payload.safeParse;
    expect(parse(result({ counts: [{ kind: "weapon", category: "rifle", count: -1 }] })).success).toBe(false);
    expect(parse(result({ sample: [{ kind: "weapon", id: sampled[0], found: true }] })).success).toBe(false);

    // One sampled weapon not found, another with the wrong serial, and two rifles short in all.
    const [gone, swapped] = sampled as [string, string];
    const category = view.items.get(`weapon:${gone}`)!.category;
    const counts = result().counts.map((c) => (c.category === category ? { ...c, count: c.count - 2 } : c));
    const recorded = await record(
      "stock_check.record",
      result({
        counts,
        sample: result().sample.map((s) =>
          s.id === gone
            ? { ...s, found: false, serial: undefined }
            : s.id === swapped
              ? { ...s, serial: "ZZ-999" }
              : s,
        ),
      }),
      view,
    );
    const findings = recorded.data.findings as { kind: string; item?: { id: string }; category?: string }[];
    expect(findings.map((f) => f.kind).sort()).toEqual(["marking_mismatch", "sample_missing", "shortfall"]);
    expect(findings.find((f) => f.kind === "shortfall")).toMatchObject({
      category,
      expected: category === "rifle" ? 20 : 5,
    });
    expect(view.items.get(`weapon:${gone}`)).toMatchObject({ state: "lost", flagged: true });
    expect(view.items.get(`weapon:${swapped}`)).toMatchObject({ state: "in_custody", flagged: true });
    await refused("stock_check.record", result(), view, "rule.violated", "payload.checkId");
    // The check is over: the depot moves again.
    await decide(
      "custody.dispatch",
      dispatchPayload({
        fromSiteId: ids.depot,
        toSiteId: ids.site,
        items: [{ kind: "weapon", id: stranger }],
      }),
      view,
    );
  });

  it("samples every weapon in a full check, and only at depots", async () => {
    const { view, weapons } = depotWithStock(12);
    const started = await record(
      "stock_check.start",
      { siteId: ids.depot, kind: "full", startedAt: "2025-03-01T08:00:00Z" },
      view,
    );
    expect((started.data.sample as unknown[]).length).toBe(weapons.length);
    await refused(
      "stock_check.start",
      { siteId: ids.site, kind: "weekly", startedAt: "2025-03-01T08:00:00Z" },
      view,
      "rule.violated",
      "payload.siteId",
    );
    await refused(
      "stock_check.start",
      { siteId: ids.unknown, kind: "weekly", startedAt: "2025-03-01T08:00:00Z" },
      view,
      "reference.unknown",
    );
  });
});

describe("loss investigations and discrepancies", () => {
  it("opens an investigation for a missing item; closing it as found puts the item back at a named place", async () => {
    const view = seededView();
    const received = await record(
      "custody.receive",
      {
        transferId: ids.transfer,
        receivedAt: "2025-03-01T09:00:00Z",
        items: [],
        countAtReceipt: 0,
        sealsIntact: ["S-100"],
        location: { store: "Main store" },
        countersignedBy: takenBy,
      },
      view,
    );
    const investigationId = `${seq - 1}:0`;
    expect(received.data.discrepancies).toContainEqual({
      kind: "missing_item",
      item: { kind: "weapon", id: ids.travelling },
    });
    expect(view.investigations.get(investigationId)).toMatchObject({
      reason: "missing_item",
      status: "open",
    });
    await refused(
      "discrepancy.resolve",
      { discrepancyId: investigationId, resolvedAt: "2025-03-01T09:30:00Z", reason: "Found it." },
      view,
      "rule.violated",
      "payload.discrepancyId",
    );
    const close = (extra: object) => ({
      investigationId,
      closedAt: "2025-03-01T10:00:00Z",
      outcome: "found",
      reason: "Left behind at the loading bay.",
      ...extra,
    });
    await refused("investigation.close", close({}), view, "rule.violated", "payload.foundAt");
    await refused(
      "investigation.close",
      close({
        closedAt: "2025-03-01T08:00:00Z",
        foundAt: { siteId: ids.depot, location: { store: "Main" } },
      }),
      view,
      "rule.violated",
      "payload.closedAt",
    );
    await refused(
      "investigation.close",
      close({ outcome: "stolen", foundAt: { siteId: ids.depot, location: { store: "Main" } } }),
      view,
      "rule.violated",
      "payload.foundAt",
    );
    await refused(
      "investigation.close",
      close({ foundAt: { siteId: ids.unknown, location: { store: "Main" } } }),
      view,
      "reference.unknown",
    );
    await record(
      "investigation.update",
      {
        investigationId,
        status: "under_investigation",
        at: "2025-03-01T09:30:00Z",
        note: "Questioning the escort.",
      },
      view,
    );
    await refused(
      "investigation.update",
      { investigationId, status: "under_investigation", at: "2025-03-01T09:40:00Z", note: "Again." },
      view,
      "rule.violated",
    );
    const closed = await record(
      "investigation.close",
      close({ foundAt: { siteId: ids.depot, location: { store: "Main store", rack: "R4" } } }),
      view,
    );
    expect(closed.data).toMatchObject({
      item: { kind: "weapon", id: ids.travelling },
      discrepancyId: investigationId,
    });
    expect(view.items.get(`weapon:${ids.travelling}`)).toMatchObject({
      state: "in_custody",
      holderSiteId: ids.depot,
    });
    expect(view.discrepancies.get(investigationId)?.status).toBe("resolved");
    await refused(
      "investigation.close",
      close({ outcome: "stolen" }),
      view,
      "rule.violated",
      "payload.investigationId",
    );
    await refused("investigation.close", close({ investigationId: "999:9" }), view, "reference.unknown");
  });

  it("resolves a broken seal with a reason, once", async () => {
    const view = seededView();
    const payload = {
      discrepancyId: "61:0",
      resolvedAt: "2025-03-01T09:30:00Z",
      reason: "Checked each item.",
    };
    await record("discrepancy.resolve", payload, view);
    await refused("discrepancy.resolve", payload, view, "rule.violated", "payload.discrepancyId");
    await refused("discrepancy.resolve", { ...payload, discrepancyId: "999:0" }, view, "reference.unknown");
  });
});

describe("date order", () => {
  it("refuses a receipt before its dispatch, and a destruction or a removal before the item came into custody", async () => {
    const view = seededView();
    view.since.set(`weapon:${ids.condemned}`, "2025-03-01T09:40:00Z");
    view.since.set(`weapon:${ids.weapon}`, "2025-03-01T07:00:00Z");
    const receipt = {
      transferId: ids.transfer,
      receivedAt: "2025-03-01T08:00:00Z",
      items: [{ kind: "weapon", id: ids.travelling }],
      countAtReceipt: 1,
      sealsIntact: ["S-100", "S-101"],
      location: { store: "Main store" },
      countersignedBy: takenBy,
    };
    expect(
      (await refused("custody.receive", receipt, view, "rule.violated", "payload.receivedAt")).message,
    ).toMatch(/before the load was dispatched/);
    await refused(
      "disposition.destroy",
      destructionPayload({ destroyedAt: "2025-03-01T09:30:00Z" }),
      view,
      "rule.violated",
      "payload.destroyedAt",
    );
    await refused(
      "store.remove",
      removal(undefined, { removedAt: "2025-03-01T06:00:00Z" }),
      view,
      "rule.violated",
      "payload.removedAt",
    );
    await refused(
      "custody.dispatch",
      dispatchPayload({ dispatchedAt: "2025-03-01T06:59:00Z" }),
      view,
      "rule.violated",
      "payload.dispatchedAt",
    );
    // At or after the time, all is well.
    await decide("custody.receive", { ...receipt, receivedAt: "2025-03-01T08:30:00Z" }, view);
    await decide("disposition.destroy", destructionPayload({ destroyedAt: "2025-03-01T09:40:00Z" }), view);
  });
});
