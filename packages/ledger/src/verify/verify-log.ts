import { HASH_SIZE } from "../merkle/sizes.ts";
import { rangeNodes } from "../merkle/tree.ts";
import { encodeBase64, tryDecodeBase64 } from "../note/base64.ts";
import { type Checkpoint, openCheckpoint, parseCheckpoint } from "../note/checkpoint.ts";
import {
  type CosignatureVerifier,
  parseCosignerVerifierKey,
  verifyCosignature,
} from "../note/cosignature.ts";
import { NoteError } from "../note/errors.ts";
import { parseVerifierKey } from "../note/keys.ts";
import { hex32, tryDecodeUtf8 } from "../note/text.ts";
import { entryBundlePath, TILE_WIDTH, type TileId, tilePath } from "../tiles/path.ts";
import {
  type BundleHashes,
  type BundleLayout,
  defaultSha256,
  equalPrefix,
  hashBundleLeaves,
  layoutEntryBundle,
  NodeHasher,
  type Sha256,
} from "./hashing.ts";
import type { VerifyProblem, VerifyReport, WitnessReport } from "./report.ts";

export interface VerifyLogOptions {
  /**
   * Reads a resource of the log by its C2SP tlog-tiles path (`checkpoint`, `tile/0/x001/234`,
   * `tile/entries/005.p/17`): its bytes, or undefined when the log does not have it. A fetch
   * that throws (network down) counts as the resource being unavailable and is reported.
   */
  fetch: (path: string) => Promise<Uint8Array | undefined>;
  /** The log's verifier key, `<name>+<hex id>+<base64>` (Ed25519, type 0x01). */
  logVerifierKey: string;
  /** The checkpoint's expected origin line; defaults to the log key's name. */
  origin?: string;
  /** Witness cosigner verifier keys (type 0x04), each a distinct key. */
  witnessVerifierKeys?: readonly string[];
  /** How many of the witnesses must have cosigned; defaults to all of them. */
  quorum?: number;
  /**
   * Called with every entry, in leaf order, as it is read (also for entries of a bundle that
   * turns out malformed). `bytes` is a view of the fetched bundle: copy it to keep it past the call.
   */
  onEntry?: (index: number, bytes: Uint8Array) => void;
  /** Called after each entry bundle with the entries done and the tree size. */
  onProgress?: (done: number, total: number) => void;
  /** SHA-256 to hash with (see `Sha256`); @noble/hashes by default. */
  sha256?: Sha256;
  /**
   * Hashes a well-formed bundle of `width` entries elsewhere, e.g. in worker threads (Node's
   * `hashEntryBundle` in a pool). Must answer exactly what `hashEntryBundle` answers.
   */
  hashBundle?: (bundle: Uint8Array, width: number) => Promise<BundleHashes>;
  /** Entry bundles (with their level-0 tiles) fetched ahead of the one being hashed; default 16. */
  prefetch?: number;
  /** Problems listed at most (the rest are counted in `problemsOmitted`); default 1000. */
  maxProblems?: number;
}

interface Fetched {
  readonly data?: Uint8Array;
  /** The fetch failed (as opposed to the log answering that it has no such resource). */
  readonly error?: string;
  /** A partial resource was missing and the full one was read for its prefix. */
  readonly viaFull?: boolean;
}

interface Prepared {
  readonly k: number;
  readonly width: number;
  readonly bundlePath: string;
  readonly tilePath: string;
  readonly bundle: Fetched;
  readonly tile: Fetched;
  readonly layout?: BundleLayout;
  readonly hashed?: Promise<BundleHashes>;
}

interface Row {
  readonly hashes: Uint8Array;
  count: number;
  index: number;
}

const FULL_TILE_BYTES = TILE_WIDTH * HASH_SIZE;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function ignore(): void {}

function isoTime(seconds: bigint): string {
  const ms = Number(seconds) * 1000;
  return Number.isSafeInteger(ms) && ms <= 8.64e15 ? new Date(ms).toISOString() : `${seconds} s`;
}

