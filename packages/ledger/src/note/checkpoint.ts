import { encodeBase64, tryDecodeBase64 } from "./base64.ts";
import { NoteError } from "./errors.ts";
import type { Verifier } from "./keys.ts";
import { type NoteSignature, openNote } from "./note.ts";
import { hasControlCharacters, hex32 } from "./text.ts";

// C2SP tlog-checkpoint v1.0.0 (c2sp.org/tlog-checkpoint@v1.0.0): the note text of a log's signed
// tree head. origin, decimal tree size, base64 RFC 6962 root hash, then optional extension lines.

export const ROOT_HASH_BYTES = 32;
export const MAX_TREE_SIZE = (1n << 64n) - 1n;

const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

export interface Checkpoint {
  readonly origin: string;
  readonly size: bigint;
  readonly rootHash: Uint8Array;
  /** Opaque non-empty lines after the root hash. Not auditable by monitors; ArmsLedger writes none. */
  readonly extensions: readonly string[];
}

export interface CheckpointInput {
  readonly origin: string;
  readonly size: bigint | number;
  readonly rootHash: Uint8Array;
  readonly extensions?: readonly string[];
}

function malformed(why: string): never {
  throw new NoteError("malformed-checkpoint", `malformed checkpoint: ${why}`);
}

function checkLine(line: string, what: string): void {
  if (typeof line !== "string" || line === "") malformed(`${what} must be non-empty`);
  if (!line.isWellFormed()) malformed(`${what} is not well-formed Unicode`);
  if (line.includes("\n")) malformed(`${what} must be a single line`);
  if (hasControlCharacters(line)) malformed(`${what} contains a control character`);
}

/** Parses a tree size: decimal, no sign, no leading zeros, no whitespace, at most 2^64 - 1. */
export function parseTreeSize(text: string): bigint {
  if (!DECIMAL.test(text) || text.length > 20)
    malformed("tree size must be a decimal uint64 without leading zeros");
  const size = BigInt(text);
  if (size > MAX_TREE_SIZE) malformed("tree size exceeds 2^64 - 1");
  return size;
}

/** The checkpoint note text, ending in "\n". Checks every field as parseCheckpoint would. */
export function formatCheckpoint(input: CheckpointInput): string {
  const { origin, rootHash } = input;
  const extensions = input.extensions ?? [];
  checkLine(origin, "origin");
  let size: bigint;
  if (typeof input.size === "bigint") {
    size = input.size;
  } else if (Number.isSafeInteger(input.size)) {
    size = BigInt(input.size);
  } else {
    malformed("tree size must be a bigint or a safe integer");
  }
  if (size < 0n || size > MAX_TREE_SIZE) malformed("tree size out of uint64 range");
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== ROOT_HASH_BYTES) {
    malformed("root hash must be 32 bytes");
  }
  for (const line of extensions) checkLine(line, "extension line");
  const text = `${origin}\n${size}\n${encodeBase64(rootHash)}\n${extensions.map((l) => `${l}\n`).join("")}`;
  parseCheckpoint(text); // belt and braces: what we write, we read back
  return text;
}

/** Strictly parses checkpoint note text (the signed text of the note, without signatures). */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== "string" || !text.isWellFormed()) malformed("not well-formed Unicode");
  if (!text.endsWith("\n")) malformed("text must end in a newline");
  if (hasControlCharacters(text)) malformed("contains a control character other than newline");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3) malformed("expected origin, tree size and root hash lines");
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === "") malformed("origin must be non-empty");
  const size = parseTreeSize(sizeText);
  const rootHash = tryDecodeBase64(rootText);
  if (rootHash === undefined) malformed("root hash is not canonical standard base64");
  if (rootHash.length !== ROOT_HASH_BYTES) malformed("root hash must be 32 bytes");
  for (const line of extensions) if (line === "") malformed("extension lines must be non-empty");
  return { origin, size, rootHash, extensions };
}

export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly text: string;
  readonly verifiedSignatures: readonly NoteSignature[];
  readonly unverifiedSignatures: readonly NoteSignature[];
}

/**
 * Opens a signed checkpoint: the note must carry a valid signature by `logVerifier` and its origin
 * line must equal `origin` (for ArmsLedger logs the log's key name is the origin). Signatures by
 * `otherVerifiers` (e.g. cosigner verifiers) are verified too; unknown ones are ignored.
 */
export function openCheckpoint(
  note: Uint8Array | string,
  origin: string,
  logVerifier: Verifier,
  otherVerifiers: readonly Verifier[] = [],
): OpenedCheckpoint {
  const opened = openNote(note, [logVerifier, ...otherVerifiers]);
  const signedByLog = opened.verifiedSignatures.some(
    (s) => s.name === logVerifier.name && s.keyId === logVerifier.keyId,
  );
  if (!signedByLog) {
    throw new NoteError(
      "unverified-note",
      `checkpoint is not signed by the log key ${logVerifier.name}+${hex32(logVerifier.keyId)}`,
    );
  }
  const checkpoint = parseCheckpoint(opened.text);
  if (checkpoint.origin !== origin) {
    throw new NoteError(
      "checkpoint-mismatch",
      `checkpoint origin ${JSON.stringify(checkpoint.origin)} is not ${JSON.stringify(origin)}`,
    );
  }
  return { checkpoint, ...opened };
}

export interface CosignedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** For each cosigner given, in order: whether the note carries its valid signature. */
  readonly cosigned: readonly boolean[];
}

/**
 * Opens a checkpoint signed by its log (its key name is the origin) and says which of the given
 * cosigners signed it. The one place a witness's cosignature is matched to its key (name and key
 * id), for the server's policy check and the browser's alike. An `undefined` cosigner (a key that
 * did not parse) counts as not signed; a known key's invalid signature rejects the note, as
 * signed-note requires.
 */
export function openCosignedCheckpoint(
  note: Uint8Array | string,
  logVerifier: Verifier,
  cosigners: readonly (Verifier | undefined)[],
): CosignedCheckpoint {
  const known = cosigners.filter((v): v is Verifier => v !== undefined);
  const opened = openCheckpoint(note, logVerifier.name, logVerifier, known);
  const signed = new Set(opened.verifiedSignatures.map((s) => `${s.name}\u0000${s.keyId}`));
  return {
    checkpoint: opened.checkpoint,
    cosigned: cosigners.map((v) => v !== undefined && signed.has(`${v.name}\u0000${v.keyId}`)),
  };
}
