import { assertSize } from "../merkle/sizes.ts";
import { TILE_HEIGHT, TILE_WIDTH, type TileId } from "./path.ts";

// Which tiles a tree of a given size has. Level L holds floor(size / 256^L) hashes: that many
// divided by 256 full tiles, and a partial tile of the remainder when it is not zero. Empty
// tiles do not exist.

/** Number of hashes on tile level `level` of a tree of `size`: floor(size / 256^level). */
export function hashesAtTileLevel(size: number, level: number): number {
  assertSize("size", size);
  return Math.floor(size / TILE_WIDTH ** level);
}

/** Every tile of a tree of `size`, full and partial, level 0 first, by index. */
export function tilesForSize(size: number): TileId[] {
  return newTilesOfHeight(TILE_HEIGHT, 0, size);
}

/** The partial tiles on the right edge of a tree of `size` (width 1..255), level 0 first. */
export function partialTilesForSize(size: number): TileId[] {
  assertSize("size", size);
  const tiles: TileId[] = [];
  for (let level = 0; hashesAtTileLevel(size, level) > 0; level++) {
    const count = hashesAtTileLevel(size, level);
    const width = count % TILE_WIDTH;
    if (width > 0) tiles.push({ level, index: (count - width) / TILE_WIDTH, width });
  }
  return tiles;
}

/**
 * The tiles to publish when the tree grows from `oldSize` to `newSize`: every full tile completed
 * in between and the new partial tiles (golang.org/x/mod/sumdb/tlog NewTiles, with height 8).
 * Full tiles are never rewritten; a partial tile of the same width as before is not repeated.
 */
export function newTilesForSize(oldSize: number, newSize: number): TileId[] {
  return newTilesOfHeight(TILE_HEIGHT, oldSize, newSize);
}

/**
 * `newTilesForSize` for tiles of any height h (2^h hashes each). Only height 8 is C2SP; the
 * parameter exists so golang/mod's test vectors (height 10) can be checked. Not re-exported.
 */
export function newTilesOfHeight(height: number, oldSize: number, newSize: number): TileId[] {
  assertSize("oldSize", oldSize);
  assertSize("newSize", newSize);
  if (oldSize > newSize) throw new RangeError(`oldSize ${oldSize} is above newSize ${newSize}`);
  const w = 2 ** height;
  const tiles: TileId[] = [];
  for (let level = 0; Math.floor(newSize / w ** level) > 0; level++) {
    const oldN = Math.floor(oldSize / w ** level);
    const newN = Math.floor(newSize / w ** level);
    if (oldN === newN) continue;
    for (let n = Math.floor(oldN / w); n < Math.floor(newN / w); n++)
      tiles.push({ level, index: n, width: w });
    const n = Math.floor(newN / w);
    const width = newN - n * w;
    if (width > 0) tiles.push({ level, index: n, width });
  }
  return tiles;
}
