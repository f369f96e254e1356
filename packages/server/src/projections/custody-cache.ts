import type { CacheClearanceInput, CacheReportInput, CacheVerificationInput } from "@armsledger/core";
import { eq } from "drizzle-orm";
import * as t from "../store/schema.ts";
import { type Projector, touch } from "./recorded-event.ts";

// The caches table holds only what the leaf makes public: the source and the exact location stay
// in the report's private part (event_private), read only by the roles the policy names.

export const cacheReported: Projector = async (tx, e) => {
  const d = e.data as unknown as CacheReportInput & { cacheId: string };
  await tx.insert(t.caches).values({
    id: d.cacheId,
    governorate: d.governorate,
    groupId: d.groupId ?? null,
    declaredContents: d.declaredContents,
    status: "reported",
    reportedAt: d.reportedAt,
    reportSeq: e.seq,
    updatedSeq: e.seq,
  });
  await touch(tx, e.seq, [{ kind: "cache", id: d.cacheId }]);
};

export const cacheVerified: Projector = async (tx, e) => {
  const d = e.data as unknown as CacheVerificationInput;
  await tx
    .update(t.caches)
    .set({ status: "verified", verifiedAt: d.verifiedAt, updatedSeq: e.seq })
    .where(eq(t.caches.id, d.cacheId));
  await touch(tx, e.seq, [{ kind: "cache", id: d.cacheId }]);
};

export const cacheCleared: Projector = async (tx, e) => {
  const d = e.data as unknown as CacheClearanceInput;
  await tx
    .update(t.caches)
    .set({
      status: d.outcome === "cleared" ? "cleared" : "residue_handed_over",
      clearedAt: d.clearedAt,
      residueReason: d.residueReason ?? null,
      updatedSeq: e.seq,
    })
    .where(eq(t.caches.id, d.cacheId));
  await touch(tx, e.seq, [{ kind: "cache", id: d.cacheId }]);
};
