import { type Actor, balanceBuckets, type ItemKind, inScope, keyPartTag, Problem } from "@armsledger/core";
import { and, asc, desc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Store, Tx } from "../store/database.ts";
import { type ItemTable, itemCategory, itemTables } from "../store/item-tables.ts";
import * as t from "../store/schema.ts";
import { keyPartOrdinal } from "./key-part-ordinal.ts";
import { ledgerCollected } from "./ledger-tally.ts";

/**
 * Whether an item was ever at one of the reader's sites: collected there, held there now, or sent
 * from or to there. A keeper may follow what passed through their hands, wherever it went since.
 */
async function wasEverAt(
  store: Store,
  actor: Actor,
  kind: ItemKind,
  item: { id: string; siteId: string; holderSiteId: string },
) {
  if (inScope(actor.scope, { siteId: item.holderSiteId }) || inScope(actor.scope, { siteId: item.siteId }))
    return true;
  if (actor.scope.sites === "all" || actor.scope.sites.length === 0) return false;
  const [moved] = await store.db
    .select({ id: t.transfers.id })
    .from(t.transferItems)
    .innerJoin(t.transfers, eq(t.transfers.id, t.transferItems.transferId))
    .where(
      and(
        eq(t.transferItems.itemKind, kind),
        eq(t.transferItems.itemId, item.id),
        or(
          inArray(t.transfers.fromSiteId, actor.scope.sites),
          inArray(t.transfers.toSiteId, actor.scope.sites),
        ),
      ),
    )
    .limit(1);
  return moved !== undefined;
}

/** The full trail of one item: every event that touched it, oldest first, each with its ledger leaf. */
export async function getItemTrail(store: Store, actor: Actor, kind: ItemKind, id: string) {
  const table = itemTables[kind] as typeof t.weaponItems;
  const [item] = await store.db.select().from(table).where(eq(table.id, id));
  if (!item || !(await wasEverAt(store, actor, kind, item)))
    throw new Problem(
      "resource.not-found",
      `There is no ${kind.replace("_", " ")} with this id, or it is outside your scope.`,
    );
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
      // A key part has no tag of its own: it is known by its weapon's, and its name.
      tag: item.tag ?? null,
      state: item.state,
      holderSiteId: item.holderSiteId,
      location: item.location,
      flagged: item.flagged,
      ...(await keyPartLinks(store, kind, id)),
    },
    steps: steps.map(({ entry, ...s }) => ({
      ...s,
      recordedAt: new Date(s.recordedAt).toISOString(),
      data: narrowToItem((JSON.parse(entry) as { data: Record<string, unknown> }).data, id),
    })),
  };
}

/**
 * The item a label names, as scanned or typed: a weapon or a lot by its tag, a loose key part by
 * its derived tag (`W0000004-01/P1`: its weapon's tag and its number among the parts taken off
 * it). Scoped as a trail is: an item never at one of the reader's sites answers 404, like a tag
 * that names nothing, so a label scanned elsewhere tells the reader nothing.
 */
export async function findItemByTag(store: Store, actor: Actor, tag: string) {
  const found: { kind: ItemKind; id: string }[] = [];
  for (const kind of ["weapon", "ammunition"] as const) {
    const table = itemTables[kind];
    for (const row of await store.db.select({ id: table.id }).from(table).where(eq(table.tag, tag)))
      found.push({ kind, id: row.id });
  }
  const asPart = /^(.+)\/P([1-9]\d{0,3})$/u.exec(tag);
  if (asPart) {
    const [part] = await store.db
      .select({ id: t.keyParts.id })
      .from(t.keyParts)
      .innerJoin(t.weaponItems, eq(t.weaponItems.id, t.keyParts.weaponId))
      .where(and(eq(t.weaponItems.tag, asPart[1]!), eq(keyPartOrdinal, Number(asPart[2]))));
    if (part) found.push({ kind: "key_part", id: part.id });
  }
  for (const { kind, id } of found) {
    const table = itemTables[kind] as typeof t.weaponItems;
    const [item] = await store.db
      .select({
        id: table.id,
        siteId: table.siteId,
        holderSiteId: table.holderSiteId,
        state: table.state,
        category: itemCategory[kind],
      })
      .from(table)
      .where(eq(table.id, id));
    if (item && (await wasEverAt(store, actor, kind, item))) return { kind, tag, ...item };
  }
  throw new Problem("resource.not-found", `No item bears the tag ${tag}, or it is outside your scope.`);
}

