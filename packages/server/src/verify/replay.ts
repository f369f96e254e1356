import { applyEvent } from "../projections/apply.ts";
import { recordedEventOf } from "../projections/recorded-event.ts";
import { openStore, type Store } from "../store/database.ts";
import { storedEventBatches } from "./stored-events.ts";

/**
 * Rebuilds every projection from the ledger alone, in a fresh embedded database: the events'
 * public parts (the leaves) merged with their private parts, applied in order.
 */
export async function replayIntoFreshStore(live: Store, onProgress?: (done: number) => void): Promise<Store> {
  // The fresh store shares the live store's keys: blind indexes and name keys come out the same.
  const fresh = await openStore({ dataDir: "memory", sharePersonal: live.personal });
  await fresh.migrate();
  const keys = await live.personal.keys();
  let done = 0;
  for await (const batch of storedEventBatches(live)) {
    await fresh.db.transaction(async (tx) => {
      for (const { event, personal } of batch) {
        // A private part that does not decrypt is named by the ledger check; its event cannot be
        // replayed, so the projections it wrote show as unexplained.
        if (personal?.unreadable) continue;
        await applyEvent(tx, recordedEventOf(event, personal?.data), keys);
      }
    });
    done += batch.length;
    onProgress?.(done);
  }
  return fresh;
}
