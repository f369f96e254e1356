import { describe, expect, it } from "vitest";
import type { DecidedEvent } from "../src/commands/command.ts";
import { findCommandDefinition } from "../src/commands/registry.ts";
import { Problem, type ProblemCode } from "../src/problems.ts";
import { programmeConfig } from "../src/records/programme.ts";
import {
  deactivationPayload,
  destructionPayload,
  dispatchPayload,
  ids,
  photo,
  programmePayload,
  receivePayload,
  retentionPayload,
  seededView,
  stateTransferPayload,
} from "./fixtures.ts";
import { type MemoryView, makeEnv, type TestEnv, testUuid } from "./memory-view.ts";

// The rules of custody: dispatch (custody.dispatch), receipt (custody.receive) and destruction
// (disposition.destroy), decided against a MemoryView and folded back into it with apply().

function definition(type: string) {
  const def = findCommandDefinition(type);
  if (!def) throw new Error(`no command ${type}`);
  return def;
}

/** Parses the payload as the API would, then lets the command decide. */
async function decide(type: string, raw: unknown, view: MemoryView, env: TestEnv = makeEnv()) {
  const def = definition(type);
  return def.decide(def.payload.parse(raw), view, env);
}

let seq = 100;
/** Decides and applies, as the store would: the view then holds the event's effects. */
async function record(type: string, raw: unknown, view: MemoryView): Promise<DecidedEvent> {
  const event = await decide(type, raw, view, makeEnv({ seq, firstId: 0x2000 + seq * 0x10 }));
  view.apply(seq++, event);
  return event;
}

/** The custody part of the view, to show that a refused command changed nothing. */
function custodySnapshot(view: MemoryView) {
  return structuredClone({
    items: [...view.items.entries()],
    transfers: [...view.transfers.entries()],
    seals: [...view.seals],
  });
}

async function expectRefused(
  type: string,
  raw: unknown,
  view: MemoryView,
  code: ProblemCode,
  path?: string,
  env: TestEnv = makeEnv(),
): Promise<Problem> {
  const before = custodySnapshot(view);
  let problem: Problem | undefined;
  try {
    await decide(type, raw, view, env);
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    problem = e;
  }
  if (!problem) throw new Error(`expected ${type} to be refused`);
  expect(problem.code, problem.message).toBe(code);
  if (path !== undefined) expect(problem.fields.map((f) => f.path)).toContain(path);
  expect(problem.message.length).toBeGreaterThan(10);
  expect(custodySnapshot(view)).toEqual(before);
  return problem;
}

function schemaRefuses(type: string, raw: unknown): string[] {
  const r = definition(type).payload.safeParse(raw);
  if (r.success) throw new Error(`the ${type} schema accepted ${JSON.stringify(raw)}`);
  return [...new Set(r.error.issues.map((i) => i.path.join(".")))];
}

const weapon = (id: string) => ({ kind: "weapon" as const, id });
const lot = (id: string) => ({ kind: "ammunition" as const, id });
const state = (view: MemoryView, ref: { kind: string; id: string }) =>
  view.items.get(`${ref.kind}:${ref.id}`);

/** The seeded view with more rifles at the collection site (ids 0x60…). */
function viewWithRifles(n: number, options: { programme?: boolean } = { programme: true }) {
  const view = seededView(options);
  const rifles = Array.from({ length: n }, (_, i) => testUuid(0x60 + i));
  for (const id of rifles)
    view.items.set(`weapon:${id}`, {
      kind: "weapon",
      id,
      state: "in_custody",
      holderSiteId: ids.site,
      category: "rifle",
      flagged: false,
      alteredMarks: false,
    });
  return { view, rifles };
}

