import { leafHash, MemoryTree, verifyConsistency } from "@armsledger/ledger";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkConsistency, verifyConsistencyBig } from "../../src/witness/index.ts";

const tree = new MemoryTree();
for (let i = 0; i < 300; i++) tree.append(leafHash(new TextEncoder().encode(`leaf ${i}`)));

describe("bigint consistency verification", () => {
  it("agrees with the ledger's verifyConsistency on valid and corrupted proofs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: -1, max: 20 }),
        (a, b, corrupt) => {
          const [m, n] = a <= b ? [a, b] : [b, a];
          let proof = tree.consistencyProof(m, n);
          if (corrupt >= 0 && corrupt < proof.length) {
            proof = proof.map((h, i) => (i === corrupt ? h.map((x, j) => (j === 0 ? x ^ 1 : x)) : h));
          } else if (corrupt === proof.length && proof.length > 0) {
            proof = proof.slice(1);
          }
          const oldRoot = tree.root(m);
          const newRoot = tree.root(n);
          const expected = verifyConsistency(m, n, oldRoot, newRoot, proof);
          expect(verifyConsistencyBig(BigInt(m), BigInt(n), oldRoot, newRoot, proof)).toBe(expected);
          expect(checkConsistency(BigInt(m), BigInt(n), oldRoot, newRoot, proof)).toBe(expected);
          if (corrupt === -1) expect(expected).toBe(true);
          // Swapped sizes and roots never verify (unless equal).
          if (m !== n)
            expect(verifyConsistencyBig(BigInt(n), BigInt(m), newRoot, oldRoot, proof)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("rejects size 0 and sizes above 2^53 without a proof of the right length", () => {
    const root = tree.root(1);
    expect(verifyConsistencyBig(0n, 5n, root, root, [])).toBe(false);
    const big = 1n << 60n;
    expect(checkConsistency(big, big, root, root, [])).toBe(true);
    expect(checkConsistency(big, big + 1n, root, root, [])).toBe(false);
    expect(checkConsistency(big, big + 1n, root, root, [root])).toBe(false);
  });
});