/**
 * What links a weapon and its loose key parts, so each trail shows the other: a weapon lists the
 * parts taken off it (where they are now); a part names its weapon and the weapon's tag.
 */
async function keyPartLinks(store: Store, kind: ItemKind, id: string) {
  if (kind === "weapon") {
    const parts = await store.db
      .select({
        id: t.keyParts.id,
        part: t.keyParts.part,
        serial: t.keyParts.serial,
        state: t.keyParts.state,
        holderSiteId: t.keyParts.holderSiteId,
        separatedSeq: t.keyParts.separatedSeq,
      })
      .from(t.keyParts)
      .where(eq(t.keyParts.weaponId, id))
      .orderBy(asc(t.keyParts.separatedSeq), asc(t.keyParts.id));
    return { keyParts: parts };
  }
  if (kind === "key_part") {
    const part = await findKeyPartOfWeapon(store, id);
    return part
      ? {
          tag: part.tag,
          part: part.part,
          serial: part.serial,
          weapon: { id: part.weaponId, tag: part.weaponTag, state: part.weaponState },
        }
      : {};
  }
  return {};
}

/**
 * A loose key part with its weapon, and its tag: the weapon's tag and the part's place among the
 * parts taken off that weapon, in ledger order (rules/key-part-tag.ts).
 */
export async function findKeyPartOfWeapon(store: Store, id: string) {
  const [part] = await store.db
    .select({
      part: t.keyParts.part,
      serial: t.keyParts.serial,
      weaponId: t.keyParts.weaponId,
      weaponTag: t.weaponItems.tag,
      weaponState: t.weaponItems.state,
      handoverId: t.weaponItems.handoverId,
      ordinal: keyPartOrdinal,
    })
    .from(t.keyParts)
    .innerJoin(t.weaponItems, eq(t.weaponItems.id, t.keyParts.weaponId))
    .where(eq(t.keyParts.id, id));
  return part && { ...part, tag: keyPartTag(part.weaponTag, part.ordinal) };
}

// The fields that name an item in an event's item lists: handovers list weapons by itemId and
// lots by lotId; custody and disposition events list { kind, id }; key parts recorded at a
// receipt are listed by partId. A list of those is narrowed; an entry is kept when one of these
// or its weaponId names the followed item (so a weapon's trail keeps the parts found off it).
// A list whose entries name no item of their own (a receipt's discrepancies) is kept whole.
const ITEM_ID_FIELDS = ["itemId", "lotId", "id", "partId"] as const;
const MATCHED_FIELDS = [...ITEM_ID_FIELDS, "weaponId"] as const;

/**
 * A step's data with each list of items narrowed to the one item the trail follows (empty when
 * the step is about it only through another list, e.g. a handover's weapons on a lot's trail),
 * and the list's full length kept beside it (`<field>Count`). A destruction batch of 500 rifles
 * would otherwise repeat all 500 in every rifle's trail. The whole entry stays in the log at the
 * step's leaf index, which is what a verifier hashes.
 */
export function narrowToItem(data: Record<string, unknown>, itemId: string): Record<string, unknown> {
  const narrowed: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(data)) {
    if (Array.isArray(value) && value.some(isItemEntry)) {
      narrowed[field] = value.filter((e) => isItemEntry(e) && MATCHED_FIELDS.some((f) => e[f] === itemId));
      narrowed[`${field}Count`] = value.length;
    } else narrowed[field] = value;
  }
  return narrowed;
}

function isItemEntry(element: unknown): element is Record<string, unknown> {
  return (
    typeof element === "object" &&
    element !== null &&
    ITEM_ID_FIELDS.some((f) => typeof (element as Record<string, unknown>)[f] === "string")
  );
}

