import {
  MAX_TREE_SIZE,
  NoteError,
  openNote,
  parseCheckpoint,
  parseCosignerVerifierKey,
} from "@armsledger/ledger";
import { formatAddCheckpointBody, parseUint64 } from "./request.ts";
import { noteText } from "./state.ts";

// The log's side of C2SP tlog-witness v1.0.0: submit a signed checkpoint with a consistency proof
// from the size the witness last cosigned, and accept its answer only if the cosignature verifies
// with the witness's key. A 409 names the witness's size: the client retries once from there.

export type WitnessClientErrorCode = "unreachable" | "refused" | "invalid-response" | "invalid-cosignature";

/** Base class of the client's errors; branch on `code` (or instanceof the subclasses). */
export class WitnessClientError extends Error {
  readonly code: WitnessClientErrorCode;
  readonly url: string;

  constructor(code: WitnessClientErrorCode, url: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "WitnessClientError";
    this.code = code;
    this.url = url;
  }
}

/** No HTTP answer: connection failed, the request timed out or was aborted. */
export class WitnessUnreachableError extends WitnessClientError {
  readonly timedOut: boolean;

  constructor(url: string, message: string, timedOut: boolean, options?: ErrorOptions) {
    super("unreachable", url, message, options);
    this.name = "WitnessUnreachableError";
    this.timedOut = timedOut;
  }
}

/** The witness answered with an error status (after the one 409 retry). */
export class WitnessRefusedError extends WitnessClientError {
  readonly status: number;
  /** The witness's size, from a 409 Conflict answer. */
  readonly witnessSize: bigint | undefined;
  /** The start of the witness's answer body, for messages. */
  readonly detail: string;

  constructor(url: string, status: number, detail: string, witnessSize?: bigint, why?: string) {
    super(
      "refused",
      url,
      `witness ${url} refused the checkpoint: HTTP ${status}${why ? ` (${why})` : ""}${detail ? `: ${detail}` : ""}`,
    );
    this.name = "WitnessRefusedError";
    this.status = status;
    this.detail = detail;
    this.witnessSize = witnessSize;
  }
}

/** The witness's answer does not follow the protocol (e.g. a malformed 409 or 200 body). */
export class WitnessInvalidResponseError extends WitnessClientError {
  constructor(url: string, message: string, options?: ErrorOptions) {
    super("invalid-response", url, message, options);
    this.name = "WitnessInvalidResponseError";
  }
}

/** The 200 answer carries no valid cosignature by the witness's key (or a bad one). */
export class WitnessInvalidCosignatureError extends WitnessClientError {
  constructor(url: string, message: string, options?: ErrorOptions) {
    super("invalid-cosignature", url, message, options);
    this.name = "WitnessInvalidCosignatureError";
  }
}

