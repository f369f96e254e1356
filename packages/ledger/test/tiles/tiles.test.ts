import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryTree, MerkleFrontier, verifyConsistency, verifyInclusion } from "../../src/merkle/index.ts";
import {
  decodeEntryBundle,
  encodeEntryBundle,
  entryBundlePath,
  MAX_ENTRY_SIZE,
  newTilesForSize,
  partialTilesForSize,
  splitTileData,
  type TileBlob,
  TileBuilder,
  type TileId,
  TileReader,
  tileData,
  tileDataFromLeafHashes,
  tileForNode,
  tilePath,
  tilesForNodes,
  tilesForSize,
} from "../../src/tiles/index.ts";
import { newTilesOfHeight } from "../../src/tiles/layout.ts";
import { leafHash } from "../../src/tree-hash.ts";
import { fakeLeafHashes, readJson } from "../merkle/support.ts";

interface Census {
  census: { size: number; levels: { level: number; full: number; partialWidth: number }[] }[];
}
interface GoNewTiles {
  newTiles: { height: number; cases: { old: number; new: number; want: number }[] };
}

/** Builds every tile of a log with a TileBuilder: path → bytes, as an exported directory. */
function exportTiles(leaves: readonly Uint8Array[]): {
  files: Map<string, Uint8Array>;
  builder: TileBuilder;
} {
  const files = new Map<string, Uint8Array>();
  const builder = new TileBuilder();
  const put = (b: TileBlob) => {
    expect(files.has(b.path), `full tile ${b.path} written twice`).toBe(false);
    files.set(b.path, b.data);
  };
  for (const h of leaves) for (const b of builder.append(h)) put(b);
  for (const b of builder.partialTiles()) put(b);
  return { files, builder };
}

function readerOver(size: number, files: Map<string, Uint8Array>): TileReader {
  return new TileReader(size, (_tile, path) => {
    const data = files.get(path);
    if (data === undefined) throw new Error(`no tile ${path}`);
    return data;
  });
}

const MAX = 1500;
const leaves = fakeLeafHashes(MAX, 1);
const tree = new MemoryTree(leaves);

describe("which tiles a tree has", () => {
  const spec = readJson<Census>("tiles/c2sp-tlog-tiles.json");

  it("matches the spec's census of trees of 70,000 and 256 entries", () => {
    for (const { size, levels } of spec.census) {
      const tiles = tilesForSize(size);
      for (const { level, full, partialWidth } of levels) {
        const atLevel = tiles.filter((t) => t.level === level);
        expect(atLevel.filter((t) => t.width === 256).length, `${size} L${level} full`).toBe(full);
        const partial = atLevel.filter((t) => t.width < 256);
        expect(partial.map((t) => t.width)).toEqual(partialWidth === 0 ? [] : [partialWidth]);
      }
      expect(Math.max(...tiles.map((t) => t.level))).toBe(levels[levels.length - 1]!.level);
      expect(partialTilesForSize(size)).toEqual(tiles.filter((t) => t.width < 256));
    }
    expect(tilesForSize(0)).toEqual([]);
  });

  it("counts the tiles to publish as golang/mod's NewTiles (height 10)", () => {
    const go = readJson<GoNewTiles>("tiles/golang-mod-tlog.json");
    for (const c of go.newTiles.cases) {
      expect(newTilesOfHeight(go.newTiles.height, c.old, c.new).length, `${c.old}-${c.new}`).toBe(c.want);
    }
  });

  it("publishes, over any sequence of sizes, every tile of the final size exactly in its final form", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 1, maxLength: 8 }), (steps) => {
        const sizes = [0, ...steps.sort((a, b) => a - b)];
        const latest = new Map<string, TileId>();
        for (let k = 1; k < sizes.length; k++) {
          for (const t of newTilesForSize(sizes[k - 1]!, sizes[k]!)) {
            const key = `${t.level}/${t.index}`;
            const prev = latest.get(key);
            if (prev !== undefined) expect(prev.width, "full tiles are never rewritten").toBeLessThan(256);
            latest.set(key, t);
          }
        }
        const want = tilesForSize(sizes[sizes.length - 1]!)
          .map(tilePath)
          .sort();
        expect([...latest.values()].map(tilePath).sort()).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });
});

