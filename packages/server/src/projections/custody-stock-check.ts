import type { ItemRef, StockCheckRecordInput, StockCheckStartInput } from "@armsledger/core";
import { eq } from "drizzle-orm";
import * as t from "../store/schema.ts";
import { setItems } from "./custody.ts";
import { type Projector, touch } from "./recorded-event.ts";

export const stockCheckStarted: Projector = async (tx, e) => {
  const d = e.data as unknown as StockCheckStartInput & {
    checkId: string;
    seed: string;
    expected: ItemRef[];
    expectedCounts: Record<string, number>;
    outOfStore: number;
    sample: ItemRef[];
    startedBy: string;
  };
  await tx.insert(t.stockChecks).values({
    id: d.checkId,
    siteId: d.siteId,
    kind: d.kind,
    status: "open",
    startedAt: d.startedAt,
    startedBy: d.startedBy,
    startSeq: e.seq,
    seed: d.seed,
    expectedCount: d.expected.length,
    expectedCounts: d.expectedCounts,
    outOfStore: d.outOfStore,
    sample: d.sample,
  });
  await touch(tx, e.seq, [{ kind: "stock_check", id: d.checkId }]);
};

type Finding = {
  id: string;
  kind: "sample_missing" | "marking_mismatch" | "shortfall" | "surplus";
  item?: ItemRef;
  itemKind?: string;
  category?: string;
  expected?: number;
  counted?: number;
};

export const stockCheckRecorded: Projector = async (tx, e) => {
  const d = e.data as unknown as StockCheckRecordInput & {
    siteId: string;
    findings: Finding[];
    recordedBy: string;
  };
  await tx
    .update(t.stockChecks)
    .set({
      status: "completed",
      completedAt: d.completedAt,
      recordedBy: d.recordedBy,
      recordSeq: e.seq,
      counts: d.counts,
      findings: d.findings,
    })
    .where(eq(t.stockChecks.id, d.checkId));
  // A sampled weapon not on the shelf is lost until its investigation says otherwise.
  const missing = d.findings.filter((f) => f.kind === "sample_missing" && f.item).map((f) => f.item!);
  await setItems(tx, missing, { state: "lost", flagged: true, updatedSeq: e.seq });
  const mismatched = d.findings.filter((f) => f.kind === "marking_mismatch" && f.item).map((f) => f.item!);
  await setItems(tx, mismatched, { flagged: true, updatedSeq: e.seq });
  const investigated = d.findings.filter((f) => f.kind !== "surplus");
  if (investigated.length > 0)
    await tx.insert(t.lossInvestigations).values(
      investigated.map((f) => ({
        id: f.id,
        siteId: d.siteId,
        origin: "stock_check",
        originId: d.checkId,
        reason: f.kind,
        itemKind: f.item?.kind ?? null,
        itemId: f.item?.id ?? null,
        category: f.category ?? null,
        quantity: f.kind === "shortfall" ? f.expected! - f.counted! : null,
        status: "open",
        openedAt: d.completedAt,
        openedSeq: e.seq,
        updatedSeq: e.seq,
      })),
    );
  await touch(tx, e.seq, [
    { kind: "stock_check", id: d.checkId },
    ...investigated.map((f) => ({ kind: "investigation", id: f.id })),
    ...[...missing, ...mismatched],
  ]);
};
