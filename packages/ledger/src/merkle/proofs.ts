import { assertHash, assertSize, splitPoint } from "./sizes.ts";
import { foldRight, type NodeHashReader, type NodeId, rangeNodes } from "./tree.ts";

/**
 * What a proof needs, before any hash is read: the perfect-subtree `nodes` to fetch (in one
 * batch, from a database, tiles or memory, synchronously or not), and `assemble`, which turns
 * their hashes (in the same order) into the proof. Each proof element is one node, or the MTH of
 * a run of nodes where the element is a ragged right-edge subtree.
 */
export interface ProofPlan {
  readonly nodes: readonly NodeId[];
  assemble(hashes: readonly Uint8Array[]): Uint8Array[];
}

function planFromRanges(ranges: readonly (readonly [number, number])[]): ProofPlan {
  const nodes: NodeId[] = [];
  const counts: number[] = [];
  for (const [lo, hi] of ranges) {
    const part = rangeNodes(lo, hi);
    nodes.push(...part);
    counts.push(part.length);
  }
  return {
    nodes,
    assemble(hashes: readonly Uint8Array[]): Uint8Array[] {
      if (hashes.length !== nodes.length) {
        throw new RangeError(`proof plan needs ${nodes.length} hashes, got ${hashes.length}`);
      }
      for (const h of hashes) assertHash("node hash", h);
      const proof: Uint8Array[] = [];
      let at = 0;
      for (const count of counts) {
        proof.push(foldRight(hashes.slice(at, at + count)));
        at += count;
      }
      return proof;
    },
  };
}

/**
 * RFC 9162 §2.1.3.1 PATH(index, D[0:size]): the plan of an inclusion proof, leaf level first.
 * Requires 0 ≤ index < size; throws a RangeError otherwise.
 */
export function inclusionProofPlan(index: number, size: number): ProofPlan {
  assertSize("index", index);
  assertSize("size", size);
  if (index >= size) throw new RangeError(`index ${index} is not below size ${size}`);
  const siblings: [number, number][] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      siblings.push([lo + k, hi]);
      hi = lo + k;
    } else {
      siblings.push([lo, lo + k]);
      lo += k;
    }
  }
  return planFromRanges(siblings.reverse());
}

/**
 * RFC 9162 §2.1.4.1 PROOF(oldSize, D[0:newSize]): the plan of a consistency proof. Requires
 * 0 < oldSize ≤ newSize (equal sizes give the empty proof); throws a RangeError otherwise, as
 * transparency-dev/merkle does: a proof from the empty tree is meaningless.
 */
export function consistencyProofPlan(oldSize: number, newSize: number): ProofPlan {
  assertSize("oldSize", oldSize);
  assertSize("newSize", newSize);
  if (oldSize === 0) throw new RangeError("a consistency proof from the empty tree is meaningless");
  if (oldSize > newSize) throw new RangeError(`oldSize ${oldSize} is above newSize ${newSize}`);
  const parts: [number, number][] = [];
  let lo = 0;
  let hi = newSize;
  // SUBPROOF(m, D[lo:hi], b) with b ⇔ lo = 0: walking down the left edge, the old tree's own
  // subtree is known to the verifier and is left out.
  while (oldSize !== hi) {
    const k = splitPoint(hi - lo);
    if (oldSize <= lo + k) {
      parts.push([lo + k, hi]);
      hi = lo + k;
    } else {
      parts.push([lo, lo + k]);
      lo += k;
    }
  }
  if (lo !== 0) parts.push([lo, hi]);
  return planFromRanges(parts.reverse());
}

/** The inclusion proof for leaf `index` in the tree of `size`, read through `getNodeHash`. */
export function inclusionProof(index: number, size: number, getNodeHash: NodeHashReader): Uint8Array[] {
  const plan = inclusionProofPlan(index, size);
  return plan.assemble(plan.nodes.map((n) => getNodeHash(n.level, n.index)));
}

/** The consistency proof from `oldSize` to `newSize`, read through `getNodeHash`. */
export function consistencyProof(
  oldSize: number,
  newSize: number,
  getNodeHash: NodeHashReader,
): Uint8Array[] {
  const plan = consistencyProofPlan(oldSize, newSize);
  return plan.assemble(plan.nodes.map((n) => getNodeHash(n.level, n.index)));
}
