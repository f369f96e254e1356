import { type Actor, inScope, itemStates, Problem } from "@armsledger/core";
import { and, asc, desc, eq, inArray, or, sql } from "drizzle-orm";
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
  // A weapon's category as last corrected (record.corrected leaves are public for weapons), else
  // as handed over: the projection applies corrections, so the ledger side must too.
  const fromLedger = (await store.db.execute(sql`
    with fixes as (
      select distinct on (c.entry::jsonb->'data'->'subject'->>'id')
             c.entry::jsonb->'data'->'subject'->>'id' as item_id,
             c.entry::jsonb->'data'->'changes'->>'category' as category
      from ${t.events} c
      where c.type = 'record.corrected' and c.entry::jsonb->'data'->'subject'->>'kind' = 'weapon'
        and c.entry::jsonb->'data'->'changes'->>'category' is not null
      order by c.entry::jsonb->'data'->'subject'->>'id', c.seq desc)
    select coalesce(f.category, w->>'category') as category,
           coalesce(e.entry::jsonb->'data'->>'groupId', 'none') as "group",
           e.entry::jsonb->'data'->>'governorate' as governorate, count(*)::int as n
    from ${t.events} e
    cross join lateral jsonb_array_elements(e.entry::jsonb->'data'->'weapons') w
    left join fixes f on f.item_id = w->>'itemId'
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
    const existing = rows.get(k);
    if (existing) return existing;
    const created: BalanceRow = {
      category,
      group,
      governorate,
      collected: 0,
      states: Object.fromEntries(itemStates.map((s) => [s, 0])),
    };
    rows.set(k, created);
    return created;
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

/** Transfers that leave from or arrive at a site in the reader's scope. */
function transferScope(actor: Actor) {
  if (actor.scope.sites === "all") return undefined;
  const sites = actor.scope.sites.length > 0 ? actor.scope.sites : ["00000000-0000-0000-0000-000000000000"];
  return or(inArray(t.transfers.fromSiteId, sites), inArray(t.transfers.toSiteId, sites));
}

export async function listTransfers(store: Store, actor: Actor, status: string | undefined, limit: number) {
  return store.db
    .select()
    .from(t.transfers)
    .where(and(status ? eq(t.transfers.status, status) : undefined, transferScope(actor)))
    .orderBy(desc(t.transfers.dispatchSeq))
    .limit(limit);
}

export async function listDiscrepancies(
  store: Store,
  actor: Actor,
  status: string | undefined,
  limit: number,
) {
  const rows = await store.db
    .select({ discrepancy: t.discrepancies })
    .from(t.discrepancies)
    .innerJoin(t.transfers, eq(t.transfers.id, t.discrepancies.transferId))
    .where(and(status ? eq(t.discrepancies.status, status) : undefined, transferScope(actor)))
    .orderBy(desc(t.discrepancies.openedSeq))
    .limit(limit);
  return rows.map((r) => r.discrepancy);
}