describe("custody.dispatch", () => {
  it("records the manifest, the seals and who dispatched it; the items are then in transit", async () => {
    const view = seededView({ programme: true });
    const env = makeEnv();
    const event = await decide("custody.dispatch", dispatchPayload(), view, env);
    expect(event).toEqual({
      type: "custody.dispatched",
      subjects: [{ kind: "transfer", id: env.issued[0] }, weapon(ids.weapon)],
      data: {
        ...dispatchPayload(),
        transferId: env.issued[0],
        dispatchedBy: env.actor.userId,
        manifest: "weapon",
      },
    });
    view.apply(60, event);
    expect(state(view, weapon(ids.weapon))).toMatchObject({ state: "in_transit", holderSiteId: ids.site });
    expect(view.transfers.get(env.issued[0]!)).toMatchObject({ status: "in_transit", seals: ["S-200"] });
    expect(view.seals.has("S-200")).toBe(true);
  });

  it("keeps a client-made transfer id, and refuses one in use", async () => {
    const transferId = testUuid(0x77);
    const env = makeEnv();
    const event = await decide("custody.dispatch", dispatchPayload({ transferId }), seededView(), env);
    expect(event.data.transferId).toBe(transferId);
    expect(env.issued).toEqual([]);
    await expectRefused(
      "custody.dispatch",
      dispatchPayload({ transferId: ids.transfer }),
      seededView(),
      "rule.violated",
      "payload.transferId",
    );
  });

  it("sends an ammunition lot on its own", async () => {
    const event = await decide(
      "custody.dispatch",
      dispatchPayload({ items: [lot(ids.lot)] }),
      seededView({ programme: true }),
    );
    expect(event.data.manifest).toBe("ammunition");
  });

  it("refuses unknown items, naming the line of the manifest", async () => {
    const view = seededView({ programme: true });
    await expectRefused(
      "custody.dispatch",
      dispatchPayload({ items: [weapon(ids.weapon), weapon(ids.unknown)], countAtDispatch: 2 }),
      view,
      "reference.unknown",
      "payload.items.1",
    );
    // A known id under the wrong kind is not that item.
    await expectRefused(
      "custody.dispatch",
      dispatchPayload({ items: [lot(ids.weapon)] }),
      view,
      "reference.unknown",
      "payload.items.0",
    );
  });

  it("refuses an unknown site at either end", async () => {
    const view = seededView({ programme: true });
    await expectRefused(
      "custody.dispatch",
      dispatchPayload({ fromSiteId: ids.unknown }),
      view,
      "reference.unknown",
      "payload.fromSiteId",
    );
    await expectRefused(
      "custody.dispatch",
      dispatchPayload({ toSiteId: ids.unknown }),
      view,
      "reference.unknown",
      "payload.toSiteId",
    );
  });

  it("refuses an item already in transit", async () => {
    const problem = await expectRefused(
      "custody.dispatch",
      dispatchPayload({ items: [weapon(ids.weapon), weapon(ids.travelling)], countAtDispatch: 2 }),
      seededView({ programme: true }),
      "rule.violated",
      "payload.items.1",
    );
    expect(problem.message).toMatch(/in transit/);
  });

  it("refuses a dispatch by a site that does not hold the item", async () => {
    const view = seededView({ programme: true });
    // The rifle is at the collection site, not the depot.
    const problem = await expectRefused(
      "custody.dispatch",
      dispatchPayload({ fromSiteId: ids.depot, toSiteId: ids.destruction }),
      view,
      "rule.violated",
      "payload.items.0",
    );
    expect(problem.message).toMatch(/holder/);
    // One item of the load held elsewhere spoils the whole load.
    await expectRefused(
      "custody.dispatch",
      dispatchPayload({ items: [weapon(ids.weapon), weapon(ids.condemned)], countAtDispatch: 2 }),
      view,
      "rule.violated",
      "payload.items.1",
    );
  });

  it("never moves a destroyed or lost item again", async () => {
    const view = seededView({ programme: true });
    await record("disposition.destroy", destructionPayload(), view);
    expect(state(view, weapon(ids.condemned))?.state).toBe("destroyed");
    const destroyed = await expectRefused(
      "custody.dispatch",
      dispatchPayload({ fromSiteId: ids.destruction, items: [weapon(ids.condemned)] }),
      view,
      "rule.violated",
      "payload.items.0",
    );
    expect(destroyed.message).toMatch(/destroyed and can never move/);
    await expectRefused(
      "disposition.destroy",
      destructionPayload(),
      view,
      "rule.violated",
      "payload.items.0",
    );

    // The travelling rifle goes missing on the road: lost, and it cannot be dispatched either.
    await record("custody.receive", receivePayload({ items: [], countAtReceipt: 0 }), view);
    expect(state(view, weapon(ids.travelling))).toMatchObject({ state: "lost", flagged: true });
    for (const fromSiteId of [ids.site, ids.depot])
      await expectRefused(
        "custody.dispatch",
        dispatchPayload({ fromSiteId, toSiteId: ids.destruction, items: [weapon(ids.travelling)] }),
        view,
        "rule.violated",
        "payload.items.0",
      );
  });

  it.each([0, 1, 3])("refuses a count at dispatch of %i for a manifest of two items", async (count) => {
    const { view, rifles } = viewWithRifles(2);
    const problem = await expectRefused(
      "custody.dispatch",
      dispatchPayload({ items: rifles.map(weapon), countAtDispatch: count }),
      view,
      "rule.violated",
      "payload.countAtDispatch",
    );
    expect(problem.message).toContain(`(${count})`);
  });

  it("refuses weapons and ammunition in one load unless the programme allows mixed manifests", async () => {
    const mixed = dispatchPayload({ items: [weapon(ids.weapon), lot(ids.lot)], countAtDispatch: 2 });
    await expectRefused(
      "custody.dispatch",
      mixed,
      seededView({ programme: true }),
      "rule.violated",
      "payload.items",
    );
    // No programme yet: the strict default applies.
    await expectRefused("custody.dispatch", mixed, seededView(), "rule.violated", "payload.items");
    const view = seededView();
    view.programmeConfig = programmeConfig.parse({
      ...programmePayload(),
      custody: { allowMixedManifests: true },
    });
    const event = await decide("custody.dispatch", mixed, view);
    expect(event.data.manifest).toBe("mixed");
    expect(event.subjects.slice(1)).toEqual([weapon(ids.weapon), lot(ids.lot)]);
  });

  it("refuses a seal already used on another transfer, whether in transit or long received", async () => {
    const view = seededView({ programme: true });
    await expectRefused(
      "custody.dispatch",
      dispatchPayload({ seals: ["S-300", "S-101"] }),
      view,
      "rule.violated",
      "payload.seals",
    );
    // Seal numbers are codes: typed in lower case, they are the same seal.
    await expectRefused("custody.dispatch", dispatchPayload({ seals: ["s-100"] }), view, "rule.violated");
    await record("custody.receive", receivePayload(), view);
    expect(view.transfers.get(ids.transfer)?.status).toBe("received");
    const problem = await expectRefused(
      "custody.dispatch",
      dispatchPayload({ seals: ["S-100"] }),
      view,
      "rule.violated",
      "payload.seals",
    );
    expect(problem.message).toContain("S-100");
    // A seal put on by a dispatch recorded in this view is used too.
    await record("custody.dispatch", dispatchPayload({ seals: ["S-400"] }), view);
    await expectRefused(
      "custody.dispatch",
      dispatchPayload({ items: [lot(ids.lot)], seals: ["S-400"] }),
      view,
      "rule.violated",
      "payload.seals",
    );
  });

  it.each([
    ["2025-03-01T10:00:01Z", "one second after the server's clock"],
    ["2025-03-01T08:00:00-05:00", "13:00 UTC written with a negative offset"],
    ["2025-03-01T14:00:00+03:00", "11:00 UTC written in Baghdad time"],
  ])("refuses a dispatch time in the future: %s (%s)", async (dispatchedAt) => {
    await expectRefused(
      "custody.dispatch",
      dispatchPayload({ dispatchedAt }),
      seededView({ programme: true }),
      "rule.violated",
      "payload.dispatchedAt",
      makeEnv({ now: "2025-03-01T10:00:00Z" }),
    );
  });

  it("accepts a dispatch time in the past written with any offset", async () => {
    for (const dispatchedAt of [
      "2025-03-01T12:59:00+03:00",
      "2025-03-01T10:00:00Z",
      "2025-03-01T04:00:00-06:00",
    ]) {
      const event = await decide(
        "custody.dispatch",
        dispatchPayload({ dispatchedAt }),
        seededView({ programme: true }),
        makeEnv({ now: "2025-03-01T10:00:00.000Z" }),
      );
      expect(event.data.dispatchedAt).toBe(dispatchedAt);
    }
  });

  describe("its schema", () => {
    it.each([
      ["the same seal twice", dispatchPayload({ seals: ["S-1", "S-1"] }), ["seals"]],
      ["the same seal twice in two cases", dispatchPayload({ seals: ["S-1", "s-1"] }), ["seals"]],
      ["no seal", dispatchPayload({ seals: [] }), ["seals"]],
      ["a seal that is not a code", dispatchPayload({ seals: ["seal #1"] }), ["seals.0"]],
      ["a negative count", dispatchPayload({ countAtDispatch: -1 }), ["countAtDispatch"]],
      ["a fractional count", dispatchPayload({ countAtDispatch: 1.5 }), ["countAtDispatch"]],
      ["an empty manifest", dispatchPayload({ items: [], countAtDispatch: 0 }), ["items"]],
      [
        "an item listed twice",
        dispatchPayload({ items: [weapon(ids.weapon), weapon(ids.weapon)], countAtDispatch: 2 }),
        ["items"],
      ],
      [
        "an item of an unknown kind",
        dispatchPayload({ items: [{ kind: "vehicle", id: ids.weapon }] }),
        ["items.0.kind"],
      ],
      ["a transfer to the same place", dispatchPayload({ toSiteId: ids.site }), ["toSiteId"]],
      ["no countersignature", { ...dispatchPayload(), countersignedBy: undefined }, ["countersignedBy"]],
      ["an unknown field", dispatchPayload({ fuel: 40 }), [""]],
      ["a time without offset", dispatchPayload({ dispatchedAt: "2025-03-01T09:00:00" }), ["dispatchedAt"]],
    ])("refuses %s", (_, raw, paths) => {
      expect(schemaRefuses("custody.dispatch", raw)).toEqual(paths);
    });
  });
});