describe("tile contents", () => {
  it("TileBuilder writes exactly the tiles of the size, with the hashes the spec defines", () => {
    for (const n of [1, 2, 255, 256, 257, 511, 512, 1000, MAX]) {
      const { files, builder } = exportTiles(leaves.slice(0, n));
      expect([...files.keys()].sort()).toEqual(tilesForSize(n).map(tilePath).sort());
      for (const t of tilesForSize(n)) {
        const want = tileData(t, tree.getNodeHash);
        expect(files.get(tilePath(t))).toEqual(want);
        expect(tileDataFromLeafHashes(t, leaves.slice(0, n))).toEqual(want);
        expect(want.length).toBe(32 * t.width);
      }
      expect(builder.size).toBe(n);
      expect(builder.root()).toEqual(tree.root(n));
    }
    expect(new TileBuilder().root()).toEqual(tree.root(0));
    expect(new TileBuilder().partialTiles()).toEqual([]);
  });

  it("a level-1 hash is the root of the full level-0 tile below it", () => {
    const { files } = exportTiles(leaves.slice(0, 600));
    const level1 = splitTileData(files.get("tile/1/000.p/2")!, 2);
    const tile0 = splitTileData(files.get("tile/0/000")!, 256);
    expect(level1[0]).toEqual(new MemoryTree(tile0).root());
  });

  it("TileBuilder root equals the frontier root at every size, and resumes from partial tiles", () => {
    const builder = new TileBuilder();
    const frontier = new MerkleFrontier();
    for (let i = 0; i < 700; i++) {
      builder.append(leaves[i]!);
      frontier.append(leaves[i]!);
      expect(builder.root()).toEqual(frontier.root());
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), fc.integer({ min: 0, max: MAX }), (a, b) => {
        const [m, n] = a <= b ? [a, b] : [b, a];
        const { files: before } = exportTiles(leaves.slice(0, m));
        const resumed = TileBuilder.resume(m, (t) => before.get(tilePath(t))!);
        expect(resumed.root()).toEqual(tree.root(m));
        const { files: whole } = exportTiles(leaves.slice(0, n));
        const written = new Map(before);
        for (let i = m; i < n; i++)
          for (const blob of resumed.append(leaves[i]!)) written.set(blob.path, blob.data);
        for (const blob of resumed.partialTiles()) written.set(blob.path, blob.data);
        for (const t of tilesForSize(n)) expect(written.get(tilePath(t))).toEqual(whole.get(tilePath(t)));
      }),
      { numRuns: 25 },
    );
  });

  it("splits tile bytes strictly", () => {
    expect(() => splitTileData(new Uint8Array(0))).toThrow(RangeError);
    expect(() => splitTileData(new Uint8Array(33))).toThrow(RangeError);
    expect(() => splitTileData(new Uint8Array(257 * 32))).toThrow(RangeError);
    expect(() => splitTileData(new Uint8Array(64), 3)).toThrow(RangeError);
    expect(splitTileData(new Uint8Array(64), 2)).toHaveLength(2);
  });
});

