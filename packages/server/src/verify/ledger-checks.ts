import {
  canonicalJson,
  commitment,
  fromHex,
  leafHash,
  MerkleFrontier,
  openCheckpoint,
  parseVerifierKey,
  TileBuilder,
  toHex,
} from "@armsledger/ledger";
import { asc } from "drizzle-orm";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { isPurgedPart, storedEventBatches } from "./stored-events.ts";

export interface LedgerProblem {
  kind: "gap" | "leaf hash" | "entry" | "personal part" | "tile" | "checkpoint root" | "checkpoint signature";
  /** Leaf index, tile path or checkpoint size where the problem is. */
  at: string;
  detail: string;
}

const BATCH = 2000;
const encoder = new TextEncoder();

/**
 * Re-derives the log from the `events` rows alone and checks it against what the log published:
 * each leaf hash, the salted commitment to each private part, the stored tiles, and the root of
 * every checkpoint (and, given the log's key, its signature).
 */
export async function checkLedger(
  store: Store,
  options: { logVerifierKey?: string; onProgress?: (done: number) => void } = {},
) {
  const problems: LedgerProblem[] = [];
  const checkpoints = await store.db.select().from(t.checkpoints).orderBy(asc(t.checkpoints.size));
  const rootsAt = new Map(checkpoints.map((c) => [c.size, c.rootHash]));
  const builder = new TileBuilder();
  const frontier = new MerkleFrontier();
  const builtTiles = new Map<string, Uint8Array>();
  const checkRoot = () => {
    const expected = rootsAt.get(frontier.size);
    if (expected !== undefined && toHex(frontier.root()) !== expected)
      problems.push({
        kind: "checkpoint root",
        at: `size ${frontier.size}`,
        detail: "the signed root does not match the tree the events make",
      });
  };
  checkRoot();

  let expectedSeq = 0;
  // Private parts purged on purpose: their commitments cannot be checked any more.
  let purged = 0;
  for await (const batch of storedEventBatches(store, BATCH)) {
    for (const { event, personal } of batch) {
      if (event.seq !== expectedSeq) {
        problems.push({
          kind: "gap",
          at: `leaf ${expectedSeq}`,
          detail: `events ${expectedSeq}…${event.seq - 1} are missing`,
        });
        expectedSeq = event.seq;
      }
      const hash = leafHash(encoder.encode(event.entry));
      if (toHex(hash) !== event.leafHash)
        problems.push({
          kind: "leaf hash",
          at: `leaf ${event.seq}`,
          detail: "the stored leaf hash is not the hash of the stored entry",
        });
      let leaf: { index?: number; type?: string; command?: string; personal?: string } = {};
      try {
        leaf = JSON.parse(event.entry);
        if (canonicalJson(leaf) !== event.entry) throw new Error("not canonical");
      } catch {
        problems.push({ kind: "entry", at: `leaf ${event.seq}`, detail: "the entry is not canonical JSON" });
      }
      if (leaf.index !== event.seq || leaf.type !== event.type || leaf.command !== event.commandId)
        problems.push({
          kind: "entry",
          at: `leaf ${event.seq}`,
          detail: "the entry's index, type or command does not match its row",
        });
      if (leaf.personal && !personal)
        problems.push({
          kind: "personal part",
          at: `leaf ${event.seq}`,
          detail: "the committed personal part is missing",
        });
      if (isPurgedPart(personal)) purged++;
      if (personal?.unreadable)
        problems.push({ kind: "personal part", at: `leaf ${event.seq}`, detail: personal.unreadable });
      // A purged part (its data key destroyed) is gone on purpose: the leaf's commitment stands alone.
      else if (
        personal &&
        !isPurgedPart(personal) &&
        (!leaf.personal ||
          toHex(commitment(fromHex(personal.salt), JSON.parse(personal.data!))) !== leaf.personal)
      )
        problems.push({
          kind: "personal part",
          at: `leaf ${event.seq}`,
          detail: "the personal part does not open the leaf's commitment",
        });
      // The tree is rebuilt from the entries themselves, not from the stored leaf hashes.
      for (const blob of builder.append(hash))
        builtTiles.set(`${blob.tile.level}/${blob.tile.index}`, blob.data);
      frontier.append(hash);
      checkRoot();
      expectedSeq++;
    }
    options.onProgress?.(expectedSeq);
  }
  for (const blob of builder.partialTiles())
    builtTiles.set(`${blob.tile.level}/${blob.tile.index}`, blob.data);

  // Tiles as stored (and served) against tiles as rebuilt, compared on the stored width.
  const stored = await store.db.select().from(t.logTiles);
  for (const tile of stored) {
    const mine = builtTiles.get(`${tile.level}/${tile.index}`);
    const theirs = tile.data.subarray(0, tile.width * 32);
    if (!mine || mine.length < theirs.length || toHex(mine.subarray(0, theirs.length)) !== toHex(theirs))
      problems.push({
        kind: "tile",
        at: `tile ${tile.level}/${tile.index}`,
        detail: "the published tile differs from the tree the events make",
      });
  }

  if (options.logVerifierKey && checkpoints.length > 0) {
    const verifier = parseVerifierKey(options.logVerifierKey);
    for (const c of checkpoints) {
      try {
        openCheckpoint(c.note, verifier.name, verifier);
      } catch (error) {
        problems.push({
          kind: "checkpoint signature",
          at: `size ${c.size}`,
          detail: (error as Error).message,
        });
      }
    }
  }
  return { leaves: expectedSeq, checkpoints: checkpoints.length, purged, problems };
}
