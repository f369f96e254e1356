import type { ItemRef, StoreRemovalInput, StoreReturnInput } from "@armsledger/core";
import { and, eq, sql } from "drizzle-orm";
import * as t from "../store/schema.ts";
import { setItems } from "./custody.ts";
import { type Projector, touch } from "./recorded-event.ts";

export const storeRemoved: Projector = async (tx, e) => {
  const d = e.data as unknown as StoreRemovalInput & { accessId: string; authorisedBy: string };
  await tx.insert(t.storeAccess).values({
    id: d.accessId,
    siteId: d.siteId,
    purpose: d.purpose,
    removedAt: d.removedAt,
    dueBack: d.dueBack ?? null,
    authorisedBy: d.authorisedBy,
    removedSeq: e.seq,
    status: "out",
    itemCount: d.items.length,
    returnedCount: 0,
  });
  await tx
    .insert(t.storeAccessItems)
    .values(d.items.map((i) => ({ accessId: d.accessId, itemKind: i.kind, itemId: i.id })));
  await setItems(tx, d.items, { state: "out_of_store", updatedSeq: e.seq });
  await touch(tx, e.seq, [{ kind: "store_access", id: d.accessId }, ...d.items]);
};

export const storeReturned: Projector = async (tx, e) => {
  const d = e.data as unknown as StoreReturnInput & { siteId: string };
  for (const i of d.items)
    await tx
      .update(t.storeAccessItems)
      .set({ returnedAt: d.returnedAt, returnSeq: e.seq })
      .where(
        and(
          eq(t.storeAccessItems.accessId, d.accessId),
          eq(t.storeAccessItems.itemKind, i.kind),
          eq(t.storeAccessItems.itemId, i.id),
        ),
      );
  await tx
    .update(t.storeAccess)
    .set({
      returnedCount: sql`${t.storeAccess.returnedCount} + ${d.items.length}`,
      status: sql`case when ${t.storeAccess.returnedCount} + ${d.items.length} >= ${t.storeAccess.itemCount} then 'returned' else 'partly_returned' end`,
      lastReturnedAt: d.returnedAt,
      lastReturnSeq: e.seq,
    })
    .where(eq(t.storeAccess.id, d.accessId));
  await setItems(tx, d.items as ItemRef[], {
    state: "in_custody",
    ...(d.location ? { location: d.location } : {}),
    custodySince: d.returnedAt,
    updatedSeq: e.seq,
  });
  await touch(tx, e.seq, [{ kind: "store_access", id: d.accessId }, ...d.items]);
};
