import { and, asc, gt, lte } from "drizzle-orm";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

export type StoredEvent = typeof t.events.$inferSelect;
export type StoredPersonal = typeof t.eventPrivate.$inferSelect;

/** Every stored event in leaf order, in batches, each with its personal part when it has one. */
export async function* storedEventBatches(
  store: Store,
  batch = 1000,
): AsyncGenerator<{ event: StoredEvent; personal?: StoredPersonal | undefined }[]> {
  let after = -1;
  for (;;) {
    const events = await store.db
      .select()
      .from(t.events)
      .where(gt(t.events.seq, after))
      .orderBy(asc(t.events.seq))
      .limit(batch);
    if (events.length === 0) return;
    const last = events.at(-1)!.seq;
    const personal = await store.db
      .select()
      .from(t.eventPrivate)
      .where(and(gt(t.eventPrivate.seq, after), lte(t.eventPrivate.seq, last)));
    const bySeq = new Map(personal.map((p) => [p.seq, p]));
    yield events.map((event) => ({ event, personal: bySeq.get(event.seq) }));
    after = last;
  }
}
