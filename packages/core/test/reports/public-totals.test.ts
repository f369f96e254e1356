import { canonicalJson } from "@armsledger/ledger";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findCommandDefinition } from "../../src/commands/registry.ts";
import { splitPersonal } from "../../src/events.ts";
import { type LeafEntry, parseLeafEntry } from "../../src/reports/leaf-entry.ts";
import {
  computePublicTotals,
  NO_GROUP,
  type PublicTotals,
  PublicTotalsAccumulator,
  type Tally,
  type WeaponTally,
} from "../../src/reports/public-totals.ts";
import {
  cartridges,
  declarationPayload,
  handoverPayload,
  ids,
  personPayload,
  rifle,
  seededView,
} from "../fixtures.ts";
import { makeEnv, testUuid } from "../memory-view.ts";

// ---------------------------------------------------------------------------------------------
// Random event sequences, as abstract operations turned into leaves.

const groupIds = [testUuid(0x100), testUuid(0x101), testUuid(0x102)];
const siteIds = [testUuid(0x200), testUuid(0x201), testUuid(0x202)];
const governorates = ["IQ-BG", "IQ-NI", "IQ-BA"];
const categories = ["rifle", "pistol", "machine_gun", "mortar"];
const calibres = ["7.62x39mm", "5.56x45mm", "82mm mortar", "__proto__"];
const units = ["rounds", "rounds", "items", "grams"];

const maybeGroup = fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined });
const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

const op = fc.oneof(
  fc.record({ op: fc.constant("group" as const), group: fc.integer({ min: 0, max: 2 }) }),
  fc.record({
    op: fc.constant("site" as const),
    site: fc.integer({ min: 0, max: 2 }),
    kind: pick(["collection", "mobile_team", "depot"]),
    governorate: pick(governorates),
  }),
  fc.record({
    op: fc.constant("person" as const),
    group: maybeGroup,
    governorate: pick(governorates),
    sex: pick(["male", "female"]),
    ageGroup: pick(["adult", "child"]),
    kind: pick(["combatant", "associated_member"]),
    listed: fc.boolean(),
  }),
  fc.record({
    op: fc.constant("handover" as const),
    site: fc.integer({ min: 0, max: 2 }),
    group: maybeGroup,
    governorate: pick(governorates),
    fromKind: pick(["person", "group"]),
    day: fc.integer({ min: 1, max: 4 }),
    weapons: fc.array(fc.record({ category: pick(categories), serviceable: fc.boolean() }), { maxLength: 3 }),
    ammunition: fc.array(
      fc.record({
        calibreOrType: pick(calibres),
        quantity: fc.integer({ min: 1, max: 1000 }),
        unit: pick(units),
      }),
      { maxLength: 3 },
    ),
    status: pick(["eligible", "ineligible", "not_applicable"]),
    reasons: fc.subarray([
      "eligible_weapon",
      "no_eligible_item",
      "registered_after_cut_off",
      "group_cap_reached",
    ]),
  }),
  fc.record({
    op: fc.constant("declare" as const),
    group: fc.integer({ min: 0, max: 2 }),
    version: fc.integer({ min: 1, max: 4 }),
    men: fc.nat(500),
    boys: fc.nat(20),
    arsenal: fc
      .subarray(categories)
      .chain((cats) =>
        fc.tuple(...cats.map((c) => fc.record({ category: fc.constant(c), count: fc.nat(100) }))),
      ),
  }),
  fc.record({
    op: fc.constant("fixWeapon" as const),
    target: fc.nat(),
    category: fc.option(pick(categories), { nil: undefined }),
    serviceable: fc.option(fc.boolean(), { nil: undefined }),
  }),
  fc.record({
    op: fc.constant("fixLot" as const),
    target: fc.nat(),
    calibreOrType: fc.option(pick(calibres), { nil: undefined }),
    quantity: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
    unit: fc.option(pick(units), { nil: undefined }),
  }),
  fc.record({
    op: fc.constant("fixSite" as const),
    site: fc.integer({ min: 0, max: 2 }),
    governorate: pick(governorates),
  }),
  fc.record({ op: fc.constant("fixPerson" as const) }),
  fc.record({
    op: fc.constant("fixUnknown" as const),
    kind: pick(["weapon", "ammunition", "group", "site"]),
  }),
);

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function leaf(index: number, type: string, data: Record<string, unknown>, personal = false): LeafEntry {
  return {
    v: 1,
    index,
    type,
    at: "2025-03-01T10:00:00.000Z",
    actor: testUuid(0xacc0),
    command: testUuid(0x10000 + index),
    data,
    ...(personal ? { personal: "0".repeat(64) } : {}),
  };
}

