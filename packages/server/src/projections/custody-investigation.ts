import type {
  DiscrepancyResolveInput,
  InvestigationCloseInput,
  InvestigationUpdateInput,
  ItemRef,
} from "@armsledger/core";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Tx } from "../store/database.ts";
import { itemTables } from "../store/item-tables.ts";
import * as t from "../store/schema.ts";
import { setItems } from "./custody.ts";
import { type Projector, touch } from "./recorded-event.ts";

/** Discrepancies that cast doubt on everything that arrived with a transfer. */
const DOUBTS = ["broken_seal", "count_mismatch", "unexpected_item"];

/**
 * Recomputes whether an item is flagged: it is while it is lost, while an investigation into it
 * is not closed, or while a doubt (broken seal, wrong count, stranger in the load) stays open on
 * a transfer it arrived with.
 */
async function refreshFlag(tx: Tx, seq: number, item: ItemRef): Promise<boolean> {
  const table = itemTables[item.kind] as typeof t.weaponItems;
  const [row] = await tx
    .select({ state: table.state, flagged: table.flagged })
    .from(table)
    .where(eq(table.id, item.id));
  if (!row) return false;
  const [investigated] = await tx
    .select({ id: t.lossInvestigations.id })
    .from(t.lossInvestigations)
    .where(
      and(
        eq(t.lossInvestigations.itemKind, item.kind),
        eq(t.lossInvestigations.itemId, item.id),
        ne(t.lossInvestigations.status, "closed"),
      ),
    )
    .limit(1);
  const doubts = (await tx.execute(sql`
    select 1 from ${t.discrepancies} d
    join ${t.transferItems} ti on ti.transfer_id = d.transfer_id
    where d.status = 'open' and d.kind in (${sql.join(
      DOUBTS.map((k) => sql`${k}`),
      sql`, `,
    )})
      and ti.item_kind = ${item.kind} and ti.item_id = ${item.id}
      and not exists (select 1 from ${t.discrepancies} m where m.transfer_id = d.transfer_id
        and m.kind = 'missing_item' and m.item_kind = ${item.kind} and m.item_id = ${item.id})
    limit 1`)) as unknown as { rows: unknown[] };
  const flagged = row.state === "lost" || investigated !== undefined || doubts.rows.length > 0;
  if (flagged === row.flagged) return false;
  await setItems(tx, [item], { flagged, updatedSeq: seq });
  return true;
}

export const investigationUpdated: Projector = async (tx, e) => {
  const d = e.data as unknown as InvestigationUpdateInput;
  await tx
    .update(t.lossInvestigations)
    .set({ status: "under_investigation", updatedSeq: e.seq })
    .where(eq(t.lossInvestigations.id, d.investigationId));
  await touch(tx, e.seq, [{ kind: "investigation", id: d.investigationId }]);
};

export const investigationClosed: Projector = async (tx, e) => {
  const d = e.data as unknown as InvestigationCloseInput & { item?: ItemRef; discrepancyId?: string };
  await tx
    .update(t.lossInvestigations)
    .set({ status: "closed", outcome: d.outcome, closedAt: d.closedAt, updatedSeq: e.seq })
    .where(eq(t.lossInvestigations.id, d.investigationId));
  if (d.discrepancyId)
    await tx
      .update(t.discrepancies)
      .set({ status: "resolved", resolvedAt: d.closedAt, resolvedSeq: e.seq })
      .where(eq(t.discrepancies.id, d.discrepancyId));
  if (d.item && d.foundAt)
    await setItems(tx, [d.item], {
      state: "in_custody",
      holderSiteId: d.foundAt.siteId,
      location: d.foundAt.location,
      transferId: null,
      custodySince: d.closedAt,
      updatedSeq: e.seq,
    });
  if (d.item) await refreshFlag(tx, e.seq, d.item);
  await touch(tx, e.seq, [{ kind: "investigation", id: d.investigationId }, ...(d.item ? [d.item] : [])]);
};

export const discrepancyResolved: Projector = async (tx, e) => {
  const d = e.data as unknown as DiscrepancyResolveInput & { transferId: string };
  await tx
    .update(t.discrepancies)
    .set({ status: "resolved", resolvedAt: d.resolvedAt, resolvedSeq: e.seq })
    .where(eq(t.discrepancies.id, d.discrepancyId));
  // The doubt is lifted from what arrived with the transfer, unless another keeps it flagged.
  const items = (await tx
    .select({ kind: t.transferItems.itemKind, id: t.transferItems.itemId })
    .from(t.transferItems)
    .where(eq(t.transferItems.transferId, d.transferId))) as ItemRef[];
  const unflagged: ItemRef[] = [];
  for (const item of items) if (await refreshFlag(tx, e.seq, item)) unflagged.push(item);
  await touch(tx, e.seq, [
    { kind: "discrepancy", id: d.discrepancyId },
    { kind: "transfer", id: d.transferId },
    ...unflagged,
  ]);
};
