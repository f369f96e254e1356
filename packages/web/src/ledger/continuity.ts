import {
  decodeBase64,
  encodeBase64,
  openCheckpoint,
  parseVerifierKey,
  verifyConsistency,
} from "@armsledger/ledger";
import { getJson } from "../api/client.ts";

// A browser that has seen a checkpoint can tell whether the next one extends it (RFC 9162
// consistency proof) or rewrites history. Each browser keeps the last checkpoint it verified, so
// a server showing one reader a history that forks from what it showed before is caught by that
// reader — without trusting the server, and with nothing to configure. The log's key is kept too
// (trust on first use): a changed key is reported, never silently accepted.

export interface SeenCheckpoint {
  logKey: string;
  size: number;
  /** Base64, from the signed note. */
  rootHash: string;
  seenAt: string;
}

export type Continuity =
  | { kind: "first" }
  | { kind: "same"; seen: SeenCheckpoint }
  | { kind: "extends"; seen: SeenCheckpoint }
  | { kind: "older"; seen: SeenCheckpoint }
  | { kind: "keyChanged"; seen: SeenCheckpoint }
  | { kind: "forked"; seen: SeenCheckpoint };

const STORAGE_KEY = "armsledger.ledger.seen";

export type ConsistencyProof = (from: number, to: number) => Promise<{ proof: string[] }>;

const httpConsistency: ConsistencyProof = (from, to) =>
  getJson(`/api/v1/ledger/consistency?from=${from}&to=${to}`);

function recall(storage: Storage): SeenCheckpoint | undefined {
  try {
    const seen = JSON.parse(storage.getItem(STORAGE_KEY) ?? "null") as SeenCheckpoint | null;
    return seen && typeof seen.size === "number" && typeof seen.rootHash === "string" ? seen : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Compares a checkpoint note, signed by `logKey` (checked here again), with the one this browser
 * last verified, and remembers it when it is the first or extends the last. Throws when the note
 * does not verify: call it only for a checkpoint whose signature the page has shown as good.
 */
export async function checkContinuity(
  note: string,
  logKey: string,
  consistency: ConsistencyProof = httpConsistency,
  storage: Storage = localStorage,
  now: () => Date = () => new Date(),
): Promise<Continuity> {
  const verifier = parseVerifierKey(logKey);
  const { checkpoint } = openCheckpoint(note, verifier.name, verifier);
  const current: SeenCheckpoint = {
    logKey,
    size: Number(checkpoint.size),
    rootHash: encodeBase64(checkpoint.rootHash),
    seenAt: now().toISOString(),
  };
  const remember = () => storage.setItem(STORAGE_KEY, JSON.stringify(current));
  const seen = recall(storage);
  if (!seen) {
    remember();
    return { kind: "first" };
  }
  if (seen.logKey !== logKey) return { kind: "keyChanged", seen };
  if (current.size < seen.size) return { kind: "older", seen };
  if (current.size === seen.size)
    return current.rootHash === seen.rootHash ? { kind: "same", seen } : { kind: "forked", seen };
  const { proof } = await consistency(seen.size, current.size);
  let consistent: boolean;
  try {
    consistent = verifyConsistency(
      seen.size,
      current.size,
      decodeBase64(seen.rootHash),
      checkpoint.rootHash,
      proof.map((p) => decodeBase64(p)),
    );
  } catch {
    consistent = false; // a proof that is not even base64 proves nothing
  }
  // Not shown to extend what this browser saw: reported, and the old checkpoint kept as the reference.
  if (!consistent) return { kind: "forked", seen };
  remember();
  return { kind: "extends", seen };
}
