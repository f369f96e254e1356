import { describe, expect, it } from "vitest";
import type { DecidedEvent } from "../src/commands/command.ts";
import { findCommandDefinition } from "../src/commands/registry.ts";
import { Problem, type ProblemCode } from "../src/problems.ts";
import { programmeConfig } from "../src/records/programme.ts";
import { keyPartTag } from "../src/rules/key-part-tag.ts";
import {
  destructionPayload,
  dispatchPayload,
  handoverPayload,
  ids,
  programmePayload,
  reattachPartPayload,
  rifle,
  seededView,
  stateTransferPayload,
} from "./fixtures.ts";
import { type MemoryView, makeEnv, testUuid } from "./memory-view.ts";

// Loose key parts: a weapon's bolt (or slide…) taken off to travel on its own, an item of kind
// key_part that moves, and is disposed of, like any other.

function definition(type: string) {
  const def = findCommandDefinition(type);
  if (!def) throw new Error(`no command ${type}`);
  return def;
}

let seq = 500;
async function decide(type: string, raw: unknown, view: MemoryView) {
  const def = definition(type);
  return def.decide(def.payload.parse(raw), view, makeEnv({ seq, firstId: 0x4000 + seq * 0x10 }));
}
async function record(type: string, raw: unknown, view: MemoryView): Promise<DecidedEvent> {
  const event = await decide(type, raw, view);
  view.apply(seq++, event);
  return event;
}
async function refused(type: string, raw: unknown, view: MemoryView, code: ProblemCode, path: string) {
  const before = structuredClone([[...view.items.entries()], [...view.keyParts.entries()]]);
  const problem = await decide(type, raw, view).then(
    () => undefined,
    (e: unknown) => {
      if (e instanceof Problem) return e;
      throw e;
    },
  );
  if (!problem) throw new Error(`expected ${type} to be refused`);
  expect(problem.code, problem.message).toBe(code);
  expect(problem.fields.map((f) => f.path)).toContain(path);
  expect(structuredClone([[...view.items.entries()], [...view.keyParts.entries()]])).toEqual(before);
  return problem;
}

const bolt = (overrides: Record<string, unknown> = {}) => ({
  weaponId: ids.weapon,
  part: "bolt",
  serial: "B-4471",
  separatedAt: "2025-03-01T08:00:00Z",
  note: "Bolt removed for separate shipment.",
  ...overrides,
});
const part = (id: string) => ({ kind: "key_part" as const, id });
const weapon = (id: string) => ({ kind: "weapon" as const, id });

describe("weapon.separate_part", () => {
  it("makes the part an item in custody where the weapon is, linked to the weapon", async () => {
    const view = seededView();
    const partId = testUuid(0x9001);
    const event = await record("weapon.separate_part", bolt({ partId }), view);
    expect(event.type).toBe("weapon.part_separated");
    expect(event.subjects).toEqual([weapon(ids.weapon), part(partId)]);
    expect(event.data).toMatchObject({
      partId,
      weaponId: ids.weapon,
      part: "bolt",
      siteId: ids.site,
      category: "bolt",
    });
    expect(view.items.get(`key_part:${partId}`)).toMatchObject({
      state: "in_custody",
      holderSiteId: ids.site,
    });
    // The weapon stays a weapon, in custody: only its bolt is apart.
    expect(view.items.get(`weapon:${ids.weapon}`)?.state).toBe("in_custody");
    expect(await view.findKeyParts([ids.weapon])).toEqual([
      { id: partId, weaponId: ids.weapon, part: "bolt", state: "in_custody" },
    ]);
  });

  it("refuses an unknown weapon, one not in custody, a part already apart, a future time or an unknown part", async () => {
    const view = seededView();
    await refused(
      "weapon.separate_part",
      bolt({ weaponId: testUuid(0x9999) }),
      view,
      "reference.unknown",
      "payload.weaponId",
    );
    await refused(
      "weapon.separate_part",
      bolt({ weaponId: ids.travelling }),
      view,
      "rule.violated",
      "payload.items.0",
    );
    await refused(
      "weapon.separate_part",
      bolt({ separatedAt: "2025-03-02T08:00:00Z" }),
      view,
      "rule.violated",
      "payload.separatedAt",
    );
    // The part's serial is held to the placeholder rule, as a weapon's and a correction's are.
    await refused(
      "weapon.separate_part",
      bolt({ serial: "N/A" }),
      view,
      "serial.placeholder",
      "payload.serial",
    );
    await record("weapon.separate_part", bolt(), view);
    await refused("weapon.separate_part", bolt(), view, "rule.violated", "payload.part");
    // The slide is another part: it may follow.
    await record("weapon.separate_part", bolt({ part: "slide", serial: undefined }), view);
    const parsed = definition("weapon.separate_part").payload.safeParse(bolt({ part: "trigger_guard" }));
    expect(parsed.success).toBe(false);
  });
});

