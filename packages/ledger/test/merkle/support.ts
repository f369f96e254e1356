import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeHash } from "../../src/tree-hash.ts";

export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, path), "utf8")) as T;
}

/** Every JSON file under a fixtures folder, as [path relative to the folder, parsed value]. */
export function readJsonTree<T>(folder: string): [string, T][] {
  const root = join(FIXTURES, folder);
  const files = readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".json"))
    .sort();
  return files.map((f) => [
    relative(root, join(root, f)),
    JSON.parse(readFileSync(join(root, f), "utf8")) as T,
  ]);
}

export const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "base64"));
export const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "hex"));
export const toB64 = (b: Uint8Array): string => Buffer.from(b).toString("base64");

/** Leaf hash i of a deterministic test log: 32 pseudo-random bytes (no hashing needed). */
export function fakeLeafHash(i: number, salt = 0): Uint8Array {
  const h = new Uint8Array(32);
  let x = (i * 2654435761 + salt * 40503 + 12345) >>> 0;
  for (let k = 0; k < 32; k++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    h[k] = x & 0xff;
  }
  return h;
}

export function fakeLeafHashes(n: number, salt = 0): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => fakeLeafHash(i, salt));
}

/**
 * A tree of any size (up to 2^53 − 1) whose leaves are all equal: every perfect subtree of a
 * level has the same hash, so node hashes, roots and proofs of astronomically large trees are
 * cheap, and the index arithmetic can be tested near 2^53.
 */
export function uniformTree(leaf: Uint8Array): (level: number, index: number) => Uint8Array {
  const byLevel: Uint8Array[] = [leaf];
  return (level) => {
    while (byLevel.length <= level) {
      const below = byLevel[byLevel.length - 1]!;
      byLevel.push(nodeHash(below, below));
    }
    return byLevel[level]!;
  };
}

/** RFC 9162 PATH(index, D[0:size]) as left/right flags, bottom-up: true = sibling on the left. */
export function inclusionShape(index: number, size: number): string | null {
  if (!(index >= 0 && index < size)) return null;
  const dirs: string[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    let k = 1;
    while (k * 2 < hi - lo) k *= 2;
    if (index < lo + k) {
      dirs.push("R");
      hi = lo + k;
    } else {
      dirs.push("L");
      lo += k;
    }
  }
  return dirs.reverse().join("");
}

/**
 * RFC 9162 SUBPROOF(m, D[0:n], true) as a shape: whether the old root seeds the walk (m a node
 * on the left edge) or the first proof hash does, then left/right flags bottom-up.
 */
export function consistencyShape(m: number, n: number): string | null {
  if (!(m > 0 && m <= n)) return null;
  if (m === n) return "=";
  const dirs: string[] = [];
  let lo = 0;
  let hi = n;
  while (m !== hi) {
    let k = 1;
    while (k * 2 < hi - lo) k *= 2;
    if (m <= lo + k) {
      dirs.push("R");
      hi = lo + k;
    } else {
      dirs.push("L");
      lo += k;
    }
  }
  return `${lo === 0 ? "root" : "proof"}:${dirs.reverse().join("")}`;
}