export interface AddCheckpointToWitnessOptions {
  /** The witness's submission prefix (POST <url>/add-checkpoint), or the full add-checkpoint URL. */
  readonly url: string;
  /** The witness's cosigner verifier key, `<name>+<id>+<base64(0x04 || key)>`. */
  readonly witnessVerifierKeyText: string;
  /** The log's signed checkpoint note. */
  readonly signedCheckpoint: string | Uint8Array;
  /** The size the log believes the witness last cosigned (0 if never, or unknown). */
  readonly oldSize: bigint | number;
  /** The RFC 9162 consistency proof from `oldSize` (> 0) to the checkpoint's size. */
  readonly proofFor: (oldSize: bigint) => Promise<readonly Uint8Array[]>;
  /** Default: the global fetch. */
  readonly fetchImpl?: typeof fetch;
  /** Per attempt (default 10 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

const MAX_RESPONSE_BYTES = 64 * 1024;
const FATAL_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function endpoint(url: string): string {
  const parsed = new URL(url); // throws TypeError on nonsense
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new TypeError("witness URL must be http(s)");
  }
  if (parsed.pathname.endsWith("/add-checkpoint")) return parsed.href;
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, "")}/add-checkpoint`;
  return parsed.href;
}

async function readLimited(response: Response, url: string): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => {});
      throw new WitnessInvalidResponseError(
        url,
        `witness ${url} answered more than ${MAX_RESPONSE_BYTES} bytes`,
      );
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

function snippet(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes.subarray(0, 300));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}

/**
 * Submits `signedCheckpoint` to a C2SP tlog-witness and returns the witness's cosignature line
 * ("— <name> <base64>\n"), verified with `witnessVerifierKeyText` against the checkpoint. On 409
 * Conflict it retries once from the size the witness reports (asking `proofFor` for that proof).
 * Throws WitnessUnreachableError, WitnessRefusedError, WitnessInvalidResponseError or
 * WitnessInvalidCosignatureError.
 */
export async function addCheckpointToWitness(options: AddCheckpointToWitnessOptions): Promise<string> {
  const url = endpoint(options.url);
  const verifier = parseCosignerVerifierKey(options.witnessVerifierKeyText);
  const fetchImpl = options.fetchImpl ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let note: string;
  if (typeof options.signedCheckpoint === "string") {
    note = options.signedCheckpoint;
  } else {
    try {
      note = FATAL_UTF8.decode(options.signedCheckpoint);
    } catch {
      throw new NoteError("malformed-note", "signed checkpoint is not valid UTF-8");
    }
  }
  let text: string;
  try {
    text = noteText(note);
  } catch {
    throw new NoteError("malformed-note", "signed checkpoint has no signature block");
  }
  const checkpoint = parseCheckpoint(text);
  let oldSize = typeof options.oldSize === "bigint" ? options.oldSize : BigInt(options.oldSize);
  if (oldSize < 0n || oldSize > checkpoint.size) {
    throw new RangeError("oldSize must be between 0 and the checkpoint's size");
  }

  for (let attempt = 0; ; attempt++) {
    const proof = oldSize === 0n || oldSize === checkpoint.size ? [] : await options.proofFor(oldSize);
    const body = formatAddCheckpointBody(oldSize, proof, note);
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (options.signal) signals.push(options.signal);
    let response: Response;
    let bytes: Uint8Array;
    try {
      response = await fetchImpl(url, {
        method: "POST",
        headers: { "content-type": "text/plain; charset=utf-8" },
        body,
        signal: AbortSignal.any(signals),
      });
      bytes = await readLimited(response, url);
    } catch (error) {
      if (error instanceof WitnessClientError) throw error;
      const timedOut = (error as Error)?.name === "TimeoutError";
      throw new WitnessUnreachableError(
        url,
        timedOut
          ? `witness ${url} did not answer within ${timeoutMs} ms`
          : `witness ${url} is unreachable: ${(error as Error)?.message ?? String(error)}`,
        timedOut,
        { cause: error },
      );
    }

    if (response.status === 200) return verifiedCosignature(url, text, bytes, verifier);

    if (response.status === 409) {
      const contentType = response.headers.get("content-type") ?? "";
      let sizeText: string | undefined;
      try {
        sizeText = FATAL_UTF8.decode(bytes);
      } catch {
        sizeText = undefined;
      }
      const witnessSize =
        sizeText?.endsWith("\n") && contentType.split(";")[0]!.trim().toLowerCase() === "text/x.tlog.size"
          ? parseUint64(sizeText.slice(0, -1))
          : undefined;
      if (witnessSize === undefined) {
        throw new WitnessInvalidResponseError(
          url,
          `witness ${url} answered 409 without a text/x.tlog.size body: ${snippet(bytes)}`,
        );
      }
      if (witnessSize === oldSize) {
        // Old size matched, so the checkpoint has the witness's size with another root hash.
        throw new WitnessRefusedError(
          url,
          409,
          snippet(bytes),
          witnessSize,
          "split view: same size, other root",
        );
      }
      if (witnessSize > checkpoint.size) {
        throw new WitnessRefusedError(
          url,
          409,
          snippet(bytes),
          witnessSize,
          `the witness has cosigned size ${witnessSize}, above this checkpoint's ${checkpoint.size}`,
        );
      }
      if (attempt === 0 && witnessSize <= MAX_TREE_SIZE) {
        oldSize = witnessSize;
        continue;
      }
      throw new WitnessRefusedError(
        url,
        409,
        snippet(bytes),
        witnessSize,
        "size changed again during the retry",
      );
    }
    throw new WitnessRefusedError(url, response.status, snippet(bytes));
  }
}

/** Checks a 200 answer: signature lines only, at least one by the witness key, all of its valid. */
function verifiedCosignature(
  url: string,
  text: string,
  bytes: Uint8Array,
  verifier: ReturnType<typeof parseCosignerVerifierKey>,
): string {
  let body: string;
  try {
    body = FATAL_UTF8.decode(bytes);
  } catch {
    throw new WitnessInvalidResponseError(url, `witness ${url} answered with invalid UTF-8`);
  }
  if (
    body === "" ||
    !body.endsWith("\n") ||
    !body
      .split("\n")
      .slice(0, -1)
      .every((l) => l.startsWith("\u2014 "))
  ) {
    throw new WitnessInvalidResponseError(
      url,
      `witness ${url} did not answer with signature lines: ${snippet(bytes)}`,
    );
  }
  let opened: ReturnType<typeof openNote>;
  try {
    opened = openNote(`${text}\n${body}`, [verifier]);
  } catch (error) {
    if (!(error instanceof NoteError)) throw error;
    if (error.code === "malformed-note") {
      throw new WitnessInvalidResponseError(url, `witness ${url} answered malformed signature lines`, {
        cause: error,
      });
    }
    const why =
      error.code === "unverified-note"
        ? "no cosignature by the witness key"
        : "the cosignature does not verify";
    throw new WitnessInvalidCosignatureError(url, `witness ${url}: ${why} (${verifier.name})`, {
      cause: error,
    });
  }
  const signature = opened.verifiedSignatures.find(
    (s) => s.name === verifier.name && s.keyId === verifier.keyId,
  );
  if (signature === undefined) {
    throw new WitnessInvalidCosignatureError(url, `witness ${url}: no cosignature by ${verifier.name}`);
  }
  return `\u2014 ${signature.name} ${signature.base64}\n`;
}