interface BalanceRow {
  /**
   * weapon (items counted), ammunition (lots counted, and their quantity in `unit`) or key_part
   * (loose parts counted by name, under their weapon's group and governorate).
   */
  kind: ItemKind;
  category: string;
  unit?: string;
  group: string;
  governorate: string;
  collected: number;
  states: Record<string, number>;
  /** Ammunition only: the rounds (or items, grams, metres) collected and in each state. */
  quantity?: { collected: number; states: Record<string, number> };
}

const emptyStates = () => Object.fromEntries(balanceBuckets.map((s) => [s, 0])) as Record<string, number>;

/**
 * An item's balance bucket: its state, except that a lost item goes to `confirmed_lost` or
 * `stolen` when the latest investigation that found it missing closed so, and to
 * `lost_under_investigation` otherwise (open, under way, or, should one ever be missing, none).
 * An investigation into a marking mismatch does not make an item lost, so it does not count here.
 * The kind is inlined, not a parameter, so the expression in GROUP BY is the one in SELECT.
 */
function bucketOf(kind: ItemKind, item: ItemTable): SQL<string> {
  const li = t.lossInvestigations;
  return sql<string>`case when ${item.state} <> 'lost' then ${item.state} else coalesce((
    select case when ${li.status} = 'closed' and ${li.outcome} in ('confirmed_lost', 'stolen') then ${li.outcome} end
    from ${li}
    where ${li.itemKind} = ${sql.raw(`'${kind}'`)} and ${li.itemId} = ${item.id} and ${li.reason} in ('sample_missing', 'missing_item')
    order by ${li.openedSeq} desc, ${li.id} desc limit 1), 'lost_under_investigation') end`;
}

/**
 * Items counted by category (and unit), group, governorate and balance bucket: the items in any
 * state but lost grouped by their state, and the lost ones (few) apart, each given its bucket by
 * its investigation. Asking for the bucket inside one grouping of every item made PostgreSQL
 * expect a subquery per item and choose a sorted, parallel plan: 480 ms for the national
 * scenario's 63,000 weapons, against 120 ms for the plain grouping. Rows may repeat a key (the
 * lost branch beside the other): the caller adds them up.
 */
async function countByPlace(
  tx: Tx,
  kind: ItemKind,
  item: ItemTable,
  keys: { category: SQL; unit?: SQL; quantity?: SQL },
  from: SQL,
): Promise<
  {
    category: string;
    unit: string;
    group: string;
    governorate: string;
    state: string;
    n: number;
    quantity: string | null;
  }[]
> {
  const columns = (state: SQL) => sql`${keys.category} as category, ${keys.unit ?? sql`''`} as unit,
    coalesce(${t.handovers.groupId}::text, 'none') as "group", ${t.handovers.governorate} as governorate,
    ${state} as state, count(*)::int as n,
    ${keys.quantity ? sql`sum(${keys.quantity})::bigint` : sql`null::bigint`} as quantity`;
  // Grouped by the group's id itself, its text made once per group rather than once per item.
  const result = await tx.execute(sql`
    select ${columns(sql`${item.state}`)} ${from} where ${item.state} <> 'lost'
      group by 1, 2, ${t.handovers.groupId}, 4, 5
    union all
    select ${columns(bucketOf(kind, item))} ${from} where ${item.state} = 'lost'
      group by 1, 2, ${t.handovers.groupId}, 4, 5`);
  return (result as unknown as { rows: Awaited<ReturnType<typeof countByPlace>> }).rows;
}

const sum = (states: Record<string, number>) => Object.values(states).reduce((a, b) => a + b, 0);

/**
 * The disposition balance: for every category (and group and governorate), the items the ledger
 * says were collected against the items in each custody state. Every item is in exactly one
 * state, so the two must be equal; any difference is named as an imbalance. Ammunition lots are
 * counted as lots and, since a lot is only as good as what is in it, by quantity too (rounds,
 * items, grams or metres, kept apart by unit).
 */
