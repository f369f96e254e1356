import { assertHash, assertSize, HASH_SIZE } from "../merkle/sizes.ts";
import { foldRight, type NodeHashReader, rangeNodes, rangeRoot } from "../merkle/tree.ts";
import { emptyRoot } from "../tree-hash.ts";
import { TILE_HEIGHT, TILE_WIDTH, type TileId, tilePath } from "./path.ts";

function assertTile(tile: TileId): void {
  tilePath(tile); // validates level, index and width
}

/**
 * The hashes tile (level L, index N) holds: hash i is the perfect subtree at tree level 8L,
 * position 256N + i, i.e. MTH(D[(256N + i)·256^L : (256N + i + 1)·256^L]).
 */
export function tileHashes(tile: TileId, getNodeHash: NodeHashReader): Uint8Array[] {
  assertTile(tile);
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < tile.width; i++) {
    hashes.push(getNodeHash(TILE_HEIGHT * tile.level, tile.index * TILE_WIDTH + i));
  }
  return hashes;
}

/** Concatenates hashes into tile bytes (32 bytes each). */
export function joinHashes(hashes: readonly Uint8Array[]): Uint8Array {
  const data = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((h, i) => {
    assertHash("tile hash", h);
    data.set(h, i * HASH_SIZE);
  });
  return data;
}

/**
 * Splits tile bytes into hashes. Strict: the length must be a non-zero multiple of 32 and at
 * most 256 hashes, and equal to `width` hashes when `width` is given.
 */
export function splitTileData(data: Uint8Array, width?: number): Uint8Array[] {
  if (data.length === 0 || data.length % HASH_SIZE !== 0 || data.length > TILE_WIDTH * HASH_SIZE) {
    throw new RangeError(`tile data of ${data.length} bytes is not 1..256 hashes`);
  }
  const count = data.length / HASH_SIZE;
  if (width !== undefined && count !== width) {
    throw new RangeError(`tile data holds ${count} hashes, expected ${width}`);
  }
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < count; i++) hashes.push(data.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  return hashes;
}

/** The bytes of tile `tile`, read through a node-hash reader (e.g. `MemoryTree.getNodeHash`). */
export function tileData(tile: TileId, getNodeHash: NodeHashReader): Uint8Array {
  return joinHashes(tileHashes(tile, getNodeHash));
}

/** The bytes of tile `tile` computed straight from all level-0 leaf hashes. */
export function tileDataFromLeafHashes(tile: TileId, leafHashes: readonly Uint8Array[]): Uint8Array {
  assertTile(tile);
  const span = TILE_WIDTH ** tile.level;
  const first = tile.index * TILE_WIDTH;
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < tile.width; i++) {
    const lo = (first + i) * span;
    const hi = lo + span;
    if (hi > leafHashes.length) {
      throw new RangeError(`tile ${tilePath(tile)} needs ${hi} leaves, have ${leafHashes.length}`);
    }
    hashes.push(rangeRoot(leafHashes, lo, hi));
  }
  return joinHashes(hashes);
}

/** Returns the bytes of a tile (e.g. a file under `tile/…` of an exported log, or a fetch). */
export type TileFetcher = (tile: TileId, path: string) => Uint8Array;

/** A tile and its bytes, ready to be written at `path` under the log prefix. */
export interface TileBlob {
  readonly tile: TileId;
  readonly path: string;
  readonly data: Uint8Array;
}

function blob(level: number, index: number, hashes: readonly Uint8Array[]): TileBlob {
  const tile: TileId = { level, index, width: hashes.length };
  return { tile, path: tilePath(tile), data: joinHashes(hashes) };
}

/**
 * Builds C2SP tiles in one streaming pass over the leaf hashes, with memory for at most 255
 * pending hashes per level. `append` returns the full tiles each leaf completes (immutable: write
 * them once); `partialTiles` returns the right-edge partial tiles of the current size; `root`
 * returns the RFC 9162 root. `resume` restarts from a size and its stored partial tiles.
 */
export class TileBuilder {
  #size = 0;
  /** #pending[L] = hashes of the partial level-L tile (fewer than 256). */
  #pending: Uint8Array[][] = [[]];

  /**
   * Resumes at `size` from its partial tiles (the only state the builder needs); `readTile` is
   * called for each tile of `partialTilesForSize(size)`.
   */
  static resume(size: number, readTile: TileFetcher): TileBuilder {
    assertSize("size", size);
    const b = new TileBuilder();
    b.#size = size;
    b.#pending = [];
    for (let level = 0; ; level++) {
      const count = Math.floor(size / TILE_WIDTH ** level);
      const width = count % TILE_WIDTH;
      const tile: TileId = { level, index: (count - width) / TILE_WIDTH, width };
      b.#pending.push(width === 0 ? [] : splitTileData(readTile(tile, tilePath(tile)), width));
      if (count < TILE_WIDTH) break; // no level above holds a hash
    }
    return b;
  }

  get size(): number {
    return this.#size;
  }

  append(leafHash: Uint8Array): TileBlob[] {
    assertHash("leaf hash", leafHash);
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError("tree size limit reached");
    const done: TileBlob[] = [];
    let h = leafHash;
    for (let level = 0; ; level++) {
      if (this.#pending[level] === undefined) this.#pending[level] = [];
      const row = this.#pending[level]!;
      row.push(h);
      if (row.length < TILE_WIDTH) break;
      // Level-L tile index = (number of completed level-L hashes − 256) / 256.
      const completed = Math.floor((this.#size + 1) / TILE_WIDTH ** level);
      done.push(blob(level, completed / TILE_WIDTH - 1, row));
      h = rangeRoot(row, 0, TILE_WIDTH);
      this.#pending[level] = [];
    }
    this.#size++;
    return done;
  }

  /** The partial tiles of the current size, level 0 first (none when every level is full). */
  partialTiles(): TileBlob[] {
    const tiles: TileBlob[] = [];
    this.#pending.forEach((row, level) => {
      if (row.length === 0) return;
      const count = Math.floor(this.#size / TILE_WIDTH ** level);
      tiles.push(blob(level, (count - row.length) / TILE_WIDTH, row));
    });
    return tiles;
  }

  /** RFC 9162 root of the current tree, from the pending hashes alone. */
  root(): Uint8Array {
    if (this.#size === 0) return emptyRoot();
    // Highest level first: pending hashes cover [0, size) left to right; each run of them is
    // split into perfect subtrees exactly as the size's binary decomposition.
    const perfect: Uint8Array[] = [];
    for (let level = this.#pending.length - 1; level >= 0; level--) {
      const row = this.#pending[level]!;
      for (const node of rangeNodes(0, row.length)) {
        const span = 2 ** node.level;
        perfect.push(rangeRoot(row, node.index * span, (node.index + 1) * span));
      }
    }
    return foldRight(perfect);
  }
}