describe("custody.receive", () => {
  it("receives a load as dispatched: no discrepancy, the items held at the receiving site", async () => {
    const view = seededView({ programme: true });
    const env = makeEnv();
    const event = await decide("custody.receive", receivePayload(), view, env);
    expect(event).toEqual({
      type: "custody.received",
      subjects: [{ kind: "transfer", id: ids.transfer }, weapon(ids.travelling)],
      data: {
        ...receivePayload(),
        unexpected: [],
        toSiteId: ids.depot,
        receivedBy: env.actor.userId,
        discrepancies: [],
      },
    });
    view.apply(61, event);
    expect(state(view, weapon(ids.travelling))).toMatchObject({
      state: "in_custody",
      holderSiteId: ids.depot,
      flagged: false,
    });
    expect(view.transfers.get(ids.transfer)?.status).toBe("received");
  });

  it("refuses an unknown transfer", async () => {
    await expectRefused(
      "custody.receive",
      receivePayload({ transferId: ids.unknown }),
      seededView(),
      "reference.unknown",
      "payload.transferId",
    );
  });

  it("refuses to receive a transfer twice", async () => {
    const view = seededView();
    await record("custody.receive", receivePayload(), view);
    const problem = await expectRefused(
      "custody.receive",
      receivePayload(),
      view,
      "rule.violated",
      "payload.transferId",
    );
    expect(problem.message).toMatch(/already received/);
    // Received with discrepancies is received too.
    const other = seededView();
    await record("custody.receive", receivePayload({ sealsIntact: [] }), other);
    expect(other.transfers.get(ids.transfer)?.status).toBe("received_with_discrepancies");
    await expectRefused("custody.receive", receivePayload(), other, "rule.violated", "payload.transferId");
  });

  it("refuses an item that is not on the manifest, even one known elsewhere", async () => {
    const view = seededView();
    for (const stranger of [weapon(ids.weapon), lot(ids.lot), weapon(ids.unknown), lot(ids.travelling)])
      await expectRefused(
        "custody.receive",
        receivePayload({ items: [weapon(ids.travelling), stranger], countAtReceipt: 2 }),
        view,
        "rule.violated",
        "payload.items.1",
      );
  });

  it("refuses a seal that was not put on the load at dispatch", async () => {
    const view = seededView();
    await expectRefused(
      "custody.receive",
      receivePayload({ sealsIntact: ["S-100", "S-999"] }),
      view,
      "rule.violated",
      "payload.sealsIntact.1",
    );
    // A seal of another transfer is not this load's seal either.
    await record("custody.dispatch", dispatchPayload({ seals: ["S-500"] }), view);
    await expectRefused(
      "custody.receive",
      receivePayload({ sealsIntact: ["S-500"] }),
      view,
      "rule.violated",
      "payload.sealsIntact.0",
    );
  });

  it("refuses a receipt time in the future", async () => {
    await expectRefused(
      "custody.receive",
      receivePayload({ receivedAt: "2025-03-01T12:00:00-01:00" }),
      seededView(),
      "rule.violated",
      "payload.receivedAt",
      makeEnv({ now: "2025-03-01T10:00:00Z" }),
    );
  });

  it("lists every difference between dispatch and receipt, exactly", async () => {
    const { view, rifles } = viewWithRifles(3);
    const [a, b, c] = rifles.map(weapon) as [
      ReturnType<typeof weapon>,
      ReturnType<typeof weapon>,
      ReturnType<typeof weapon>,
    ];
    const dispatched = await record(
      "custody.dispatch",
      dispatchPayload({ items: [a, b, c], countAtDispatch: 3, seals: ["K-1", "K-2", "K-3"] }),
      view,
    );
    const transferId = dispatched.data.transferId as string;
    const event = await decide(
      "custody.receive",
      receivePayload({
        transferId,
        items: [c, a],
        sealsIntact: ["k-3", "K-1"],
        unexpected: [
          { description: "Pistol without a tag", serial: "PM 1234" },
          { description: "Empty crate" },
        ],
        countAtReceipt: 5,
      }),
      view,
    );
    expect(event.data.discrepancies).toEqual([
      { kind: "missing_item", item: b },
      { kind: "broken_seal", seal: "K-2" },
      { kind: "unexpected_item", description: "Pistol without a tag", serial: "PM 1234" },
      { kind: "unexpected_item", description: "Empty crate" },
      { kind: "count_mismatch", counted: 5, listed: 4 },
    ]);
    // Every manifest item is a subject of the receipt, the missing one included.
    expect(event.subjects).toEqual([{ kind: "transfer", id: transferId }, a, b, c]);
    view.apply(62, event);
    expect(state(view, b)).toMatchObject({ state: "lost", flagged: true });
    // A broken seal casts doubt on what arrived: held at the depot, flagged.
    for (const ref of [a, c])
      expect(state(view, ref)).toMatchObject({ state: "in_custody", holderSiteId: ids.depot, flagged: true });
    expect(view.transfers.get(transferId)?.status).toBe("received_with_discrepancies");
  });

  it("counts unexpected items in the receipt count, and finds nothing wrong when they agree", async () => {
    const { view, rifles } = viewWithRifles(2);
    const t = await record(
      "custody.dispatch",
      dispatchPayload({ items: rifles.map(weapon), countAtDispatch: 2, seals: ["Q-1"] }),
      view,
    );
    const clean = await decide(
      "custody.receive",
      receivePayload({
        transferId: t.data.transferId,
        items: rifles.map(weapon),
        sealsIntact: ["Q-1"],
        countAtReceipt: 2,
      }),
      view,
    );
    expect(clean.data.discrepancies).toEqual([]);
    const withStranger = await decide(
      "custody.receive",
      receivePayload({
        transferId: t.data.transferId,
        items: rifles.map(weapon),
        sealsIntact: ["Q-1"],
        unexpected: [{ description: "Bayonet" }],
        countAtReceipt: 3,
      }),
      view,
    );
    expect(withStranger.data.discrepancies).toEqual([{ kind: "unexpected_item", description: "Bayonet" }]);
    const miscounted = await decide(
      "custody.receive",
      receivePayload({
        transferId: t.data.transferId,
        items: rifles.map(weapon),
        sealsIntact: ["Q-1"],
        countAtReceipt: 1,
      }),
      view,
    );
    expect(miscounted.data.discrepancies).toEqual([{ kind: "count_mismatch", counted: 1, listed: 2 }]);
  });

  it("records a load that arrived empty: every item missing, every seal broken, nothing flagged that arrived", async () => {
    const view = seededView();
    const event = await decide(
      "custody.receive",
      receivePayload({ items: [], sealsIntact: [], countAtReceipt: 0 }),
      view,
    );
    expect(event.data.discrepancies).toEqual([
      { kind: "missing_item", item: weapon(ids.travelling) },
      { kind: "broken_seal", seal: "S-100" },
      { kind: "broken_seal", seal: "S-101" },
    ]);
  });

  describe("its schema", () => {
    it.each([
      ["a negative count", receivePayload({ countAtReceipt: -3 }), ["countAtReceipt"]],
      [
        "an item listed twice",
        receivePayload({ items: [weapon(ids.travelling), weapon(ids.travelling)], countAtReceipt: 2 }),
        ["items"],
      ],
      ["no storage location", { ...receivePayload(), location: undefined }, ["location"]],
      ["a photo that is not a file reference", receivePayload({ photos: ["photo.jpg"] }), ["photos.0"]],
      [
        "an unexpected item without description",
        receivePayload({ unexpected: [{ serial: "X1" }] }),
        ["unexpected.0.description"],
      ],
      ["an unknown field", receivePayload({ weather: "rain" }), [""]],
    ])("refuses %s", (_, raw, paths) => {
      expect(schemaRefuses("custody.receive", raw)).toEqual(paths);
    });
  });
});

