import { applyEvent } from "../projections/apply.ts";
import { recordedEventOf } from "../projections/recorded-event.ts";
import { openStore, type Store } from "../store/database.ts";
import { storedEventBatches } from "./stored-events.ts";

/**
 * Rebuilds every projection from the ledger alone, in a fresh embedded database: the events'
 * public parts (the leaves) merged with their private parts, applied in order.
 */
export async function replayIntoFreshStore(live: Store, onProgress?: (done: number) => void): Promise<Store> {
  const fresh = await openStore({ dataDir: "memory" });
  await fresh.migrate();
  let done = 0;
  for await (const batch of storedEventBatches(live)) {
    await fresh.db.transaction(async (tx) => {
      for (const { event, personal } of batch) await applyEvent(tx, recordedEventOf(event, personal?.data));
    });
    done += batch.length;
    onProgress?.(done);
  }
  return fresh;
}