/** Turns operations into leaves shaped like the write path's (public part only). */
function toLeaves(ops: Op[]): LeafEntry[] {
  const weaponIds: string[] = [];
  const lotIds: string[] = [];
  return ops.map((o, index) => {
    switch (o.op) {
      case "group":
        return leaf(index, "group.registered", {
          groupId: groupIds[o.group]!,
          code: `G${o.group}`,
          name: { ar: "م", en: "G" },
        });
      case "site":
        return leaf(index, "site.registered", {
          siteId: siteIds[o.site]!,
          code: `S${o.site}`,
          kind: o.kind,
          governorate: o.governorate,
        });
      case "person":
        return leaf(
          index,
          "person.registered",
          {
            siteId: siteIds[0]!,
            kind: o.kind,
            sex: o.sex,
            governorate: o.governorate,
            ...(o.group === undefined ? {} : { groupId: groupIds[o.group]! }),
            listedByGroup: o.listed,
            registeredOn: "2025-02-01",
            ageGroup: o.ageGroup,
          },
          true,
        );
      case "handover":
        return leaf(
          index,
          "handover.recorded",
          {
            handoverId: testUuid(0x20000 + index),
            receiptNumber: `R-${index}`,
            siteId: siteIds[o.site]!,
            handedAt: `2025-03-0${o.day}T09:30:00+03:00`,
            fromKind: o.fromKind,
            ...(o.group === undefined ? {} : { groupId: groupIds[o.group]! }),
            governorate: o.governorate,
            receivingOfficer: testUuid(0xacc0),
            weapons: o.weapons.map((w, i) => {
              const itemId = testUuid(0x30000 + index * 10 + i);
              weaponIds.push(itemId);
              return { ...w, itemId, tag: `W-${index}-${i}`, type: "x", condition: "good" };
            }),
            ammunition: o.ammunition.map((a, i) => {
              const lotId = testUuid(0x40000 + index * 10 + i);
              lotIds.push(lotId);
              return { ...a, lotId, tag: `A-${index}-${i}`, kind: "cartridge", condition: "stable" };
            }),
            eligibility: { status: o.status, reasons: o.reasons },
          },
          true,
        );
      case "declare":
        return leaf(index, "group.declared", {
          groupId: groupIds[o.group]!,
          asOf: "2025-01-01",
          strength: { men: o.men, women: 0, boys: o.boys, girls: 0 },
          arsenal: o.arsenal,
          declaredCaches: 1,
          version: o.version,
        });
      case "fixWeapon": {
        const changes = {
          ...(o.category === undefined ? {} : { category: o.category }),
          ...(o.serviceable === undefined ? {} : { serviceable: o.serviceable }),
          serial: "X1",
        };
        const id = weaponIds.length > 0 ? weaponIds[o.target % weaponIds.length]! : testUuid(0xbad);
        return leaf(
          index,
          "record.corrected",
          { corrects: 0, subject: { kind: "weapon", id }, changes },
          true,
        );
      }
      case "fixLot": {
        const changes = {
          ...(o.calibreOrType === undefined ? {} : { calibreOrType: o.calibreOrType }),
          ...(o.quantity === undefined ? {} : { quantity: o.quantity }),
          ...(o.unit === undefined ? {} : { unit: o.unit }),
          lotMark: "L",
        };
        const id = lotIds.length > 0 ? lotIds[o.target % lotIds.length]! : testUuid(0xbad);
        return leaf(
          index,
          "record.corrected",
          { corrects: 0, subject: { kind: "ammunition", id }, changes },
          true,
        );
      }
      case "fixSite":
        return leaf(
          index,
          "record.corrected",
          {
            corrects: 0,
            subject: { kind: "site", id: siteIds[o.site]! },
            changes: { governorate: o.governorate },
          },
          true,
        );
      case "fixPerson":
        // Everything of a person's correction but the event it corrects is personal.
        return leaf(index, "record.corrected", { corrects: 0 }, true);
      case "fixUnknown":
        return leaf(
          index,
          "record.corrected",
          {
            corrects: 0,
            subject: { kind: o.kind, id: testUuid(0xdead) },
            changes: { name: { ar: "م", en: "X" } },
          },
          true,
        );
    }
    throw new Error("an operation toLeaves does not know");
  });
}

