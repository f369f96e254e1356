import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  consistencyProofPlan,
  inclusionProofPlan,
  MemoryTree,
  MerkleFrontier,
  rootAtSize,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from "../../src/merkle/index.ts";
import { leafHash, nodeHash } from "../../src/tree-hash.ts";
import { consistencyShape, fakeLeafHashes, inclusionShape } from "./support.ts";

const MAX = 300;
const leaves = fakeLeafHashes(MAX);
const tree = new MemoryTree(leaves);

/** RFC 9162 §2.1.1 MTH by its definition, slicing arrays: the reference for everything else. */
function mth(d: readonly Uint8Array[]): Uint8Array {
  if (d.length === 1) return d[0]!;
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return nodeHash(mth(d.slice(0, k)), mth(d.slice(k)));
}

const flip = (h: Uint8Array, byte: number, bit: number): Uint8Array => {
  const c = h.slice();
  c[byte % c.length]! ^= 1 << bit;
  return c;
};

describe("tree roots", () => {
  it("rootFromLeafHashes, MemoryTree, rootAtSize and the frontier agree with MTH at every size", () => {
    const frontier = new MerkleFrontier();
    expect(frontier.root()).toEqual(rootFromLeafHashes([]));
    for (let n = 1; n <= MAX; n++) {
      frontier.append(leaves[n - 1]!);
      const want = mth(leaves.slice(0, n));
      expect(frontier.size).toBe(n);
      expect(frontier.root()).toEqual(want);
      expect(rootFromLeafHashes(leaves.slice(0, n))).toEqual(want);
      expect(tree.root(n)).toEqual(want);
      expect(rootAtSize(n, tree.getNodeHash)).toEqual(want);
    }
  });

  it("never duplicates odd nodes: a list and the list with its last leaf repeated differ", () => {
    for (let n = 1; n < 40; n++) {
      const a = leaves.slice(0, n);
      expect(rootFromLeafHashes(a)).not.toEqual(rootFromLeafHashes([...a, a[n - 1]!]));
    }
  });

  it("restores a frontier from its state and keeps appending", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), fc.integer({ min: 0, max: MAX }), (a, b) => {
        const [m, n] = a <= b ? [a, b] : [b, a];
        const f = new MerkleFrontier();
        for (let i = 0; i < m; i++) f.append(leaves[i]!);
        const g = MerkleFrontier.fromState(f.state());
        for (let i = m; i < n; i++) g.append(leaves[i]!);
        expect(g.root()).toEqual(tree.root(n));
        expect(f.clone().root()).toEqual(tree.root(m));
      }),
      { numRuns: 60 },
    );
    expect(() => MerkleFrontier.fromState({ size: 3, hashes: [leaves[0]!] })).toThrow(RangeError);
    expect(() => new MerkleFrontier().append(new Uint8Array(31))).toThrow(RangeError);
  });
});

describe("inclusion proofs (random trees of 1..300 leaves)", () => {
  const sizeAndIndex = fc
    .integer({ min: 1, max: MAX })
    .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })));

  it("every leaf of every size verifies", () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, 255, 256, 257, MAX]) {
      const root = tree.root(n);
      for (let i = 0; i < n; i++) {
        expect(verifyInclusion(leaves[i]!, i, n, tree.inclusionProof(i, n), root)).toBe(true);
      }
    }
    fc.assert(
      fc.property(sizeAndIndex, ([n, i]) => {
        expect(verifyInclusion(leaves[i]!, i, n, tree.inclusionProof(i, n), tree.root(n))).toBe(true);
        expect(tree.inclusionProof(i, n).length).toBe(inclusionShape(i, n)!.length);
      }),
    );
  });

  it("fails when a byte of the proof, the leaf or the root changes", () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.nat(), fc.nat(31), fc.nat(7), ([n, i], which, byte, bit) => {
        const proof = tree.inclusionProof(i, n);
        const root = tree.root(n);
        const leaf = leaves[i]!;
        if (proof.length > 0) {
          const k = which % proof.length;
          const bad = proof.map((h, j) => (j === k ? flip(h, byte, bit) : h));
          expect(verifyInclusion(leaf, i, n, bad, root)).toBe(false);
        }
        expect(verifyInclusion(flip(leaf, byte, bit), i, n, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, i, n, proof, flip(root, byte, bit))).toBe(false);
        expect(verifyInclusion(leaf, i, n, [...proof, root], root)).toBe(false);
        if (proof.length > 0) expect(verifyInclusion(leaf, i, n, proof.slice(1), root)).toBe(false);
      }),
    );
  });

  // RFC 9162 proofs do not commit to the index and size by themselves: another (index, size)
  // whose audit path has the same length and left/right pattern performs the very same hashing.
  // (A signed checkpoint binds size to root; the leaf's position binds the index.) So the exact
  // property is: a changed index or size verifies iff its RFC path has the same shape.
  it("fails for index ± 1 and size ± 1 unless the RFC path has the very same shape", () => {
    let rejected = 0;
    let total = 0;
    fc.assert(
      fc.property(sizeAndIndex, ([n, i]) => {
        const proof = tree.inclusionProof(i, n);
        const root = tree.root(n);
        for (const [j, m] of [
          [i - 1, n],
          [i + 1, n],
          [i, n - 1],
          [i, n + 1],
        ] as const) {
          const same = inclusionShape(j, m) !== null && inclusionShape(j, m) === inclusionShape(i, n);
          const ok = verifyInclusion(leaves[i]!, j, m, proof, root);
          expect(ok).toBe(same);
          total++;
          if (!ok) rejected++;
        }
      }),
      { numRuns: 300 },
    );
    // Changing the index is almost always caught; most size changes are.
    expect(rejected / total).toBeGreaterThan(0.5);
  });

  it("plans name at most 2⌈log2 n⌉ + 1 nodes and assemble the same proof", () => {
    fc.assert(
      fc.property(sizeAndIndex, ([n, i]) => {
        const plan = inclusionProofPlan(i, n);
        expect(plan.nodes.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)) + 1);
        expect(plan.assemble(plan.nodes.map((x) => tree.nodeHash(x.level, x.index)))).toEqual(
          tree.inclusionProof(i, n),
        );
        if (plan.nodes.length > 0) expect(() => plan.assemble([])).toThrow(RangeError);
      }),
      { numRuns: 50 },
    );
  });
});

