import { createHash, randomBytes } from "node:crypto";
import {
  formatCheckpoint,
  generateKey,
  parseSignerKey,
  signNote,
  TileBuilder,
  toHex,
} from "@armsledger/ledger";
import { buildApp, inclusionProofFromTiles, type Store, scratchStore, tables as t } from "@armsledger/server";
import { sql } from "drizzle-orm";

// Inclusion-proof latency from the server at a given tree size. The tree is synthetic (leaf i's
// hash is SHA-256 of i): only the tiles and the checkpoint are written, as the integrator would.

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function loadTree(store: Store, size: number) {
  const builder = new TileBuilder();
  const leaf = new Uint8Array(8);
  const view = new DataView(leaf.buffer);
  let pending: { level: number; index: number; width: number; data: Uint8Array }[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    await store.db.insert(t.logTiles).values(pending);
    pending = [];
  };
  for (let i = 0; i < size; i++) {
    view.setFloat64(0, i);
    for (const blob of builder.append(new Uint8Array(createHash("sha256").update(leaf).digest()))) {
      pending.push({ level: blob.tile.level, index: blob.tile.index, width: 256, data: blob.data });
      if (pending.length >= 500) await flush();
    }
  }
  for (const blob of builder.partialTiles())
    pending.push({ level: blob.tile.level, index: blob.tile.index, width: blob.tile.width, data: blob.data });
  await flush();
  const keys = generateKey("bench.armsledger.local/log", new Uint8Array(randomBytes(32)));
  const note = new TextDecoder().decode(
    signNote(formatCheckpoint({ origin: "bench.armsledger.local/log", size, rootHash: builder.root() }), [
      parseSignerKey(keys.signerKey),
    ]),
  );
  await store.db
    .insert(t.checkpoints)
    .values({ size, rootHash: toHex(builder.root()), note, issuedAt: new Date().toISOString() });
}

export async function benchInclusionProof(options: {
  size: number;
  requests: number;
  databaseUrl?: string | undefined;
}) {
  const store = await scratchStore(options.databaseUrl);
  try {
    const loadStart = performance.now();
    await loadTree(store, options.size);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    // A real log writes its tiles over months; let the database settle after the bulk load.
    await store.db.execute(sql`vacuum analyze log_tiles`);
    // Inclusion proofs as the endpoint computes them (the endpoint adds one indexed read of the
    // leaf's hash from `events`, which a synthetic tree has not got), and consistency proofs
    // through the HTTP API, which read the same tiles.
    for (let i = 0; i < 50; i++) await inclusionProofFromTiles(store.db, i, options.size); // warm-up
    const inclusion: number[] = [];
    for (let i = 0; i < options.requests; i++) {
      const index = Math.floor(Math.random() * options.size);
      const start = performance.now();
      await inclusionProofFromTiles(store.db, index, options.size);
      inclusion.push(performance.now() - start);
    }
    const app = await buildApp({ store });
    const consistency: number[] = [];
    for (let i = 0; i < options.requests; i++) {
      const from = 1 + Math.floor(Math.random() * (options.size - 1));
      const start = performance.now();
      const r = await app.inject({ method: "GET", url: `/api/v1/ledger/consistency?from=${from}` });
      consistency.push(performance.now() - start);
      if (r.statusCode !== 200) throw new Error(`proof request failed: ${r.statusCode} ${r.body}`);
    }
    await app.close();
    inclusion.sort((a, b) => a - b);
    consistency.sort((a, b) => a - b);
    return {
      database: store.kind,
      size: options.size,
      requests: options.requests,
      loadSeconds,
      inclusionP50ms: percentile(inclusion, 50),
      inclusionP99ms: percentile(inclusion, 99),
      consistencyHttpP50ms: percentile(consistency, 50),
      consistencyHttpP99ms: percentile(consistency, 99),
    };
  } finally {
    await store.dispose();
  }
}
