import { LeafEntryError, parseLeafEntry, parseReceiptNumber, parseReceiptQrText } from "@armsledger/core";
import {
  decodeEntryBundle,
  entryBundlePath,
  leafHash,
  openCheckpoint,
  parseTlogProof,
  parseVerifierKey,
  TILE_WIDTH,
  toHex,
  verifyInclusion,
} from "@armsledger/ledger";
import { ApiError, getBytes, getJson, getText } from "../api/client.ts";

// The public receipt check. The server hands over a portable proof (C2SP tlog-proof: the leaf's
// index, its inclusion proof and the signed checkpoint) and the entry itself (from the log's entry
// bundle); everything that makes the answer trustworthy is computed here, in the browser, with
// packages/ledger: the entry's leaf hash, the path from it to the signed root, and the signature.

/** What was typed or scanned: a receipt number, or the text of the receipt's QR code. */
export interface ReceiptInput {
  receiptNumber: string;
  index: number;
  /** Printed in the QR code: then the entry must hash to exactly this. */
  qrLeafHash?: string;
}

/** Arabic-Indic and Extended Arabic-Indic digits, as typed on an Arabic keyboard, read as 0-9. */
export function westernDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/gu, (d) => String(d.codePointAt(0)! & 0xf));
}

export function readReceiptInput(text: string): ReceiptInput | undefined {
  const typed = westernDigits(text).trim();
  const qr = parseReceiptQrText(typed);
  if (qr) return { receiptNumber: qr.receiptNumber, index: qr.leafIndex, qrLeafHash: qr.leafHash };
  const index = parseReceiptNumber(typed);
  if (index === undefined) return undefined;
  return { receiptNumber: typed.toUpperCase(), index };
}

export type FailureReason =
  | "notFound"
  | "notYet"
  | "noKey"
  | "badKey"
  | "badProof"
  | "badSignature"
  | "notIncluded"
  | "wrongIndex"
  | "entryMissing"
  | "notHandover"
  | "qrMismatch"
  | "network";

export interface Verified {
  verified: true;
  receiptNumber: string;
  index: number;
  /** The tree size the log signed, that the entry was proved to be in. */
  size: number;
  /** The log's verifier key (name+id+key), to compare with the one the programme publishes. */
  logKey: string;
  recordedAt: string;
  weapons: number;
  ammunition: number;
  qrMatched: boolean;
  leafHash: string;
}

export interface NotVerified {
  verified: false;
  reason: FailureReason;
  /** The verifier's own words, for the reasons that carry them. */
  why?: string;
  got?: number;
  want?: number;
}

export type ReceiptCheck = Verified | NotVerified;

/** Where the public ledger is read from: the HTTP API, or a fake in tests. */
export interface LedgerSource {
  checkpoint(): Promise<{ size: number; logVerifierKey: string | null }>;
  proof(receiptNumber: string): Promise<string>;
  entryBundle(path: string): Promise<Uint8Array>;
}

export const httpLedger: LedgerSource = {
  checkpoint: () => getJson("/api/v1/ledger/checkpoint"),
  proof: (n) => getText(`/api/v1/receipts/${encodeURIComponent(n)}/proof`),
  entryBundle: (path) => getBytes(`/log/${path}`),
};

const fail = (reason: FailureReason, extra: Omit<NotVerified, "verified" | "reason"> = {}): NotVerified => ({
  verified: false,
  reason,
  ...extra,
});

export async function checkReceipt(
  receipt: ReceiptInput,
  source: LedgerSource = httpLedger,
): Promise<ReceiptCheck> {
  try {
    return await check(receipt, source);
  } catch (error) {
    if (error instanceof ApiError && error.code === "network") return fail("network");
    throw error;
  }
}

async function check(receipt: ReceiptInput, source: LedgerSource): Promise<ReceiptCheck> {
  const published = await source.checkpoint();
  if (!published.logVerifierKey) return fail("noKey");
  let verifier: ReturnType<typeof parseVerifierKey>;
  try {
    verifier = parseVerifierKey(published.logVerifierKey);
  } catch (error) {
    return fail("badKey", { why: (error as Error).message });
  }

  let text: string;
  try {
    text = await source.proof(receipt.receiptNumber);
  } catch (error) {
    // Only the server knows whether a handover has this number: it answers "not yet" (recorded,
    // not yet signed) with a Retry-After. A number past the signed size may well be nobody's.
    if (error instanceof ApiError && error.status === 404)
      return fail(error.retryAfter !== undefined ? "notYet" : "notFound");
    throw error;
  }

  let proof: ReturnType<typeof parseTlogProof>;
  try {
    proof = parseTlogProof(text);
  } catch (error) {
    return fail("badProof", { why: (error as Error).message });
  }
  if (proof.index !== receipt.index) return fail("wrongIndex", { got: proof.index, want: receipt.index });

  // The log's signature over the checkpoint: its origin must be the key's name, as C2SP logs do.
  let opened: ReturnType<typeof openCheckpoint>;
  try {
    opened = openCheckpoint(proof.checkpoint, verifier.name, verifier);
  } catch (error) {
    return fail("badSignature", { why: (error as Error).message });
  }
  const size = Number(opened.checkpoint.size);
  if (!Number.isSafeInteger(size) || proof.index >= size)
    return fail("notIncluded", { why: `index ${proof.index}, tree size ${opened.checkpoint.size}` });

  // The entry itself, from the entry bundle of the signed tree's size, hashed here.
  const bundle = Math.floor(proof.index / TILE_WIDTH);
  const width = Math.min(TILE_WIDTH, size - bundle * TILE_WIDTH);
  let entry: Uint8Array;
  try {
    const entries = decodeEntryBundle(
      await source.entryBundle(entryBundlePath({ index: bundle, width })),
      width,
    );
    entry = entries[proof.index - bundle * TILE_WIDTH]!;
  } catch (error) {
    // Absent (404) or not an entry bundle of that width: either way there is no entry to hash.
    if ((error instanceof ApiError && error.code !== "network") || error instanceof RangeError)
      return fail("entryMissing");
    throw error;
  }
  const hash = leafHash(entry);
  if (receipt.qrLeafHash !== undefined && toHex(hash) !== receipt.qrLeafHash) return fail("qrMismatch");
  if (!verifyInclusion(hash, proof.index, size, proof.proof, opened.checkpoint.rootHash))
    return fail("notIncluded", {
      why: `the path from entry ${proof.index} does not lead to the root signed at size ${size}`,
    });

  let parsed: ReturnType<typeof parseLeafEntry>;
  try {
    parsed = parseLeafEntry(entry);
  } catch (error) {
    if (error instanceof LeafEntryError) return fail("notHandover");
    throw error;
  }
  if (parsed.type !== "handover.recorded") return fail("notHandover");
  const data = parsed.data as { weapons?: unknown[]; ammunition?: unknown[] };
  return {
    verified: true,
    receiptNumber: receipt.receiptNumber,
    index: proof.index,
    size,
    logKey: published.logVerifierKey,
    recordedAt: parsed.at,
    weapons: data.weapons?.length ?? 0,
    ammunition: data.ammunition?.length ?? 0,
    qrMatched: receipt.qrLeafHash !== undefined,
    leafHash: toHex(hash),
  };
}