export async function dispositionBalance(store: Store) {
  return store.db.transaction(async (tx) => {
    // What the ledger's handover leaves say was collected, public corrections applied (the
    // projection applies them, so the ledger side must too), kept incrementally.
    const collected = await ledgerCollected(tx);
    return balanceAgainst(tx, collected);
  });
}

async function balanceAgainst(tx: Tx, collected: Awaited<ReturnType<typeof ledgerCollected>>) {
  // Where the items are now (lost ones by what their investigation found).
  const now = await countByPlace(
    tx,
    "weapon",
    t.weaponItems,
    { category: sql`${t.weaponItems.category}` },
    sql`from ${t.weaponItems} join ${t.handovers} on ${t.handovers.id} = ${t.weaponItems.handoverId}`,
  );
  const lotsNow = await countByPlace(
    tx,
    "ammunition",
    t.ammunitionLots,
    {
      category: sql`${t.ammunitionLots.kind}`,
      unit: sql`${t.ammunitionLots.unit}`,
      quantity: sql`${t.ammunitionLots.quantity}`,
    },
    sql`from ${t.ammunitionLots} join ${t.handovers} on ${t.handovers.id} = ${t.ammunitionLots.handoverId}`,
  );
  // Loose key parts: counted apart, by name, where their weapon was collected.
  const partsNow = await countByPlace(
    tx,
    "key_part",
    t.keyParts,
    { category: sql`${t.keyParts.part}` },
    sql`from ${t.keyParts} join ${t.weaponItems} on ${t.weaponItems.id} = ${t.keyParts.weaponId}
        join ${t.handovers} on ${t.handovers.id} = ${t.weaponItems.handoverId}`,
  );

  const rows = new Map<string, BalanceRow>();
  const row = (
    kind: BalanceRow["kind"],
    category: string,
    unit: string | undefined,
    group: string,
    governorate: string,
  ) => {
    const k = `${kind}|${category}|${unit ?? ""}|${group}|${governorate}`;
    const existing = rows.get(k);
    if (existing) return existing;
    const created: BalanceRow = {
      kind,
      category,
      ...(unit === undefined ? {} : { unit }),
      group,
      governorate,
      collected: 0,
      states: emptyStates(),
      ...(kind === "ammunition" ? { quantity: { collected: 0, states: emptyStates() } } : {}),
    };
    rows.set(k, created);
    return created;
  };
  for (const c of collected.filter((c) => c.kind === "weapon"))
    row("weapon", c.category, undefined, c.group, c.governorate).collected += c.n;
  for (const s of now) {
    const r = row("weapon", s.category, undefined, s.group, s.governorate);
    r.states[s.state] = (r.states[s.state] ?? 0) + s.n;
  }
  for (const c of collected.filter((c) => c.kind === "key_part"))
    row("key_part", c.category, undefined, c.group, c.governorate).collected += c.n;
  for (const s of partsNow) {
    const r = row("key_part", s.category, undefined, s.group, s.governorate);
    r.states[s.state] = (r.states[s.state] ?? 0) + s.n;
  }
  for (const c of collected.filter((c) => c.kind === "ammunition")) {
    const r = row("ammunition", c.category, c.unit ?? "", c.group, c.governorate);
    r.collected += c.n;
    r.quantity!.collected += Number(c.quantity);
  }
  for (const s of lotsNow) {
    const r = row("ammunition", s.category, s.unit, s.group, s.governorate);
    r.states[s.state] = (r.states[s.state] ?? 0) + s.n;
    r.quantity!.states[s.state] = (r.quantity!.states[s.state] ?? 0) + Number(s.quantity);
  }
  const order = (r: BalanceRow) => `${r.kind}${r.category}${r.unit ?? ""}${r.group}${r.governorate}`;
  const balance = [...rows.values()].sort((a, b) => order(a).localeCompare(order(b)));
  const unknownState = (states: Record<string, number>) =>
    Object.keys(states).some((s) => !(balanceBuckets as readonly string[]).includes(s));
  const imbalances = balance
    .filter(
      (r) =>
        sum(r.states) !== r.collected ||
        unknownState(r.states) ||
        (r.quantity !== undefined && sum(r.quantity.states) !== r.quantity.collected),
    )
    .map((r) => ({
      kind: r.kind,
      category: r.category,
      group: r.group,
      governorate: r.governorate,
      collected: r.collected,
      accountedFor: sum(r.states),
      ...(r.quantity
        ? {
            unit: r.unit,
            quantityCollected: r.quantity.collected,
            quantityAccountedFor: sum(r.quantity.states),
          }
        : {}),
    }));
  const totals = new Map<string, Omit<BalanceRow, "group" | "governorate">>();
  for (const r of balance) {
    const k = `${r.kind}|${r.category}|${r.unit ?? ""}`;
    const tot = totals.get(k) ?? {
      kind: r.kind,
      category: r.category,
      ...(r.unit === undefined ? {} : { unit: r.unit }),
      collected: 0,
      states: emptyStates(),
      ...(r.quantity ? { quantity: { collected: 0, states: emptyStates() } } : {}),
    };
    tot.collected += r.collected;
    for (const [s, n] of Object.entries(r.states)) tot.states[s] = (tot.states[s] ?? 0) + n;
    if (r.quantity && tot.quantity) {
      tot.quantity.collected += r.quantity.collected;
      for (const [s, n] of Object.entries(r.quantity.states))
        tot.quantity.states[s] = (tot.quantity.states[s] ?? 0) + n;
    }
    totals.set(k, tot);
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

/** Sites the reader may see, as a condition on a site column (undefined: every site). */
function siteScope(actor: Actor, column: Parameters<typeof inArray>[0]) {
  if (actor.scope.sites === "all") return undefined;
  return inArray(column, actor.scope.sites.length > 0 ? actor.scope.sites : [NO_SITE]);
}
const NO_SITE = "00000000-0000-0000-0000-000000000000";

const isoOrNull = (s: string | null) => (s ? new Date(s).toISOString() : null);

/** The store access log: removals from a store and returns, newest first, with their items. */
export async function listStoreAccess(
  store: Store,
  actor: Actor,
  filter: { siteId?: string | undefined; open?: boolean | undefined },
  limit: number,
) {
  const rows = await store.db
    .select()
    .from(t.storeAccess)
    .where(
      and(
        filter.siteId ? eq(t.storeAccess.siteId, filter.siteId) : undefined,
        filter.open === undefined
          ? undefined
          : filter.open
            ? inArray(t.storeAccess.status, ["out", "partly_returned"])
            : eq(t.storeAccess.status, "returned"),
        siteScope(actor, t.storeAccess.siteId),
      ),
    )
    .orderBy(desc(t.storeAccess.removedSeq))
    .limit(limit);
  const items =
    rows.length === 0
      ? []
      : await store.db
          .select()
          .from(t.storeAccessItems)
          .where(
            inArray(
              t.storeAccessItems.accessId,
              rows.map((r) => r.id),
            ),
          );
  return rows.map((r) => ({
    id: r.id,
    siteId: r.siteId,
    purpose: r.purpose,
    removedAt: new Date(r.removedAt).toISOString(),
    dueBack: isoOrNull(r.dueBack),
    authorisedBy: r.authorisedBy,
    removedSeq: r.removedSeq,
    status: r.status,
    itemCount: r.itemCount,
    returnedCount: r.returnedCount,
    lastReturnedAt: isoOrNull(r.lastReturnedAt),
    items: items
      .filter((i) => i.accessId === r.id)
      .map((i) => ({
        kind: i.itemKind,
        id: i.itemId,
        returnedAt: isoOrNull(i.returnedAt),
        returnSeq: i.returnSeq,
      })),
  }));
}

/** Stock checks, newest first: what was expected, the sample drawn and, once recorded, the findings. */
export async function listStockChecks(
  store: Store,
  actor: Actor,
  filter: { siteId?: string | undefined; status?: string | undefined },
  limit: number,
) {
  const rows = await store.db
    .select()
    .from(t.stockChecks)
    .where(
      and(
        filter.siteId ? eq(t.stockChecks.siteId, filter.siteId) : undefined,
        filter.status ? eq(t.stockChecks.status, filter.status) : undefined,
        siteScope(actor, t.stockChecks.siteId),
      ),
    )
    .orderBy(desc(t.stockChecks.startSeq))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    siteId: r.siteId,
    kind: r.kind,
    status: r.status,
    startedAt: new Date(r.startedAt).toISOString(),
    startSeq: r.startSeq,
    seed: r.seed,
    expectedCount: r.expectedCount,
    expectedCounts: r.expectedCounts as Record<string, number>,
    outOfStore: r.outOfStore,
    sample: r.sample as { kind: string; id: string }[],
    completedAt: isoOrNull(r.completedAt),
    recordSeq: r.recordSeq,
    counts: r.counts as { kind: string; category: string; count: number }[] | null,
    findings: r.findings as Record<string, unknown>[] | null,
  }));
}

