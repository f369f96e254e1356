import { type Actor, inScope, itemStates, Problem } from "@armsledger/core";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

/** The full trail of one item: every event that touched it, oldest first, each with its ledger leaf. */
export async function getItemTrail(store: Store, actor: Actor, kind: "weapon" | "ammunition", id: string) {
  const table = kind === "weapon" ? t.weaponItems : t.ammunitionLots;
  const [item] = await store.db.select().from(table).where(eq(table.id, id));
  if (!item || !inScope(actor.scope, { siteId: item.holderSiteId }))
    throw new Problem("resource.not-found", `There is no ${kind} with this id, or it is outside your scope.`);
  const steps = await store.db
    .select({
      leafIndex: t.events.seq,
      type: t.events.type,
      recordedAt: t.events.recordedAt,
      leafHash: t.events.leafHash,
      entry: t.events.entry,
    })
    .from(t.recordHistory)
    .innerJoin(t.events, eq(t.events.seq, t.recordHistory.seq))
    .where(and(eq(t.recordHistory.kind, kind), eq(t.recordHistory.id, id)))
    .orderBy(asc(t.events.seq));
  return {
    item: {
      kind,
      id,
      tag: item.tag,
      state: item.state,
      holderSiteId: item.holderSiteId,
      location: item.location,
      flagged: item.flagged,
    },
    steps: steps.map(({ entry, ...s }) => ({
      ...s,
      recordedAt: new Date(s.recordedAt).toISOString(),
      data: (JSON.parse(entry) as { data: unknown }).data,
    })),
  };
}

interface BalanceRow {
  category: string;
  group: string;
  governorate: string;
  collected: number;
  states: Record<string, number>;
}

/**
 * The disposition balance: for every category (and group and governorate), the items the ledger
 * says were collected against the items in each custody state. Every item is in exactly one
 * state, so the two must be equal; any difference is named as an imbalance.
 */
export async function dispositionBalance(store: Store) {
  // What the ledger's handover leaves say was collected.
  const fromLedger = (await store.db.execute(sql`
    select w->>'category' as category, coalesce(e.entry::jsonb->'data'->>'groupId', 'none') as "group",
           e.entry::jsonb->'data'->>'governorate' as governorate, count(*)::int as n
    from ${t.events} e, jsonb_array_elements(e.entry::jsonb->'data'->'weapons') w
    where e.type = 'handover.recorded'
    group by 1, 2, 3`)) as unknown as {
    rows: { category: string; group: string; governorate: string; n: number }[];
  };
  // Where the items are now.
  const now = await store.db
    .select({
      category: t.weaponItems.category,
      group: sql<string>`coalesce(${t.handovers.groupId}::text, 'none')`,
      governorate: t.handovers.governorate,
      state: t.weaponItems.state,
      n: sql<number>`count(*)::int`,
    })
    .from(t.weaponItems)
    .innerJoin(t.handovers, eq(t.handovers.id, t.weaponItems.handoverId))
    .groupBy(t.weaponItems.category, t.handovers.groupId, t.handovers.governorate, t.weaponItems.state);

  const rows = new Map<string, BalanceRow>();
  const row = (category: string, group: string, governorate: string) => {
    const k = `${category}|${group}|${governorate}`;
    let r = rows.get(k);
    if (!r)
      rows.set(
        k,
        (r = {
          category,
          group,
          governorate,
          collected: 0,
          states: Object.fromEntries(itemStates.map((s) => [s, 0])),
        }),
      );
    return r;
  };
  for (const c of fromLedger.rows) row(c.category, c.group, c.governorate).collected += c.n;
  for (const s of now) {
    const r = row(s.category, s.group, s.governorate);
    r.states[s.state] = (r.states[s.state] ?? 0) + s.n;
  }
  const balance = [...rows.values()].sort((a, b) =>
    `${a.category}${a.group}${a.governorate}`.localeCompare(`${b.category}${b.group}${b.governorate}`),
  );
  const imbalances = balance
    .filter(
      (r) =>
        Object.values(r.states).reduce((a, b) => a + b, 0) !== r.collected ||
        Object.keys(r.states).some((s) => !(itemStates as readonly string[]).includes(s)),
    )
    .map((r) => ({
      category: r.category,
      group: r.group,
      governorate: r.governorate,
      collected: r.collected,
      accountedFor: Object.values(r.states).reduce((a, b) => a + b, 0),
    }));
  const totals = new Map<string, { category: string; collected: number; states: Record<string, number> }>();
  for (const r of balance) {
    const tot = totals.get(r.category) ?? {
      category: r.category,
      collected: 0,
      states: Object.fromEntries(itemStates.map((s) => [s, 0])),
    };
    tot.collected += r.collected;
    for (const [s, n] of Object.entries(r.states)) tot.states[s] = (tot.states[s] ?? 0) + n;
    totals.set(r.category, tot);
  }
  return { byCategory: [...totals.values()], rows: balance, imbalances, balanced: imbalances.length === 0 };
}

export async function listTransfers(store: Store, status: string | undefined, limit: number) {
  return store.db
    .select()
    .from(t.transfers)
    .where(status ? eq(t.transfers.status, status) : undefined)
    .orderBy(desc(t.transfers.dispatchSeq))
    .limit(limit);
}

export async function listDiscrepancies(store: Store, status: string | undefined, limit: number) {
  return store.db
    .select()
    .from(t.discrepancies)
    .where(status ? eq(t.discrepancies.status, status) : undefined)
    .orderBy(desc(t.discrepancies.openedSeq))
    .limit(limit);
}
