import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  encodeTileIndex,
  entryBundlePath,
  parseTilePath,
  TILE_WIDTH,
  tilePath,
} from "../../src/tiles/index.ts";
import { readJson } from "../merkle/support.ts";

interface C2spFixture {
  indexEncoding: { n: number; encoded: string }[];
}

interface GoFixture {
  tilePaths: {
    goPath: string;
    goTile?: { H: number; L: number; N: number; W: number };
    c2sp: string;
    valid: boolean;
  }[];
}

describe("tile paths (C2SP tlog-tiles)", () => {
  const spec = readJson<C2spFixture>("tiles/c2sp-tlog-tiles.json");
  const go = readJson<GoFixture>("tiles/golang-mod-tlog.json");

  it("encodes the spec's example index", () => {
    for (const { n, encoded } of spec.indexEncoding) {
      expect(encodeTileIndex(n)).toBe(encoded);
      expect(parseTilePath(`tile/0/${encoded}`)).toEqual({ kind: "tile", level: 0, index: n, width: 256 });
    }
    expect(encodeTileIndex(0)).toBe("000");
    expect(encodeTileIndex(5)).toBe("005");
    expect(encodeTileIndex(999)).toBe("999");
    expect(encodeTileIndex(1000)).toBe("x001/000");
    expect(encodeTileIndex(Number.MAX_SAFE_INTEGER)).toBe("x009/x007/x199/x254/x740/991");
    expect(() => encodeTileIndex(-1)).toThrow(RangeError);
    expect(() => encodeTileIndex(1.5)).toThrow(RangeError);
  });

  it("agrees with golang/mod's tile paths (height element dropped)", () => {
    for (const t of go.tilePaths) {
      if (!t.valid) {
        expect(() => parseTilePath(t.c2sp), t.c2sp).toThrow(SyntaxError);
        continue;
      }
      const g = t.goTile!;
      const full = g.W === 2 ** g.H;
      const width = full ? TILE_WIDTH : g.W;
      const parsed = parseTilePath(t.c2sp);
      if (g.L === -1) {
        expect(parsed).toEqual({ kind: "entries", index: g.N, width });
        expect(entryBundlePath({ index: g.N, width })).toBe(t.c2sp);
      } else {
        expect(parsed).toEqual({ kind: "tile", level: g.L, index: g.N, width });
        expect(tilePath({ level: g.L, index: g.N, width })).toBe(t.c2sp);
      }
    }
  });

  it("rejects every malformed path", () => {
    const bad = [
      "",
      "tile",
      "tile/0",
      "tile/0/",
      "/tile/0/000",
      "tile/0/000/",
      "tiles/0/000",
      "tile/00/000",
      "tile/01/000",
      "tile/64/000",
      "tile/-1/000",
      "tile/+1/000",
      "tile/ 1/000",
      "tile/1a/000",
      "tile/data/000",
      "tile/0/0",
      "tile/0/00",
      "tile/0/0000",
      "tile/0/x000",
      "tile/0/x001",
      "tile/0/001/002",
      "tile/0/x000/005",
      "tile/0/X001/005",
      "tile/0/x01/005",
      "tile/0/x0001/005",
      "tile/0/00a",
      "tile/0/001.p",
      "tile/0/001.p/",
      "tile/0/001.p/0",
      "tile/0/001.p/00",
      "tile/0/001.p/05",
      "tile/0/001.p/256",
      "tile/0/001.p/300",
      "tile/0/001.p/1/2",
      "tile/0/001.p/-1",
      "tile/0/001.p/ 5",
      "tile/0/001.q/5",
      "tile/0/001p/5",
      "tile/0/x001.p/002",
      "tile/0/x001.p/5/002",
      "tile/entries/",
      "tile/entries/1",
      "tile/entries/001.p/256",
      "tile/entries/x000/001",
      "tile/0/x010/x000/x000/x000/x000/000", // 10^15·10 > 2^53
      "tile/0/x999/x999/x999/x999/x999/999",
      "tile/0/001?x=1",
      "tile/0/001\n",
    ];
    for (const p of bad) expect(() => parseTilePath(p), JSON.stringify(p)).toThrow(SyntaxError);
    expect(() => tilePath({ level: 64, index: 0, width: 256 })).toThrow(RangeError);
    expect(() => tilePath({ level: 0, index: 0, width: 0 })).toThrow(RangeError);
    expect(() => tilePath({ level: 0, index: 0, width: 257 })).toThrow(RangeError);
  });

  it("round-trips every tile and entry bundle path", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 63 }),
        fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.maxSafeNat()),
        fc.integer({ min: 1, max: 256 }),
        (level, index, width) => {
          const p = tilePath({ level, index, width });
          expect(parseTilePath(p)).toEqual({ kind: "tile", level, index, width });
          const e = entryBundlePath({ index, width });
          expect(parseTilePath(e)).toEqual({ kind: "entries", index, width });
          expect(p.endsWith(".p/256")).toBe(false);
          expect(p.includes(".p/")).toBe(width !== 256);
        },
      ),
    );
  });
});
