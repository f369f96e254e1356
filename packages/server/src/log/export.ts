import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { entryBundlePath, tilePath } from "@armsledger/ledger";
import { asc } from "drizzle-orm";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { latestCosignedCheckpoint } from "./checkpointer.ts";
import { entryBundle } from "./entries.ts";

function write(dir: string, path: string, data: Uint8Array | string) {
  const file = join(dir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
}

/**
 * `armsledger export-log DIR`: the log as of its latest checkpoint, in the C2SP tlog-tiles layout
 * (DIR/checkpoint, DIR/tile/…, DIR/tile/entries/…), for verification with no server at all.
 */
export async function exportLog(
  store: Store,
  dir: string,
  onProgress?: (done: number, total: number) => void,
) {
  const latest = await latestCosignedCheckpoint(store.db);
  if (!latest)
    throw new Error(
      "the log has issued no checkpoint yet: start the server (or wait a second) and try again",
    );
  write(dir, "checkpoint", latest.note);
  const tiles = await store.db
    .select()
    .from(t.logTiles)
    .orderBy(asc(t.logTiles.level), asc(t.logTiles.index));
  for (const tile of tiles) write(dir, tilePath(tile), tile.data.subarray(0, tile.width * 32));
  const bundles = Math.ceil(latest.size / 256);
  for (let index = 0; index < bundles; index++) {
    const width = Math.min(256, latest.size - index * 256);
    write(dir, entryBundlePath({ index, width }), await entryBundle(store.db, index, width));
    onProgress?.(index + 1, bundles);
  }
  return { size: latest.size, tiles: tiles.length, bundles };
}
