import { hash, randomBytes } from "node:crypto";
import {
  encodeEntryBundle,
  entryBundlePath,
  formatCheckpoint,
  generateKey,
  parseSignerKey,
  type Sha256,
  signNote,
  TileBuilder,
  verifyLog,
} from "@armsledger/ledger";
import { HashPool } from "armsledger/verify";

// `verify` throughput: verifyLog over a synthetic log of N entries (re-hash every entry, rebuild
// the tree, compare every tile and the signed root), against raw SHA-256 of the same entries in
// the same process — one call per entry (the leaf hashes' own cost) and one call over all bytes.

const nodeSha256: Sha256 = (d) => hash("sha256", d, "buffer");

function best(runs: number, f: () => void): number {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const s = performance.now();
    f();
    min = Math.min(min, performance.now() - s);
  }
  return min;
}

async function bestAsync(runs: number, f: () => Promise<void>): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const s = performance.now();
    await f();
    min = Math.min(min, performance.now() - s);
  }
  return min;
}

export async function benchVerifyLog(options: { n: number; entryBytes: number }) {
  const { n, entryBytes } = options;
  const all = new Uint8Array(n * entryBytes);
  const entries: Uint8Array[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < n; i++) {
    const e = all.subarray(i * entryBytes, (i + 1) * entryBytes);
    e.fill(97 + (i % 26));
    e.set(encoder.encode(`{"v":1,"index":${i},"data":"`));
    e.set(encoder.encode(`"}`), entryBytes - 2);
    entries.push(e);
  }
  // The log's files, as the server publishes them.
  const files = new Map<string, Uint8Array>();
  const builder = new TileBuilder();
  for (let k = 0; k * 256 < n; k++) {
    const chunk = entries.slice(k * 256, (k + 1) * 256);
    files.set(entryBundlePath({ index: k, width: chunk.length }), encodeEntryBundle(chunk));
    for (const e of chunk) {
      const leaf = new Uint8Array(e.length + 1);
      leaf.set(e, 1);
      for (const blob of builder.append(new Uint8Array(nodeSha256(leaf)))) files.set(blob.path, blob.data);
    }
  }
  for (const blob of builder.partialTiles()) files.set(blob.path, blob.data);
  const origin = "bench.armsledger.local/log";
  const keys = generateKey(origin, new Uint8Array(randomBytes(32)));
  files.set(
    "checkpoint",
    signNote(formatCheckpoint({ origin, size: n, rootHash: builder.root() }), [
      parseSignerKey(keys.signerKey),
    ]),
  );
  const fetch = async (path: string) => files.get(path);

  const bulkMs = best(3, () => hash("sha256", all, "buffer"));
  const perEntryMs = best(3, () => {
    for (const e of entries) hash("sha256", e, "buffer");
  });
  const verify = (pool?: HashPool) => async () => {
    const report = await verifyLog({
      fetch,
      logVerifierKey: keys.verifierKey,
      sha256: nodeSha256,
      ...(pool ? { hashBundle: pool.hashBundle } : {}),
    });
    if (!report.ok || report.entries !== n)
      throw new Error(`verification failed: ${JSON.stringify(report.problems.slice(0, 3))}`);
  };
  const oneThreadMs = await bestAsync(3, verify());
  const pool = new HashPool();
  const pooledMs = await bestAsync(3, verify(pool));
  const workers = pool.size;
  await pool.close();
  return {
    n,
    entryBytes,
    rawPerEntryMs: perEntryMs,
    rawBulkMs: bulkMs,
    verifyOneThreadMs: oneThreadMs,
    verifyWorkersMs: pooledMs,
    workers,
    ratioOneThreadVsPerEntry: perEntryMs / oneThreadMs,
    ratioWorkersVsPerEntry: perEntryMs / pooledMs,
    ratioWorkersVsBulk: bulkMs / pooledMs,
  };
}
