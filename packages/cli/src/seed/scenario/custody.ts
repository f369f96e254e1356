import { type Store, tables as t } from "@armsledger/server";
import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { Draws } from "./draws.ts";
import { transportDiscrepancy } from "./faults.ts";
import { signatoryName } from "./names.ts";
import { depotFor, destructionSite, lanes, type SiteDefinition } from "./sites.ts";

// Custody steps are built from the database when their turn comes: item ids are made by the
// write path at handover, so a manifest can only name them once they exist. The items are read
// in tag order (tags derive from leaf indices), so the same scenario builds the same manifests.

export interface RawCommand {
  commandId: string;
  type: string;
  payload: unknown;
}

export interface BuildContext {
  store: Store;
  draws: Draws;
  siteId(site: SiteDefinition): string;
  /** The chunk's key: command, transfer and batch ids derive from it. */
  key: string;
}

const MANIFEST_MAX = 2000;
const DESTRUCTION_BATCH_MAX = 5000;

type Ref = { kind: "weapon" | "ammunition"; id: string };

function parts<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function heldAt(store: Store, siteIds: string[]) {
  const weapons = await store.db
    .select({
      id: t.weaponItems.id,
      site: t.weaponItems.holderSiteId,
      tag: t.weaponItems.tag,
      serviceable: t.weaponItems.serviceable,
      flagged: t.weaponItems.flagged,
    })
    .from(t.weaponItems)
    .where(and(eq(t.weaponItems.state, "in_custody"), inArray(t.weaponItems.holderSiteId, siteIds)))
    .orderBy(asc(t.weaponItems.tag));
  const lots = await store.db
    .select({
      id: t.ammunitionLots.id,
      site: t.ammunitionLots.holderSiteId,
      tag: t.ammunitionLots.tag,
      condition: t.ammunitionLots.condition,
      flagged: t.ammunitionLots.flagged,
    })
    .from(t.ammunitionLots)
    .where(and(eq(t.ammunitionLots.state, "in_custody"), inArray(t.ammunitionLots.holderSiteId, siteIds)))
    .orderBy(asc(t.ammunitionLots.tag));
  return { weapons, lots };
}

function dispatchCommands(
  ctx: BuildContext,
  loads: { from: SiteDefinition; to: SiteDefinition; kind: Ref["kind"]; ids: string[] }[],
  dispatchedAt: string,
): RawCommand[] {
  const commands: RawCommand[] = [];
  const stamp = dispatchedAt.slice(0, 10).replaceAll("-", "");
  for (const load of loads)
    for (const [p, ids] of parts(load.ids, MANIFEST_MAX).entries()) {
      const n = commands.length;
      const s = ctx.draws.stream(ctx.key, "dispatch", n);
      const mark = `${stamp}-${load.from.code}-${load.kind === "weapon" ? "W" : "A"}${p + 1}`;
      commands.push({
        commandId: ctx.draws.uuid("command", ctx.key, n),
        type: "custody.dispatch",
        payload: {
          transferId: ctx.draws.uuid("transfer", ctx.key, n),
          fromSiteId: ctx.siteId(load.from),
          toSiteId: ctx.siteId(load.to),
          dispatchedAt,
          items: ids.map((id) => ({ kind: load.kind, id })),
          countAtDispatch: ids.length,
          seals: [`S${mark}-1`, `S${mark}-2`],
          vehicle: `Convoy ${mark}`,
          escort: [{ name: signatoryName(s), affiliation: "Federal Police escort" }],
          countersignedBy: { name: signatoryName(s), affiliation: "Joint verification team" },
        },
      });
    }
  return commands;
}

/** Each lane's week of collected items to its regional depot: weapons and ammunition apart. */
export async function dispatchFromLanes(ctx: BuildContext, dispatchedAt: string): Promise<RawCommand[]> {
  const held = await heldAt(
    ctx.store,
    lanes.map((l) => ctx.siteId(l)),
  );
  const loads = lanes.flatMap((lane) => {
    const site = ctx.siteId(lane);
    return [
      {
        from: lane,
        to: depotFor(lane),
        kind: "weapon" as const,
        ids: held.weapons.filter((w) => w.site === site).map((w) => w.id),
      },
      {
        from: lane,
        to: depotFor(lane),
        kind: "ammunition" as const,
        ids: held.lots.filter((a) => a.site === site).map((a) => a.id),
      },
    ].filter((l) => l.ids.length > 0);
  });
  return dispatchCommands(ctx, loads, dispatchedAt);
}

/**
 * From the depots to the destruction range: every unserviceable weapon and a third of the
 * others, and half the ammunition lots (all unstable ones). Flagged items stay, under investigation.
 */
export async function dispatchForDestruction(
  ctx: BuildContext,
  depots: readonly SiteDefinition[],
  dispatchedAt: string,
): Promise<RawCommand[]> {
  const held = await heldAt(
    ctx.store,
    depots.map((d) => ctx.siteId(d)),
  );
  const chosen = (tag: string, p: number) => ctx.draws.stream("destroy", tag).chance(p);
  const loads = depots.flatMap((depot) => {
    const site = ctx.siteId(depot);
    return [
      {
        from: depot,
        to: destructionSite,
        kind: "weapon" as const,
        ids: held.weapons
          .filter((w) => w.site === site && !w.flagged && (!w.serviceable || chosen(w.tag, 0.35)))
          .map((w) => w.id),
      },
      {
        from: depot,
        to: destructionSite,
        kind: "ammunition" as const,
        ids: held.lots
          .filter((a) => a.site === site && !a.flagged && (a.condition === "unstable" || chosen(a.tag, 0.5)))
          .map((a) => a.id),
      },
    ].filter((l) => l.ids.length > 0);
  });
  return dispatchCommands(ctx, loads, dispatchedAt);
}