describe("disposition.destroy", () => {
  it("records the batch and how many independent witnesses attended; the items are then destroyed", async () => {
    const view = seededView();
    const env = makeEnv();
    const raw = destructionPayload({
      witnesses: [
        { name: "Dr. Mona Haddad", affiliation: "Independent observer", independent: true },
        { name: "Col. Faris Naji", affiliation: "Commission", independent: false },
      ],
    });
    const event = await decide("disposition.destroy", raw, view, env);
    expect(event).toEqual({
      type: "disposition.destroyed",
      subjects: [{ kind: "disposition", id: env.issued[0] }, weapon(ids.condemned)],
      data: { ...raw, batchId: env.issued[0], recordedBy: env.actor.userId, independentWitnesses: 1 },
    });
    view.apply(63, event);
    expect(state(view, weapon(ids.condemned))).toMatchObject({
      state: "destroyed",
      holderSiteId: ids.destruction,
    });
  });

  it("keeps a client-made batch id", async () => {
    const batchId = testUuid(0x88);
    const env = makeEnv();
    const event = await decide("disposition.destroy", destructionPayload({ batchId }), seededView(), env);
    expect(event.subjects[0]).toEqual({ kind: "disposition", id: batchId });
    expect(env.issued).toEqual([]);
  });

  it.each([
    [
      "with no independent witness",
      { witnesses: [{ name: "Col. Faris Naji", affiliation: "Commission", independent: false }] },
      "witnesses",
    ],
    ["with no witness at all", { witnesses: [] }, "witnesses"],
    ["with no operator", { operators: [] }, "operators"],
    ["without a photograph", { photos: [] }, "photos"],
    ["by an unknown method", { method: "dissolving" }, "method"],
    ["with no items", { items: [] }, "items"],
    ["with an item listed twice", { items: [weapon(ids.condemned), weapon(ids.condemned)] }, "items"],
    [
      "with a witness whose independence is not stated",
      { witnesses: [{ name: "Dr. Mona Haddad", affiliation: "Observer" }] },
      "witnesses.0.independent",
    ],
  ])("refuses a destruction %s", (_, overrides, path) => {
    expect(schemaRefuses("disposition.destroy", destructionPayload(overrides))).toEqual([path]);
  });

  it("refuses a destruction anywhere but a registered destruction site", async () => {
    const view = seededView();
    for (const siteId of [ids.depot, ids.site, ids.mobile]) {
      const problem = await expectRefused(
        "disposition.destroy",
        destructionPayload({ siteId }),
        view,
        "rule.violated",
        "payload.siteId",
      );
      expect(problem.message).toMatch(/destruction site/);
    }
    await expectRefused(
      "disposition.destroy",
      destructionPayload({ siteId: ids.unknown }),
      view,
      "reference.unknown",
      "payload.siteId",
    );
  });

  it("refuses items not held at the destruction site, in transit or unknown", async () => {
    const view = seededView();
    const also = (ref: { kind: "weapon" | "ammunition"; id: string }) =>
      destructionPayload({ items: [weapon(ids.condemned), ref] });
    const elsewhere = await expectRefused(
      "disposition.destroy",
      also(weapon(ids.weapon)),
      view,
      "rule.violated",
      "payload.items.1",
    );
    expect(elsewhere.message).toMatch(/not held at this destruction site/);
    await expectRefused("disposition.destroy", also(lot(ids.lot)), view, "rule.violated", "payload.items.1");
    const travelling = await expectRefused(
      "disposition.destroy",
      also(weapon(ids.travelling)),
      view,
      "rule.violated",
      "payload.items.1",
    );
    expect(travelling.message).toMatch(/in transit/);
    await expectRefused(
      "disposition.destroy",
      also(weapon(ids.unknown)),
      view,
      "reference.unknown",
      "payload.items.1",
    );
  });

  it("destroys an item once: a second destruction is refused", async () => {
    const view = seededView();
    await record("disposition.destroy", destructionPayload(), view);
    const problem = await expectRefused(
      "disposition.destroy",
      destructionPayload(),
      view,
      "rule.violated",
      "payload.items.0",
    );
    expect(problem.message).toMatch(/destroyed/);
  });

  it("refuses a destruction time in the future", async () => {
    await expectRefused(
      "disposition.destroy",
      destructionPayload({ destroyedAt: "2025-03-01T10:00:00.001Z" }),
      seededView(),
      "rule.violated",
      "payload.destroyedAt",
      makeEnv({ now: "2025-03-01T10:00:00Z" }),
    );
  });
});