describe("a loose key part on the road", () => {
  it("travels on its own manifest: never with its weapon unless the programme allows mixed loads", async () => {
    const view = seededView({ programme: true });
    const partId = testUuid(0x9002);
    await record("weapon.separate_part", bolt({ partId }), view);
    const both = dispatchPayload({ items: [weapon(ids.weapon), part(partId)], countAtDispatch: 2 });
    await refused("custody.dispatch", both, view, "rule.violated", "payload.items");
    const sent = await record(
      "custody.dispatch",
      dispatchPayload({ items: [part(partId)], seals: ["S-KP-1"] }),
      view,
    );
    expect(sent.data.manifest).toBe("key_part");
    expect(view.items.get(`key_part:${partId}`)?.state).toBe("in_transit");
    // The rifle goes on another truck.
    const rifle = await record("custody.dispatch", dispatchPayload({ seals: ["S-KP-2"] }), view);
    expect(rifle.data.manifest).toBe("weapon");
    // A part in transit cannot move again.
    await refused(
      "custody.dispatch",
      dispatchPayload({ items: [part(partId)], seals: ["S-KP-3"] }),
      view,
      "rule.violated",
      "payload.items.0",
    );

    const mixedAllowed = seededView();
    mixedAllowed.programmeConfig = programmeConfig.parse({
      ...programmePayload(),
      custody: { allowMixedManifests: true },
    });
    await record("weapon.separate_part", bolt({ partId }), mixedAllowed);
    expect((await decide("custody.dispatch", both, mixedAllowed)).data.manifest).toBe("mixed");
  });
});

describe("a loose key part in a depot's stock check", () => {
  it("is expected and must be counted by its name; it is sampled like the weapons", async () => {
    const view = seededView({ programme: true });
    const partId = testUuid(0x9005);
    await record("weapon.separate_part", bolt({ partId }), view);
    const sent = await record(
      "custody.dispatch",
      dispatchPayload({ items: [part(partId)], seals: ["S-KP-9"] }),
      view,
    );
    await record(
      "custody.receive",
      {
        transferId: sent.data.transferId,
        receivedAt: "2025-03-01T09:30:00Z",
        items: [part(partId)],
        countAtReceipt: 1,
        sealsIntact: ["S-KP-9"],
        location: { store: "Store 1", container: "Parts box" },
        countersignedBy: { name: "Lt. Yusuf Rahim", affiliation: "Depot guard" },
      },
      view,
    );
    const started = await record(
      "stock_check.start",
      { siteId: ids.depot, kind: "full", startedAt: "2025-03-01T09:40:00Z" },
      view,
    );
    expect(started.data.expectedCounts).toMatchObject({ "key_part:bolt": 1 });
    // The loose bolt is sampled like the weapons (all of them in a full check), by its own serial.
    expect(started.data.sample).toContainEqual(part(partId));
    const checkId = started.data.checkId as string;
    const sample = (started.data.sample as { kind: string; id: string }[]).map((s) => ({
      ...s,
      found: true,
      serial: s.kind === "key_part" ? "B-4471" : "unread",
    }));
    const counts = Object.entries(started.data.expectedCounts as Record<string, number>).map(([k, n]) => {
      const [kind, category] = k.split(":");
      return { kind, category, count: n };
    });
    const result = {
      checkId,
      completedAt: "2025-03-01T09:55:00Z",
      sample,
      countedBy: [{ name: "Sgt. Ali Hassan", affiliation: "Depot guard" }],
    };
    // The bolt not counted at all: refused, like any expected type.
    await refused(
      "stock_check.record",
      { ...result, counts: counts.filter((c) => c.kind !== "key_part") },
      view,
      "rule.violated",
      "payload.counts",
    );
    // Counted 0: a shortfall of one bolt.
    const recorded = await decide(
      "stock_check.record",
      { ...result, counts: counts.map((c) => (c.kind === "key_part" ? { ...c, count: 0 } : c)) },
      view,
    );
    expect(recorded.data.findings).toEqual([
      expect.objectContaining({
        kind: "shortfall",
        itemKind: "key_part",
        category: "bolt",
        expected: 1,
        counted: 0,
      }),
    ]);
  });
});

