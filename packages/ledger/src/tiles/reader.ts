import { consistencyProof, inclusionProof } from "../merkle/proofs.ts";
import { assertSize } from "../merkle/sizes.ts";
import { type NodeHashReader, type NodeId, rangeRoot, rootAtSize } from "../merkle/tree.ts";
import { splitTileData, type TileFetcher } from "./hashes.ts";
import { TILE_HEIGHT, TILE_WIDTH, type TileId, tilePath } from "./path.ts";

/** Where node (level, index) of a tree of `size` is computed from: a run of hashes in one tile. */
export interface TileSlice {
  readonly tile: TileId;
  /** Position of the first hash in the tile. */
  readonly offset: number;
  /** Number of consecutive tile hashes (a power of two, ≤ 128) whose MTH is the node. */
  readonly count: number;
}

/**
 * The tile of a tree of `size` that holds node (level, index): the node is the root of
 * 2^(level mod 8) consecutive hashes of one tile at tile level ⌊level / 8⌋. The tile is full or,
 * on the right edge, the partial tile of that size. Throws if the tree does not contain the node.
 */
export function tileForNode(level: number, index: number, size: number): TileSlice {
  assertSize("level", level);
  assertSize("index", index);
  assertSize("size", size);
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const count = 2 ** (level - tileLevel * TILE_HEIGHT);
  const first = index * count;
  const available = Math.floor(size / TILE_WIDTH ** tileLevel);
  if (!Number.isSafeInteger(first + count) || first + count > available) {
    throw new RangeError(`node (${level}, ${index}) is not in a tree of size ${size}`);
  }
  const tileIndex = Math.floor(first / TILE_WIDTH);
  const width = Math.min(TILE_WIDTH, available - tileIndex * TILE_WIDTH);
  return {
    tile: { level: tileLevel, index: tileIndex, width },
    offset: first - tileIndex * TILE_WIDTH,
    count,
  };
}

/**
 * The distinct tiles needed to read `nodes` from a tree of `size`, e.g. the nodes of a
 * `ProofPlan`: fetch them (asynchronously, in parallel), then read with a `TileReader`.
 */
export function tilesForNodes(size: number, nodes: readonly NodeId[]): TileId[] {
  const tiles = new Map<string, TileId>();
  for (const n of nodes) {
    const { tile } = tileForNode(n.level, n.index, size);
    tiles.set(tilePath(tile), tile);
  }
  return [...tiles.values()];
}

/**
 * Computes any node hash, root or proof of a tree of `size` from its C2SP tiles, so a verifier
 * can prove things from a directory of exported tiles. Tiles are read once and cached.
 *
 * Tiles are not authenticated here: whatever this returns must be checked against a signed root
 * (`verifyInclusion`, `verifyConsistency`, or `root()` against the checkpoint). A tampered tile
 * then fails that check. A tile of the wrong length is rejected at once.
 */
export class TileReader {
  readonly #size: number;
  readonly #fetch: TileFetcher;
  readonly #cache = new Map<string, Uint8Array[]>();

  readonly getNodeHash: NodeHashReader = (level, index) => this.nodeHash(level, index);

  constructor(size: number, fetchTile: TileFetcher) {
    assertSize("size", size);
    this.#size = size;
    this.#fetch = fetchTile;
  }

  get size(): number {
    return this.#size;
  }

  nodeHash(level: number, index: number): Uint8Array {
    const { tile, offset, count } = tileForNode(level, index, this.#size);
    const hashes = this.#tile(tile);
    return count === 1 ? hashes[offset]! : rangeRoot(hashes, offset, offset + count);
  }

  leafHash(index: number): Uint8Array {
    return this.nodeHash(0, index);
  }

  root(size: number = this.#size): Uint8Array {
    this.#checkSize(size);
    return rootAtSize(size, this.getNodeHash);
  }

  inclusionProof(index: number, size: number = this.#size): Uint8Array[] {
    this.#checkSize(size);
    return inclusionProof(index, size, this.getNodeHash);
  }

  consistencyProof(oldSize: number, newSize: number = this.#size): Uint8Array[] {
    this.#checkSize(newSize);
    return consistencyProof(oldSize, newSize, this.getNodeHash);
  }

  #tile(tile: TileId): Uint8Array[] {
    const path = tilePath(tile);
    let hashes = this.#cache.get(path);
    if (hashes === undefined) {
      hashes = splitTileData(this.#fetch(tile, path), tile.width);
      this.#cache.set(path, hashes);
    }
    return hashes;
  }

  #checkSize(size: number): void {
    assertSize("size", size);
    if (size > this.#size) throw new RangeError(`size ${size} is above the reader's tree size ${this.#size}`);
  }
}
