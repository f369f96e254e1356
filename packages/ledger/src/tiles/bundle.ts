import { TILE_WIDTH } from "./path.ts";

// C2SP tlog-tiles entry bundles: a sequence of big-endian uint16 length-prefixed entries, one per
// hash of the matching level-0 tile (1..256 of them).

/** The largest entry an entry bundle can carry. */
export const MAX_ENTRY_SIZE = 65_535;

export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length === 0 || entries.length > TILE_WIDTH) {
    throw new RangeError(`an entry bundle holds 1..${TILE_WIDTH} entries, got ${entries.length}`);
  }
  let total = 0;
  for (const e of entries) {
    if (!(e instanceof Uint8Array)) throw new TypeError("entries must be Uint8Arrays");
    if (e.length > MAX_ENTRY_SIZE)
      throw new RangeError(`entry of ${e.length} bytes exceeds ${MAX_ENTRY_SIZE}`);
    total += 2 + e.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of entries) {
    out[at] = e.length >>> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

/**
 * Decodes an entry bundle. Strict: throws on a truncated length or entry, on zero or more than
 * 256 entries, and on a count other than `width` when it is given.
 */
export function decodeEntryBundle(data: Uint8Array, width?: number): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < data.length) {
    if (entries.length === TILE_WIDTH)
      throw new RangeError(`entry bundle holds more than ${TILE_WIDTH} entries`);
    if (at + 2 > data.length) throw new RangeError("entry bundle: truncated length prefix");
    const len = (data[at]! << 8) | data[at + 1]!;
    at += 2;
    if (at + len > data.length) throw new RangeError("entry bundle: truncated entry");
    entries.push(data.slice(at, at + len));
    at += len;
  }
  if (entries.length === 0) throw new RangeError("entry bundle is empty");
  if (width !== undefined && entries.length !== width) {
    throw new RangeError(`entry bundle holds ${entries.length} entries, expected ${width}`);
  }
  return entries;
}
