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

/**
 * Which of the people in a registration's blocks are scored. A person filed under two or more of
 * the registration's keys always is (a duplicate with one or two errors keeps several keys: the
 * keys of blocking.ts each survive a different error), and so is anyone in a block of at most
 * SMALL_BLOCK people, or registered in the registration's governorate. Who shares a single key,
 * and that key a large block ("Mohammed | Ali | 1985": hundreds of namesakes), in another
 * governorate, is set aside unscored: such a candidate agrees on little more than a common given
 * and father's name and a year, and against hundreds of rivals it needs more evidence than a
 * record has left. At a million people this scores 70 candidates a check instead of 152 (p99 296
 * instead of 1,221) with the same pairs completeness and F1 (BENCHMARKS.md, issue 5). The prior
 * still counts the people set aside (scoreCandidates' `setAside`): the weights are unchanged.
 */
export const SMALL_BLOCK = 30;

export function keepCandidate(
  hits: number,
  smallestBlock: number,
  sameGovernorate: boolean,
  smallBlock = SMALL_BLOCK,
): boolean {
  return hits >= 2 || smallestBlock <= smallBlock || sameGovernorate;
}

export interface CandidateIndexOptions {
  /**
   * Blocks larger than this are skipped at query time ("Mohammed | Ali | 1985" in a large
   * registry): the other, narrower keys of the same query still find a true duplicate, and
   * scoring thousands of namesakes would blow the latency budget. Default 2000.
   */
  maxBlock?: number;
  /** The key hash (default: unkeyed FNV-1a). */
  hash?: KeyHash;
  /** See keepCandidate (default SMALL_BLOCK; Infinity scores everyone in the blocks). */
  smallBlock?: number;
}

export interface CandidateQuery {
  ids: string[];
  /** How many of the query's keys hit a block larger than maxBlock and were skipped. */
  skippedBlocks: number;
  /** People in the usable blocks left out by keepCandidate (scoreCandidates' prior counts them). */
  setAside: number;
  /** Per id (same order): the size of the smallest of the registration's blocks it is in. */
  smallest: number[];
}

export class CandidateIndex {
  readonly #blocks = new Map<number, number | number[]>();
  readonly #ids: string[] = [];
  readonly #governorates: (string | undefined)[] = [];
  readonly #maxBlock: number;
  readonly #hash: KeyHash;
  readonly #smallBlock: number;

  constructor(options: CandidateIndexOptions = {}) {
    this.#maxBlock = options.maxBlock ?? 2000;
    this.#hash = options.hash ?? hashKey;
    this.#smallBlock = options.smallBlock ?? SMALL_BLOCK;
  }

  get size(): number {
    return this.#ids.length;
  }

  /** Files a person under all its keys. Ids are the caller's (person ids); add each once. */
  add(id: string, person: PreparedPerson): void {
    const n = this.#ids.push(id) - 1;
    this.#governorates.push(person.governorate);
    for (const key of new Set(indexKeys(person).map(this.#hash))) {
      const block = this.#blocks.get(key);
      if (block === undefined) this.#blocks.set(key, n);
      else if (typeof block === "number") this.#blocks.set(key, [block, n]);
      else block.push(n);
    }
  }

  /** The people worth scoring: those sharing keys with the person, as keepCandidate selects them. */
  candidates(person: PreparedPerson): string[] {
    return this.query(person).ids;
  }

  query(person: PreparedPerson): CandidateQuery {
    // Person → [keys hit, smallest block among them].
    const found = new Map<number, [number, number]>();
    const hit = (n: number, size: number) => {
      const seen = found.get(n);
      if (seen === undefined) found.set(n, [1, size]);
      else {
        seen[0]++;
        seen[1] = Math.min(seen[1], size);
      }
    };
    let skippedBlocks = 0;
    for (const key of new Set(queryKeys(person).map(this.#hash))) {
      const block = this.#blocks.get(key);
      if (block === undefined) continue;
      if (typeof block === "number") hit(block, 1);
      else if (block.length > this.#maxBlock) skippedBlocks++;
      else for (const n of block) hit(n, block.length);
    }
    const sameGovernorate = (n: number) =>
      person.governorate !== undefined && this.#governorates[n] === person.governorate;
    const ids: string[] = [];
    const smallestOf: number[] = [];
    for (const [n, [hits, smallest]] of found)
      if (keepCandidate(hits, smallest, sameGovernorate(n), this.#smallBlock)) {
        ids.push(this.#ids[n]!);
        smallestOf.push(smallest);
      }
    return { ids, skippedBlocks, setAside: found.size - ids.length, smallest: smallestOf };
  }
}
