import type { RawCommand } from "./custody.ts";
import type { Draws } from "./draws.ts";
import { weaponFaults } from "./faults.ts";
import { groupDefinitions } from "./groups.ts";
import { signatoryName } from "./names.ts";
import { atMinute, verifyingOfficer } from "./people.ts";
import { lanes } from "./sites.ts";
import { modelOf, weaponPayload } from "./weapons.ts";

// The scenario's arms caches (5,000 at scale 1): reported over the collection days, most of them
// attributed to a group, each with its declared contents; most are verified days later, and most
// verified caches are emptied by an extraction operation (a handover from the cache: its items
// carry source = cache and go to depots with the lane's next convoy) and then cleared, a few with
// a residue handed over. The rest stay open, as in every programme (Colombia: 1,027 reported,
// 750 cleared). Everything is planned from the seed before anything is recorded, like people.

export const CACHES_AT_SCALE_1 = 5000;

export const cacheRates = {
  /** Share of reports that name no group (an anonymous tip). */
  unattributed: 0.1,
  verified: 0.8,
  /** Share of verified caches that are extracted and cleared within the programme. */
  extracted: 0.9,
  /** Share of extractions that leave a residue (handed over rather than cleared). */
  residue: 0.1,
  /** Share of extractions that find one weapon fewer than declared. */
  weaponMissing: 0.15,
} as const;

export interface CacheLot {
  kind: "cartridge" | "mortar_bomb";
  calibreOrType: string;
  /** Rounds (cartridges) or items (bombs) declared. */
  declared: number;
  /** What the extraction found. */
  found: number;
}

export interface PlannedCache {
  n: number;
  group: number | undefined;
  governorate: string;
  /** The collection lane of the governorate, where extracted items are taken into custody. */
  lane: number;
  reportDay: number;
  verifyDay: number | undefined;
  /** The day of the extraction and the clearance. */
  extractDay: number | undefined;
  residue: boolean;
  /** The cache's weapons are weapons number [firstWeapon, firstWeapon + weapons) of source "cache". */
  firstWeapon: number;
  weapons: number;
  /** Weapons the extraction takes (the last one may be missing). */
  weaponsFound: number;
  lots: CacheLot[];
}

const collectionLanes = [...lanes.entries()].filter(([, l]) => l.kind === "collection");

function laneOf(governorate: string): number {
  return collectionLanes.find(([, l]) => l.governorate === governorate)![0];
}

/**
 * Every cache, in report order. The first is always verified and extracted on the first day, so
 * that even a tiny scenario has a cleared cache and items with source = cache.
 */
export function planCaches(draws: Draws, scale: number, collectionDays: number): PlannedCache[] {
  const count = Math.max(1, Math.round(CACHES_AT_SCALE_1 * scale));
  const strengths = groupDefinitions.map((g) => g.strength);
  const last = collectionDays - 1;
  const caches: PlannedCache[] = [];
  let firstWeapon = 0;
  for (let n = 0; n < count; n++) {
    const s = draws.stream("cache", n);
    const forced = n === 0;
    const group = !forced && s.chance(cacheRates.unattributed) ? undefined : s.weighted(strengths);
    const governorate =
      group === undefined
        ? s.pick(collectionLanes)[1].governorate
        : s.pick(groupDefinitions[group]!.governorates);
    const reportDay = forced ? 0 : s.int(0, last);
    const verified = forced || s.chance(cacheRates.verified);
    const verifyDay = verified ? reportDay + (forced ? 0 : s.int(0, 6)) : undefined;
    const extracted = forced || s.chance(cacheRates.extracted);
    const extractDay =
      verifyDay !== undefined && verifyDay <= last && extracted
        ? verifyDay + (forced ? 0 : s.int(0, 5))
        : undefined;
    const weapons = forced ? 2 : s.int(0, 4);
    const lots: CacheLot[] = [];
    const rounds = s.int(10, 200) * 10;
    lots.push({
      kind: "cartridge",
      calibreOrType: s.pick(["7.62x39mm", "7.62x39mm", "7.62x54mmR", "5.56x45mm", "12.7x108mm"]),
      declared: rounds,
      found: s.chance(0.7) ? rounds : Math.round(rounds * (0.5 + s.next() * 0.5)),
    });
    if (s.chance(0.3)) {
      const bombs = s.int(5, 40);
      lots.push({ kind: "mortar_bomb", calibreOrType: "82mm HE", declared: bombs, found: bombs });
    }
    caches.push({
      n,
      group,
      governorate,
      lane: laneOf(governorate),
      reportDay,
      verifyDay: verifyDay !== undefined && verifyDay <= last ? verifyDay : undefined,
      extractDay: extractDay !== undefined && extractDay <= last ? extractDay : undefined,
      residue: !forced && s.chance(cacheRates.residue),
      firstWeapon,
      weapons,
      weaponsFound: weapons > 0 && s.chance(cacheRates.weaponMissing) ? weapons - 1 : weapons,
      lots,
    });
    firstWeapon += weapons;
  }
  return caches;
}

