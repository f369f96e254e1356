import { type Actor, Problem } from "@armsledger/core";
import { and, desc, eq, inArray } from "drizzle-orm";
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
  return rows.map((r) => ({
    id: r.id,
    governorate: r.governorate,
    groupId: r.groupId,
    declaredContents: r.declaredContents as { kind: string; category: string; count: number }[],
    status: r.status,
    reportedAt: new Date(r.reportedAt).toISOString(),
    reportSeq: r.reportSeq,
    verifiedAt: isoOrNull(r.verifiedAt),
    clearedAt: isoOrNull(r.clearedAt),
    residueReason: r.residueReason,
  }));
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
  const [personal] = await store.db
    .select({ data: t.eventPrivate.data })
    .from(t.eventPrivate)
    .where(eq(t.eventPrivate.seq, cache.reportSeq));
  const data = personal ? (JSON.parse(personal.data) as { source?: unknown; location?: unknown }) : {};
  return { id: cache.id, source: data.source ?? null, location: data.location ?? null };
}