describe("disposing of a weapon whose key part travels apart", () => {
  const condemnedBolt = (partId: string) =>
    bolt({ partId, weaponId: ids.condemned, separatedAt: "2025-03-01T09:40:00Z" });

  it("destroys the weapon only with its part destroyed first or in the same batch", async () => {
    const view = seededView();
    const partId = testUuid(0x9003);
    await record("weapon.separate_part", condemnedBolt(partId), view);
    const problem = await refused(
      "disposition.destroy",
      destructionPayload(),
      view,
      "rule.violated",
      "payload.items.0",
    );
    expect(problem.message).toContain("bolt");
    await record(
      "disposition.destroy",
      destructionPayload({ items: [weapon(ids.condemned), part(partId)] }),
      view,
    );
    expect(view.items.get(`key_part:${partId}`)?.state).toBe("destroyed");
    expect(view.items.get(`weapon:${ids.condemned}`)?.state).toBe("destroyed");
  });

  it("destroys the weapon after its part was destroyed on its own", async () => {
    const view = seededView();
    const partId = testUuid(0x9004);
    await record("weapon.separate_part", condemnedBolt(partId), view);
    await record("disposition.destroy", destructionPayload({ items: [part(partId)] }), view);
    await record("disposition.destroy", destructionPayload(), view);
    expect(view.items.get(`weapon:${ids.condemned}`)?.state).toBe("destroyed");
  });

  it("does not hand the state a weapon whose bolt is elsewhere", async () => {
    const view = seededView();
    await record("weapon.separate_part", bolt(), view);
    await refused(
      "disposition.transfer_to_state",
      stateTransferPayload(),
      view,
      "rule.violated",
      "payload.items.0",
    );
  });
});

