import { nodeHash, verifyConsistency } from "@armsledger/ledger";

// The ledger's verifyConsistency works on safe-integer sizes (< 2^53). A witness must take any
// uint64 size a log signs, so above that range it falls back to the same RFC 9162 §2.1.4.2
// algorithm in bigint arithmetic (checked against the ledger's on small sizes in the tests).

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function isHash(h: unknown): h is Uint8Array {
  return h instanceof Uint8Array && h.length === 32;
}

/** RFC 9162 §2.1.4.2 in bigint arithmetic; same contract as the ledger's verifyConsistency. */
export function verifyConsistencyBig(
  oldSize: bigint,
  newSize: bigint,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isHash(oldRoot) || !isHash(newRoot) || !proof.every(isHash)) return false;
  if (oldSize <= 0n || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && equalBytes(oldRoot, newRoot);
  if (proof.length === 0) return false;
  let fn = oldSize - 1n;
  let sn = newSize - 1n;
  const powerOfTwo = (oldSize & (oldSize - 1n)) === 0n;
  const path = powerOfTwo ? [oldRoot, ...proof] : proof;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0]!;
  let sr = fr;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}

/** Does `proof` show the tree (newSize, newRoot) extends (oldSize, oldRoot)? Never throws. */
export function checkConsistency(
  oldSize: bigint,
  newSize: bigint,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (oldSize <= MAX_SAFE && newSize <= MAX_SAFE) {
    return verifyConsistency(Number(oldSize), Number(newSize), oldRoot, newRoot, proof);
  }
  return verifyConsistencyBig(oldSize, newSize, oldRoot, newRoot, proof);
}
