import { assertSize } from "../merkle/sizes.ts";

// C2SP tlog-tiles v0.1.0 resource paths (c2sp.org/tlog-tiles), relative to the log prefix:
//   tile/<L>/<N>[.p/<W>]        Merkle tree tiles, level L in 0..63
//   tile/entries/<N>[.p/<W>]    entry bundles
// N is written in zero-padded 3-digit elements, all but the last prefixed with "x"
// (1234067 → x001/x234/067). W, for partial tiles only, is 1..255. Numbers carry no leading
// zeroes, signs or whitespace; parsing accepts exactly the canonical form and nothing else.

/** Tiles are subtrees of height 8. */
export const TILE_HEIGHT = 8;
/** A full tile holds 256 hashes (8,192 bytes); an entry bundle, 256 entries. */
export const TILE_WIDTH = 256;
export const MAX_TILE_LEVEL = 63;

/**
 * A Merkle tree tile. `width` is the number of hashes: 256 for a full tile, 1..255 for a partial
 * one. Hash i of tile (level, index) is the root of the perfect subtree at tree level 8·level,
 * position index·256 + i (the MTH of 256^level leaves).
 */
export interface TileId {
  readonly level: number;
  readonly index: number;
  readonly width: number;
}

/** An entry bundle: the entries behind level-0 tile `index`, `width` of them (256 when full). */
export interface EntryBundleId {
  readonly index: number;
  readonly width: number;
}

export type ParsedTilePath =
  | { readonly kind: "tile"; readonly level: number; readonly index: number; readonly width: number }
  | { readonly kind: "entries"; readonly index: number; readonly width: number };

function assertWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new RangeError(`tile width must be an integer in [1, ${TILE_WIDTH}], got ${String(width)}`);
  }
}

/** Encodes a tile index as zero-padded 3-digit path elements: 1234067 → "x001/x234/067". */
export function encodeTileIndex(n: number): string {
  assertSize("tile index", n);
  let digits = String(n);
  digits = digits.padStart(Math.ceil(digits.length / 3) * 3, "0");
  const groups: string[] = [];
  for (let i = 0; i < digits.length; i += 3) groups.push(digits.slice(i, i + 3));
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join("/");
}

function suffix(width: number): string {
  assertWidth(width);
  return width === TILE_WIDTH ? "" : `.p/${width}`;
}

export function tilePath(tile: TileId): string {
  if (!Number.isInteger(tile.level) || tile.level < 0 || tile.level > MAX_TILE_LEVEL) {
    throw new RangeError(
      `tile level must be an integer in [0, ${MAX_TILE_LEVEL}], got ${String(tile.level)}`,
    );
  }
  return `tile/${tile.level}/${encodeTileIndex(tile.index)}${suffix(tile.width)}`;
}

export function entryBundlePath(bundle: EntryBundleId): string {
  return `tile/entries/${encodeTileIndex(bundle.index)}${suffix(bundle.width)}`;
}

const LEVEL = /^(?:0|[1-9][0-9]?)$/;
const WIDTH = /^[1-9][0-9]{0,2}$/;
const INNER_GROUP = /^x[0-9]{3}$/;
const LAST_GROUP = /^[0-9]{3}$/;

function malformed(path: string, why: string): never {
  throw new SyntaxError(`malformed tile path ${JSON.stringify(path)}: ${why}`);
}

/** Parses the canonical index elements (["x001", "x234", "067"]) back into a number. */
export function parseTileIndex(elements: readonly string[]): number {
  const text = elements.join("/");
  if (elements.length === 0) malformed(text, "no index");
  let digits = "";
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    const last = i === elements.length - 1;
    if (!(last ? LAST_GROUP : INNER_GROUP).test(e)) malformed(text, `bad index element ${JSON.stringify(e)}`);
    digits += last ? e : e.slice(1);
  }
  // Canonical: no all-zero leading element (x000/005 is 005).
  if (elements.length > 1 && elements[0] === "x000") malformed(text, "non-canonical index");
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) malformed(text, "index out of range");
  return n;
}

/**
 * Parses `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]` (no leading slash, no prefix, no
 * query). Throws a SyntaxError for anything that is not exactly the canonical encoding.
 */
export function parseTilePath(path: string): ParsedTilePath {
  const parts = path.split("/");
  if (parts.length < 3 || parts[0] !== "tile") malformed(path, "expected tile/<L>/<N>");
  const kind = parts[1]!;
  let rest = parts.slice(2);
  let width = TILE_WIDTH;
  const beforeLast = rest[rest.length - 2];
  if (beforeLast?.endsWith(".p")) {
    const w = rest[rest.length - 1]!;
    if (!WIDTH.test(w) || Number(w) > TILE_WIDTH - 1) malformed(path, `bad width ${JSON.stringify(w)}`);
    width = Number(w);
    rest = [...rest.slice(0, -2), beforeLast.slice(0, -2)];
  }
  const index = parseTileIndex(rest);
  if (kind === "entries") return { kind: "entries", index, width };
  if (!LEVEL.test(kind) || Number(kind) > MAX_TILE_LEVEL)
    malformed(path, `bad level ${JSON.stringify(kind)}`);
  return { kind: "tile", level: Number(kind), index, width };
}