const DAY = 24 * 60 * 60 * 1000;
/** A weekly count every 7 days; a full serial check every six months (182 days). */
export const STOCK_CHECK_INTERVALS = { weekly: 7 * DAY, full: 182 * DAY } as const;

/**
 * Every depot in the reader's scope with its last completed checks and when the next are due: a
 * full check counts as a weekly one too. A depot never checked is due a week (or six months)
 * after it was registered.
 */
export async function stockCheckSchedule(store: Store, actor: Actor, asOf: Date) {
  const depots = await store.db
    .select({ id: t.sites.id, code: t.sites.code, registeredAt: t.events.recordedAt })
    .from(t.sites)
    .innerJoin(t.events, eq(t.events.seq, t.sites.registeredSeq))
    .where(and(eq(t.sites.kind, "depot"), siteScope(actor, t.sites.id)))
    .orderBy(asc(t.sites.code));
  const last = await store.db
    .select({
      siteId: t.stockChecks.siteId,
      kind: t.stockChecks.kind,
      at: sql<string>`max(${t.stockChecks.completedAt})`,
    })
    .from(t.stockChecks)
    .where(eq(t.stockChecks.status, "completed"))
    .groupBy(t.stockChecks.siteId, t.stockChecks.kind);
  const open = await store.db
    .select({ siteId: t.stockChecks.siteId, id: t.stockChecks.id })
    .from(t.stockChecks)
    .where(eq(t.stockChecks.status, "open"));
  const lastOf = (siteId: string, kinds: string[]) => {
    const times = last
      .filter((l) => l.siteId === siteId && kinds.includes(l.kind) && l.at)
      .map((l) => Date.parse(new Date(l.at).toISOString()));
    return times.length > 0 ? Math.max(...times) : undefined;
  };
  return depots.map((d) => {
    const registered = Date.parse(new Date(d.registeredAt).toISOString());
    const lastWeekly = lastOf(d.id, ["weekly", "full"]);
    const lastFull = lastOf(d.id, ["full"]);
    const weeklyDue = (lastWeekly ?? registered) + STOCK_CHECK_INTERVALS.weekly;
    const fullDue = (lastFull ?? registered) + STOCK_CHECK_INTERVALS.full;
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    return {
      siteId: d.id,
      code: d.code,
      lastCheck: iso(lastWeekly),
      lastFullCheck: iso(lastFull),
      weeklyDue: iso(weeklyDue)!,
      fullDue: iso(fullDue)!,
      weeklyOverdue: weeklyDue < asOf.getTime(),
      fullOverdue: fullDue < asOf.getTime(),
      checkUnderWay: open.find((o) => o.siteId === d.id)?.id ?? null,
    };
  });
}