describe("a load's journey from the collection site to destruction", () => {
  it("moves rifles and ammunition apart, loses one on the road, and destroys the rest", async () => {
    const { view, rifles } = viewWithRifles(3);
    const [a, b, c] = rifles.map(weapon) as [
      ReturnType<typeof weapon>,
      ReturnType<typeof weapon>,
      ReturnType<typeof weapon>,
    ];
    const toDepot = await record(
      "custody.dispatch",
      dispatchPayload({ items: [a, b, c], countAtDispatch: 3, seals: ["J-1", "J-2"] }),
      view,
    );
    const ammo = await record(
      "custody.dispatch",
      dispatchPayload({ items: [lot(ids.lot)], seals: ["J-3"] }),
      view,
    );
    expect([toDepot.data.manifest, ammo.data.manifest]).toEqual(["weapon", "ammunition"]);
    await record(
      "custody.receive",
      receivePayload({
        transferId: toDepot.data.transferId,
        items: [a, c],
        sealsIntact: ["J-1"],
        countAtReceipt: 2,
      }),
      view,
    );
    await record(
      "custody.receive",
      receivePayload({ transferId: ammo.data.transferId, items: [lot(ids.lot)], sealsIntact: ["J-3"] }),
      view,
    );
    expect(state(view, lot(ids.lot))).toMatchObject({
      state: "in_custody",
      holderSiteId: ids.depot,
      flagged: false,
    });
    // Not yet at the destruction site: refused.
    await expectRefused("disposition.destroy", destructionPayload({ items: [a] }), view, "rule.violated");
    const onward = await record(
      "custody.dispatch",
      dispatchPayload({
        fromSiteId: ids.depot,
        toSiteId: ids.destruction,
        items: [a, c],
        countAtDispatch: 2,
        seals: ["J-4"],
        dispatchedAt: "2025-03-01T09:46:00Z",
      }),
      view,
    );
    await record(
      "custody.receive",
      receivePayload({
        transferId: onward.data.transferId,
        items: [a, c],
        sealsIntact: ["J-4"],
        countAtReceipt: 2,
        receivedAt: "2025-03-01T09:48:00Z",
      }),
      view,
    );
    await record(
      "disposition.destroy",
      destructionPayload({ items: [a, c, weapon(ids.condemned)], photos: [photo] }),
      view,
    );
    const states = Object.fromEntries([...view.items.values()].map((i) => [i.id, i.state]));
    expect(states).toEqual({
      [ids.weapon]: "in_custody",
      [ids.lot]: "in_custody",
      [ids.travelling]: "in_transit",
      [ids.borrowed]: "out_of_store",
      [ids.condemned]: "destroyed",
      // The rifle and its loose bolt seeded for weapon.reattach_part stay where they were.
      [ids.reunited]: "in_custody",
      [ids.looseBolt]: "in_custody",
      [a.id]: "destroyed",
      [b.id]: "lost",
      [c.id]: "destroyed",
    });
  });
});

