import { emptyRoot, nodeHash } from "../tree-hash.ts";
import { assertHash, assertSize } from "./sizes.ts";
import { foldRight } from "./tree.ts";

/** Serializable state of a `MerkleFrontier`: the size and one hash per set bit of the size. */
export interface FrontierState {
  readonly size: number;
  /** Roots of the perfect subtrees covering [0, size), largest (leftmost) first. */
  readonly hashes: readonly Uint8Array[];
}

function popcount(n: number): number {
  let count = 0;
  let v = n;
  while (v > 0) {
    if (v % 2 === 1) count++;
    v = Math.floor(v / 2);
  }
  return count;
}

/**
 * The compact Merkle frontier (a "compact range" [0, size)): one hash per set bit of the tree
 * size. Appending a leaf hash costs one leaf plus, amortised, one node hash; `root()` costs at
 * most log2(size) node hashes. Memory is O(log size), so a server or verifier can rebuild the
 * root of a log with 10^7 entries in one streaming pass.
 */
export class MerkleFrontier {
  #size = 0;
  #hashes: Uint8Array[] = [];

  /** Restores a frontier saved with `state()`. Throws if the hash count does not fit the size. */
  static fromState(state: FrontierState): MerkleFrontier {
    assertSize("size", state.size);
    if (state.hashes.length !== popcount(state.size)) {
      throw new RangeError(`a frontier of size ${state.size} holds ${popcount(state.size)} hashes`);
    }
    for (const h of state.hashes) assertHash("frontier hash", h);
    const f = new MerkleFrontier();
    f.#size = state.size;
    f.#hashes = state.hashes.map((h) => h.slice());
    return f;
  }

  get size(): number {
    return this.#size;
  }

  state(): FrontierState {
    return { size: this.#size, hashes: this.#hashes.map((h) => h.slice()) };
  }

  append(leafHash: Uint8Array): void {
    assertHash("leaf hash", leafHash);
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError("tree size limit reached");
    let h = leafHash;
    let n = this.#size;
    // Every trailing 1 bit of the old size is a perfect subtree the new leaf completes.
    while (n % 2 === 1) {
      h = nodeHash(this.#hashes.pop()!, h);
      n = (n - 1) / 2;
    }
    this.#hashes.push(h);
    this.#size++;
  }

  /** The RFC 9162 root of the tree of the current size (SHA-256("") when empty). */
  root(): Uint8Array {
    if (this.#size === 0) return emptyRoot();
    return foldRight(this.#hashes);
  }

  clone(): MerkleFrontier {
    return MerkleFrontier.fromState(this.state());
  }
}
