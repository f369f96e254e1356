import { emptyRoot, nodeHash } from "../tree-hash.ts";
import { assertSize, HASH_SIZE, largestPow2AtMost, log2Exact, splitPoint } from "./sizes.ts";

/**
 * Address of a perfect subtree: the node at `level` (0 = leaves) with position `index` on that
 * level covers leaves [index·2^level, (index+1)·2^level). Only perfect subtrees have node ids;
 * the ragged right edge of a tree is always computed from them.
 */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/**
 * Returns the hash of the perfect subtree at (level, index). Level 0 is the leaf hash. A server
 * answers from its stored leaf hashes or tiles; `MemoryTree` and `TileReader` implement it.
 */
export type NodeHashReader = (level: number, index: number) => Uint8Array;

/**
 * RFC 9162 §2.1.1 MTH over leaf hashes: the empty tree hashes to SHA-256(""), one leaf is its own
 * hash, otherwise split at the largest power of two below n and hash the two halves. No
 * duplication or padding of odd nodes.
 */
export function rootFromLeafHashes(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return emptyRoot();
  return rangeRoot(leafHashes, 0, leafHashes.length);
}

/** MTH(D[lo:hi]) over an array of leaf hashes (lo < hi), without copying the array. */
export function rangeRoot(leafHashes: readonly Uint8Array[], lo: number, hi: number): Uint8Array {
  const n = hi - lo;
  if (n === 1) {
    const h = leafHashes[lo];
    if (h === undefined || h.length !== HASH_SIZE) throw new RangeError(`leaf hash ${lo} must be 32 bytes`);
    return h;
  }
  const k = splitPoint(n);
  return nodeHash(rangeRoot(leafHashes, lo, lo + k), rangeRoot(leafHashes, lo + k, hi));
}

/**
 * The perfect subtrees that make up [lo, hi), largest first, where [lo, hi) is a subtree of the
 * RFC 9162 tree (lo a multiple of the smallest power of two ≥ hi − lo), as in every range that
 * proofs and roots need. MTH(D[lo:hi]) is `foldRight` of their hashes.
 */
export function rangeNodes(lo: number, hi: number): NodeId[] {
  const nodes: NodeId[] = [];
  let at = lo;
  while (at < hi) {
    const k = largestPow2AtMost(hi - at);
    if (at % k !== 0) throw new Error("rangeNodes: unaligned range");
    const level = log2Exact(k);
    nodes.push({ level, index: at / k });
    at += k;
  }
  return nodes;
}

/** Combines the hashes of consecutive perfect subtrees (largest first) into the range's MTH. */
export function foldRight(hashes: readonly Uint8Array[]): Uint8Array {
  let h = hashes[hashes.length - 1];
  if (h === undefined) throw new RangeError("foldRight: no hashes");
  for (let i = hashes.length - 2; i >= 0; i--) h = nodeHash(hashes[i]!, h);
  return h;
}

/** MTH of the first `size` leaves, from perfect-subtree hashes (at most ⌈log2 size⌉ + 1 reads). */
export function rootAtSize(size: number, getNodeHash: NodeHashReader): Uint8Array {
  assertSize("size", size);
  if (size === 0) return emptyRoot();
  return foldRight(rangeNodes(0, size).map((n) => getNodeHash(n.level, n.index)));
}