// The other final dispositions share destruction's checks: the site is known, the time is not in
// the future, every item is recorded, in custody and held at the site. Run them on each.
const finalDispositions = [
  {
    type: "disposition.transfer_to_state",
    event: "disposition.transferred_to_state",
    final: "transferred",
    payload: stateTransferPayload,
    at: "transferredAt",
    item: (ref: { kind: "weapon" | "ammunition"; id: string }) => ({ ...ref, registrationNumber: "IQ-FP-9" }),
  },
  {
    type: "disposition.deactivate",
    event: "disposition.deactivated",
    final: "deactivated",
    payload: deactivationPayload,
    at: "deactivatedAt",
    item: (ref: { kind: "weapon" | "ammunition"; id: string }) => ({ ...ref, mark: "IQ-DEACT" }),
  },
  {
    type: "disposition.retain",
    event: "disposition.retained",
    final: "retained",
    payload: retentionPayload,
    at: "retainedAt",
    item: (ref: { kind: "weapon" | "ammunition"; id: string }) => ref,
  },
] as const;

describe.each(finalDispositions)("$type", (c) => {
  it("records the batch; the items are then in their final state and can never move again", async () => {
    const view = seededView({ programme: true });
    const env = makeEnv();
    const raw = c.payload();
    const event = await decide(c.type, raw, view, env);
    expect(event.type).toBe(c.event);
    expect(event.subjects[0]).toEqual({ kind: "disposition", id: env.issued[0] });
    expect(event.data).toMatchObject({
      batchId: env.issued[0],
      recordedBy: env.actor.userId,
      siteId: ids.site,
    });
    view.apply(64, event);
    expect(state(view, weapon(ids.weapon))).toMatchObject({ state: c.final, holderSiteId: ids.site });
    const moved = await expectRefused(
      "custody.dispatch",
      dispatchPayload(),
      view,
      "rule.violated",
      "payload.items.0",
    );
    expect(moved.message).toMatch(/can never move again/);
    for (const again of finalDispositions)
      await expectRefused(
        again.type,
        again.payload({ items: [again.item(weapon(ids.weapon))] }),
        view,
        "rule.violated",
        "payload.items.0",
      );
    await expectRefused(
      "disposition.destroy",
      destructionPayload({ siteId: ids.site }),
      view,
      "rule.violated",
      "payload.siteId",
    );
  });

  it("keeps a client-made batch id", async () => {
    const batchId = testUuid(0x89);
    const env = makeEnv();
    const event = await decide(c.type, c.payload({ batchId }), seededView(), env);
    expect(event.subjects[0]).toEqual({ kind: "disposition", id: batchId });
    expect(env.issued).toEqual([]);
  });

  it("refuses an unknown site, a time in the future, and items unknown, elsewhere or in transit", async () => {
    const view = seededView();
    await expectRefused(
      c.type,
      c.payload({ siteId: ids.unknown }),
      view,
      "reference.unknown",
      "payload.siteId",
    );
    await expectRefused(
      c.type,
      c.payload({ [c.at]: "2025-03-01T10:00:00.001Z" }),
      view,
      "rule.violated",
      `payload.${c.at}`,
      makeEnv({ now: "2025-03-01T10:00:00Z" }),
    );
    const unknown = c.payload({ items: [c.item(weapon(ids.unknown))] });
    await expectRefused(c.type, unknown, view, "reference.unknown", "payload.items.0");
    const elsewhere = await expectRefused(
      c.type,
      c.payload({ items: [c.item(weapon(ids.condemned))] }),
      view,
      "rule.violated",
      "payload.items.0",
    );
    expect(elsewhere.message).toMatch(/not held at this site/);
    const travelling = await expectRefused(
      c.type,
      c.payload({ items: [c.item(weapon(ids.travelling))] }),
      view,
      "rule.violated",
      "payload.items.0",
    );
    expect(travelling.message).toMatch(/in transit/);
  });

  it("refuses an empty batch and an item listed twice", () => {
    expect(schemaRefuses(c.type, c.payload({ items: [] }))).toEqual(["items"]);
    const twice = c.item(weapon(ids.weapon));
    expect(schemaRefuses(c.type, c.payload({ items: [twice, twice] }))).toContain("items");
  });
});

