import { z } from "zod";
import type { LeafEntry } from "./leaf-entry.ts";

// The figures anyone holding the log can recompute: only what the leaves carry in the clear
// (events.ts decides what is personal and stays out of the leaf). Small cells are not suppressed
// here: every figure follows from public leaves, so suppressing it would hide nothing.
//
// Corrections (record.corrected) are applied when their subject is public: weapons, ammunition
// lots, sites, groups. A correction to a person is personal as a whole (subject, changes and
// reason are all committed to, not shown), so the person figures are those of registration and
// cannot follow later corrections; such corrections are only counted.

/** Key used for "no group" (a person registered without one, a handover with none known). */
export const NO_GROUP = "none";

export type Tally = Record<string, number>;

export interface WeaponTally {
  total: number;
  serviceable: number;
  unserviceable: number;
}

export interface Declared {
  /** The latest declaration version seen for the group, and the leaf that recorded it. */
  version: number;
  index: number;
  asOf: string;
  strength: { men: number; women: number; boys: number; girls: number };
  arsenal: Tally;
  declaredCaches: number;
}

export interface PublicTotals {
  /** Leaves read. */
  entries: number;
  /** Leaves by event type. */
  events: Tally;
  /** Leaves whose public data the totals could not read (unknown type or unexpected shape). */
  unreadable: { index: number; type: string; reason: string }[];
  programme: { configurations: number };
  /** Groups registered, and each group's code (figures are keyed by group id). */
  groups: { registered: number; codes: Record<string, string> };
  /** Sites registered (with their current governorate), and each site's code. */
  sites: { registered: number; byKind: Tally; byGovernorate: Tally; codes: Record<string, string> };
  persons: {
    registered: number;
    byGroup: Tally;
    byGovernorate: Tally;
    bySex: Tally;
    byAgeGroup: Tally;
    byKind: Tally;
    listedByGroup: Tally;
  };
  handovers: {
    count: number;
    bySite: Tally;
    byGovernorate: Tally;
    byGroup: Tally;
    /** By calendar day of `handedAt` as the officer recorded it (the site's local date). */
    byDay: Tally;
    byFromKind: Tally;
  };
  weapons: WeaponTally & {
    byCategory: Record<string, WeaponTally>;
    byGroup: Record<string, WeaponTally>;
    byGovernorate: Record<string, WeaponTally>;
  };
  ammunition: {
    lots: number;
    rounds: { total: number; byCalibreOrType: Tally };
    /** Quantities in other units (items, grams, metres), never added to rounds. */
    otherUnits: Record<string, { total: number; byCalibreOrType: Tally }>;
  };
  /** Per group, its latest declaration of strength and arsenal. */
  declarations: Record<string, Declared>;
  /** Handover eligibility decisions, and the reasons given. */
  eligibility: { byStatus: Tally; byReason: Tally };
  corrections: {
    total: number;
    bySubject: Tally;
    /** Corrections whose subject is personal and so not in the leaf (persons). */
    private: number;
    /** Public corrections naming a record the log never created. */
    unmatched: number;
  };
}

// What the totals read of each event's public data; other fields are ignored.
const count = z.int().min(0);
const personData = z.object({
  kind: z.string(),
  sex: z.string(),
  governorate: z.string(),
  groupId: z.string().optional(),
  listedByGroup: z.boolean(),
  ageGroup: z.string(),
});
const weaponData = z.object({ itemId: z.string(), category: z.string(), serviceable: z.boolean() });
const lotData = z.object({
  lotId: z.string(),
  calibreOrType: z.string(),
  quantity: count,
  unit: z.string(),
});
const handoverData = z.object({
  siteId: z.string(),
  handedAt: z.string().min(10),
  fromKind: z.string(),
  groupId: z.string().optional(),
  governorate: z.string(),
  weapons: z.array(weaponData),
  ammunition: z.array(lotData),
  eligibility: z.object({ status: z.string(), reasons: z.array(z.string()) }),
});
const declarationData = z.object({
  groupId: z.string(),
  version: z.int().min(1),
  asOf: z.string(),
  strength: z.object({ men: count, women: count, boys: count, girls: count }),
  arsenal: z.array(z.object({ category: z.string(), count })),
  declaredCaches: count,
});
const siteData = z.object({
  siteId: z.string(),
  code: z.string(),
  kind: z.string(),
  governorate: z.string(),
});
const groupData = z.object({ groupId: z.string(), code: z.string() });
const correctionData = z.object({
  subject: z.object({ kind: z.string(), id: z.string() }).optional(),
  changes: z.record(z.string(), z.unknown()).optional(),
});

