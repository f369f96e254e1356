import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatCheckpoint,
  formatTlogProof,
  generateKey,
  leafHash,
  MemoryTree,
  parseSignerKey,
  parseTlogProof,
  parseVerifierKey,
  signNote,
  verifyTlogProof,
} from "../../src/index.ts";

const origin = "example.org/log";
const keys = generateKey(origin, new Uint8Array(randomBytes(32)));
const signer = parseSignerKey(keys.signerKey);
const verifier = parseVerifierKey(keys.verifierKey);

function logOf(n: number) {
  const entries = Array.from({ length: n }, (_, i) => new TextEncoder().encode(`entry ${i}`));
  const tree = new MemoryTree(entries.map(leafHash));
  const checkpoint = new TextDecoder().decode(
    signNote(formatCheckpoint({ origin, size: n, rootHash: tree.root() }), [signer]),
  );
  return { entries, tree, checkpoint };
}

describe("C2SP tlog-proof", () => {
  it("round-trips and verifies every entry of random logs, and fails for any other entry", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.nat(), (n, k) => {
        const { entries, tree, checkpoint } = logOf(n);
        const index = k % n;
        const text = formatTlogProof({ index, proof: tree.inclusionProof(index), checkpoint });
        expect(parseTlogProof(text).index).toBe(index);
        expect(verifyTlogProof(text, leafHash(entries[index]!), origin, verifier).index).toBe(index);
        if (n > 1)
          expect(() =>
            verifyTlogProof(text, leafHash(entries[(index + 1) % n]!), origin, verifier),
          ).toThrow();
      }),
      { numRuns: 60 },
    );
  });

  it("parses strictly", () => {
    const { tree, checkpoint } = logOf(5);
    const good = formatTlogProof({ index: 2, proof: tree.inclusionProof(2), checkpoint });
    expect(() => parseTlogProof(good.replace("index 2", "index 02"))).toThrow(/index/);
    expect(() => parseTlogProof(good.replace("c2sp.org/tlog-proof@v1", "tlog-proof"))).toThrow(/starts with/);
    expect(() => parseTlogProof(good.replace("\n\n", "\n"))).toThrow();
    const withExtra = formatTlogProof({
      extra: new Uint8Array([1, 2, 3]),
      index: 2,
      proof: tree.inclusionProof(2),
      checkpoint,
    });
    expect(parseTlogProof(withExtra).extra).toEqual(new Uint8Array([1, 2, 3]));
  });
});