describe("consistency proofs (random trees of 1..300 leaves)", () => {
  const sizes = fc
    .integer({ min: 1, max: MAX })
    .chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n)));

  it("every pair of sizes verifies", () => {
    for (let n = 1; n <= 70; n++) {
      for (let m = 1; m <= n; m++) {
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n), tree.consistencyProof(m, n))).toBe(true);
      }
    }
    fc.assert(
      fc.property(sizes, ([m, n]) => {
        const proof = tree.consistencyProof(m, n);
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n), proof)).toBe(true);
        const plan = consistencyProofPlan(m, n);
        expect(plan.assemble(plan.nodes.map((x) => tree.nodeHash(x.level, x.index)))).toEqual(proof);
      }),
    );
  });

  it("fails when a byte of the proof or of either root changes", () => {
    fc.assert(
      fc.property(sizes, fc.nat(), fc.nat(31), fc.nat(7), ([m, n], which, byte, bit) => {
        const proof = tree.consistencyProof(m, n);
        const r1 = tree.root(m);
        const r2 = tree.root(n);
        if (proof.length > 0) {
          const k = which % proof.length;
          const bad = proof.map((h, j) => (j === k ? flip(h, byte, bit) : h));
          expect(verifyConsistency(m, n, r1, r2, bad)).toBe(false);
          expect(verifyConsistency(m, n, r1, r2, proof.slice(0, -1))).toBe(false);
        }
        expect(verifyConsistency(m, n, flip(r1, byte, bit), r2, proof)).toBe(false);
        expect(verifyConsistency(m, n, r1, flip(r2, byte, bit), proof)).toBe(false);
        expect(verifyConsistency(m, n, r1, r2, [...proof, r2])).toBe(false);
        expect(verifyConsistency(m, n, r1, r2, [r1, ...proof])).toBe(false);
      }),
    );
  });

  it("fails for old size ± 1 and new size ± 1 unless the RFC proof has the very same shape", () => {
    fc.assert(
      fc.property(sizes, ([m, n]) => {
        const proof = tree.consistencyProof(m, n);
        const r1 = tree.root(m);
        const r2 = tree.root(n);
        for (const [a, b] of [
          [m - 1, n],
          [m + 1, n],
          [m, n - 1],
          [m, n + 1],
        ] as const) {
          const same = consistencyShape(a, b) !== null && consistencyShape(a, b) === consistencyShape(m, n);
          expect(verifyConsistency(a, b, r1, r2, proof), `${a}/${b} from ${m}/${n}`).toBe(same);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("does not let an interior node pass as a leaf (domain separation)", () => {
    const inner = nodeHash(leaves[0]!, leaves[1]!);
    // In the 4-leaf tree, node (1, 0) with proof [node (1, 1)] hashes to the root, but no leaf
    // index has a one-element path in a tree of 4.
    const proof = [nodeHash(leaves[2]!, leaves[3]!)];
    for (let i = 0; i < 4; i++) expect(verifyInclusion(inner, i, 4, proof, tree.root(4))).toBe(false);
    expect(verifyInclusion(inner, 0, 2, [], tree.root(2))).toBe(false);
    expect(leafHash(new Uint8Array([...leaves[0]!, ...leaves[1]!]))).not.toEqual(inner);
  });
});
