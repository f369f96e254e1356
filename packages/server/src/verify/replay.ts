import { and, asc, gt, lte } from "drizzle-orm";
import { applyEvent } from "../projections/apply.ts";
import { openStore, type Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

const BATCH = 1000;

/**
 * Rebuilds every projection from the ledger alone, in a fresh embedded database: the events'
 * public parts (the leaves) merged with their private parts, applied in order.
 */
export async function replayIntoFreshStore(live: Store, onProgress?: (done: number) => void): Promise<Store> {
  const fresh = await openStore({ dataDir: "memory" });
  await fresh.migrate();
  let after = -1;
  let done = 0;
  for (;;) {
    const events = await live.db
      .select()
      .from(t.events)
      .where(gt(t.events.seq, after))
      .orderBy(asc(t.events.seq))
      .limit(BATCH);
    if (events.length === 0) break;
    const last = events.at(-1)!.seq;
    const privates = await live.db
      .select()
      .from(t.eventPrivate)
      .where(and(gt(t.eventPrivate.seq, after), lte(t.eventPrivate.seq, last)));
    const privateBySeq = new Map(privates.map((p) => [p.seq, p.data]));
    await fresh.db.transaction(async (tx) => {
      for (const event of events) {
        const leaf = JSON.parse(event.entry) as { data: Record<string, unknown> };
        const personal = privateBySeq.get(event.seq);
        const data = { ...leaf.data, ...(personal ? (JSON.parse(personal) as Record<string, unknown>) : {}) };
        await applyEvent(tx, {
          seq: event.seq,
          type: event.type,
          recordedAt: event.recordedAt,
          actor: event.actor,
          data,
        });
      }
    });
    after = last;
    done += events.length;
    onProgress?.(done);
  }
  return fresh;
}
