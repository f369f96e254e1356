import { nodeHash } from "../tree-hash.ts";
import { bytesEqual, isHash, isSize } from "./sizes.ts";

// Verification never throws: any malformed input (a size or index that is not a safe integer, a
// hash that is not 32 bytes, a proof of the wrong length) is simply a failed verification.

function allHashes(proof: readonly Uint8Array[]): boolean {
  return Array.isArray(proof) && proof.every(isHash);
}

/**
 * RFC 9162 §2.1.3.2: does `proof` show that the leaf with hash `leafHash` sits at `index` in the
 * tree of `size` whose root is `root`? Fails for index ≥ size (so for size 0), a proof that is
 * too short or too long, and any hash that is not 32 bytes.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(leafHash) || !isHash(root) || !isSize(index) || !isSize(size)) return false;
  if (index >= size || !allHashes(proof)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(r, root);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show that the tree of `newSize` with root `newRoot` extends the
 * tree of `oldSize` with root `oldRoot`? As in transparency-dev/merkle (since PR #236, 2026):
 * oldSize = 0 always fails (a proof from the empty tree is meaningless; a witness accepts its
 * first checkpoint without one), oldSize > newSize fails, equal sizes need an empty proof and
 * identical roots, otherwise the proof must be non-empty and exactly as long as the RFC's.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isSize(oldSize) || !isSize(newSize) || !isHash(oldRoot) || !isHash(newRoot)) return false;
  if (!allHashes(proof)) return false;
  if (oldSize === 0 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
  if (proof.length === 0) return false;

  let fn = oldSize - 1;
  let sn = newSize - 1;
  // A power-of-two old tree is a node of the new tree: its root starts the path.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = fr;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}

function isPowerOfTwo(n: number): boolean {
  let v = n;
  while (v > 1) {
    if (v % 2 !== 0) return false;
    v /= 2;
  }
  return v === 1;
}
