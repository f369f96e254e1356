import type { Actor } from "@armsledger/core";
import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

// The programme dashboard's figures: what each group declared against what was collected, and
// collection day by day. Declarations are programme-wide (every role may read the groups);
// what was collected is counted only over the handovers in the reader's scope, so a scoped reader
// learns nothing of other sites or governorates, not even through a total.

/** Handovers at the reader's sites and in the reader's governorates. */
function handoverScope(actor: Actor): SQL | undefined {
  const { sites, governorates } = actor.scope;
  return and(
    sites === "all"
      ? undefined
      : inArray(t.handovers.siteId, sites.length ? sites : ["00000000-0000-0000-0000-000000000000"]),
    governorates === "all"
      ? undefined
      : inArray(t.handovers.governorate, governorates.length ? governorates : ["--"]),
  );
}

// Rows are grouped by the group's id; its text is made once per group.
const groupKey = sql<string>`coalesce(${t.handovers.groupId}::text, 'none')`;
// The calendar day the officer recorded (UTC, as the public figures count it). Rows are grouped by
// the date and only each group's date is formatted: to_char on every row was half of the
// handovers' by-day count on national-size tables (37 → 17 ms).
const dateOf = sql`(${t.handovers.handedAt} at time zone 'UTC')::date`;
const dayOf = sql<string>`to_char(${dateOf}, 'YYYY-MM-DD')`;
// Each item table is joined to the handovers once and counted two ways at once (GROUPING SETS): by
// group and kind, and by day. 1 on the rows of the first way (the day is not among their keys).
const byGroupRow = sql<number>`grouping(${dateOf})::int`;

/** The map's entry for `key`, made and added first when it has none. */
function entryOf<T>(map: Map<string, T>, key: string, make: () => T): T {
  let found = map.get(key);
  if (found === undefined) {
    found = make();
    map.set(key, found);
  }
  return found;
}

export interface GroupProgress {
  /** The group's id, or "none" for handovers attributed to no group. */
  group: string;
  /** The group's latest declaration, when it made one. */
  declared: { version: number; asOf: string; weapons: Record<string, number> } | null;
  collected: { weapons: Record<string, number>; lots: number; quantity: Record<string, number> };
}

export async function collectionProgress(store: Store, actor: Actor) {
  const scope = handoverScope(actor);
  return store.db.transaction(async (tx) => {
    const groups = await tx
      .select({ id: t.armedGroups.id })
      .from(t.armedGroups)
      .orderBy(asc(t.armedGroups.code));
    const declarations = await tx
      .selectDistinctOn([t.groupDeclarations.groupId], {
        groupId: t.groupDeclarations.groupId,
        version: t.groupDeclarations.version,
        asOf: t.groupDeclarations.asOf,
        arsenal: t.groupDeclarations.arsenal,
      })
      .from(t.groupDeclarations)
      .orderBy(t.groupDeclarations.groupId, desc(t.groupDeclarations.version));
    const weapons = await tx
      .select({
        byGroup: byGroupRow,
        group: groupKey,
        category: t.weaponItems.category,
        day: dayOf,
        n: sql<number>`count(*)::int`,
      })
      .from(t.weaponItems)
      .innerJoin(t.handovers, eq(t.handovers.id, t.weaponItems.handoverId))
      .where(scope)
      .groupBy(sql`grouping sets ((${t.handovers.groupId}, ${t.weaponItems.category}), (${dateOf}))`);
    const lots = await tx
      .select({
        byGroup: byGroupRow,
        group: groupKey,
        kind: t.ammunitionLots.kind,
        unit: t.ammunitionLots.unit,
        day: dayOf,
        n: sql<number>`count(*)::int`,
        quantity: sql<string>`sum(${t.ammunitionLots.quantity})::bigint`,
      })
      .from(t.ammunitionLots)
      .innerJoin(t.handovers, eq(t.handovers.id, t.ammunitionLots.handoverId))
      .where(scope)
      .groupBy(
        sql`grouping sets ((${t.handovers.groupId}, ${t.ammunitionLots.kind}, ${t.ammunitionLots.unit}), (${dateOf}))`,
      );
    const handoversByDay = await tx
      .select({ day: dayOf, n: sql<number>`count(*)::int` })
      .from(t.handovers)
      .where(scope)
      .groupBy(dateOf);

    const byGroup = new Map<string, GroupProgress>();
    const entry = (group: string) =>
      entryOf(byGroup, group, () => ({
        group,
        declared: null,
        collected: { weapons: {}, lots: 0, quantity: {} },
      }));
    for (const g of groups) entry(g.id);
    for (const d of declarations) {
      const arsenal = d.arsenal as { category: string; count: number }[];
      entry(d.groupId).declared = {
        version: d.version,
        asOf: d.asOf,
        weapons: Object.fromEntries(arsenal.map((a) => [a.category, a.count])),
      };
    }
    const days = new Map<string, { day: string; handovers: number; weapons: number; lots: number }>();
    const day = (d: string) => entryOf(days, d, () => ({ day: d, handovers: 0, weapons: 0, lots: 0 }));
    for (const w of weapons) {
      if (w.byGroup) entry(w.group).collected.weapons[w.category] = w.n;
      else day(w.day).weapons = w.n;
    }
    const ammunition = new Map<string, { kind: string; unit: string; lots: number; quantity: number }>();
    for (const l of lots) {
      if (!l.byGroup) {
        day(l.day).lots = l.n;
        continue;
      }
      const c = entry(l.group).collected;
      c.lots += l.n;
      c.quantity[l.unit] = (c.quantity[l.unit] ?? 0) + Number(l.quantity);
      const a = entryOf(ammunition, `${l.kind}|${l.unit}`, () => ({
        kind: l.kind,
        unit: l.unit,
        lots: 0,
        quantity: 0,
      }));
      a.lots += l.n;
      a.quantity += Number(l.quantity);
    }
    for (const h of handoversByDay) day(h.day).handovers = h.n;

    const categories = new Map<string, { category: string; declared: number; collected: number }>();
    const category = (c: string) =>
      entryOf(categories, c, () => ({ category: c, declared: 0, collected: 0 }));
    for (const g of byGroup.values()) {
      for (const [c, n] of Object.entries(g.declared?.weapons ?? {})) category(c).declared += n;
      for (const [c, n] of Object.entries(g.collected.weapons)) category(c).collected += n;
    }
    const byKey =
      <T>(key: (x: T) => string) =>
      (a: T, b: T) =>
        key(a).localeCompare(key(b));
    return {
      /** Whether the collected figures cover the whole programme or only the reader's scope. */
      wholeProgramme: actor.scope.sites === "all" && actor.scope.governorates === "all",
      byGroup: [...byGroup.values()],
      byCategory: [...categories.values()].sort(byKey((x) => x.category)),
      ammunition: [...ammunition.values()].sort(byKey((x) => `${x.kind}|${x.unit}`)),
      byDay: [...days.values()].sort(byKey((x) => x.day)),
    };
  });
}