describe("disposition.transfer_to_state", () => {
  const altered = () => {
    const view = seededView();
    view.items.get(`weapon:${ids.weapon}`)!.alteredMarks = true;
    return view;
  };

  it("refuses a weapon whose markings were altered or erased unless it was re-marked", async () => {
    const view = altered();
    const problem = await expectRefused(
      "disposition.transfer_to_state",
      stateTransferPayload(),
      view,
      "rule.violated",
      "payload.items.0.remarking",
    );
    expect(problem.message).toMatch(/altered or erased markings force destruction or re-marking first/);
    const remarked = stateTransferPayload({
      items: [
        {
          kind: "weapon",
          id: ids.weapon,
          registrationNumber: "IQ-FP-000101",
          remarking: { marking: "IQ MOI 2025 000101", markedOn: "2025-02-27" },
        },
      ],
    });
    const event = await decide("disposition.transfer_to_state", remarked, view);
    expect(event.data.items).toEqual(remarked.items);
  });

  it("requires a registration number for every weapon; a lot may give its lot reference instead", () => {
    expect(
      schemaRefuses("disposition.transfer_to_state", stateTransferPayload({ items: [weapon(ids.weapon)] })),
    ).toEqual(["items.0.registrationNumber"]);
    expect(
      schemaRefuses("disposition.transfer_to_state", stateTransferPayload({ items: [lot(ids.lot)] })),
    ).toEqual(["items.0.registrationNumber"]);
    expect(
      schemaRefuses(
        "disposition.transfer_to_state",
        stateTransferPayload({ items: [{ ...weapon(ids.weapon), lotReference: "L-1" }] }),
      ),
    ).toEqual(["items.0.registrationNumber", "items.0.lotReference"]);
    expect(
      definition("disposition.transfer_to_state").payload.safeParse(
        stateTransferPayload({ items: [{ ...lot(ids.lot), registrationNumber: "IQ-LOT-1" }] }),
      ).success,
    ).toBe(true);
  });

  it("refuses a registration number given twice in one transfer or already given to another item", async () => {
    expect(
      schemaRefuses(
        "disposition.transfer_to_state",
        stateTransferPayload({
          items: [
            { ...weapon(ids.weapon), registrationNumber: "IQ-FP-1" },
            { ...lot(ids.lot), registrationNumber: "iq-fp-1" },
          ],
        }),
      ),
    ).toEqual(["items"]);
    const view = seededView();
    await record(
      "disposition.transfer_to_state",
      stateTransferPayload({ items: [{ ...lot(ids.lot), registrationNumber: "IQ-FP-000101" }] }),
      view,
    );
    expect(state(view, lot(ids.lot))?.state).toBe("transferred");
    const problem = await expectRefused(
      "disposition.transfer_to_state",
      stateTransferPayload({ items: [{ ...weapon(ids.weapon), registrationNumber: "IQ-FP-000101" }] }),
      view,
      "rule.violated",
      "payload.items.0.registrationNumber",
    );
    expect(problem.message).toMatch(/already given/);
  });

  it.each([
    ["without a legal clearance", { legalClearance: "" }, "legalClearance"],
    ["without a receiving unit", { receivingUnit: undefined }, "receivingUnit"],
    [
      "with a single inspector",
      { inspectors: [{ name: "Col. Hadi Jasim", affiliation: "Federal Police", receivingForce: true }] },
      "inspectors",
    ],
    [
      "with no inspector from the receiving force",
      {
        inspectors: [
          { name: "Maj. Lars Berg", affiliation: "UN military observers", receivingForce: false },
          { name: "Dr. Mona Haddad", affiliation: "Commission", receivingForce: false },
        ],
      },
      "inspectors",
    ],
    ["without an inspection date", { inspectedOn: undefined }, "inspectedOn"],
  ])("refuses a transfer %s", (_, overrides, path) => {
    expect(schemaRefuses("disposition.transfer_to_state", stateTransferPayload(overrides))).toEqual([path]);
  });
});

