import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { HASH_SIZE } from "../merkle/sizes.ts";
import { TILE_WIDTH } from "../tiles/path.ts";

// The hot loop of a full audit: every entry is hashed once (RFC 9162 leaf hash) and every
// interior node once. The digests dominate, so this code allocates nothing per entry but the
// digest the SHA-256 implementation returns: entries are hashed in place inside a copy of their
// bundle, and leaf and node hashes live in flat 32-byte-stride buffers.

/**
 * One-shot SHA-256. The default is @noble/hashes (runs anywhere); Node should pass
 * `(data) => crypto.hash("sha256", data, "buffer")`, several times faster. It must not keep
 * `data`: the verifier reuses the buffer at once.
 */
export type Sha256 = (data: Uint8Array) => Uint8Array;

export const defaultSha256: Sha256 = (data) => nobleSha256(data);

/** The leaf hashes of one entry bundle and, when it holds a full tile (256 entries), their MTH. */
export interface BundleHashes {
  /** 32 bytes per entry hashed, in bundle order. */
  readonly leaves: Uint8Array;
  /** MTH of the 256 leaf hashes: the level-1 hash above a full level-0 tile. */
  readonly root?: Uint8Array;
}

/** Where the entries of a bundle are and whether the bundle is well formed. */
export interface BundleLayout {
  /** Offset of each entry's length prefix, for the first `count` entries. */
  readonly offsets: Int32Array;
  readonly count: number;
  /** Why the bundle is not exactly `width` well-formed entries, if it is not. */
  readonly error?: string;
}

/**
 * Walks an entry bundle (uint16-BE length || entry, repeated) without copying it. Reads at most
 * `width` entries; anything short of exactly `width` entries filling the bundle is an error,
 * reported with the entries read so far (so a verifier can still locate the first bad leaf).
 * `allowTrailing` accepts more entries after `width` (a full bundle read for its prefix).
 */
export function layoutEntryBundle(bundle: Uint8Array, width: number, allowTrailing = false): BundleLayout {
  const offsets = new Int32Array(width);
  let count = 0;
  let at = 0;
  while (at < bundle.length && count < width) {
    if (at + 2 > bundle.length) return { offsets, count, error: `truncated length prefix of entry ${count}` };
    const len = (bundle[at]! << 8) | bundle[at + 1]!;
    if (at + 2 + len > bundle.length) return { offsets, count, error: `truncated entry ${count}` };
    offsets[count++] = at;
    at += 2 + len;
  }
  if (count < width) return { offsets, count, error: `holds ${count} entries, expected ${width}` };
  if (at < bundle.length && !allowTrailing)
    return { offsets, count, error: `holds more than the ${width} entries expected` };
  return { offsets, count };
}

/**
 * Leaf hashes (RFC 9162: SHA-256(0x00 || entry)) of the first `count` entries of a bundle, laid
 * out by `layoutEntryBundle`, written into `out` at 32-byte stride. Each entry is hashed where it
 * lies: the low byte of its length prefix is set to the 0x00 prefix for the call to `sha256` and
 * restored at once, so the bundle is neither copied nor changed when this returns.
 */
export function hashBundleLeaves(
  bundle: Uint8Array,
  offsets: Int32Array,
  count: number,
  sha256: Sha256,
  out: Uint8Array,
): void {
  for (let i = 0; i < count; i++) {
    const at = offsets[i]!;
    const low = bundle[at + 1]!;
    const len = (bundle[at]! << 8) | low;
    bundle[at + 1] = 0x00;
    try {
      out.set(sha256(bundle.subarray(at + 1, at + 2 + len)), i * HASH_SIZE);
    } finally {
      bundle[at + 1] = low;
    }
  }
}

/** Whether the first `length` bytes of `a` and `b` are equal (word by word when both are aligned). */
export function equalPrefix(a: Uint8Array, b: Uint8Array, length: number): boolean {
  if (a.length < length || b.length < length) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const words = length >>> 2;
    const wa = new Uint32Array(a.buffer, a.byteOffset, words);
    const wb = new Uint32Array(b.buffer, b.byteOffset, words);
    for (; i < words; i++) if (wa[i] !== wb[i]) return false;
    i = words * 4;
  }
  for (; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Reusable scratch for interior node hashes: 0x01 || left || right. */
export class NodeHasher {
  readonly #sha256: Sha256;
  readonly #input = new Uint8Array(1 + 2 * HASH_SIZE);

  constructor(sha256: Sha256) {
    this.#sha256 = sha256;
    this.#input[0] = 0x01;
  }

  /** H(0x01 || hashes[a] || hashes[b]) for hashes packed at 32-byte stride (a + 1 = b is common). */
  pair(hashes: Uint8Array, a: number, b: number): Uint8Array {
    const input = this.#input;
    if (b === a + 1) {
      input.set(hashes.subarray(a * HASH_SIZE, (a + 2) * HASH_SIZE), 1);
    } else {
      input.set(hashes.subarray(a * HASH_SIZE, (a + 1) * HASH_SIZE), 1);
      input.set(hashes.subarray(b * HASH_SIZE, (b + 1) * HASH_SIZE), 1 + HASH_SIZE);
    }
    return this.#sha256(input);
  }

  node(left: Uint8Array, right: Uint8Array): Uint8Array {
    this.#input.set(left, 1);
    this.#input.set(right, 1 + HASH_SIZE);
    return this.#sha256(this.#input);
  }

  /**
   * MTH of `n` hashes (n a power of two) packed at the start of `hashes`, computed in place:
   * the buffer's first 32 bytes end up holding the root, the rest is overwritten.
   */
  reducePerfect(hashes: Uint8Array, n: number): Uint8Array {
    for (let width = n; width > 1; width /= 2) {
      for (let j = 0; j < width / 2; j++) hashes.set(this.pair(hashes, 2 * j, 2 * j + 1), j * HASH_SIZE);
    }
    return hashes.slice(0, HASH_SIZE);
  }

  /** RFC 9162 MTH of hashes [lo, hi) packed at 32-byte stride (lo < hi); does not modify them. */
  range(hashes: Uint8Array, lo: number, hi: number): Uint8Array {
    const n = hi - lo;
    if (n === 1) return hashes.slice(lo * HASH_SIZE, (lo + 1) * HASH_SIZE);
    let k = 1;
    while (k * 2 < n) k *= 2;
    return this.node(this.range(hashes, lo, lo + k), this.range(hashes, lo + k, hi));
  }
}

/**
 * Everything a worker needs to hash one well-formed bundle of `width` entries: its leaf hashes
 * and, for a full bundle, the level-1 hash above it. Pure; Node may run it in worker threads.
 */
export function hashEntryBundle(
  bundle: Uint8Array,
  width: number,
  sha256: Sha256 = defaultSha256,
): BundleHashes {
  const layout = layoutEntryBundle(bundle, width, true);
  if (layout.error !== undefined) throw new RangeError(`entry bundle: ${layout.error}`);
  const leaves = new Uint8Array(width * HASH_SIZE);
  hashBundleLeaves(bundle, layout.offsets, width, sha256, leaves);
  if (width !== TILE_WIDTH) return { leaves };
  const root = new NodeHasher(sha256).reducePerfect(leaves.slice(), TILE_WIDTH);
  return { leaves, root };
}
