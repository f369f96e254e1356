import { hash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeEntryBundle,
  encodeBase64,
  encodeEntryBundle,
  entryBundlePath,
  TILE_WIDTH,
  tilePath,
} from "../../src/index.ts";
import {
  hashEntryBundle,
  type VerifyLogOptions,
  type VerifyReport,
  verifyLog,
} from "../../src/verify/index.ts";
import {
  type BuiltLog,
  buildLog,
  type LogFiles,
  logKey,
  memoryFetch,
  ORIGIN,
  otherLogKey,
  signCheckpoint,
  syntheticEntry,
  witnessKeys,
} from "./support.ts";

const nodeSha256 = (data: Uint8Array) => hash("sha256", data, "buffer");

function entriesOf(n: number, pad = 40): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => syntheticEntry(i, pad));
}

function run(files: LogFiles, extra: Partial<VerifyLogOptions> = {}): Promise<VerifyReport> {
  return verifyLog({ fetch: memoryFetch(files), logVerifierKey: logKey.verifierKey, ...extra });
}

function kinds(report: VerifyReport): string[] {
  return report.problems.map((p) => p.kind);
}

function copy(files: LogFiles): LogFiles {
  return new Map([...files].map(([k, v]) => [k, v.slice()]));
}

// 700 leaves: two full bundles and a partial one (188); level 1 holds a partial tile of 2 hashes.
const SIZE = 700;
const base: BuiltLog = buildLog(entriesOf(SIZE), { cosigners: [0, 1] });

/** Rewrites the bundle holding leaf `i` with `change` applied to its entries. */
function editBundle(files: LogFiles, k: number, change: (entries: Uint8Array[]) => Uint8Array[]) {
  const width = Math.min(TILE_WIDTH, SIZE - k * TILE_WIDTH);
  const path = entryBundlePath({ index: k, width });
  files.set(path, encodeEntryBundle(change(decodeEntryBundle(files.get(path)!))));
}

