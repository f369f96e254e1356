import { type CustodyView, type HeldItem, type ItemRef, keyPartTag } from "@armsledger/core";
import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "../store/database.ts";
import { itemCategory, itemTableEntries } from "../store/item-tables.ts";
import * as t from "../store/schema.ts";
import { keyPartOrdinal } from "./key-part-ordinal.ts";

/** The custody rules' window on store access, stock checks and investigations (part of the record view). */
export function sqlCustodyView(tx: Tx): CustodyView {
  return {
    async findStoreAccess(id) {
      const [access] = await tx.select().from(t.storeAccess).where(eq(t.storeAccess.id, id));
      if (!access) return undefined;
      const items = await tx
        .select({
          kind: t.storeAccessItems.itemKind,
          id: t.storeAccessItems.itemId,
          returnSeq: t.storeAccessItems.returnSeq,
        })
        .from(t.storeAccessItems)
        .where(eq(t.storeAccessItems.accessId, id));
      return {
        id: access.id,
        siteId: access.siteId,
        removedAt: new Date(access.removedAt).toISOString(),
        items: items.map((i) => ({
          kind: i.kind as ItemRef["kind"],
          id: i.id,
          returned: i.returnSeq !== null,
        })),
      };
    },
    async findStockCheck(id) {
      const [c] = await tx.select().from(t.stockChecks).where(eq(t.stockChecks.id, id));
      if (!c) return undefined;
      return {
        id: c.id,
        siteId: c.siteId,
        kind: c.kind,
        status: c.status as "open" | "completed",
        startedAt: new Date(c.startedAt).toISOString(),
        expectedCounts: c.expectedCounts as Record<string, number>,
        sample: c.sample as ItemRef[],
      };
    },
    async openStockCheck(siteId) {
      const [c] = await tx
        .select({ id: t.stockChecks.id, startedAt: t.stockChecks.startedAt })
        .from(t.stockChecks)
        .where(and(eq(t.stockChecks.siteId, siteId), eq(t.stockChecks.status, "open")));
      return c && { id: c.id, startedAt: new Date(c.startedAt).toISOString() };
    },
    async itemsHeldAt(siteId) {
      const held = ["in_custody", "out_of_store"];
      type State = "in_custody" | "out_of_store";
      const out: HeldItem[] = [];
      for (const [kind, table] of itemTableEntries) {
        const rows = await tx
          .select({ id: table.id, category: itemCategory[kind], state: table.state })
          .from(table as typeof t.weaponItems)
          .where(and(eq(table.holderSiteId, siteId), inArray(table.state, held)));
        for (const r of rows) out.push({ kind, ...r, state: r.state as State });
      }
      return out;
    },
    async findKeyParts(weaponIds) {
      if (weaponIds.length === 0) return [];
      return tx
        .select({
          id: t.keyParts.id,
          weaponId: t.keyParts.weaponId,
          part: t.keyParts.part,
          state: t.keyParts.state,
        })
        .from(t.keyParts)
        .where(inArray(t.keyParts.weaponId, [...weaponIds]));
    },
    async findKeyPart(partId) {
      const [part] = await tx
        .select({
          id: t.keyParts.id,
          weaponId: t.keyParts.weaponId,
          part: t.keyParts.part,
          state: t.keyParts.state,
        })
        .from(t.keyParts)
        .where(eq(t.keyParts.id, partId));
      return part;
    },
    async keyPartsMissingAtHandover(weaponIds) {
      if (weaponIds.length === 0) return [];
      // Read from the handover's own leaf (public): no table keeps the parts never handed in.
      const rows = await tx
        .select({ id: t.weaponItems.id, entry: t.events.entry })
        .from(t.weaponItems)
        .innerJoin(t.events, eq(t.events.seq, t.weaponItems.seq))
        .where(inArray(t.weaponItems.id, [...weaponIds]));
      return rows.flatMap((r) => {
        const leaf = JSON.parse(r.entry) as {
          data?: { weapons?: { itemId?: string; keyPartsMissing?: string[] }[] };
        };
        const weapon = leaf.data?.weapons?.find((w) => w.itemId === r.id);
        return (weapon?.keyPartsMissing ?? []).map((part) => ({ weaponId: r.id, part }));
      });
    },
    async custodySince(refs) {
      const out: (ItemRef & { since: string })[] = [];
      for (const [kind, table] of itemTableEntries) {
        const ids = refs.filter((r) => r.kind === kind).map((r) => r.id);
        if (ids.length === 0) continue;
        const rows = await tx
          .select({ id: table.id, since: table.custodySince })
          .from(table as typeof t.weaponItems)
          .where(inArray(table.id, ids));
        for (const r of rows)
          if (r.since) out.push({ kind, id: r.id, since: new Date(r.since).toISOString() });
      }
      return out;
    },
    async findInvestigation(id) {
      const [i] = await tx.select().from(t.lossInvestigations).where(eq(t.lossInvestigations.id, id));
      if (!i) return undefined;
      return {
        id: i.id,
        siteId: i.siteId,
        origin: i.origin as "stock_check" | "discrepancy",
        originId: i.originId,
        reason: i.reason,
        item: i.itemKind && i.itemId ? { kind: i.itemKind as ItemRef["kind"], id: i.itemId } : undefined,
        status: i.status as "open" | "under_investigation" | "closed",
        openedAt: new Date(i.openedAt).toISOString(),
      };
    },
    async findDiscrepancy(id) {
      const [d] = await tx
        .select({
          id: t.discrepancies.id,
          transferId: t.discrepancies.transferId,
          toSiteId: t.transfers.toSiteId,
          kind: t.discrepancies.kind,
          status: t.discrepancies.status,
        })
        .from(t.discrepancies)
        .innerJoin(t.transfers, eq(t.transfers.id, t.discrepancies.transferId))
        .where(eq(t.discrepancies.id, id));
      return d && { ...d, status: d.status as "open" | "resolved" };
    },
    async findCache(id) {
      const [c] = await tx.select().from(t.caches).where(eq(t.caches.id, id));
      if (!c) return undefined;
      return {
        id: c.id,
        governorate: c.governorate,
        status: c.status as "reported" | "verified" | "cleared" | "residue_handed_over",
        reportedAt: new Date(c.reportedAt).toISOString(),
        verifiedAt: c.verifiedAt ? new Date(c.verifiedAt).toISOString() : undefined,
        groupId: c.groupId ?? undefined,
      };
    },
    async findWeaponMarks(ids) {
      if (ids.length === 0) return [];
      return tx
        .select({ id: t.weaponItems.id, tag: t.weaponItems.tag, serial: t.weaponItems.serial })
        .from(t.weaponItems)
        .where(inArray(t.weaponItems.id, ids));
    },
    async findKeyPartMarks(ids) {
      if (ids.length === 0) return [];
      const rows = await tx
        .select({
          id: t.keyParts.id,
          serial: t.keyParts.serial,
          weaponTag: t.weaponItems.tag,
          ordinal: keyPartOrdinal,
        })
        .from(t.keyParts)
        .innerJoin(t.weaponItems, eq(t.weaponItems.id, t.keyParts.weaponId))
        .where(inArray(t.keyParts.id, ids));
      return rows.map((r) => ({ id: r.id, serial: r.serial, tag: keyPartTag(r.weaponTag, r.ordinal) }));
    },
  };
}