describe("weapon.reattach_part", () => {
  const partKey = `key_part:${ids.looseBolt}`;
  const weaponKey = `weapon:${ids.reunited}`;
  const set = (view: MemoryView, k: string, change: Record<string, unknown>) =>
    Object.assign(view.items.get(k)!, change);

  it("puts the bolt back on its rifle: the part is reattached, the rifle does not move", async () => {
    const view = seededView();
    const rifle = { ...view.items.get(weaponKey)! };
    const event = await record("weapon.reattach_part", reattachPartPayload(), view);
    expect(event.type).toBe("weapon.part_reattached");
    // Both trails show it.
    expect(event.subjects).toEqual([weapon(ids.reunited), part(ids.looseBolt)]);
    expect(event.data).toMatchObject({
      partId: ids.looseBolt,
      weaponId: ids.reunited,
      part: "bolt",
      siteId: ids.site,
    });
    expect(view.items.get(partKey)?.state).toBe("reattached");
    expect(view.items.get(weaponKey)).toEqual(rifle);
  });

  // The rule table: each row changes the seeded record one way, and the reattachment is refused
  // with this code on this path, nothing changed.
  const cases: [string, (view: MemoryView) => void, Record<string, unknown>, ProblemCode, string][] = [
    ["an unknown part", () => {}, { partId: testUuid(0x9999) }, "reference.unknown", "payload.partId"],
    ["a weapon's id for a part's", () => {}, { partId: ids.weapon }, "reference.unknown", "payload.partId"],
    [
      "a part in transit",
      (v) => set(v, partKey, { state: "in_transit" }),
      {},
      "rule.violated",
      "payload.partId",
    ],
    [
      "a part out of the store",
      (v) => set(v, partKey, { state: "out_of_store" }),
      {},
      "rule.violated",
      "payload.partId",
    ],
    [
      "a part destroyed",
      (v) => set(v, partKey, { state: "destroyed" }),
      {},
      "rule.violated",
      "payload.partId",
    ],
    ["a part retained", (v) => set(v, partKey, { state: "retained" }), {}, "rule.violated", "payload.partId"],
    ["a part lost", (v) => set(v, partKey, { state: "lost" }), {}, "rule.violated", "payload.partId"],
    [
      "a weapon in transit",
      (v) => set(v, weaponKey, { state: "in_transit" }),
      {},
      "rule.violated",
      "payload.partId",
    ],
    [
      "a weapon destroyed",
      (v) => set(v, weaponKey, { state: "destroyed" }),
      {},
      "rule.violated",
      "payload.partId",
    ],
    [
      "a weapon transferred to the state",
      (v) => set(v, weaponKey, { state: "transferred" }),
      {},
      "rule.violated",
      "payload.partId",
    ],
    [
      "a weapon held at another site",
      (v) => set(v, weaponKey, { holderSiteId: ids.depot }),
      {},
      "rule.violated",
      "payload.partId",
    ],
    [
      "a part in an open discrepancy",
      (v) => set(v, partKey, { flagged: true }),
      {},
      "rule.violated",
      "payload.partId",
    ],
    [
      "a weapon in an open discrepancy",
      (v) => set(v, weaponKey, { flagged: true }),
      {},
      "rule.violated",
      "payload.partId",
    ],
    [
      "both at a depot during its stock check",
      (v) => {
        set(v, partKey, { holderSiteId: ids.checkedDepot });
        set(v, weaponKey, { holderSiteId: ids.checkedDepot });
      },
      {},
      "rule.violated",
      "payload.partId",
    ],
    [
      "a time in the future",
      () => {},
      { reattachedAt: "2025-03-02T09:00:00Z" },
      "rule.violated",
      "payload.reattachedAt",
    ],
    [
      "a time before the part came into custody",
      () => {},
      { reattachedAt: "2025-03-01T07:00:00Z" },
      "rule.violated",
      "payload.reattachedAt",
    ],
  ];
  it.each(cases)("refuses %s", async (_, change, overrides, code, path) => {
    const view = seededView();
    change(view);
    await refused("weapon.reattach_part", reattachPartPayload(overrides), view, code, path);
  });

  it("refuses to put the same part back twice", async () => {
    const view = seededView();
    await record("weapon.reattach_part", reattachPartPayload(), view);
    const problem = await refused(
      "weapon.reattach_part",
      reattachPartPayload(),
      view,
      "rule.violated",
      "payload.partId",
    );
    expect(problem.message).toContain("already");
  });

  it("lets a part put back travel only with its weapon, and be taken off again as a new item", async () => {
    const view = seededView({ programme: true });
    await record("weapon.reattach_part", reattachPartPayload(), view);
    // It no longer moves on its own.
    await refused(
      "custody.dispatch",
      dispatchPayload({ items: [part(ids.looseBolt)], seals: ["S-RE-1"] }),
      view,
      "rule.violated",
      "payload.items.0",
    );
    // Nor is it disposed of on its own, while its weapon goes whole.
    const separatedAgain = await record(
      "weapon.separate_part",
      bolt({ weaponId: ids.reunited, separatedAt: "2025-03-01T09:30:00Z" }),
      view,
    );
    expect(separatedAgain.data.partId).not.toBe(ids.looseBolt);
    expect((await view.findKeyParts([ids.reunited])).map((p) => p.state).sort()).toEqual([
      "in_custody",
      "reattached",
    ]);
  });

  it("lets a weapon whose part is back on it be disposed of whole", async () => {
    const view = seededView();
    const whole = stateTransferPayload({
      items: [{ kind: "weapon", id: ids.reunited, registrationNumber: "IQ-FP-000990" }],
    });
    await refused("disposition.transfer_to_state", whole, view, "rule.violated", "payload.items.0");
    await record("weapon.reattach_part", reattachPartPayload(), view);
    const transfer = await decide("disposition.transfer_to_state", whole, view);
    expect(transfer.type).toBe("disposition.transferred_to_state");
  });
});