/**
 * Receipt of every load in transit. Some receipts differ from the dispatch (faults.ts); the first
 * receipts of a scenario with no discrepancy yet always do, so that even a tiny scenario has some.
 */
export async function receiveInTransit(ctx: BuildContext, receivedAt: string): Promise<RawCommand[]> {
  const transfers = await ctx.store.db
    .select({ id: t.transfers.id, to: t.transfers.toSiteId, seals: t.transfers.seals })
    .from(t.transfers)
    .where(eq(t.transfers.status, "in_transit"))
    .orderBy(asc(t.transfers.dispatchSeq));
  if (transfers.length === 0) return [];
  const [open] = await ctx.store.db.select({ n: count() }).from(t.discrepancies);
  const forced = open?.n === 0 ? (["missing_item", "broken_seal"] as const) : [];
  const commands: RawCommand[] = [];
  for (const [n, transfer] of transfers.entries()) {
    const weapons = await ctx.store.db
      .select({ id: t.weaponItems.id })
      .from(t.transferItems)
      .innerJoin(t.weaponItems, eq(t.weaponItems.id, t.transferItems.itemId))
      .where(and(eq(t.transferItems.transferId, transfer.id), eq(t.transferItems.itemKind, "weapon")))
      .orderBy(asc(t.weaponItems.tag));
    const lots = await ctx.store.db
      .select({ id: t.ammunitionLots.id })
      .from(t.transferItems)
      .innerJoin(t.ammunitionLots, eq(t.ammunitionLots.id, t.transferItems.itemId))
      .where(and(eq(t.transferItems.transferId, transfer.id), eq(t.transferItems.itemKind, "ammunition")))
      .orderBy(asc(t.ammunitionLots.tag));
    let items: Ref[] = [
      ...weapons.map((w) => ({ kind: "weapon" as const, id: w.id })),
      ...lots.map((a) => ({ kind: "ammunition" as const, id: a.id })),
    ];
    const seals = transfer.seals as string[];
    let sealsIntact = seals;
    let countAtReceipt = items.length;
    let unexpected: { description: string; serial?: string }[] = [];
    const fault = forced[n] ?? transportDiscrepancy(ctx.draws, transfer.id);
    if (fault === "missing_item" && items.length > 1) {
      items = items.slice(0, -1);
      countAtReceipt = items.length;
    } else if (fault === "broken_seal") sealsIntact = seals.slice(0, -1);
    else if (fault === "count_mismatch") countAtReceipt = items.length - 1;
    else if (fault === "unexpected_item" && items.length < MANIFEST_MAX) {
      unexpected = [
        {
          description: "A rifle not on the manifest, found in the load",
          serial: `UX${n}${receivedAt.slice(0, 10).replaceAll("-", "")}`,
        },
      ];
      countAtReceipt = items.length + 1;
    }
    const s = ctx.draws.stream(ctx.key, "receive", n);
    const atDestruction = transfer.to === ctx.siteId(destructionSite);
    commands.push({
      commandId: ctx.draws.uuid("command", ctx.key, n),
      type: "custody.receive",
      payload: {
        transferId: transfer.id,
        receivedAt,
        items,
        unexpected,
        countAtReceipt,
        sealsIntact,
        location: atDestruction
          ? { store: "Holding area" }
          : {
              store: `Store ${s.pick(["A", "B", "C"])}`,
              container: `K${s.int(1, 40)}`,
              rack: `R${s.int(1, 12)}`,
            },
        countersignedBy: { name: signatoryName(s), affiliation: "Depot keeper" },
      },
    });
  }
  return commands;
}

/** Destruction of everything held at the range, with its operators and an independent witness. */
export async function destroyHeld(ctx: BuildContext, destroyedAt: string): Promise<RawCommand[]> {
  const held = await heldAt(ctx.store, [ctx.siteId(destructionSite)]);
  const batches: { refs: Ref[]; method: string }[] = [
    ...parts(
      held.weapons.map((w) => ({ kind: "weapon" as const, id: w.id })),
      DESTRUCTION_BATCH_MAX,
    ).map((refs) => ({ refs, method: "cutting" })),
    ...parts(
      held.lots.map((a) => ({ kind: "ammunition" as const, id: a.id })),
      DESTRUCTION_BATCH_MAX,
    ).map((refs) => ({ refs, method: "open_detonation" })),
  ];
  return batches.map((batch, n) => {
    const s = ctx.draws.stream(ctx.key, "destroy", n);
    return {
      commandId: ctx.draws.uuid("command", ctx.key, n),
      type: "disposition.destroy",
      payload: {
        batchId: ctx.draws.uuid("batch", ctx.key, n),
        siteId: ctx.siteId(destructionSite),
        destroyedAt,
        method: batch.method,
        items: batch.refs,
        operators: [
          { name: signatoryName(s), affiliation: "National destruction team" },
          { name: signatoryName(s), affiliation: "National destruction team" },
        ],
        witnesses: [
          { name: signatoryName(s), affiliation: "UN Mine Action Service", independent: true },
          { name: signatoryName(s), affiliation: "DDR Commission", independent: false },
        ],
        photos: [ctx.draws.fileRef(ctx.key, n, "before"), ctx.draws.fileRef(ctx.key, n, "after")],
      },
    };
  });
}
