import { decodeBase64, encodeBase64, MAX_TREE_SIZE, ROOT_HASH_BYTES } from "@armsledger/ledger";

// C2SP tlog-witness v1.0.0 (c2sp.org/tlog-witness@v1.0.0), add-checkpoint request body:
//   "old <size>\n", zero to 63 consistency proof lines (one base64 hash each), "\n", the checkpoint note.

/** The spec: "The client MUST NOT send more than 63 consistency proof lines." */
export const MAX_PROOF_LINES = 63;

/** Content-Type of a 409 Conflict answer, whose body is the witness's size in decimal and "\n". */
export const TLOG_SIZE_CONTENT_TYPE = "text/x.tlog.size";

const DECIMAL = /^(?:0|[1-9][0-9]{0,19})$/;
const FATAL_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export interface AddCheckpointRequest {
  readonly oldSize: bigint;
  readonly proof: readonly Uint8Array[];
  /** The signed checkpoint note exactly as submitted (text, blank line, signature lines). */
  readonly note: string;
}

/** A request body that does not follow the add-checkpoint grammar (the witness answers 400). */
export class MalformedRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedRequestError";
  }
}

function malformed(why: string): never {
  throw new MalformedRequestError(`malformed add-checkpoint request: ${why}`);
}

/** Parses a decimal uint64 with no sign, whitespace or leading zeros; undefined otherwise. */
export function parseUint64(text: string): bigint | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const n = BigInt(text);
  return n <= MAX_TREE_SIZE ? n : undefined;
}

/**
 * Parses an add-checkpoint body. Checks the grammar only (old size line, ≤ 63 proof lines of
 * canonical base64 32-byte hashes, the blank line); the note is checked when it is opened.
 */
export function parseAddCheckpointBody(body: Uint8Array | string): AddCheckpointRequest {
  let text: string;
  if (typeof body === "string") {
    if (!body.isWellFormed()) malformed("not well-formed Unicode");
    text = body;
  } else {
    try {
      text = FATAL_UTF8.decode(body);
    } catch {
      malformed("not valid UTF-8");
    }
  }
  // Header lines are never empty, so the first blank line ends the header; the note has its own.
  const end = text.indexOf("\n\n");
  if (end < 0) malformed("no blank line before the checkpoint");
  const header = text.slice(0, end).split("\n");
  const note = text.slice(end + 2);
  const oldLine = header[0]!;
  if (!oldLine.startsWith("old ")) malformed('the first line must be "old <size>"');
  const oldSize = parseUint64(oldLine.slice(4));
  if (oldSize === undefined) malformed("old size must be a decimal uint64 without leading zeros");
  const proofLines = header.slice(1);
  if (proofLines.length > MAX_PROOF_LINES) malformed(`more than ${MAX_PROOF_LINES} consistency proof lines`);
  const proof = proofLines.map((line) => {
    let hash: Uint8Array;
    try {
      hash = decodeBase64(line);
    } catch {
      malformed("a consistency proof line is not canonical base64");
    }
    if (hash.length !== ROOT_HASH_BYTES) malformed("a consistency proof line is not a 32-byte hash");
    return hash;
  });
  if (note === "") malformed("missing checkpoint");
  return { oldSize, proof, note };
}

/** The add-checkpoint body for a signed checkpoint note, an old size and its consistency proof. */
export function formatAddCheckpointBody(
  oldSize: bigint,
  proof: readonly Uint8Array[],
  signedCheckpoint: string,
): string {
  if (oldSize < 0n || oldSize > MAX_TREE_SIZE) throw new RangeError("old size out of uint64 range");
  if (proof.length > MAX_PROOF_LINES) throw new RangeError(`more than ${MAX_PROOF_LINES} proof hashes`);
  let body = `old ${oldSize}\n`;
  for (const hash of proof) {
    if (!(hash instanceof Uint8Array) || hash.length !== ROOT_HASH_BYTES) {
      throw new RangeError("every proof hash must be 32 bytes");
    }
    body += `${encodeBase64(hash)}\n`;
  }
  return `${body}\n${signedCheckpoint}`;
}
