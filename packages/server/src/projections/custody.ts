import type {
  DeactivationInput,
  DestructionInput,
  DispatchInput,
  ItemRef,
  ReceiveInput,
  RetentionInput,
  StateTransferInput,
} from "@armsledger/core";
import { eq, inArray } from "drizzle-orm";
import type { Tx } from "../store/database.ts";
import { itemTableEntries } from "../store/item-tables.ts";
import * as t from "../store/schema.ts";
import { raiseDuplicatePartSerial } from "./duplicate-serials.ts";
import { type Projector, touch } from "./recorded-event.ts";

/** Sets custody columns on the items named, whatever their kind. */
export async function setItems(tx: Tx, refs: readonly ItemRef[], set: Record<string, unknown>) {
  for (const [kind, table] of itemTableEntries) {
    const ids = refs.filter((r) => r.kind === kind).map((r) => r.id);
    if (ids.length > 0)
      await (tx.update(table) as ReturnType<typeof tx.update<typeof t.weaponItems>>)
        .set(set as never)
        .where(inArray(table.id, ids));
  }
}

export const custodyDispatched: Projector = async (tx, e) => {
  const d = e.data as unknown as DispatchInput & {
    transferId: string;
    dispatchedBy: string;
    manifest: string;
  };
  await tx.insert(t.transfers).values({
    id: d.transferId,
    fromSiteId: d.fromSiteId,
    toSiteId: d.toSiteId,
    manifest: d.manifest,
    seals: d.seals,
    vehicle: d.vehicle ?? null,
    countAtDispatch: d.countAtDispatch,
    dispatchedAt: d.dispatchedAt,
    dispatchedBy: d.dispatchedBy,
    dispatchSeq: e.seq,
    status: "in_transit",
  });
  await tx
    .insert(t.transferItems)
    .values(d.items.map((i) => ({ transferId: d.transferId, itemKind: i.kind, itemId: i.id })));
  await tx.insert(t.seals).values(d.seals.map((seal) => ({ seal, transferId: d.transferId })));
  await setItems(tx, d.items, {
    state: "in_transit",
    transferId: d.transferId,
    location: null,
    updatedSeq: e.seq,
  });
  await touch(tx, e.seq, [{ kind: "transfer", id: d.transferId }, ...d.items]);
};

type Discrepancy = { kind: string; item?: ItemRef; [k: string]: unknown };

export const custodyReceived: Projector = async (tx, e) => {
  const d = e.data as unknown as Omit<ReceiveInput, "keyPartsApart" | "keyPartsMissing"> & {
    toSiteId: string;
    receivedBy: string;
    discrepancies: Discrepancy[];
    // Absent from receipts recorded before key parts could be recorded at receipt.
    keyPartsApart?: KeyPartAtReceipt[];
    keyPartsMissing?: KeyPartAtReceipt[];
  };
  const manifest = (await tx
    .select({ kind: t.transferItems.itemKind, id: t.transferItems.itemId })
    .from(t.transferItems)
    .where(eq(t.transferItems.transferId, d.transferId))) as ItemRef[];
  await tx
    .update(t.transfers)
    .set({
      status: d.discrepancies.length > 0 ? "received_with_discrepancies" : "received",
      countAtReceipt: d.countAtReceipt,
      receivedAt: d.receivedAt,
      receivedBy: d.receivedBy,
      receiptSeq: e.seq,
    })
    .where(eq(t.transfers.id, d.transferId));
  await setItems(tx, d.items, {
    state: "in_custody",
    holderSiteId: d.toSiteId,
    location: d.location,
    transferId: null,
    custodySince: d.receivedAt,
    updatedSeq: e.seq,
  });
  const [transfer] = await tx
    .select({ fromSiteId: t.transfers.fromSiteId })
    .from(t.transfers)
    .where(eq(t.transfers.id, d.transferId));
  await keyPartsAtReceipt(tx, e.seq, { ...d, fromSiteId: transfer!.fromSiteId });
  // What did not arrive is lost until an investigation says otherwise; it stays flagged.
  const missing = d.discrepancies.filter((x) => x.kind === "missing_item" && x.item).map((x) => x.item!);
  await setItems(tx, missing, { state: "lost", transferId: null, flagged: true, updatedSeq: e.seq });
  // A broken seal or a wrong count casts doubt on the whole load: flag everything that arrived.
  if (
    d.discrepancies.some(
      (x) => x.kind === "broken_seal" || x.kind === "count_mismatch" || x.kind === "unexpected_item",
    )
  )
    await setItems(tx, d.items, { flagged: true });
  if (d.discrepancies.length > 0)
    await tx.insert(t.discrepancies).values(
      d.discrepancies.map((x, n) => ({
        id: `${e.seq}:${n}`,
        transferId: d.transferId,
        kind: x.kind,
        itemKind: x.item?.kind ?? null,
        itemId: x.item?.id ?? null,
        detail: x,
        status: "open",
        openedSeq: e.seq,
      })),
    );
  // Each missing item opens a loss investigation, with the discrepancy's id.
  const investigations = d.discrepancies.flatMap((x, n) =>
    x.kind === "missing_item" && x.item ? [{ id: `${e.seq}:${n}`, item: x.item }] : [],
  );
  if (investigations.length > 0)
    await tx.insert(t.lossInvestigations).values(
      investigations.map((i) => ({
        id: i.id,
        siteId: d.toSiteId,
        origin: "discrepancy",
        originId: i.id,
        reason: "missing_item",
        itemKind: i.item.kind,
        itemId: i.item.id,
        status: "open",
        openedAt: d.receivedAt,
        openedSeq: e.seq,
        updatedSeq: e.seq,
      })),
    );
  await touch(tx, e.seq, [
    { kind: "transfer", id: d.transferId },
    ...manifest,
    ...[...(d.keyPartsApart ?? []), ...(d.keyPartsMissing ?? [])].map((p) => ({
      kind: "key_part",
      id: p.partId,
    })),
    ...investigations.map((i) => ({ kind: "investigation", id: i.id })),
  ]);
};

