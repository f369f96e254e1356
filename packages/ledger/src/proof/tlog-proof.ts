import { verifyInclusion } from "../merkle/verify.ts";
import { decodeBase64, encodeBase64 } from "../note/base64.ts";
import { openCheckpoint } from "../note/checkpoint.ts";
import type { Verifier } from "../note/keys.ts";

// C2SP tlog-proof (c2sp.org/tlog-proof@v1): a self-contained, offline-verifiable proof that an
// entry is in the log — what a fighter's receipt points to.
const HEADER = "c2sp.org/tlog-proof@v1";

export interface TlogProof {
  extra?: Uint8Array;
  index: number;
  proof: Uint8Array[];
  /** The checkpoint note, verbatim, with the log's signature and any cosignatures. */
  checkpoint: string;
}

export class TlogProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TlogProofError";
  }
}

export function formatTlogProof(p: TlogProof): string {
  return [
    HEADER,
    ...(p.extra ? [`extra ${encodeBase64(p.extra)}`] : []),
    `index ${p.index}`,
    ...p.proof.map(encodeBase64),
    "",
    p.checkpoint,
  ].join("\n");
}

export function parseTlogProof(text: string): TlogProof {
  const lines = text.split("\n");
  if (lines[0] !== HEADER) throw new TlogProofError(`a tlog-proof starts with the line ${HEADER}`);
  let i = 1;
  let extra: Uint8Array | undefined;
  if (lines[i]?.startsWith("extra ")) extra = decodeBase64(lines[i++]!.slice(6));
  const m = /^index (0|[1-9][0-9]{0,15})$/.exec(lines[i++] ?? "");
  if (!m)
    throw new TlogProofError("the index line is missing or malformed (a decimal without leading zeros)");
  const index = Number(m[1]);
  if (!Number.isSafeInteger(index)) throw new TlogProofError("the index is too large");
  const proof: Uint8Array[] = [];
  while (i < lines.length && lines[i] !== "") {
    const hash = decodeBase64(lines[i++]!);
    if (hash.length !== 32) throw new TlogProofError("every proof line is a base64 SHA-256 hash");
    if (proof.length >= 64) throw new TlogProofError("the proof has too many lines");
    proof.push(hash);
  }
  if (lines[i] !== "")
    throw new TlogProofError("the proof must be followed by an empty line and the checkpoint");
  const checkpoint = lines.slice(i + 1).join("\n");
  return { ...(extra ? { extra } : {}), index, proof, checkpoint };
}

export interface TlogProofResult {
  index: number;
  size: bigint;
  verifiedWitnesses: string[];
}

/**
 * Checks, offline, that `leafHash` is at the proof's index in the tree the log signed. Throws a
 * TlogProofError (or the note module's NoteError) saying what does not hold.
 */
export function verifyTlogProof(
  text: string,
  leafHash: Uint8Array,
  origin: string,
  logVerifier: Verifier,
  witnesses: readonly Verifier[] = [],
): TlogProofResult {
  const proof = parseTlogProof(text);
  const opened = openCheckpoint(proof.checkpoint, origin, logVerifier, witnesses);
  const size = opened.checkpoint.size;
  if (size > BigInt(Number.MAX_SAFE_INTEGER))
    throw new TlogProofError("the checkpoint's tree is too large to check here");
  if (!verifyInclusion(leafHash, proof.index, Number(size), proof.proof, opened.checkpoint.rootHash))
    throw new TlogProofError(
      `the entry is not at index ${proof.index} of the tree the log signed at size ${size}`,
    );
  const verifiedWitnesses = opened.verifiedSignatures
    .map((s) => s.name)
    .filter((name) => name !== logVerifier.name);
  return { index: proof.index, size, verifiedWitnesses };
}
