import {
  cosign,
  encodeEntryBundle,
  entryBundlePath,
  formatCheckpoint,
  generateCosignerKey,
  generateKey,
  leafHash,
  parseCosignerSignerKey,
  parseSignerKey,
  signNote,
  TILE_WIDTH,
  TileBuilder,
} from "../../src/index.ts";

/** A deterministic 32-byte seed from a small number (tests only). */
export function seed(n: number): Uint8Array {
  return new Uint8Array(32).fill(n);
}

export const ORIGIN = "test.armsledger.example/log";
export const logKey = generateKey(ORIGIN, seed(1));
export const otherLogKey = generateKey(ORIGIN, seed(2));
export const witnessKeys = [
  generateCosignerKey("witness-a.example", seed(11)),
  generateCosignerKey("witness-b.example", seed(12)),
  generateCosignerKey("witness-c.example", seed(13)),
];

/** A log in the C2SP tlog-tiles layout: resource path → bytes. */
export type LogFiles = Map<string, Uint8Array>;

export interface BuiltLog {
  files: LogFiles;
  entries: Uint8Array[];
  root: Uint8Array;
  checkpointText: string;
}

export interface BuildOptions {
  /** Witnesses (indices into witnessKeys) that cosign the checkpoint. */
  cosigners?: number[];
  /** Sign with this key instead of the log's. */
  signerKey?: string;
  /** Put this root in the checkpoint instead of the real one. */
  rootOverride?: Uint8Array;
}

const encoder = new TextEncoder();

/** Entry i of a synthetic log: canonical-looking JSON of the given length or so. */
export function syntheticEntry(i: number, pad = 0): Uint8Array {
  return encoder.encode(`{"i":${i},"pad":"${"x".repeat(pad + (i % 7))}"}`);
}

/** Signs (and cosigns) checkpoint text as the test log would serve it. */
export function signCheckpoint(text: string, options: BuildOptions = {}): Uint8Array {
  const signer = parseSignerKey(options.signerKey ?? logKey.signerKey);
  let note = new TextDecoder().decode(signNote(text, [signer]));
  for (const w of options.cosigners ?? [])
    note += cosign(text, parseCosignerSignerKey(witnessKeys[w]!.signerKey), 1_750_000_000 + w);
  return encoder.encode(note);
}

/** Builds every tile, entry bundle and the signed checkpoint of a log of `entries`. */
export function buildLog(entries: Uint8Array[], options: BuildOptions = {}): BuiltLog {
  const files: LogFiles = new Map();
  const builder = new TileBuilder();
  for (const e of entries) for (const t of builder.append(leafHash(e))) files.set(t.path, t.data);
  for (const t of builder.partialTiles()) files.set(t.path, t.data);
  for (let k = 0; k * TILE_WIDTH < entries.length; k++) {
    const chunk = entries.slice(k * TILE_WIDTH, (k + 1) * TILE_WIDTH);
    files.set(entryBundlePath({ index: k, width: chunk.length }), encodeEntryBundle(chunk));
  }
  const root = builder.root();
  const checkpointText = formatCheckpoint({
    origin: ORIGIN,
    size: entries.length,
    rootHash: options.rootOverride ?? root,
  });
  files.set("checkpoint", signCheckpoint(checkpointText, options));
  return { files, entries, root, checkpointText };
}

/** A fetcher over the files (a copy of each, as a network or disk read would give). */
export function memoryFetch(files: LogFiles): (path: string) => Promise<Uint8Array | undefined> {
  return async (path) => files.get(path)?.slice();
}
