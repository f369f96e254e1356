import {
  consistencyProofPlan,
  inclusionProofPlan,
  type ProofPlan,
  type TileBlob,
  type TileId,
  TileReader,
  tilesForNodes,
} from "@armsledger/ledger";
import { and, eq, lt, or, sql } from "drizzle-orm";
import type { Db, Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";

const HASH = 32;
const key = (level: number, index: number) => `${level}/${index}`;

/** Reads the stored tiles these ids name, cut to each id's width; refuses ids wider than what is stored. */
export async function readTiles(db: Db | Tx, tiles: readonly TileId[]): Promise<Map<string, Uint8Array>> {
  const found = new Map<string, Uint8Array>();
  if (tiles.length === 0) return found;
  const rows = await db
    .select()
    .from(t.logTiles)
    .where(
      or(...tiles.map((tile) => and(eq(t.logTiles.level, tile.level), eq(t.logTiles.index, tile.index)))),
    );
  const byKey = new Map(rows.map((r) => [key(r.level, r.index), r]));
  for (const tile of tiles) {
    const row = byKey.get(key(tile.level, tile.index));
    if (!row || row.width < tile.width)
      throw new Error(`tile ${tile.level}/${tile.index} of width ${tile.width} is not stored`);
    found.set(key(tile.level, tile.index), row.data.subarray(0, tile.width * HASH));
  }
  return found;
}

export function fetcherOf(tiles: Map<string, Uint8Array>) {
  return (tile: TileId) => {
    const data = tiles.get(key(tile.level, tile.index));
    if (!data) throw new Error(`tile ${tile.level}/${tile.index} was not loaded`);
    return data.subarray(0, tile.width * HASH);
  };
}

/** Stores tiles that grew. A full tile is written once; the WHERE keeps it from ever being rewritten. */
export async function writeTiles(tx: Tx, blobs: readonly TileBlob[]): Promise<void> {
  for (const blob of blobs) {
    await tx
      .insert(t.logTiles)
      .values({ level: blob.tile.level, index: blob.tile.index, width: blob.tile.width, data: blob.data })
      .onConflictDoUpdate({
        target: [t.logTiles.level, t.logTiles.index],
        set: { width: blob.tile.width, data: blob.data },
        where: and(lt(t.logTiles.width, 256), lt(t.logTiles.width, sql`excluded.width`)),
      });
  }
}

/** The stored tile data behind `/log/tile/<L>/<N>[.p/<W>]`, or undefined when it does not exist (yet). */
export async function findTileData(db: Db, tile: TileId): Promise<Uint8Array | undefined> {
  const [row] = await db
    .select()
    .from(t.logTiles)
    .where(and(eq(t.logTiles.level, tile.level), eq(t.logTiles.index, tile.index)));
  if (!row || row.width < tile.width) return undefined;
  return row.data.subarray(0, tile.width * HASH);
}

async function runPlan(db: Db | Tx, size: number, plan: ProofPlan): Promise<Uint8Array[]> {
  const tiles = await readTiles(db, tilesForNodes(size, plan.nodes));
  const reader = new TileReader(size, fetcherOf(tiles));
  return plan.assemble(plan.nodes.map((n) => reader.nodeHash(n.level, n.index)));
}

export function inclusionProofFromTiles(db: Db | Tx, index: number, size: number): Promise<Uint8Array[]> {
  return runPlan(db, size, inclusionProofPlan(index, size));
}

export function consistencyProofFromTiles(
  db: Db | Tx,
  oldSize: number,
  newSize: number,
): Promise<Uint8Array[]> {
  return runPlan(db, newSize, consistencyProofPlan(oldSize, newSize));
}