describe("proofs from tiles", () => {
  it("TileReader gives the same roots and proofs as MemoryTree, for random sizes", () => {
    const exported = new Map<number, Map<string, Uint8Array>>();
    const filesFor = (n: number) => {
      let files = exported.get(n);
      if (files === undefined) {
        files = exportTiles(leaves.slice(0, n)).files;
        exported.set(n, files);
      }
      return files;
    };
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: MAX })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: n })),
          ),
        ([n, i, m]) => {
          const reader = readerOver(n, filesFor(n));
          const root = reader.root();
          expect(root).toEqual(tree.root(n));
          expect(reader.root(m)).toEqual(tree.root(m));
          expect(reader.leafHash(i)).toEqual(leaves[i]);
          const inc = reader.inclusionProof(i, n);
          expect(inc).toEqual(tree.inclusionProof(i, n));
          expect(verifyInclusion(leaves[i]!, i, n, inc, root)).toBe(true);
          const con = reader.consistencyProof(m, n);
          expect(con).toEqual(tree.consistencyProof(m, n));
          expect(verifyConsistency(m, n, tree.root(m), root, con)).toBe(true);
          if (i < m) expect(reader.inclusionProof(i, m)).toEqual(tree.inclusionProof(i, m));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("fetches only the tiles a proof plan needs", () => {
    const n = 1337;
    const { files } = exportTiles(leaves.slice(0, n));
    const fetched: string[] = [];
    const reader = new TileReader(n, (_t, path) => {
      fetched.push(path);
      return files.get(path)!;
    });
    reader.inclusionProof(700, n);
    reader.inclusionProof(700, n);
    expect(new Set(fetched).size).toBe(fetched.length); // cached
    expect(fetched.every((p) => files.has(p))).toBe(true);
    expect(tileForNode(0, 1336, n).tile).toEqual({ level: 0, index: 5, width: 57 });
    expect(tileForNode(8, 4, n)).toEqual({ tile: { level: 1, index: 0, width: 5 }, offset: 4, count: 1 });
    expect(tileForNode(10, 0, n)).toEqual({ tile: { level: 1, index: 0, width: 5 }, offset: 0, count: 4 });
    expect(tileForNode(9, 1, n)).toEqual({ tile: { level: 1, index: 0, width: 5 }, offset: 2, count: 2 });
    expect(tileForNode(3, 166, n)).toEqual({ tile: { level: 0, index: 5, width: 57 }, offset: 48, count: 8 });
    expect(() => tileForNode(10, 1, n)).toThrow(RangeError);
    expect(() => tileForNode(3, 167, n)).toThrow(RangeError);
    expect(() => tileForNode(0, 1337, n)).toThrow(RangeError);
    expect(() => tileForNode(8, 5, n)).toThrow(RangeError);
    expect(
      tilesForNodes(n, [
        { level: 0, index: 0 },
        { level: 1, index: 0 },
        { level: 8, index: 0 },
      ]),
    ).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 1, index: 0, width: 5 },
    ]);
  });

  it("a tampered tile is caught by verification, never accepted (tile_test.go's zeroIndex idea)", () => {
    const n = 777;
    const { files } = exportTiles(leaves.slice(0, n));
    const root = tree.root(n);
    const same = (a: readonly Uint8Array[], b: readonly Uint8Array[]) =>
      a.length === b.length && a.every((h, k) => h.every((x, y) => x === b[k]![y]));
    for (const t of tilesForSize(n)) {
      const path = tilePath(t);
      const bad = new Map(files);
      const data = files.get(path)!.slice();
      data.fill(0, 0, 32); // zero the first hash of the tile, as golang/mod's zeroIndex does
      bad.set(path, data);
      const reader = readerOver(n, bad);
      let detected = 0;
      for (let j = 0; j < n; j++) {
        const proof = reader.inclusionProof(j, n);
        const leaf = reader.leafHash(j);
        const honest = same(proof, tree.inclusionProof(j, n)) && same([leaf], [leaves[j]!]);
        // What the tiles say verifies only where the tampering did not touch it.
        expect(verifyInclusion(leaf, j, n, proof, root), `${path} leaf ${j}`).toBe(honest);
        // The entry itself (known to the verifier) never verifies with a tampered proof.
        expect(verifyInclusion(leaves[j]!, j, n, proof, root)).toBe(same(proof, tree.inclusionProof(j, n)));
        if (!honest) detected++;
      }
      expect(detected, path).toBeGreaterThan(0);
    }
    const short = new Map(files);
    short.set("tile/0/003.p/9", new Uint8Array(32));
    expect(() => readerOver(n, short).leafHash(770)).toThrow(RangeError);
  });

  it("proves from the tiles of the spec's 70,000-entry tree", () => {
    const size = 70_000;
    const entries = Array.from({ length: size }, (_, i) => new TextEncoder().encode(`entry ${i}`));
    const hashes = entries.map(leafHash);
    const { files, builder } = exportTiles(hashes);
    expect([...files.keys()].length).toBe(273 + 1 + 1 + 1 + 1);
    expect(files.get("tile/0/273.p/112")!.length).toBe(112 * 32);
    expect(files.get("tile/1/000")!.length).toBe(8192);
    expect(files.get("tile/1/001.p/17")!.length).toBe(17 * 32);
    expect(files.get("tile/2/000.p/1")!.length).toBe(32);
    const frontier = new MerkleFrontier();
    for (const h of hashes) frontier.append(h);
    const root = frontier.root();
    expect(builder.root()).toEqual(root);
    const reader = readerOver(size, files);
    expect(reader.root()).toEqual(root);
    for (const i of [0, 1, 255, 256, 65_535, 65_536, 69_887, 69_888, 69_999]) {
      expect(verifyInclusion(hashes[i]!, i, size, reader.inclusionProof(i, size), root), `${i}`).toBe(true);
    }
    const m = 65_537;
    expect(verifyConsistency(m, size, reader.root(m), root, reader.consistencyProof(m, size))).toBe(true);
    // Entry bundles carry the entries behind each level-0 tile.
    const bundle = encodeEntryBundle(entries.slice(69_888, 70_000));
    expect(entryBundlePath({ index: 273, width: 112 })).toBe("tile/entries/273.p/112");
    const back = decodeEntryBundle(bundle, 112).map(leafHash);
    expect(back).toEqual(splitTileData(files.get("tile/0/273.p/112")!, 112));
  });
});