interface WeaponState {
  category: string;
  serviceable: boolean;
  group: string;
  governorate: string;
}

interface LotState {
  calibreOrType: string;
  quantity: number;
  unit: string;
}

type Counts = Map<string, number>;

function bump(map: Counts, key: string, by = 1): void {
  const next = (map.get(key) ?? 0) + by;
  if (next === 0) map.delete(key);
  else map.set(key, next);
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A plain object with the keys in sorted order (own data properties, even "__proto__"). */
function sortedRecord<T>(map: Map<string, T>): Record<string, T> {
  return Object.fromEntries([...map].sort(([a], [b]) => compareKeys(a, b)));
}

class WeaponCounts {
  total = 0;
  serviceable = 0;

  add(serviceable: boolean, sign: number): void {
    this.total += sign;
    if (serviceable) this.serviceable += sign;
  }

  result(): WeaponTally {
    return { total: this.total, serviceable: this.serviceable, unserviceable: this.total - this.serviceable };
  }
}

function weaponTallies(map: Map<string, WeaponCounts>): Record<string, WeaponTally> {
  const kept = new Map<string, WeaponTally>();
  for (const [k, v] of map) if (v.total !== 0) kept.set(k, v.result());
  return sortedRecord(kept);
}

/**
 * Streams leaves into the public totals: `add` each entry in leaf order, `result` at any time.
 * Memory grows with the number of weapons, lots, sites and groups (corrections must find them),
 * not with the number of leaves.
 */
export class PublicTotalsAccumulator {
  #entries = 0;
  readonly #events: Counts = new Map();
  readonly #unreadable: PublicTotals["unreadable"] = [];
  #configurations = 0;
  /** group id → code */
  readonly #groups = new Map<string, string>();
  readonly #sites = new Map<string, { code: string; kind: string; governorate: string }>();
  readonly #persons = {
    registered: 0,
    byGroup: new Map() as Counts,
    byGovernorate: new Map() as Counts,
    bySex: new Map() as Counts,
    byAgeGroup: new Map() as Counts,
    byKind: new Map() as Counts,
    listedByGroup: new Map() as Counts,
  };
  readonly #handovers = {
    count: 0,
    bySite: new Map() as Counts,
    byGovernorate: new Map() as Counts,
    byGroup: new Map() as Counts,
    byDay: new Map() as Counts,
    byFromKind: new Map() as Counts,
  };
  readonly #weapons = new Map<string, WeaponState>();
  readonly #weaponTotal = new WeaponCounts();
  readonly #weaponsBy = {
    category: new Map<string, WeaponCounts>(),
    group: new Map<string, WeaponCounts>(),
    governorate: new Map<string, WeaponCounts>(),
  };
  readonly #lots = new Map<string, LotState>();
  /** unit → calibre or type → quantity */
  readonly #quantities = new Map<string, Counts>();
  readonly #declarations = new Map<string, Declared>();
  readonly #eligibility = { byStatus: new Map() as Counts, byReason: new Map() as Counts };
  readonly #corrections = { total: 0, bySubject: new Map() as Counts, private: 0, unmatched: 0 };

  add(entry: LeafEntry): void {
    this.#entries++;
    bump(this.#events, entry.type);
    const reject = (reason: string) =>
      this.#unreadable.push({ index: entry.index, type: entry.type, reason });
    const read = <T>(schema: z.ZodType<T>): T | undefined => {
      const parsed = schema.safeParse(entry.data);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0]!;
      reject(`data.${issue.path.join(".")}: ${issue.message}`);
      return undefined;
    };
    switch (entry.type) {
      case "programme.configured":
        this.#configurations++;
        return;
      case "group.registered": {
        const d = read(groupData);
        if (d) this.#groups.set(d.groupId, d.code);
        return;
      }
      case "site.registered": {
        const d = read(siteData);
        if (d) this.#sites.set(d.siteId, { code: d.code, kind: d.kind, governorate: d.governorate });
        return;
      }
      case "person.registered": {
        const d = read(personData);
        if (d) this.#person(d);
        return;
      }
      case "handover.recorded": {
        const d = read(handoverData);
        if (d) this.#handover(d);
        return;
      }
      case "group.declared": {
        const d = read(declarationData);
        if (d) this.#declaration(d, entry.index);
        return;
      }
      case "record.corrected": {
        const d = read(correctionData);
        if (d) this.#correction(d);
        return;
      }
      default:
        reject("an event type these totals do not know");
    }
  }

  #person(d: z.infer<typeof personData>): void {
    const p = this.#persons;
    p.registered++;
    bump(p.byGroup, d.groupId ?? NO_GROUP);
    bump(p.byGovernorate, d.governorate);
    bump(p.bySex, d.sex);
    bump(p.byAgeGroup, d.ageGroup);
    bump(p.byKind, d.kind);
    bump(p.listedByGroup, d.listedByGroup ? "yes" : "no");
  }

  #handover(d: z.infer<typeof handoverData>): void {
    const h = this.#handovers;
    const group = d.groupId ?? NO_GROUP;
    h.count++;
    bump(h.bySite, d.siteId);
    bump(h.byGovernorate, d.governorate);
    bump(h.byGroup, group);
    bump(h.byDay, d.handedAt.slice(0, 10));
    bump(h.byFromKind, d.fromKind);
    bump(this.#eligibility.byStatus, d.eligibility.status);
    for (const reason of d.eligibility.reasons) bump(this.#eligibility.byReason, reason);
    for (const w of d.weapons) {
      const state = { category: w.category, serviceable: w.serviceable, group, governorate: d.governorate };
      const before = this.#weapons.get(w.itemId);
      if (before) this.#countWeapon(before, -1); // an id seen twice: the later record stands
      this.#weapons.set(w.itemId, state);
      this.#countWeapon(state, 1);
    }
    for (const a of d.ammunition) {
      const state = { calibreOrType: a.calibreOrType, quantity: a.quantity, unit: a.unit };
      const before = this.#lots.get(a.lotId);
      if (before) this.#countLot(before, -1);
      this.#lots.set(a.lotId, state);
      this.#countLot(state, 1);
    }
  }

  #countWeapon(w: WeaponState, sign: number): void {
    this.#weaponTotal.add(w.serviceable, sign);
    const by = this.#weaponsBy;
    for (const [map, key] of [
      [by.category, w.category],
      [by.group, w.group],
      [by.governorate, w.governorate],
    ] as const) {
      let counts = map.get(key);
      if (!counts) {
        counts = new WeaponCounts();
        map.set(key, counts);
      }
      counts.add(w.serviceable, sign);
    }
  }

  #countLot(a: LotState, sign: number): void {
    let byType = this.#quantities.get(a.unit);
    if (!byType) {
      byType = new Map();
      this.#quantities.set(a.unit, byType);
    }
    bump(byType, a.calibreOrType, sign * a.quantity);
  }

  #declaration(d: z.infer<typeof declarationData>, index: number): void {
    const current = this.#declarations.get(d.groupId);
    if (current && current.version > d.version) return;
    const arsenal = new Map<string, number>();
    for (const row of d.arsenal) bump(arsenal, row.category, row.count);
    this.#declarations.set(d.groupId, {
      version: d.version,
      index,
      asOf: d.asOf,
      strength: {
        men: d.strength.men,
        women: d.strength.women,
        boys: d.strength.boys,
        girls: d.strength.girls,
      },
      arsenal: sortedRecord(arsenal),
      declaredCaches: d.declaredCaches,
    });
  }

  #correction(d: z.infer<typeof correctionData>): void {
    const c = this.#corrections;
    c.total++;
    // A person's correction carries no public subject (see the note at the top of this file).
    if (!d.subject) {
      c.private++;
      bump(c.bySubject, "person");
      return;
    }
    bump(c.bySubject, d.subject.kind);
    const changes = d.changes ?? {};
    const { kind, id } = d.subject;
    if (kind === "weapon") {
      const before = this.#weapons.get(id);
      if (!before) {
        c.unmatched++;
        return;
      }
      const after = { ...before };
      if (typeof changes.category === "string") after.category = changes.category;
      if (typeof changes.serviceable === "boolean") after.serviceable = changes.serviceable;
      this.#countWeapon(before, -1);
      this.#weapons.set(id, after);
      this.#countWeapon(after, 1);
    } else if (kind === "ammunition") {
      const before = this.#lots.get(id);
      if (!before) {
        c.unmatched++;
        return;
      }
      const after = { ...before };
      if (typeof changes.calibreOrType === "string") after.calibreOrType = changes.calibreOrType;
      if (typeof changes.unit === "string") after.unit = changes.unit;
      if (Number.isSafeInteger(changes.quantity) && (changes.quantity as number) >= 0)
        after.quantity = changes.quantity as number;
      this.#countLot(before, -1);
      this.#lots.set(id, after);
      this.#countLot(after, 1);
    } else if (kind === "site") {
      const site = this.#sites.get(id);
      if (!site) {
        c.unmatched++;
        return;
      }
      // Past handovers keep the governorate recorded with them, as the store's projection does.
      if (typeof changes.governorate === "string") site.governorate = changes.governorate;
    } else if (kind === "group") {
      // Names, aliases, governorates and units: none of them enters a figure.
      if (!this.#groups.has(id)) c.unmatched++;
    } else if (kind === "person") {
      c.private++;
    } else {
      c.unmatched++;
    }
  }

  result(): PublicTotals {
    const p = this.#persons;
    const h = this.#handovers;
    const sitesByKind: Counts = new Map();
    const sitesByGovernorate: Counts = new Map();
    const siteCodes = new Map<string, string>();
    for (const [id, s] of this.#sites) {
      bump(sitesByKind, s.kind);
      bump(sitesByGovernorate, s.governorate);
      siteCodes.set(id, s.code);
    }
    const rounds = this.#quantities.get("rounds") ?? new Map<string, number>();
    const otherUnits = new Map<string, { total: number; byCalibreOrType: Tally }>();
    for (const [unit, byType] of this.#quantities) {
      if (unit === "rounds" || byType.size === 0) continue;
      otherUnits.set(unit, { total: sum(byType), byCalibreOrType: sortedRecord(byType) });
    }
    return {
      entries: this.#entries,
      events: sortedRecord(this.#events),
      unreadable: this.#unreadable.map((u) => ({ ...u })),
      programme: { configurations: this.#configurations },
      groups: { registered: this.#groups.size, codes: sortedRecord(this.#groups) },
      sites: {
        registered: this.#sites.size,
        byKind: sortedRecord(sitesByKind),
        byGovernorate: sortedRecord(sitesByGovernorate),
        codes: sortedRecord(siteCodes),
      },
      persons: {
        registered: p.registered,
        byGroup: sortedRecord(p.byGroup),
        byGovernorate: sortedRecord(p.byGovernorate),
        bySex: sortedRecord(p.bySex),
        byAgeGroup: sortedRecord(p.byAgeGroup),
        byKind: sortedRecord(p.byKind),
        listedByGroup: sortedRecord(p.listedByGroup),
      },
      handovers: {
        count: h.count,
        bySite: sortedRecord(h.bySite),
        byGovernorate: sortedRecord(h.byGovernorate),
        byGroup: sortedRecord(h.byGroup),
        byDay: sortedRecord(h.byDay),
        byFromKind: sortedRecord(h.byFromKind),
      },
      weapons: {
        ...this.#weaponTotal.result(),
        byCategory: weaponTallies(this.#weaponsBy.category),
        byGroup: weaponTallies(this.#weaponsBy.group),
        byGovernorate: weaponTallies(this.#weaponsBy.governorate),
      },
      ammunition: {
        lots: this.#lots.size,
        rounds: { total: sum(rounds), byCalibreOrType: sortedRecord(rounds) },
        otherUnits: sortedRecord(otherUnits),
      },
      declarations: sortedRecord(
        new Map(
          [...this.#declarations].map(([k, d]) => [
            k,
            { ...d, strength: { ...d.strength }, arsenal: { ...d.arsenal } },
          ]),
        ),
      ),
      eligibility: {
        byStatus: sortedRecord(this.#eligibility.byStatus),
        byReason: sortedRecord(this.#eligibility.byReason),
      },
      corrections: {
        total: this.#corrections.total,
        bySubject: sortedRecord(this.#corrections.bySubject),
        private: this.#corrections.private,
        unmatched: this.#corrections.unmatched,
      },
    };
  }
}

function sum(map: Counts): number {
  let total = 0;
  for (const v of map.values()) total += v;
  return total;
}

/** The public totals of a sequence of leaves (see `PublicTotalsAccumulator` to stream them). */
export function computePublicTotals(entries: Iterable<LeafEntry>): PublicTotals {
  const totals = new PublicTotalsAccumulator();
  for (const entry of entries) totals.add(entry);
  return totals.result();
}