describe("keyPartTag", () => {
  it("numbers a weapon's loose parts after its tag, from 1", () => {
    expect(keyPartTag("W0000004-01", 1)).toBe("W0000004-01/P1");
    expect(keyPartTag("W0000004-01", 12)).toBe("W0000004-01/P12");
    expect(() => keyPartTag("W0000004-01", 0)).toThrow(RangeError);
    expect(() => keyPartTag("W0000004-01", 1.5)).toThrow(RangeError);
  });
});

describe("a weapon handed in with a key part apart, or without it", () => {
  it("makes a part handed in apart a loose key part from the handover on, held where the weapon is", async () => {
    const view = seededView({ programme: true });
    const partId = testUuid(0x9101);
    const event = await record(
      "handover.record",
      handoverPayload({
        weapons: [{ ...rifle(), keyPartsApart: [{ part: "bolt", serial: "B-9", partId }] }],
      }),
      view,
    );
    const [w] = event.data.weapons as { itemId: string; keyPartsApart: { partId: string; part: string }[] }[];
    expect(w!.keyPartsApart).toEqual([{ part: "bolt", serial: "B-9", partId }]);
    // Its trail starts with the handover.
    expect(event.subjects).toContainEqual(part(partId));
    expect(view.items.get(`key_part:${partId}`)).toMatchObject({
      state: "in_custody",
      holderSiteId: ids.site,
    });
    expect(await view.findKeyParts([w!.itemId])).toEqual([
      { id: partId, weaponId: w!.itemId, part: "bolt", state: "in_custody" },
    ]);
    // It is apart already: not separated a second time; it travels on its own manifest.
    await refused(
      "weapon.separate_part",
      bolt({ weaponId: w!.itemId, separatedAt: "2025-03-01T09:40:00Z" }),
      view,
      "rule.violated",
      "payload.part",
    );
    // The server makes the part's id when the form gives none.
    const made = await record(
      "handover.record",
      handoverPayload({ weapons: [{ ...rifle({ serial: "AK-2-77" }), keyPartsApart: [{ part: "slide" }] }] }),
      view,
    );
    const [m] = made.data.weapons as { keyPartsApart: { partId: string }[] }[];
    expect(m!.keyPartsApart[0]!.partId).toMatch(/^[0-9a-f-]{36}$/u);
    // A part's serial is held to the placeholder rule, as the weapon's is.
    await refused(
      "handover.record",
      handoverPayload({
        weapons: [{ ...rifle({ serial: "AK-4-77" }), keyPartsApart: [{ part: "bolt", serial: "unknown" }] }],
      }),
      view,
      "serial.placeholder",
      "payload.weapons.0.keyPartsApart.0.serial",
    );
  });

  it("records the parts a weapon came without, and refuses a part listed twice or an id in use", async () => {
    const view = seededView({ programme: true });
    const event = await record(
      "handover.record",
      handoverPayload({ weapons: [{ ...rifle(), keyPartsMissing: ["bolt"] }] }),
      view,
    );
    expect((event.data.weapons as { keyPartsMissing: string[] }[])[0]!.keyPartsMissing).toEqual(["bolt"]);
    const twice = definition("handover.record").payload.safeParse(
      handoverPayload({
        weapons: [{ ...rifle(), keyPartsApart: [{ part: "bolt" }], keyPartsMissing: ["bolt"] }],
      }),
    );
    expect(twice.success).toBe(false);
    await refused(
      "handover.record",
      handoverPayload({
        weapons: [
          { ...rifle({ serial: "AK-3-77" }), keyPartsApart: [{ part: "bolt", partId: ids.looseBolt }] },
        ],
      }),
      view,
      "rule.violated",
      "payload.weapons",
    );
  });
});