/** Loss investigations, newest first, with what opened them and how they ended. */
export async function listInvestigations(
  store: Store,
  actor: Actor,
  filter: { siteId?: string | undefined; status?: string | undefined },
  limit: number,
) {
  const rows = await store.db
    .select()
    .from(t.lossInvestigations)
    .where(
      and(
        filter.siteId ? eq(t.lossInvestigations.siteId, filter.siteId) : undefined,
        filter.status ? eq(t.lossInvestigations.status, filter.status) : undefined,
        siteScope(actor, t.lossInvestigations.siteId),
      ),
    )
    .orderBy(desc(t.lossInvestigations.openedSeq), asc(t.lossInvestigations.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    siteId: r.siteId,
    origin: r.origin,
    originId: r.originId,
    reason: r.reason,
    itemKind: r.itemKind,
    itemId: r.itemId,
    category: r.category,
    quantity: r.quantity,
    status: r.status,
    outcome: r.outcome,
    openedAt: new Date(r.openedAt).toISOString(),
    openedSeq: r.openedSeq,
    updatedSeq: r.updatedSeq,
    closedAt: isoOrNull(r.closedAt),
  }));
}

/** One item of a transfer's manifest, as the receiving keeper counts it: no person, no holder. */
export interface ManifestItem {
  kind: ItemKind;
  id: string;
  /** The printed tag; a loose key part's is its weapon's tag and its place (rules/key-part-tag.ts). */
  tag: string | null;
  /** A weapon's category, a lot's kind, a key part's name. */
  category: string;
  /** A weapon's serial, a lot's mark, a key part's serial. */
  serial: string | null;
}

