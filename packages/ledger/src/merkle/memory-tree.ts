import { nodeHash } from "../tree-hash.ts";
import { consistencyProof, inclusionProof } from "./proofs.ts";
import { assertHash, assertSize } from "./sizes.ts";
import { type NodeHashReader, rootAtSize } from "./tree.ts";

/**
 * An in-memory Merkle tree over leaf hashes that keeps every perfect-subtree hash (about 2n
 * hashes for n leaves), so any root, inclusion proof or consistency proof of any earlier size is
 * cheap. Meant for tests, small logs and for checking other `NodeHashReader`s.
 */
export class MemoryTree {
  /** #levels[l][i] = hash of the perfect subtree (l, i). */
  #levels: Uint8Array[][] = [[]];

  /** Reads perfect-subtree hashes; pass it to `inclusionProof`, `consistencyProof`, `rootAtSize`. */
  readonly getNodeHash: NodeHashReader = (level, index) => this.nodeHash(level, index);

  constructor(leafHashes: Iterable<Uint8Array> = []) {
    for (const h of leafHashes) this.append(h);
  }

  get size(): number {
    return this.#levels[0]!.length;
  }

  append(leafHash: Uint8Array): void {
    assertHash("leaf hash", leafHash);
    this.#levels[0]!.push(leafHash);
    for (let level = 0; ; level++) {
      const row = this.#levels[level]!;
      if (row.length % 2 !== 0) break;
      const parent = nodeHash(row[row.length - 2]!, row[row.length - 1]!);
      if (this.#levels[level + 1] === undefined) this.#levels[level + 1] = [];
      this.#levels[level + 1]!.push(parent);
    }
  }

  leafHash(index: number): Uint8Array {
    return this.nodeHash(0, index);
  }

  /** Hash of the perfect subtree (level, index); throws if the tree does not contain it yet. */
  nodeHash(level: number, index: number): Uint8Array {
    assertSize("level", level);
    assertSize("index", index);
    const h = this.#levels[level]?.[index];
    if (h === undefined)
      throw new RangeError(`node (${level}, ${index}) is not in a tree of size ${this.size}`);
    return h;
  }

  root(size: number = this.size): Uint8Array {
    this.#checkSize(size);
    return rootAtSize(size, this.getNodeHash);
  }

  inclusionProof(index: number, size: number = this.size): Uint8Array[] {
    this.#checkSize(size);
    return inclusionProof(index, size, this.getNodeHash);
  }

  consistencyProof(oldSize: number, newSize: number = this.size): Uint8Array[] {
    this.#checkSize(newSize);
    return consistencyProof(oldSize, newSize, this.getNodeHash);
  }

  #checkSize(size: number): void {
    assertSize("size", size);
    if (size > this.size) throw new RangeError(`size ${size} is above the tree size ${this.size}`);
  }
}