// ---------------------------------------------------------------------------------------------
// The naive totals: replay into final records, then count them one figure at a time.

// biome-ignore lint/suspicious/noExplicitAny: a test's replay of loosely typed leaf data
type D = Record<string, any>;

function countBy<T>(xs: readonly T[], key: (x: T) => string, weight: (x: T) => number = () => 1): Tally {
  const keys = [...new Set(xs.map(key))].sort();
  const out: Tally = {};
  for (const k of keys) {
    const total = xs.filter((x) => key(x) === k).reduce((s, x) => s + weight(x), 0);
    if (total !== 0)
      Object.defineProperty(out, k, { value: total, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function weaponsBy(xs: readonly D[], key: (x: D) => string): Record<string, WeaponTally> {
  const out: Record<string, WeaponTally> = {};
  for (const k of [...new Set(xs.map(key))].sort()) {
    const some = xs.filter((x) => key(x) === k);
    const serviceable = some.filter((x) => x.serviceable).length;
    out[k] = { total: some.length, serviceable, unserviceable: some.length - serviceable };
  }
  return out;
}

function naiveTotals(leaves: LeafEntry[]): PublicTotals {
  const ds = (type: string) => leaves.filter((l) => l.type === type).map((l) => l.data as D);
  const persons = ds("person.registered");
  const handovers = ds("handover.recorded");
  // Replay the leaves in order into the records as they stand; a correction changes the record
  // as it stands at that point, a second registration of an id replaces the record.
  const sites = new Map<string, D>();
  const groups = new Map<string, string>();
  const weapons = new Map<string, D>();
  const lots = new Map<string, D>();
  let unmatched = 0;
  let personal = 0;
  const corrections = ds("record.corrected");
  for (const l of leaves) {
    const d = l.data as D;
    if (l.type === "handover.recorded") {
      for (const w of d.weapons)
        weapons.set(w.itemId, { ...w, group: d.groupId ?? NO_GROUP, governorate: d.governorate });
      for (const a of d.ammunition) lots.set(a.lotId, { ...a });
    } else if (l.type === "site.registered") sites.set(d.siteId, { ...d });
    else if (l.type === "group.registered") groups.set(d.groupId, d.code);
    else if (l.type === "record.corrected") {
      if (!d.subject) {
        personal++;
        continue;
      }
      const { kind, id } = d.subject;
      const target =
        kind === "weapon"
          ? weapons.get(id)
          : kind === "ammunition"
            ? lots.get(id)
            : kind === "site"
              ? sites.get(id)
              : undefined;
      if (kind === "group") {
        if (!groups.has(id)) unmatched++;
        continue;
      }
      if (!target) {
        unmatched++;
        continue;
      }
      for (const field of ["category", "serviceable", "calibreOrType", "quantity", "unit", "governorate"])
        if (field in d.changes && (field !== "governorate" || kind === "site"))
          target[field] = d.changes[field];
    }
  }
  const ws = [...weapons.values()];
  const ls = [...lots.values()];
  const rounds = ls.filter((a) => a.unit === "rounds");
  const others = ls.filter((a) => a.unit !== "rounds");
  const otherUnits: PublicTotals["ammunition"]["otherUnits"] = {};
  for (const unit of [...new Set(others.map((a) => a.unit as string))].sort()) {
    const some = others.filter((a) => a.unit === unit);
    otherUnits[unit] = {
      total: some.reduce((s, a) => s + a.quantity, 0),
      byCalibreOrType: countBy(
        some,
        (a) => a.calibreOrType,
        (a) => a.quantity,
      ),
    };
  }
  const declarations: PublicTotals["declarations"] = {};
  const latest = new Map<string, { d: D; index: number }>();
  for (const l of leaves)
    if (l.type === "group.declared") {
      const d = l.data as D;
      const cur = latest.get(d.groupId);
      if (!cur || cur.d.version <= d.version) latest.set(d.groupId, { d, index: l.index });
    }
  for (const g of [...latest.keys()].sort()) {
    const { d, index } = latest.get(g)!;
    declarations[g] = {
      version: d.version,
      index,
      asOf: d.asOf,
      strength: d.strength,
      arsenal: countBy(
        d.arsenal,
        (r: D) => r.category,
        (r: D) => r.count,
      ),
      declaredCaches: d.declaredCaches,
    };
  }
  const serviceable = ws.filter((w) => w.serviceable).length;
  return {
    entries: leaves.length,
    events: countBy(leaves, (l) => l.type),
    unreadable: [],
    programme: { configurations: 0 },
    groups: {
      registered: groups.size,
      codes: Object.fromEntries([...groups].sort(([a], [b]) => (a < b ? -1 : 1))),
    },
    sites: {
      registered: sites.size,
      byKind: countBy([...sites.values()], (s) => s.kind),
      byGovernorate: countBy([...sites.values()], (s) => s.governorate),
      codes: Object.fromEntries(
        [...sites].map(([id, s]) => [id, s.code]).sort(([a], [b]) => (a! < b! ? -1 : 1)),
      ),
    },
    persons: {
      registered: persons.length,
      byGroup: countBy(persons, (p) => p.groupId ?? NO_GROUP),
      byGovernorate: countBy(persons, (p) => p.governorate),
      bySex: countBy(persons, (p) => p.sex),
      byAgeGroup: countBy(persons, (p) => p.ageGroup),
      byKind: countBy(persons, (p) => p.kind),
      listedByGroup: countBy(persons, (p) => (p.listedByGroup ? "yes" : "no")),
    },
    handovers: {
      count: handovers.length,
      bySite: countBy(handovers, (h) => h.siteId),
      byGovernorate: countBy(handovers, (h) => h.governorate),
      byGroup: countBy(handovers, (h) => h.groupId ?? NO_GROUP),
      byDay: countBy(handovers, (h) => h.handedAt.slice(0, 10)),
      byFromKind: countBy(handovers, (h) => h.fromKind),
    },
    weapons: {
      total: ws.length,
      serviceable,
      unserviceable: ws.length - serviceable,
      byCategory: weaponsBy(ws, (w) => w.category),
      byGroup: weaponsBy(ws, (w) => w.group),
      byGovernorate: weaponsBy(ws, (w) => w.governorate),
    },
    ammunition: {
      lots: ls.length,
      rounds: {
        total: rounds.reduce((s, a) => s + a.quantity, 0),
        byCalibreOrType: countBy(
          rounds,
          (a) => a.calibreOrType,
          (a) => a.quantity,
        ),
      },
      otherUnits,
    },
    declarations,
    eligibility: {
      byStatus: countBy(handovers, (h) => h.eligibility.status),
      byReason: countBy(
        handovers.flatMap((h) => h.eligibility.reasons as string[]),
        (r) => r,
      ),
    },
    corrections: {
      total: corrections.length,
      bySubject: countBy(corrections, (c) => c.subject?.kind ?? "person"),
      private: personal,
      unmatched,
    },
  };
}

describe("computePublicTotals", () => {
  it("equals the totals counted naively from the replayed records", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const leaves = toLeaves(ops);
        const totals = computePublicTotals(leaves);
        const naive = naiveTotals(leaves);
        expect(totals).toEqual(naive);
        // Same keys in the same (sorted) order: the JSON is byte-for-byte the same.
        expect(JSON.stringify(totals)).toBe(JSON.stringify(naive));
      }),
      { numRuns: 400 },
    );
  });

  it("streams: result() at any point equals the totals of the prefix", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.nat(), (ops, cut) => {
        const leaves = toLeaves(ops);
        const at = leaves.length === 0 ? 0 : cut % (leaves.length + 1);
        const acc = new PublicTotalsAccumulator();
        leaves.slice(0, at).forEach((l) => {
          acc.add(l);
        });
        expect(acc.result()).toEqual(computePublicTotals(leaves.slice(0, at)));
        leaves.slice(at).forEach((l) => {
          acc.add(l);
        });
        expect(JSON.stringify(acc.result())).toBe(JSON.stringify(computePublicTotals(leaves)));
      }),
      { numRuns: 100 },
    );
  });

  it("lists entries it cannot read instead of guessing", () => {
    const totals = computePublicTotals([
      leaf(0, "handover.recorded", { siteId: "s" }),
      leaf(1, "cache.reported", { id: "c" }),
    ]);
    expect(totals.entries).toBe(2);
    expect(totals.unreadable).toEqual([
      { index: 0, type: "handover.recorded", reason: expect.stringMatching(/^data\./) },
      { index: 1, type: "cache.reported", reason: expect.stringMatching(/do not know/) },
    ]);
    expect(totals.handovers.count).toBe(0);
  });

  it("reads the leaves the commands really make", async () => {
    // Run the real commands, split off the personal part and write the leaf as the server does.
    const view = seededView({ programme: true });
    const leaves: LeafEntry[] = [];
    const record = async (type: string, payload: unknown) => {
      const def = findCommandDefinition(type)!;
      const seq = leaves.length;
      const decided = await def.decide(
        def.payload.parse(payload),
        view,
        makeEnv({ seq, firstId: 0x5000 + seq * 16 }),
      );
      const data = JSON.parse(JSON.stringify(decided.data)) as Record<string, unknown>;
      const { publicPart, privatePart } = splitPersonal(decided.type, data);
      const text = canonicalJson({
        v: 1,
        index: seq,
        type: decided.type,
        at: "2025-03-01T10:00:00.000Z",
        actor: testUuid(0xacc0),
        command: testUuid(0x9000 + seq),
        data: publicPart,
        ...(Object.keys(privatePart).length > 0 ? { personal: "1".repeat(64) } : {}),
      });
      leaves.push(parseLeafEntry(new TextEncoder().encode(text)));
      return decided;
    };
    await record("group.declare", declarationPayload());
    await record("person.register", personPayload());
    const h = await record(
      "handover.record",
      handoverPayload({
        weapons: [rifle(), rifle({ serial: "AK-47 222222", serviceable: false, condition: "inoperable" })],
        ammunition: [cartridges(), cartridges({ quantity: 3, unit: "items", calibreOrType: "RPG-7 rocket" })],
      }),
    );
    const brokenRifle = (h.data.weapons as { itemId: string }[])[1]!.itemId;
    view.events.set(2, h.subjects);
    await record("record.correct", {
      kind: "weapon",
      id: brokenRifle,
      corrects: 2,
      changes: { serviceable: true, condition: "worn" },
      reason: "Re-inspected by the armourer.",
    });
    view.events.set(1, [{ kind: "person", id: ids.person }]);
    await record("record.correct", {
      kind: "person",
      id: ids.person,
      corrects: 1,
      changes: { sex: "female" },
      reason: "Typed wrong.",
    });

    const totals = computePublicTotals(leaves);
    expect(totals.unreadable).toEqual([]);
    expect(totals.persons).toMatchObject({ registered: 1, bySex: { male: 1 }, byGroup: { [ids.group]: 1 } });
    expect(totals.handovers).toMatchObject({
      count: 1,
      byDay: { "2025-03-01": 1 },
      byGovernorate: { "IQ-NI": 1 },
    });
    expect(totals.weapons).toMatchObject({
      total: 2,
      serviceable: 2, // the correction made the second rifle serviceable
      byCategory: { rifle: { total: 2, serviceable: 2, unserviceable: 0 } },
      byGroup: { [ids.group]: { total: 2, serviceable: 2, unserviceable: 0 } },
    });
    expect(totals.ammunition).toEqual({
      lots: 2,
      rounds: { total: 120, byCalibreOrType: { "7.62x39mm": 120 } },
      otherUnits: { items: { total: 3, byCalibreOrType: { "RPG-7 rocket": 3 } } },
    });
    expect(totals.declarations[ids.group]).toMatchObject({
      version: 1,
      strength: { men: 120, women: 8, boys: 3, girls: 0 },
      arsenal: { mortar: 2, rifle: 90 },
    });
    expect(totals.eligibility).toEqual({ byStatus: { eligible: 1 }, byReason: { eligible_weapon: 1 } });
    expect(totals.corrections).toEqual({
      total: 2,
      bySubject: { person: 1, weapon: 1 },
      private: 1,
      unmatched: 0,
    });
  });
});