type KeyPartAtReceipt = { weaponId: string; part: string; serial?: string; partId: string };

/**
 * Key parts recorded off the weapons of a load at its receipt, each a loose key part from then on,
 * collected (for scope) at its weapon's collection site. One found apart is held where the load
 * landed; one missing stays with the sender as holder (where it was last seen, on its weapon)
 * and is made lost and flagged with the other missing items, below.
 */
async function keyPartsAtReceipt(
  tx: Tx,
  seq: number,
  d: {
    fromSiteId: string;
    toSiteId: string;
    receivedAt: string;
    location: unknown;
    keyPartsApart?: KeyPartAtReceipt[];
    keyPartsMissing?: KeyPartAtReceipt[];
  },
) {
  const parts = [
    ...(d.keyPartsApart ?? []).map((p) => ({ p, found: true })),
    ...(d.keyPartsMissing ?? []).map((p) => ({ p, found: false })),
  ];
  if (parts.length === 0) return;
  const weapons = new Map(
    (
      await tx
        .select({ id: t.weaponItems.id, siteId: t.weaponItems.siteId })
        .from(t.weaponItems)
        .where(
          inArray(
            t.weaponItems.id,
            parts.map(({ p }) => p.weaponId),
          ),
        )
    ).map((w) => [w.id, w.siteId]),
  );
  await tx.insert(t.keyParts).values(
    parts.map(({ p, found }) => ({
      id: p.partId,
      weaponId: p.weaponId,
      part: p.part,
      serial: p.serial ?? null,
      separatedAt: d.receivedAt,
      separatedSeq: seq,
      siteId: weapons.get(p.weaponId) ?? d.toSiteId,
      state: found ? "in_custody" : "lost",
      holderSiteId: found ? d.toSiteId : d.fromSiteId,
      location: found ? d.location : null,
      custodySince: found ? d.receivedAt : null,
      updatedSeq: seq,
    })),
  );
  // A part's own serial meets the other parts' as a weapon's meets the weapons'.
  for (const [n, { p }] of parts.entries())
    if (p.serial) await raiseDuplicatePartSerial(tx, seq, `${seq}:p${n}`, p.partId);
}

export const dispositionDestroyed: Projector = async (tx, e) => {
  const d = e.data as unknown as DestructionInput & { batchId: string; independentWitnesses: number };
  await tx.insert(t.dispositions).values({
    id: d.batchId,
    kind: "destruction",
    siteId: d.siteId,
    method: d.method,
    at: d.destroyedAt,
    itemCount: d.items.length,
    independentWitnesses: d.independentWitnesses,
    seq: e.seq,
  });
  await setItems(tx, d.items, { state: "destroyed", location: null, updatedSeq: e.seq });
  await touch(tx, e.seq, [{ kind: "disposition", id: d.batchId }, ...d.items]);
};

/** A final disposition other than destruction: the batch row and the items' final state. */
async function finalDisposition(
  tx: Tx,
  seq: number,
  batch: { id: string; kind: string; siteId: string; method: string | null; at: string },
  items: readonly ItemRef[],
  state: "transferred" | "deactivated" | "retained",
) {
  await tx.insert(t.dispositions).values({ ...batch, itemCount: items.length, independentWitnesses: 0, seq });
  await setItems(tx, items, { state, location: null, updatedSeq: seq });
  await touch(tx, seq, [{ kind: "disposition", id: batch.id }, ...items]);
}

const refsOf = (items: readonly { kind: ItemRef["kind"]; id: string }[]): ItemRef[] =>
  items.map((i) => ({ kind: i.kind, id: i.id }));

export const dispositionTransferredToState: Projector = async (tx, e) => {
  const d = e.data as unknown as StateTransferInput & { batchId: string };
  const numbered = d.items.filter((i) => i.registrationNumber);
  if (numbered.length > 0)
    await tx.insert(t.registrationNumbers).values(
      numbered.map((i) => ({
        number: i.registrationNumber!,
        itemKind: i.kind,
        itemId: i.id,
        dispositionId: d.batchId,
      })),
    );
  await finalDisposition(
    tx,
    e.seq,
    { id: d.batchId, kind: "transfer_to_state", siteId: d.siteId, method: null, at: d.transferredAt },
    refsOf(d.items),
    "transferred",
  );
};

export const dispositionDeactivated: Projector = async (tx, e) => {
  const d = e.data as unknown as DeactivationInput & { batchId: string };
  await finalDisposition(
    tx,
    e.seq,
    { id: d.batchId, kind: "deactivation", siteId: d.siteId, method: d.standard, at: d.deactivatedAt },
    refsOf(d.items),
    "deactivated",
  );
};

export const dispositionRetained: Projector = async (tx, e) => {
  const d = e.data as unknown as RetentionInput & { batchId: string };
  await finalDisposition(
    tx,
    e.seq,
    { id: d.batchId, kind: "retention", siteId: d.siteId, method: d.purpose, at: d.retainedAt },
    refsOf(d.items),
    "retained",
  );
};