/** Splits a signed note at its last blank line: the text, and the signature lines. */
function splitNote(bytes: Uint8Array): { text: string; lines: string[] } | undefined {
  const all = tryDecodeUtf8(bytes);
  if (all === undefined) return undefined;
  const split = all.lastIndexOf("\n\n");
  if (split < 0) return undefined;
  const block = all.slice(split + 2);
  return { text: all.slice(0, split + 1), lines: block.endsWith("\n") ? block.slice(0, -1).split("\n") : [] };
}

function keyIdOf(payload: Uint8Array): number {
  return new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0, false);
}

function checkWitnesses(
  text: string,
  lines: readonly string[],
  witnesses: readonly CosignatureVerifier[],
): WitnessReport[] {
  return witnesses.map((w) => {
    const base = { name: w.name, keyId: hex32(w.keyId) };
    let failure: string | undefined;
    const prefix = `\u2014 ${w.name} `;
    for (const line of lines) {
      if (!line.startsWith(prefix)) continue;
      // Another key of the same name is not this witness's cosignature.
      const payload = tryDecodeBase64(line.slice(prefix.length));
      if (payload && payload.length >= 4 && keyIdOf(payload) !== w.keyId) continue;
      try {
        const time = verifyCosignature(text, line, w);
        return { ...base, verified: true, time: isoTime(time) };
      } catch (error) {
        failure = message(error);
      }
    }
    return { ...base, verified: false, detail: failure ?? "no cosignature by this key" };
  });
}

/**
 * Audits a whole C2SP tlog-tiles log: opens `checkpoint` (the log's signature is required;
 * witness cosignatures are counted against the quorum), reads every entry bundle, re-hashes
 * every entry into its leaf hash, rebuilds the tree tile by tile and compares every tile the log
 * serves (levels 0 and up) with the recomputed one, then the root with the checkpoint's.
 *
 * Never throws for a bad or unreachable log: everything wrong is a located problem in the report.
 * Throws only for bad arguments (malformed keys, an impossible quorum).
 */