describe("record.correct of a loose key part", () => {
  const correct = (partId: string, corrects: number, changes: Record<string, unknown>) => ({
    kind: "key_part",
    id: partId,
    corrects,
    changes,
    reason: "Mistyped at separation.",
  });
  const separated = async (view: MemoryView, overrides: Record<string, unknown> = {}) => {
    const partId = testUuid(0x9a00 + seq);
    const at = seq;
    await record("weapon.separate_part", bolt({ partId, ...overrides }), view);
    return { partId, at };
  };

  it("corrects the name and serial read off the part; its category follows", async () => {
    const view = seededView();
    const { partId, at } = await separated(view);
    const event = await record(
      "record.correct",
      correct(partId, at, { part: "slide", serial: "S-4471" }),
      view,
    );
    expect(event).toEqual({
      type: "record.corrected",
      subjects: [part(partId)],
      data: {
        corrects: at,
        subject: part(partId),
        changes: { part: "slide", serial: "S-4471" },
        reason: "Mistyped at separation.",
      },
    });
    expect(view.keyParts.get(partId)).toMatchObject({ part: "slide", serial: "S-4471" });
    expect(view.items.get(`key_part:${partId}`)?.category).toBe("slide");
    // A serial read where there was none to read is taken back with null.
    await record("record.correct", correct(partId, at, { serial: null }), view);
    expect(view.keyParts.get(partId)?.serial).toBeNull();
  });

  it("needs key_part.correct (custodians too) and is scoped where the part is held", async () => {
    const def = definition("record.correct");
    const view = seededView();
    const { partId, at } = await separated(view);
    const parsed = def.payload.parse(correct(partId, at, { serial: "B-4417" }));
    expect(def.actionFor?.of(parsed)).toBe("key_part.correct");
    expect(
      def.actionFor?.of(
        def.payload.parse({ ...correct(ids.weapon, 1, { calibre: "5.56" }), kind: "weapon" }),
      ),
    ).toBe("record.correct");
    expect(await def.target(parsed, view)).toEqual({ siteId: ids.site });
  });

  it("refuses a placeholder serial, a name the weapon has loose already, an event not about the part, an empty or unknown change", async () => {
    const view = seededView();
    const { partId, at } = await separated(view);
    const slide = await separated(view, { part: "slide", serial: "S-1" });
    const refusals: [unknown, ProblemCode, string][] = [
      [correct(partId, at, { serial: "N/A" }), "serial.placeholder", "payload.changes.serial"],
      [correct(partId, at, { part: "slide" }), "rule.violated", "payload.changes.part"],
      [correct(partId, slide.at, { serial: "B-1" }), "rule.violated", "payload.corrects"],
    ];
    for (const [raw, code, path] of refusals) await refused("record.correct", raw, view, code, path);
    // `other` may repeat; the slide's name is free again once the slide is back on its weapon.
    await record("record.correct", correct(partId, at, { part: "other" }), view);
    await record(
      "weapon.reattach_part",
      { partId: slide.partId, reattachedAt: "2025-03-01T09:00:00Z" },
      view,
    );
    await record("record.correct", correct(partId, at, { part: "slide" }), view);
    expect(view.items.get(`key_part:${partId}`)?.category).toBe("slide");
    expect(() => definition("record.correct").payload.parse(correct(partId, at, {}))).toThrow();
    expect(() =>
      definition("record.correct").payload.parse(correct(partId, at, { part: "stock" })),
    ).toThrow();
    expect(() => definition("record.correct").payload.parse(correct(partId, at, { make: "AK" }))).toThrow();
  });
});