/** Rounds the extractions take into custody (counted in the scenario's 10 million). */
export function extractedRounds(caches: readonly PlannedCache[]): number {
  let rounds = 0;
  for (const c of caches)
    if (c.extractDay !== undefined)
      for (const lot of c.lots) if (lot.kind === "cartridge") rounds += lot.found;
  return rounds;
}

export interface CacheIds {
  cache(n: number): string;
  group(g: number): string;
  site(lane: number): string;
  command(type: string, payload: unknown, ...label: (string | number)[]): RawCommand;
}

/** A command of the day, at its time (minutes after 00:00 UTC). */
export interface TimedCommand {
  minute: number;
  command: RawCommand;
  /** A placeholder serial the officer typed first, refused by the rules. */
  attempt?: RawCommand;
}

function declaredContents(draws: Draws, c: PlannedCache) {
  const byCategory = new Map<string, number>();
  for (let i = 0; i < c.weapons; i++) {
    const category = modelOf(draws, "cache", c.firstWeapon + i).category;
    byCategory.set(category, (byCategory.get(category) ?? 0) + 1);
  }
  return [
    ...[...byCategory].map(([category, count]) => ({ kind: "weapon" as const, category, count })),
    ...c.lots.map((l) => ({ kind: "ammunition" as const, category: l.kind, count: l.declared })),
  ];
}

function report(draws: Draws, ids: CacheIds, c: PlannedCache, date: string): TimedCommand {
  const s = draws.stream("cache", c.n, "report");
  const minute = 3 * 60 + s.int(0, 240); // 06:00-10:00 in Baghdad
  const lane = lanes[c.lane]!;
  const group = c.group === undefined ? undefined : groupDefinitions[c.group]!;
  return {
    minute,
    command: ids.command(
      "cache.report",
      {
        cacheId: ids.cache(c.n),
        reportedAt: atMinute(date, minute),
        source: {
          name: signatoryName(s),
          affiliation: group ? `Former member of ${group.en}` : "Local resident",
          how: s.pick([
            "Walk-in tip at the collection site",
            "Telephone hotline",
            "Through the group's liaison",
          ]),
        },
        governorate: c.governorate,
        location: {
          coordinates: {
            lat: Math.round((lane.lat + (s.next() - 0.5)) * 1e4) / 1e4,
            lon: Math.round((lane.lon + (s.next() - 0.5)) * 1e4) / 1e4,
          },
          description: s.pick([
            "Buried beside an irrigation canal",
            "Under the floor of an abandoned farmhouse",
            "In a dry well behind the orchard",
            "In a sealed room of a disused school",
            "In a cave above the wadi",
          ]),
        },
        ...(c.group !== undefined ? { groupId: ids.group(c.group) } : {}),
        declaredContents: declaredContents(draws, c),
      },
      "cache",
      c.n,
      "report",
    ),
  };
}