describe("disposition.deactivate", () => {
  it.each([
    ["an ammunition lot", { items: [{ ...lot(ids.lot), mark: "X" }] }, "items.0.kind"],
    ["an item without its mark", { items: [weapon(ids.weapon)] }, "items.0.mark"],
    ["without a certificate", { certificate: undefined }, "certificate"],
    ["without the standard applied", { standard: "" }, "standard"],
  ])("refuses %s", (_, overrides, path) => {
    expect(schemaRefuses("disposition.deactivate", deactivationPayload(overrides))).toEqual([path]);
  });
});

describe("disposition.retain", () => {
  it("retains ammunition as well as weapons", async () => {
    const view = seededView();
    await record(
      "disposition.retain",
      retentionPayload({ items: [lot(ids.lot)], purpose: "evidence" }),
      view,
    );
    expect(state(view, lot(ids.lot))?.state).toBe("retained");
  });

  it.each([
    ["for an unknown purpose", { purpose: "display" }, "purpose"],
    ["without a justification", { justification: " " }, "justification"],
    ["without a custodian", { custodian: undefined }, "custodian"],
    ["with a review date before the retention", { reviewOn: "2025-03-01" }, "reviewOn"],
  ])("refuses a retention %s", (_, overrides, path) => {
    expect(schemaRefuses("disposition.retain", retentionPayload(overrides))).toEqual([path]);
  });
});