/**
 * The items a transfer's manifest lists, in one query (the transfer's scope is part of it): a
 * transfer neither leaving from nor arriving at the reader's sites answers the same 404 as one
 * that does not exist. A manifest lists at least one item (core's dispatch contract), so no row
 * means no transfer the reader may see.
 */
export async function listTransferItems(store: Store, actor: Actor, transferId: string) {
  const ti = t.transferItems;
  const w = t.weaponItems;
  const a = t.ammunitionLots;
  const k = t.keyParts;
  const kw = alias(t.weaponItems, "key_part_weapon");
  const rows = await store.db
    .select({
      kind: ti.itemKind,
      id: ti.itemId,
      tag: sql<string | null>`coalesce(${w.tag}, ${a.tag})`,
      category: sql<string | null>`coalesce(${w.category}, ${a.kind}, ${k.part})`,
      serial: sql<string | null>`coalesce(${w.serial}, ${a.lotMark}, ${k.serial})`,
      weaponTag: kw.tag,
      ordinal: sql<number | null>`(select count(*)::int from ${t.keyParts} earlier
        where earlier.weapon_id = ${k.weaponId} and earlier.separated_seq <= ${k.separatedSeq})`,
    })
    .from(ti)
    .innerJoin(t.transfers, eq(t.transfers.id, ti.transferId))
    .leftJoin(w, and(eq(ti.itemKind, "weapon"), eq(w.id, ti.itemId)))
    .leftJoin(a, and(eq(ti.itemKind, "ammunition"), eq(a.id, ti.itemId)))
    .leftJoin(k, and(eq(ti.itemKind, "key_part"), eq(k.id, ti.itemId)))
    .leftJoin(kw, eq(kw.id, k.weaponId))
    .where(and(eq(ti.transferId, transferId), transferScope(actor)))
    .orderBy(asc(ti.itemKind), asc(sql`coalesce(${w.tag}, ${a.tag}, ${kw.tag})`), asc(ti.itemId));
  if (rows.length === 0)
    throw new Problem(
      "resource.not-found",
      "There is no transfer with this id, or it is outside your scope.",
    );
  return rows.map(
    (r): ManifestItem => ({
      kind: r.kind as ItemKind,
      id: r.id,
      tag: r.tag ?? (r.weaponTag && r.ordinal ? keyPartTag(r.weaponTag, r.ordinal) : null),
      category: r.category ?? "",
      serial: r.serial,
    }),
  );
}

/** Disposition batches at the reader's sites, newest first: what, where, when, how many (no one named). */
export async function listDispositions(store: Store, actor: Actor, limit: number) {
  const d = t.dispositions;
  const rows = await store.db
    .select()
    .from(d)
    .where(siteScope(actor, d.siteId))
    .orderBy(desc(d.seq))
    .limit(limit);
  return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
}
