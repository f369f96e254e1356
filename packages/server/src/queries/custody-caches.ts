import { type Actor, Problem } from "@armsledger/core";
import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import { findPrivatePart } from "../crypto/private-part.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

const isoOrNull = (s: string | null) => (s ? new Date(s).toISOString() : null);

/** Cache reports in the reader's governorates, newest first, optionally by status. */
export async function listCaches(
  store: Store,
  actor: Actor,
  filter: { status?: string | undefined; governorate?: string | undefined },
  limit: number,
) {
  const governorates = actor.scope.governorates;
  const rows = await store.db
    .select()
    .from(t.caches)
    .where(
      and(
        filter.status ? eq(t.caches.status, filter.status) : undefined,
        filter.governorate ? eq(t.caches.governorate, filter.governorate) : undefined,
        governorates === "all"
          ? undefined
          : inArray(t.caches.governorate, governorates.length > 0 ? governorates : ["--"]),
      ),
    )
    .orderBy(desc(t.caches.reportSeq))
    .limit(limit);
  const extracted = await extractedFrom(
    store,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const declaredContents = r.declaredContents as { kind: string; category: string; count: number }[];
    const found = extracted.get(r.id);
    return {
      id: r.id,
      governorate: r.governorate,
      groupId: r.groupId,
      declaredContents,
      status: r.status,
      reportedAt: new Date(r.reportedAt).toISOString(),
      reportSeq: r.reportSeq,
      verifiedAt: isoOrNull(r.verifiedAt),
      clearedAt: isoOrNull(r.clearedAt),
      residueReason: r.residueReason,
      extractions: found?.operations ?? [],
      reconciliation: reconcile(declaredContents, found?.items ?? []),
    };
  });
}

interface ExtractedCount {
  kind: "weapon" | "ammunition";
  category: string;
  n: number;
  /** Ammunition: the quantity extracted, by unit. */
  quantity?: Record<string, number>;
}

/**
 * The extraction operations of each cache and what they collected, by kind and category as the
 * items stand now (corrections applied): weapons counted as items, ammunition as lots (the unit
 * a report declares), with the quantity by unit beside.
 */
async function extractedFrom(store: Store, cacheIds: string[]) {
  const out = new Map<string, { operations: ExtractionSummary[]; items: ExtractedCount[] }>();
  if (cacheIds.length === 0) return out;
  const entry = (id: string) => {
    const e = out.get(id) ?? { operations: [], items: [] };
    out.set(id, e);
    return e;
  };
  const operations = await store.db
    .select({
      cacheId: t.handovers.cacheId,
      handoverId: t.handovers.id,
      reference: t.handovers.receiptNumber,
      seq: t.handovers.seq,
      siteId: t.handovers.siteId,
      extractedAt: t.handovers.handedAt,
    })
    .from(t.handovers)
    .where(inArray(t.handovers.cacheId, cacheIds))
    .orderBy(asc(t.handovers.seq));
  for (const { cacheId, extractedAt, ...o } of operations)
    entry(cacheId!).operations.push({ ...o, extractedAt: new Date(extractedAt).toISOString() });
  const weapons = await store.db
    .select({ cacheId: t.handovers.cacheId, category: t.weaponItems.category, n: count() })
    .from(t.weaponItems)
    .innerJoin(t.handovers, eq(t.handovers.id, t.weaponItems.handoverId))
    .where(inArray(t.handovers.cacheId, cacheIds))
    .groupBy(t.handovers.cacheId, t.weaponItems.category);
  for (const w of weapons) entry(w.cacheId!).items.push({ kind: "weapon", category: w.category, n: w.n });
  const lots = await store.db
    .select({
      cacheId: t.handovers.cacheId,
      category: t.ammunitionLots.kind,
      unit: t.ammunitionLots.unit,
      n: count(),
      quantity: sql<string>`sum(${t.ammunitionLots.quantity})::bigint`,
    })
    .from(t.ammunitionLots)
    .innerJoin(t.handovers, eq(t.handovers.id, t.ammunitionLots.handoverId))
    .where(inArray(t.handovers.cacheId, cacheIds))
    .groupBy(t.handovers.cacheId, t.ammunitionLots.kind, t.ammunitionLots.unit);
  for (const l of lots) {
    const items = entry(l.cacheId!).items;
    let row = items.find((i) => i.kind === "ammunition" && i.category === l.category);
    if (!row) {
      row = { kind: "ammunition", category: l.category, n: 0, quantity: {} };
      items.push(row);
    }
    row.n += l.n;
    row.quantity![l.unit] = (row.quantity![l.unit] ?? 0) + Number(l.quantity);
  }
  return out;
}

interface ExtractionSummary {
  handoverId: string;
  /** The operation's reference (the handover's number: there is no one to give a receipt to). */
  reference: string;
  seq: number;
  siteId: string;
  extractedAt: string;
}

/**
 * Declared against extracted, by kind and category: every declared line, and every category
 * extracted that the report did not declare. `difference` is extracted − declared (negative:
 * not found or not yet extracted; positive: more than the source said).
 */
function reconcile(
  declared: { kind: string; category: string; count: number }[],
  extracted: ExtractedCount[],
) {
  const rows = new Map<
    string,
    { kind: string; category: string; declared: number; extracted: number; quantity?: Record<string, number> }
  >();
  const row = (kind: string, category: string) => {
    const key = `${kind}:${category}`;
    const r = rows.get(key) ?? { kind, category, declared: 0, extracted: 0 };
    rows.set(key, r);
    return r;
  };
  for (const d of declared) row(d.kind, d.category).declared += d.count;
  for (const e of extracted) {
    const r = row(e.kind, e.category);
    r.extracted += e.n;
    if (e.quantity) r.quantity = e.quantity;
  }
  return [...rows.values()].map((r) => ({ ...r, difference: r.extracted - r.declared }));
}

/** The protected part of a cache report (source and exact location), for the roles allowed to read it. */
export async function getCacheSource(store: Store, actor: Actor, id: string) {
  const [cache] = await store.db.select().from(t.caches).where(eq(t.caches.id, id));
  const governorates = actor.scope.governorates;
  if (!cache || (governorates !== "all" && !governorates.includes(cache.governorate)))
    throw new Problem(
      "resource.not-found",
      "There is no cache report with this id, or it is outside your scope.",
    );
  const personal = await findPrivatePart(store, cache.reportSeq);
  const data = personal ? (JSON.parse(personal) as { source?: unknown; location?: unknown }) : {};
  return { id: cache.id, source: data.source ?? null, location: data.location ?? null };
}
