import { indexKeys, queryKeys } from "./blocking.ts";
import type { PreparedPerson } from "./person.ts";

// An in-process blocking index: key → people filed under it. The server builds it at start-up
// from its persons table (it survives restarts by being rebuilt; about 10 s per million people)
// and adds each registration. Pure data structure: no I/O, no clock.
//
// Memory: keys are hashed to 30-bit numbers (FNV-1a), so the index holds no strings; a collision
// only adds candidates, which scoring then rejects. A block with a single
// person (most of them) holds a bare number, not an array. About 200 bytes per person in all.

function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

// 30 bits, so that keys are small integers (V8 Smis) and the Map stays fast; at a million people
// (7 million keys) some thousands of blocks share a hash, which only adds candidates. The
// server's key table (duplicate-check.ts) stores the same hashes, as PostgreSQL integers.
export function hashKey(key: string): number {
  return fnv1a(key, 0x811c9dc5) & 0x3fffffff;
}

/**
 * How name keys become integers. Unkeyed (`hashKey`) in memory, where nothing is stored; the
 * server injects a keyed hash (HMAC under a key derived from its data key, truncated to the same
 * 30 bits), so the stored keys cannot be reversed by hashing a dictionary of names.
 */
export type KeyHash = (key: string) => number;

export interface CandidateIndexOptions {
  /**
   * Blocks larger than this are skipped at query time ("Mohammed | Ali | 1985" in a large
   * registry): the other, narrower keys of the same query still find a true duplicate, and
   * scoring thousands of namesakes would blow the latency budget. Default 2000.
   */
  maxBlock?: number;
  /** The key hash (default: unkeyed FNV-1a). */
  hash?: KeyHash;
}

export interface CandidateQuery {
  ids: string[];
  /** How many of the query's keys hit a block larger than maxBlock and were skipped. */
  skippedBlocks: number;
}

export class CandidateIndex {
  readonly #blocks = new Map<number, number | number[]>();
  readonly #ids: string[] = [];
  readonly #maxBlock: number;
  readonly #hash: KeyHash;

  constructor(options: CandidateIndexOptions = {}) {
    this.#maxBlock = options.maxBlock ?? 2000;
    this.#hash = options.hash ?? hashKey;
  }

  get size(): number {
    return this.#ids.length;
  }

  /** Files a person under all its keys. Ids are the caller's (person ids); add each once. */
  add(id: string, person: PreparedPerson): void {
    const n = this.#ids.push(id) - 1;
    for (const key of new Set(indexKeys(person).map(this.#hash))) {
      const block = this.#blocks.get(key);
      if (block === undefined) this.#blocks.set(key, n);
      else if (typeof block === "number") this.#blocks.set(key, [block, n]);
      else block.push(n);
    }
  }

  /** Everyone sharing at least one key with the person (the union of its blocks). */
  candidates(person: PreparedPerson): string[] {
    return this.query(person).ids;
  }

  query(person: PreparedPerson): CandidateQuery {
    const found = new Set<number>();
    let skippedBlocks = 0;
    for (const key of new Set(queryKeys(person).map(this.#hash))) {
      const block = this.#blocks.get(key);
      if (block === undefined) continue;
      if (typeof block === "number") found.add(block);
      else if (block.length > this.#maxBlock) skippedBlocks++;
      else for (const n of block) found.add(n);
    }
    return { ids: [...found].map((n) => this.#ids[n]!), skippedBlocks };
  }
}