export async function verifyLog(options: VerifyLogOptions): Promise<VerifyReport> {
  const logVerifier = parseVerifierKey(options.logVerifierKey);
  const witnesses = (options.witnessVerifierKeys ?? []).map((k) => parseCosignerVerifierKey(k));
  const labels = new Set(witnesses.map((w) => `${w.name}+${hex32(w.keyId)}`));
  if (labels.size !== witnesses.length) throw new RangeError("a witness key is listed twice");
  const quorum = options.quorum ?? witnesses.length;
  if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > witnesses.length)
    throw new RangeError(`quorum must be an integer from 0 to ${witnesses.length} (the witness keys given)`);
  const origin = options.origin ?? logVerifier.name;
  const maxProblems = options.maxProblems ?? 1000;
  const prefetch = Math.max(1, options.prefetch ?? 16);
  const sha256 = options.sha256 ?? defaultSha256;
  const nodes = new NodeHasher(sha256);

  const problems: VerifyProblem[] = [];
  let omitted = 0;
  const problem = (p: VerifyProblem) => {
    if (problems.length < maxProblems) problems.push(p);
    else omitted++;
  };

  let logSigned = false;
  let witnessReports: WitnessReport[] = witnesses.map((w) => ({
    name: w.name,
    keyId: hex32(w.keyId),
    verified: false,
    detail: "checkpoint not read",
  }));
  let entries = 0;
  let tiles = 0;
  let checkpoint: Checkpoint | undefined;
  let computedRoot: Uint8Array | undefined;

  const finish = (): VerifyReport => {
    const verifiedWitnesses = witnessReports.filter((w) => w.verified).length;
    const quorumMet = verifiedWitnesses >= quorum;
    if (checkpoint && !quorumMet)
      problem({
        kind: "quorum-not-met",
        tile: "checkpoint",
        detail: `${verifiedWitnesses} of the ${witnesses.length} witnesses cosigned; ${quorum} needed`,
      });
    return {
      ok: problems.length === 0 && omitted === 0,
      ...(checkpoint
        ? {
            checkpoint: {
              origin: checkpoint.origin,
              size: Number(checkpoint.size),
              root: encodeBase64(checkpoint.rootHash),
            },
          }
        : {}),
      ...(computedRoot ? { computedRoot: encodeBase64(computedRoot) } : {}),
      signatures: { log: logSigned, witnesses: witnessReports },
      quorum,
      quorumMet,
      entries,
      tiles,
      problems,
      problemsOmitted: omitted,
    };
  };

  const get = async (path: string): Promise<Fetched> => {
    try {
      const data = await options.fetch(path);
      return data === undefined ? {} : { data };
    } catch (error) {
      return { error: message(error) };
    }
  };

  // A log may drop a partial tile once the full one exists (it grew since its checkpoint); the
  // full tile then holds the partial one's hashes as a prefix (C2SP tlog-tiles).
  const getPartialOrFull = async (path: string, fullPath: string, partial: boolean): Promise<Fetched> => {
    const got = await get(path);
    if (!partial || got.data !== undefined || got.error !== undefined) return got;
    const full = await get(fullPath);
    return full.data === undefined ? got : { data: full.data, viaFull: true };
  };

  // 1. The checkpoint.
  const note = await get("checkpoint");
  if (note.data === undefined) {
    problem({
      kind: "checkpoint-unavailable",
      tile: "checkpoint",
      detail: note.error ? `fetching the checkpoint failed: ${note.error}` : "the log has no checkpoint",
    });
    return finish();
  }
  try {
    checkpoint = openCheckpoint(note.data, origin, logVerifier).checkpoint;
    logSigned = true;
  } catch (error) {
    const code = error instanceof NoteError ? error.code : undefined;
    // openCheckpoint checks the signature first, then the text, then the origin.
    if (code === "checkpoint-mismatch" || code === "malformed-checkpoint") logSigned = true;
    problem({
      kind:
        code === "checkpoint-mismatch"
          ? "checkpoint-origin"
          : code === "unverified-note" || code === "invalid-signature"
            ? "checkpoint-signature"
            : "checkpoint-malformed",
      tile: "checkpoint",
      detail: message(error),
    });
  }
  const parts = splitNote(note.data);
  if (!checkpoint && parts) {
    // Go on with an unauthenticated checkpoint so the rest of the log is still examined.
    try {
      checkpoint = parseCheckpoint(parts.text);
    } catch (error) {
      if (logSigned) problem({ kind: "checkpoint-malformed", tile: "checkpoint", detail: message(error) });
    }
  }
  if (!checkpoint || !parts) {
    if (problems.length === 0)
      problem({ kind: "checkpoint-malformed", tile: "checkpoint", detail: "not a signed checkpoint" });
    return finish();
  }
  witnessReports = checkWitnesses(parts.text, parts.lines, witnesses);
  if (checkpoint.size > BigInt(Number.MAX_SAFE_INTEGER)) {
    problem({
      kind: "size-unsupported",
      tile: "checkpoint",
      detail: `tree size ${checkpoint.size} is above 2^53 - 1`,
    });
    return finish();
  }
  const size = Number(checkpoint.size);

  // 2. Every entry bundle with its level-0 tile, in order, a window of them fetched ahead.
  const bundleCount = Math.ceil(size / TILE_WIDTH);
  const prepare = async (k: number): Promise<Prepared> => {
    const width = Math.min(TILE_WIDTH, size - k * TILE_WIDTH);
    const partial = width < TILE_WIDTH;
    const bundleId = { index: k, width };
    const tileId: TileId = { level: 0, index: k, width };
    const bundlePath = entryBundlePath(bundleId);
    const path = tilePath(tileId);
    const [bundle, tile] = await Promise.all([
      getPartialOrFull(bundlePath, entryBundlePath({ index: k, width: TILE_WIDTH }), partial),
      getPartialOrFull(path, tilePath({ level: 0, index: k, width: TILE_WIDTH }), partial),
    ]);
    let layout: BundleLayout | undefined;
    let hashed: Promise<BundleHashes> | undefined;
    if (bundle.data) {
      layout = layoutEntryBundle(bundle.data, width, bundle.viaFull === true);
      if (layout.error === undefined && options.hashBundle) {
        hashed = options.hashBundle(bundle.data, width);
        hashed.catch(ignore); // awaited in order later; do not let it count as unhandled meanwhile
      }
    }
    return { k, width, bundlePath, tilePath: path, bundle, tile, layout, hashed };
  };

  const rows: Row[] = [];
  const rowAt = (level: number): Row => {
    let row = rows[level];
    if (!row) {
      row = { hashes: new Uint8Array(FULL_TILE_BYTES), count: 0, index: 0 };
      rows[level] = row;
    }
    return row;
  };
  let broken = false; // a gap in both entries and tiles: no root can be recomputed
  let stoodIn = 0; // leaves whose hash came from the log's tile, not from an entry

  /** The tile's hashes if it is well formed, reporting it otherwise. */
  const tileHashes = (fetched: Fetched, path: string, width: number): Uint8Array | undefined => {
    if (fetched.data === undefined) {
      problem({
        kind: "tile-missing",
        tile: path,
        detail: fetched.error ? `fetching it failed: ${fetched.error}` : "the log does not serve it",
      });
      return undefined;
    }
    const expected = fetched.viaFull ? FULL_TILE_BYTES : width * HASH_SIZE;
    if (fetched.data.length !== expected) {
      problem({
        kind: "tile-malformed",
        tile: path,
        detail: `${fetched.data.length} bytes, expected ${expected} (${expected / HASH_SIZE} hashes)`,
      });
      return undefined;
    }
    tiles++;
    return fetched.data.subarray(0, width * HASH_SIZE);
  };

  /** Positions (hash index) where `a` and `b` differ among the first `width`; `known` hashes of `a` exist. */
  const differences = (a: Uint8Array, known: number, b: Uint8Array, width: number): number[] => {
    const found: number[] = [];
    if (known === width && equalPrefix(a, b, width * HASH_SIZE)) return found;
    for (let i = 0; i < width; i++) {
      if (i >= known) {
        found.push(i);
        continue;
      }
      const at = i * HASH_SIZE;
      for (let j = 0; j < HASH_SIZE; j++) {
        if (a[at + j] !== b[at + j]) {
          found.push(i);
          break;
        }
      }
    }
    return found;
  };

  const listed = (xs: readonly number[]): string =>
    xs.length <= 8 ? xs.join(", ") : `${xs.slice(0, 8).join(", ")} and ${xs.length - 8} more`;

  /** Compares a completed (or final partial) row above level 0 with the log's tile. */
  const checkUpperTile = async (level: number, row: Row, width: number) => {
    const tile: TileId = { level, index: row.index, width };
    const path = tilePath(tile);
    const fetched = await getPartialOrFull(
      path,
      tilePath({ level, index: row.index, width: TILE_WIDTH }),
      width < TILE_WIDTH,
    );
    const theirs = tileHashes(fetched, path, width);
    if (!theirs) return;
    const diff = differences(row.hashes, width, theirs, width);
    if (diff.length === 0) return;
    const span = TILE_WIDTH ** level;
    const firstLeaf = (row.index * TILE_WIDTH + diff[0]!) * span;
    problem({
      kind: "tile-mismatch",
      tile: path,
      index: firstLeaf,
      detail:
        `hash ${listed(diff)} of ${width} differ from the entries' tree; the first covers leaves ` +
        `${firstLeaf}–${Math.min(size, firstLeaf + span) - 1}`,
    });
  };

  const push = async (level: number, hash: Uint8Array): Promise<void> => {
    const row = rowAt(level);
    row.hashes.set(hash, row.count * HASH_SIZE);
    row.count++;
    if (row.count < TILE_WIDTH) return;
    await checkUpperTile(level, row, TILE_WIDTH);
    const up = nodes.reducePerfect(row.hashes, TILE_WIDTH);
    row.count = 0;
    row.index++;
    await push(level + 1, up);
  };

  const consume = async (p: Prepared) => {
    const first = p.k * TILE_WIDTH;
    const level0 = rowAt(0);
    let known = 0; // leaf hashes recomputed from entries, in level0.hashes
    let root: Uint8Array | undefined;
    const data = p.bundle.data;
    if (data === undefined || p.layout === undefined) {
      problem({
        kind: "entries-missing",
        tile: p.bundlePath,
        index: first,
        detail: `${p.bundle.error ? `fetching it failed: ${p.bundle.error}` : "the log does not serve it"}; leaves ${first}–${first + p.width - 1} cannot be checked`,
      });
    } else {
      const { offsets, count, error } = p.layout;
      if (error !== undefined)
        problem({
          kind: "entries-malformed",
          tile: p.bundlePath,
          index: first + count,
          detail: `the bundle ${error}`,
        });
      const onEntry = options.onEntry;
      if (onEntry)
        for (let i = 0; i < count; i++) {
          const at = offsets[i]!;
          onEntry(first + i, data.subarray(at + 2, at + 2 + ((data[at]! << 8) | data[at + 1]!)));
        }
      entries += count;
      known = count;
      if (p.hashed) {
        const hashed = await p.hashed;
        if (hashed.leaves.length !== p.width * HASH_SIZE)
          throw new Error("hashBundle answered the wrong number of leaf hashes");
        level0.hashes.set(hashed.leaves);
        root = hashed.root;
      } else {
        hashBundleLeaves(data, offsets, count, sha256, level0.hashes);
      }
    }

    const theirs = tileHashes(p.tile, p.tilePath, p.width);
    if (theirs && data !== undefined) {
      const diff = differences(level0.hashes, known, theirs, p.width);
      if (diff.length > 0)
        problem({
          kind: "leaf-mismatch",
          tile: p.tilePath,
          index: first + diff[0]!,
          detail: `${diff.length === 1 ? "leaf" : "leaves"} ${listed(diff.map((i) => first + i))} ${diff.length === 1 ? "does" : "do"} not hash to the tile's leaf hash`,
        });
    }
    if (known < p.width) {
      // Carry the log's own hashes upward so the tiles above can still be checked; the gap has
      // been reported, so the audit fails whatever the root says.
      if (theirs) {
        level0.hashes.set(theirs);
        stoodIn += p.width - known;
      } else broken = true;
      root = undefined;
    }
    level0.count = p.width;
    level0.index = p.k;
    if (!broken && p.width === TILE_WIDTH) {
      await push(1, root ?? nodes.reducePerfect(level0.hashes, TILE_WIDTH));
      level0.count = 0;
    }
    options.onProgress?.(first + p.width, size);
  };

  const window: Promise<Prepared>[] = [];
  let next = 0;
  const fill = () => {
    while (next < bundleCount && window.length < prefetch) {
      const promise = prepare(next++);
      promise.catch(ignore);
      window.push(promise);
    }
  };
  fill();
  while (window.length > 0) {
    const p = await window.shift()!;
    fill();
    await consume(p);
  }

  // 3. The partial tiles of the right edge above level 0, then the root.
  if (!broken) {
    for (let level = 1; level < rows.length; level++) {
      const row = rows[level]!;
      if (row.count > 0) await checkUpperTile(level, row, row.count);
    }
    const root = size === 0 ? sha256(new Uint8Array(0)) : rootOfRows(rows, nodes);
    // With leaf hashes taken from the log's tiles for unreadable entries, the root tells whether
    // the tiles agree with the checkpoint, not what the entries give: it is not reported as theirs.
    if (stoodIn === 0) computedRoot = root;
    if (!equalPrefix(root, checkpoint.rootHash, HASH_SIZE))
      problem({
        kind: "root-mismatch",
        tile: "checkpoint",
        detail:
          stoodIn === 0
            ? `the checkpoint's root is ${encodeBase64(checkpoint.rootHash)}; the entries give ${encodeBase64(root)}`
            : `the checkpoint's root is ${encodeBase64(checkpoint.rootHash)}; the entries, with the log's own leaf ` +
              `hashes standing in for ${stoodIn} that could not be read, give ${encodeBase64(root)}`,
      });
  } else {
    problem({
      kind: "root-unverifiable",
      tile: "checkpoint",
      detail: "entries and tiles are both missing somewhere, so the root cannot be recomputed",
    });
  }
  return finish();
}

/** RFC 9162 root from the pending (partial) rows of every level, highest level first. */
function rootOfRows(rows: readonly Row[], nodes: NodeHasher): Uint8Array {
  const perfect: Uint8Array[] = [];
  for (let level = rows.length - 1; level >= 0; level--) {
    const row = rows[level]!;
    for (const node of rangeNodes(0, row.count)) {
      const span = 2 ** node.level;
      perfect.push(nodes.range(row.hashes, node.index * span, (node.index + 1) * span));
    }
  }
  let h = perfect[perfect.length - 1]!;
  for (let i = perfect.length - 2; i >= 0; i--) h = nodes.node(perfect[i]!, h);
  return h;
}
