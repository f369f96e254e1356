// Tree sizes, leaf indices and node indices are plain `number`s. RFC 9162 allows 64-bit sizes;
// this library accepts any safe integer (0 ≤ n ≤ 2^53 − 1 = Number.MAX_SAFE_INTEGER), which is
// far beyond what one ledger will ever hold, and does all index arithmetic with exact division
// rather than 32-bit bitwise operators. Anything that is not a safe non-negative integer is
// refused: generators throw a RangeError, verifiers return false.

/** Size in bytes of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

export function isSize(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
}

export function assertSize(name: string, n: number): void {
  if (!isSize(n)) throw new RangeError(`${name} must be an integer in [0, 2^53 - 1], got ${String(n)}`);
}

export function isHash(h: unknown): h is Uint8Array {
  return h instanceof Uint8Array && h.length === HASH_SIZE;
}

export function assertHash(name: string, h: Uint8Array): void {
  if (!isHash(h)) throw new RangeError(`${name} must be a ${HASH_SIZE}-byte hash`);
}

/** The largest power of two strictly below n (n ≥ 2): the RFC 9162 split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The largest power of two at most n (n ≥ 1). */
export function largestPow2AtMost(n: number): number {
  let k = 1;
  while (k * 2 <= n) k *= 2;
  return k;
}

/** log2 of a power of two. */
export function log2Exact(p: number): number {
  let k = 0;
  let v = p;
  while (v > 1) {
    v /= 2;
    k++;
  }
  return k;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