describe("verifyLog: a faithful log", () => {
  it.each([0, 1, 2, 255, 256, 257, 511, 512, 700, 65_536 + 300])(
    "verifies a log of %i entries",
    async (n) => {
      const log = n === SIZE ? base : buildLog(entriesOf(n, 0));
      const seen: number[] = [];
      const progress: number[] = [];
      const report = await run(log.files, {
        witnessVerifierKeys: [],
        onEntry: (i, bytes) => {
          if (n <= 1000) expect(bytes).toEqual(log.entries[i]);
          seen.push(i);
        },
        onProgress: (done, total) => {
          expect(total).toBe(n);
          progress.push(done);
        },
        sha256: nodeSha256,
      });
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.entries).toBe(n);
      expect(report.checkpoint).toEqual({ origin: ORIGIN, size: n, root: encodeBase64(log.root) });
      expect(report.computedRoot).toBe(encodeBase64(log.root));
      expect(report.signatures.log).toBe(true);
      expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(progress.at(-1) ?? 0).toBe(n);
      // Every tile of the log was compared.
      expect(report.tiles).toBe([...log.files.keys()].filter((p) => /^tile\/\d/.test(p)).length);
    },
  );

  it("counts witness cosignatures against the quorum and reports which verified", async () => {
    const keys = witnessKeys.map((w) => w.verifierKey);
    const report = await run(base.files, { witnessVerifierKeys: keys, quorum: 2 });
    expect(report.ok).toBe(true);
    expect(report.quorumMet).toBe(true);
    expect(report.signatures.witnesses.map((w) => [w.name, w.verified])).toEqual([
      ["witness-a.example", true],
      ["witness-b.example", true],
      ["witness-c.example", false],
    ]);
    expect(report.signatures.witnesses[0]!.time).toBe(new Date(1_750_000_000_000).toISOString());
    expect(report.signatures.witnesses[2]!.detail).toMatch(/no cosignature/);

    const all = await run(base.files, { witnessVerifierKeys: keys }); // quorum defaults to all
    expect(all.ok).toBe(false);
    expect(all.quorumMet).toBe(false);
    expect(all.problems).toEqual([
      expect.objectContaining({
        kind: "quorum-not-met",
        tile: "checkpoint",
        detail: expect.stringMatching(/2 of the 3/),
      }),
    ]);
  });

  it("reports a witness whose cosignature does not verify", async () => {
    const files = copy(base.files);
    const note = new TextDecoder().decode(files.get("checkpoint")!);
    // Flip one character inside witness a's signature (well inside the base64, keeping its shape).
    const line = note.split("\n").find((l) => l.startsWith("\u2014 witness-a.example "))!;
    const bad = line.slice(0, -10) + (line.at(-10) === "A" ? "B" : "A") + line.slice(-9);
    files.set("checkpoint", new TextEncoder().encode(note.replace(line, bad)));
    const report = await run(files, { witnessVerifierKeys: [witnessKeys[0]!.verifierKey] });
    expect(report.signatures.log).toBe(true);
    expect(report.signatures.witnesses[0]).toMatchObject({ verified: false, detail: expect.any(String) });
    expect(kinds(report)).toEqual(["quorum-not-met"]);
  });

  it("accepts full tiles and bundles where the partial ones were dropped (the log grew)", async () => {
    const files = copy(base.files);
    // The grown log has full tile/0/002 and bundle 002; its partials for size 700 are gone.
    files.delete(tilePath({ level: 0, index: 2, width: 188 }));
    files.delete(entryBundlePath({ index: 2, width: 188 }));
    const full = buildLog(entriesOf(TILE_WIDTH * 3));
    files.set(tilePath({ level: 0, index: 2, width: 256 }), full.files.get("tile/0/002")!);
    files.set(entryBundlePath({ index: 2, width: 256 }), full.files.get("tile/entries/002")!);
    const report = await run(files);
    expect(report.problems).toEqual([]);
    expect(report.entries).toBe(SIZE);
  });

  it("gives the same answer with noble, node:crypto and a bundle hasher elsewhere", async () => {
    const a = await run(base.files);
    const b = await run(base.files, { sha256: nodeSha256, prefetch: 1 });
    const c = await run(base.files, {
      hashBundle: async (bundle, width) => hashEntryBundle(bundle, width, nodeSha256),
    });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it("throws for bad arguments only", async () => {
    await expect(verifyLog({ fetch: memoryFetch(base.files), logVerifierKey: "nonsense" })).rejects.toThrow();
    await expect(run(base.files, { witnessVerifierKeys: [logKey.verifierKey] })).rejects.toThrow();
    await expect(
      run(base.files, { witnessVerifierKeys: [witnessKeys[0]!.verifierKey], quorum: 2 }),
    ).rejects.toThrow(RangeError);
    await expect(
      run(base.files, { witnessVerifierKeys: [witnessKeys[0]!.verifierKey, witnessKeys[0]!.verifierKey] }),
    ).rejects.toThrow(RangeError);
  });
});

describe("verifyLog: tampering is detected and located", () => {
  it("an entry byte changed", async () => {
    const files = copy(base.files);
    editBundle(files, 1, (es) => {
      const e = es[44]!;
      e[5] = e[5]! ^ 0x01;
      return es;
    });
    const report = await run(files);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ kind: "leaf-mismatch", index: 300, tile: "tile/0/001" });
    expect(report.problems[0]!.detail).toMatch(/^leaf 300 does not/);
    // The tree above follows the entries: the level-1 hash over them and the root differ too.
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: "tile-mismatch", tile: "tile/1/000.p/2", index: 256 }),
    );
    expect(kinds(report)).toContain("root-mismatch");
  });

  it("an entry removed", async () => {
    const files = copy(base.files);
    editBundle(files, 0, (es) => es.filter((_, i) => i !== 77));
    const report = await run(files);
    expect(report.ok).toBe(false);
    expect(report.entries).toBe(SIZE - 1);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: "entries-malformed", tile: "tile/entries/000", index: 255 }),
    );
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: "leaf-mismatch", tile: "tile/0/000", index: 77 }),
    );
  });

  it("two entries swapped", async () => {
    const files = copy(base.files);
    editBundle(files, 2, (es) => {
      [es[3], es[100]] = [es[100]!, es[3]!];
      return es;
    });
    const report = await run(files);
    const leaf = report.problems.find((p) => p.kind === "leaf-mismatch")!;
    expect(leaf).toMatchObject({ tile: "tile/0/002.p/188", index: 515 });
    expect(leaf.detail).toMatch(/^leaves 515, 612 do not/);
    expect(kinds(report)).toContain("root-mismatch");
  });

  it("two entries swapped across bundles", async () => {
    const files = copy(base.files);
    const a = decodeEntryBundle(files.get("tile/entries/000")!);
    const b = decodeEntryBundle(files.get("tile/entries/001")!);
    [a[10], b[20]] = [b[20]!, a[10]!];
    files.set("tile/entries/000", encodeEntryBundle(a));
    files.set("tile/entries/001", encodeEntryBundle(b));
    const report = await run(files);
    const leaves = report.problems.filter((p) => p.kind === "leaf-mismatch").map((p) => p.index);
    expect(leaves).toEqual([10, 276]);
  });

  it("a level-0 tile byte changed", async () => {
    const files = copy(base.files);
    const tile = files.get("tile/0/001")!;
    tile[32 * 9 + 4] = tile[32 * 9 + 4]! ^ 0xff;
    const report = await run(files);
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: "leaf-mismatch", tile: "tile/0/001", index: 265 }),
    ]);
    // The entries still give the signed root: the tile, not the log's content, is wrong.
    expect(report.computedRoot).toBe(encodeBase64(base.root));
  });

  it("a level-1 tile byte changed", async () => {
    const files = copy(base.files);
    const tile = files.get("tile/1/000.p/2")!;
    tile[40] = tile[40]! ^ 0x01;
    const report = await run(files);
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: "tile-mismatch", tile: "tile/1/000.p/2", index: 256 }),
    ]);
    expect(report.problems[0]!.detail).toMatch(/leaves 256–511/);
  });

  it("a tile of the wrong length", async () => {
    const files = copy(base.files);
    files.set("tile/0/000", files.get("tile/0/000")!.subarray(0, 100));
    const report = await run(files);
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: "tile-malformed", tile: "tile/0/000" }),
    ]);
  });

  it("a checkpoint re-signed with another key", async () => {
    const files = copy(base.files);
    files.set("checkpoint", signCheckpoint(base.checkpointText, { signerKey: otherLogKey.signerKey }));
    const report = await run(files);
    expect(report.ok).toBe(false);
    expect(report.signatures.log).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: "checkpoint-signature", tile: "checkpoint" }),
    ]);
    // The rest of the log is still examined against the unauthenticated checkpoint.
    expect(report.entries).toBe(SIZE);
  });

  it("a checkpoint whose root does not match", async () => {
    const log = buildLog(entriesOf(SIZE), { rootOverride: new Uint8Array(32).fill(7) });
    const report = await run(log.files);
    expect(report.signatures.log).toBe(true);
    expect(report.problems).toEqual([expect.objectContaining({ kind: "root-mismatch", tile: "checkpoint" })]);
    expect(report.problems[0]!.detail).toContain(encodeBase64(base.root));
  });

  it("a checkpoint for another origin, a malformed one, none at all", async () => {
    const other = await run(base.files, { origin: "elsewhere.example/log" });
    expect(kinds(other)).toEqual(["checkpoint-origin"]);
    expect(other.signatures.log).toBe(true);

    const files = copy(base.files);
    files.set("checkpoint", new TextEncoder().encode("not a note"));
    const bad = await run(files);
    expect(kinds(bad)).toEqual(["checkpoint-malformed"]);
    expect(bad.checkpoint).toBeUndefined();

    files.delete("checkpoint");
    expect(kinds(await run(files))).toEqual(["checkpoint-unavailable"]);
  });

  it("a missing tile, bundle, or both", async () => {
    const noTile = copy(base.files);
    noTile.delete("tile/0/001");
    const a = await run(noTile);
    expect(a.problems).toEqual([expect.objectContaining({ kind: "tile-missing", tile: "tile/0/001" })]);
    expect(a.computedRoot).toBe(encodeBase64(base.root));

    const noUpper = copy(base.files);
    noUpper.delete("tile/1/000.p/2");
    expect((await run(noUpper)).problems).toEqual([
      expect.objectContaining({ kind: "tile-missing", tile: "tile/1/000.p/2" }),
    ]);

    const noBundle = copy(base.files);
    noBundle.delete("tile/entries/001");
    const b = await run(noBundle);
    expect(b.problems).toEqual([
      expect.objectContaining({ kind: "entries-missing", tile: "tile/entries/001", index: 256 }),
    ]);
    expect(b.entries).toBe(SIZE - 256);
    // The log's own leaf hashes stood in for the missing entries: the root is not the entries'.
    expect(b.computedRoot).toBeUndefined();

    noBundle.delete("tile/0/001");
    const c = await run(noBundle);
    expect(kinds(c)).toEqual(["entries-missing", "tile-missing", "root-unverifiable"]);
  });

  it("a fetch that fails is a problem, not an exception", async () => {
    const report = await verifyLog({
      fetch: async (path) => {
        if (path === "tile/entries/001") throw new Error("connection reset");
        return base.files.get(path);
      },
      logVerifierKey: logKey.verifierKey,
    });
    expect(report.problems[0]).toMatchObject({
      kind: "entries-missing",
      detail: expect.stringMatching(/connection reset/),
    });
  });

  it("caps the problems listed", async () => {
    const files = copy(base.files);
    for (const p of [...files.keys()]) if (p.startsWith("tile/0/")) files.delete(p);
    const report = await run(files, { maxProblems: 2 });
    expect(report.problems).toHaveLength(2);
    expect(report.problemsOmitted).toBe(1);
    expect(report.ok).toBe(false);
  });

  it("locates any single flipped byte of any entry or tile", async () => {
    const small = buildLog(entriesOf(300, 2));
    const paths = [...small.files.keys()].filter((p) => p !== "checkpoint");
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (path, at, x) => {
          const files = copy(small.files);
          const data = files.get(path)!;
          const offset = at % data.length;
          data[offset] = data[offset]! ^ x;
          const report = await run(files);
          expect(report.ok).toBe(false);
          // Every problem names where it is; tile problems name the tile that was changed or one above it.
          for (const p of report.problems) expect(p.tile).toBeDefined();
          const located = report.problems.some(
            (p) =>
              p.tile === path ||
              (path.startsWith("tile/entries/") && p.tile === path.replace("entries/", "0/")),
          );
          expect(located).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