function verification(draws: Draws, ids: CacheIds, c: PlannedCache, date: string): TimedCommand {
  const minute = 7 * 60 + draws.stream("cache", c.n, "verify").int(0, 90); // 10:00-11:30
  return {
    minute,
    command: ids.command(
      "cache.verify",
      {
        cacheId: ids.cache(c.n),
        verifiedAt: atMinute(date, minute),
        findings: "Cache located as reported; contents counted and photographed; area marked and guarded.",
      },
      "cache",
      c.n,
      "verify",
    ),
  };
}

function extraction(draws: Draws, ids: CacheIds, c: PlannedCache, date: string, day: number): TimedCommand[] {
  const s = draws.stream("cache", c.n, "extract");
  const minute = 9 * 60 + s.int(0, 60); // 12:00-13:00
  const weapons = Array.from({ length: c.weaponsFound }, (_, i) => {
    const n = c.firstWeapon + i;
    return weaponPayload(draws, "cache", n, weaponFaults(draws, "cache", n));
  });
  const lots = c.lots
    .filter((l) => l.found > 0)
    .map((l) =>
      l.kind === "cartridge"
        ? {
            kind: "cartridge",
            calibreOrType: l.calibreOrType,
            quantity: l.found,
            unit: "rounds",
            hazardDivision: "1.4",
            condition: s.chance(0.8) ? "stable" : "unknown",
            safeToMove: true,
          }
        : {
            kind: "mortar_bomb",
            calibreOrType: l.calibreOrType,
            quantity: l.found,
            unit: "items",
            hazardDivision: "1.1",
            condition: s.chance(0.7) ? "stable" : "unstable",
            safeToMove: true,
          },
    );
  const handover = (list: unknown[]) => ({
    handoverId: draws.uuid("cache-extraction", c.n),
    siteId: ids.site(c.lane),
    handedAt: atMinute(date, minute),
    verifyingOfficer: verifyingOfficer(draws, c.lane, day),
    witnesses: [{ name: signatoryName(s), affiliation: "Explosive ordnance disposal team" }],
    from: { kind: "cache", cacheId: ids.cache(c.n) },
    weapons: list,
    ammunition: lots,
  });
  const clearAt = minute + 90;
  const extract: TimedCommand = {
    minute,
    command: ids.command("handover.record", handover(weapons.map((w) => w.weapon)), "cache", c.n, "extract"),
    ...(weapons.some((w) => w.attempt)
      ? {
          attempt: {
            commandId: draws.uuid("attempt", "cache", c.n),
            type: "handover.record",
            payload: handover(weapons.map((w) => w.attempt ?? w.weapon)),
          },
        }
      : {}),
  };
  const clear: TimedCommand = {
    minute: clearAt,
    command: ids.command(
      "cache.clear",
      {
        cacheId: ids.cache(c.n),
        clearedAt: atMinute(date, clearAt),
        ...(c.residue
          ? {
              outcome: "residue_handed_over",
              residueReason:
                "Unstable ordnance left in place for the army's engineers to destroy where it lies.",
            }
          : { outcome: "cleared" }),
      },
      "cache",
      c.n,
      "clear",
    ),
  };
  return [extract, clear];
}

/** The cache commands of one collection day (reports, verifications, extractions, clearances), in time order. */
export function cacheDay(
  draws: Draws,
  ids: CacheIds,
  caches: readonly PlannedCache[],
  day: number,
  date: string,
): TimedCommand[] {
  const out: TimedCommand[] = [];
  for (const c of caches) {
    if (c.reportDay === day) out.push(report(draws, ids, c, date));
    if (c.verifyDay === day) out.push(verification(draws, ids, c, date));
    if (c.extractDay === day) out.push(...extraction(draws, ids, c, date, day));
  }
  // Stable: a cache reported, verified and extracted the same day keeps that order.
  return out.sort((a, b) => a.minute - b.minute);
}