describe("entry bundles", () => {
  it("round-trips any 1..256 entries up to 65,535 bytes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 256 }),
        (entries) => {
          const data = encodeEntryBundle(entries);
          expect(data.length).toBe(entries.reduce((s, e) => s + 2 + e.length, 0));
          expect(decodeEntryBundle(data)).toEqual(entries);
          expect(decodeEntryBundle(data, entries.length)).toEqual(entries);
        },
      ),
      { numRuns: 100 },
    );
    const big = new Uint8Array(MAX_ENTRY_SIZE).fill(0xab);
    const data = encodeEntryBundle([big, new Uint8Array(0), new Uint8Array([1])]);
    expect(Array.from(data.subarray(0, 2))).toEqual([0xff, 0xff]);
    expect(decodeEntryBundle(data)).toEqual([big, new Uint8Array(0), new Uint8Array([1])]);
  });

  it("is big-endian uint16 length || entry", () => {
    const data = encodeEntryBundle([new TextEncoder().encode("abc"), new Uint8Array(0x0102)]);
    expect(Array.from(data.subarray(0, 5))).toEqual([0x00, 0x03, 0x61, 0x62, 0x63]);
    expect(Array.from(data.subarray(5, 7))).toEqual([0x01, 0x02]);
  });

  it("refuses what it cannot encode and what is malformed", () => {
    expect(() => encodeEntryBundle([new Uint8Array(MAX_ENTRY_SIZE + 1)])).toThrow(RangeError);
    expect(() => encodeEntryBundle([])).toThrow(RangeError);
    expect(() => encodeEntryBundle(Array.from({ length: 257 }, () => new Uint8Array(0)))).toThrow(RangeError);
    expect(() => decodeEntryBundle(new Uint8Array(0))).toThrow(RangeError);
    expect(() => decodeEntryBundle(new Uint8Array([0]))).toThrow(RangeError);
    expect(() => decodeEntryBundle(new Uint8Array([0, 3, 1, 2]))).toThrow(RangeError);
    expect(() => decodeEntryBundle(new Uint8Array([0, 1, 1, 0]))).toThrow(RangeError);
    expect(() => decodeEntryBundle(new Uint8Array([0, 0]), 2)).toThrow(RangeError);
    expect(() => decodeEntryBundle(new Uint8Array(257 * 2))).toThrow(RangeError);
    expect(decodeEntryBundle(new Uint8Array(256 * 2))).toHaveLength(256);
  });
});
