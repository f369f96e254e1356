import { applyEvent } from "../projections/apply.ts";
import { recordedEventOf } from "../projections/recorded-event.ts";
import { openStore, type Store } from "../store/database.ts";
import { migratedTemplateMadeHere } from "../store/embedded-template.ts";
import { purgedStandIn } from "./purged-stand-ins.ts";
import { isPurgedPart, storedEventBatches } from "./stored-events.ts";

export interface Replay {
  store: Store;
  /** Events whose private part was purged: replayed from their public part (purged-stand-ins.ts). */
  purged: number;
}

/**
 * Rebuilds every projection from the ledger alone, in a fresh embedded database: the events'
 * public parts (the leaves) merged with their private parts, applied in order. A purged private
 * part is stood in for by what the live tables read (its personal values purged).
 */
export async function replayIntoFreshStore(
  live: Store,
  onProgress?: (done: number) => void,
): Promise<Replay> {
  // The fresh store shares the live store's keys: blind indexes and name keys come out the same.
  // Its empty schema is migrated once per process (a new PGlite's initdb and migrations cost
  // seconds; tests verify many times).
  const fresh = await openStore({
    dataDir: "memory",
    loadDataDir: await migratedTemplateMadeHere(),
    sharePersonal: live.personal,
  });
  await fresh.migrate();
  const keys = await live.personal.keys();
  let done = 0;
  let purged = 0;
  for await (const batch of storedEventBatches(live)) {
    await fresh.db.transaction(async (tx) => {
      for (const { event, personal } of batch) {
        // A private part that does not decrypt is named by the ledger check; its event cannot be
        // replayed, so the projections it wrote show as unexplained.
        if (personal?.unreadable) continue;
        if (isPurgedPart(personal)) {
          purged++;
          const publicPart = (JSON.parse(event.entry) as { data: Record<string, unknown> }).data;
          const standIn = JSON.stringify(await purgedStandIn(live, event.seq, event.type, publicPart));
          // An event whose projection needs more than the stand-in gives is left out: its rows
          // then show as differences, named, rather than stop the replay.
          try {
            await tx.transaction((savepoint) => applyEvent(savepoint, recordedEventOf(event, standIn), keys));
          } catch {
            // Named by the comparison.
          }
          continue;
        }
        await applyEvent(tx, recordedEventOf(event, personal?.data), keys);
      }
    });
    done += batch.length;
    onProgress?.(done);
  }
  return { store: fresh, purged };
}
