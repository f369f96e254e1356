import { randomBytes } from "node:crypto";
import { readFile, stat, writeFile } from "node:fs/promises";
import {
  type CosignatureSigner,
  cosign,
  type Ed25519Verifier,
  generateCosignerKey,
  NoteError,
  openNote,
  parseCheckpoint,
  parseCosignerSignerKey,
  parseVerifierKey,
} from "@armsledger/ledger";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import { checkConsistency } from "./consistency.ts";
import { MalformedRequestError, parseAddCheckpointBody, TLOG_SIZE_CONTENT_TYPE } from "./request.ts";
import { type CosignedState, KeyedMutex, WitnessStateStore } from "./state.ts";

// A C2SP tlog-witness v1.0.0 witness (c2sp.org/tlog-witness@v1.0.0): POST <prefix>/add-checkpoint.
// Status codes, in the order the spec lists the checks:
//   400 malformed body, old size above the checkpoint size, or a proof sent with old size 0
//   404 unknown origin                  403 no trusted log signature verifies (or one fails)
//   409 old size is not the size it last cosigned (body "<size>\n", text/x.tlog.size), or the same
//       size with another root hash (a split view: same body, and the evidence is kept)
//   422 the consistency proof does not verify (the evidence is kept)
//   200 cosignature line(s), text/plain; 413 body over the limit.

/** A log the witness follows: its origin line and a trusted verifier key (several keys may share an origin). */
export interface WitnessLogConfig {
  readonly origin: string;
  readonly verifierKeyText: string;
}

export interface WitnessAppOptions {
  /** `PRIVATE+KEY+<name>+<id>+<base64(0x04 || seed)>` (see generateWitnessKey). */
  readonly signerKeyText: string;
  /** Directory for the cosigned state and the evidence; locked for this witness. */
  readonly stateDir: string;
  readonly logs: readonly WitnessLogConfig[];
  /** The submission prefix, a path such as "/witness" (default "": POST /add-checkpoint). */
  readonly prefix?: string;
  /** pino options, true, or false (default). */
  readonly logger?: boolean | object;
  /** The witness's clock in POSIX seconds (default: the system clock). */
  readonly now?: () => number | bigint;
  /** Request body limit in bytes (default 64 KiB). */
  readonly bodyLimit?: number;
  /** Evidence files kept at most (default 10,000). */
  readonly maxEvidenceFiles?: number;
}

export const WITNESS_BODY_LIMIT = 64 * 1024;

const TEXT = "text/plain; charset=utf-8";

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

function plain(status: number, message: string): Answer {
  return { status, body: `${message}\n` };
}

function conflict(size: bigint): Answer {
  return { status: 409, body: `${size}\n`, contentType: TLOG_SIZE_CONTENT_TYPE };
}

function systemClock(): bigint {
  return BigInt(Math.floor(Date.now() / 1000));
}

function toSeconds(value: number | bigint): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isFinite(value) || value < 0) throw new RangeError("clock returned an invalid time");
  return BigInt(Math.floor(value));
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function normalisePrefix(prefix: string): string {
  if (prefix === "" || prefix === "/") return "";
  if (!prefix.startsWith("/") || prefix.endsWith("/")) {
    throw new RangeError('witness prefix must be "" or a path like "/witness" (no trailing slash)');
  }
  return prefix;
}

/** Parses the trusted log keys, grouped by origin. Duplicate key texts collapse; clashes throw. */
function trustedLogs(logs: readonly WitnessLogConfig[]): Map<string, Ed25519Verifier[]> {
  const byOrigin = new Map<string, Ed25519Verifier[]>();
  for (const { origin, verifierKeyText } of logs) {
    if (typeof origin !== "string" || origin === "" || origin.includes("\n")) {
      throw new RangeError("each log needs a non-empty one-line origin");
    }
    const verifier = parseVerifierKey(verifierKeyText);
    const list = byOrigin.get(origin) ?? [];
    const same = list.find((v) => v.name === verifier.name && v.keyId === verifier.keyId);
    if (same && same.verifierKey !== verifier.verifierKey) {
      throw new RangeError(`two different keys for origin ${JSON.stringify(origin)} share a name and key id`);
    }
    if (!same) list.push(verifier);
    byOrigin.set(origin, list);
  }
  if (byOrigin.size === 0) throw new RangeError("a witness needs at least one log");
  return byOrigin;
}

/**
 * Builds the witness: a Fastify instance serving C2SP tlog-witness `POST <prefix>/add-checkpoint`.
 * It takes the state directory's lock (released when the instance closes). Call `listen` or `inject`.
 */
export async function createWitnessApp(options: WitnessAppOptions): Promise<FastifyInstance> {
  const signer: CosignatureSigner = parseCosignerSignerKey(options.signerKeyText.trim());
  const logs = trustedLogs(options.logs);
  const prefix = normalisePrefix(options.prefix ?? "");
  const now = options.now ?? systemClock;
  const bodyLimit = options.bodyLimit ?? WITNESS_BODY_LIMIT;
  const store = await WitnessStateStore.open(options.stateDir, {
    maxEvidenceFiles: options.maxEvidenceFiles,
  });
  const mutex = new KeyedMutex();

  const app = Fastify({ logger: options.logger ?? false, bodyLimit, return503OnClosing: true });
  app.addHook("onClose", async () => {
    await store.close();
  });

  // The body is not JSON and has no registered media type: take any Content-Type, as raw bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit }, (_request, body, done) => {
    done(null, body);
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, "add-checkpoint failed");
      return reply.code(500).type(TEXT).send("internal error\n");
    }
    return reply.code(status).type(TEXT).send(`${error.message}\n`);
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).type(TEXT).send("not found\n"));

  /** Saves evidence; a failure to save is logged and never turns the refusal into a 500. */
  async function keepEvidence(
    evidence: Parameters<WitnessStateStore["saveEvidence"]>[0],
    log: FastifyInstance["log"],
  ): Promise<string | undefined> {
    try {
      const file = await store.saveEvidence(evidence);
      if (file === undefined)
        log.error({ origin: evidence.origin }, "evidence not saved: too many evidence files");
      return file;
    } catch (error) {
      log.error({ err: error, origin: evidence.origin }, "evidence not saved");
      return undefined;
    }
  }

  async function addCheckpoint(raw: unknown, log: FastifyInstance["log"]): Promise<Answer> {
    if (!(raw instanceof Uint8Array) || raw.length === 0) return plain(400, "empty request body");
    let request: ReturnType<typeof parseAddCheckpointBody>;
    try {
      request = parseAddCheckpointBody(raw);
    } catch (error) {
      if (error instanceof MalformedRequestError) return plain(400, error.message);
      throw error;
    }
    const { oldSize, proof, note } = request;

    // The origin line selects the trusted keys; the note must then carry a valid signature by one.
    const newline = note.indexOf("\n");
    if (newline <= 0) return plain(400, "malformed checkpoint: no origin line");
    const origin = note.slice(0, newline);
    const verifiers = logs.get(origin);
    if (verifiers === undefined) return plain(404, `unknown log origin ${JSON.stringify(origin)}`);
    let text: string;
    try {
      text = openNote(note, verifiers).text;
    } catch (error) {
      if (!(error instanceof NoteError)) throw error;
      if (error.code === "invalid-signature" || error.code === "unverified-note") {
        return plain(403, "the checkpoint carries no valid signature by a trusted key of its log");
      }
      return plain(400, error.message);
    }
    let checkpoint: ReturnType<typeof parseCheckpoint>;
    try {
      checkpoint = parseCheckpoint(text);
    } catch (error) {
      if (error instanceof NoteError) return plain(400, error.message);
      throw error;
    }
    if (oldSize > checkpoint.size) return plain(400, "old size is above the checkpoint size");
    if (oldSize === 0n && proof.length > 0) return plain(400, "the proof must be empty when old size is 0");

    // Check against the recorded state and persist the new one as one step per origin.
    return mutex.run(origin, async () => {
      const state = await store.get(origin);
      const known = state?.size ?? 0n;
      if (oldSize !== known) return conflict(known);
      if (state !== undefined) {
        const sameSize = checkpoint.size === state.size;
        if (sameSize && !bytesEqual(checkpoint.rootHash, state.rootHash)) {
          const file = await keepEvidence(
            {
              kind: "root-mismatch",
              origin,
              cosigned: state,
              submittedNote: note,
              submittedSize: checkpoint.size,
              submittedRootHash: checkpoint.rootHash,
              oldSize,
              proof,
              observedAt: new Date(),
            },
            log,
          );
          log.warn(
            { origin, size: String(checkpoint.size), evidence: file },
            "split view: same size, other root",
          );
          return conflict(known);
        }
        // Any tree extends the empty tree: from a cosigned size 0 no proof is needed (or allowed).
        if (
          state.size > 0n &&
          !checkConsistency(state.size, checkpoint.size, state.rootHash, checkpoint.rootHash, proof)
        ) {
          const file = await keepEvidence(
            {
              kind: "inconsistent-proof",
              origin,
              cosigned: state,
              submittedNote: note,
              submittedSize: checkpoint.size,
              submittedRootHash: checkpoint.rootHash,
              oldSize,
              proof,
              observedAt: new Date(),
            },
            log,
          );
          log.warn({ origin, size: String(checkpoint.size), evidence: file }, "consistency proof failed");
          return plain(422, "the consistency proof does not verify");
        }
      }
      // Cosignature times never go backwards for an origin, even if the clock does.
      const previous = state?.cosignedAt ?? 0n;
      const clock = toSeconds(now());
      const time = clock > previous ? clock : previous;
      const line = cosign(text, signer, time);
      const next: CosignedState = {
        origin,
        size: checkpoint.size,
        rootHash: checkpoint.rootHash,
        note,
        cosignedAt: time,
      };
      await store.put(next);
      log.info({ origin, size: String(checkpoint.size), time: String(time) }, "cosigned");
      return { status: 200, body: line, contentType: TEXT };
    });
  }

  const send = (reply: FastifyReply, answer: Answer) =>
    reply
      .code(answer.status)
      .type(answer.contentType ?? TEXT)
      .send(answer.body);

  app.post(`${prefix}/add-checkpoint`, async (request, reply) =>
    send(reply, await addCheckpoint(request.body, request.log)),
  );
  app.route({
    method: ["GET", "PUT", "DELETE", "PATCH"],
    url: `${prefix}/add-checkpoint`,
    handler: async (_request, reply) => reply.code(405).header("allow", "POST").type(TEXT).send("use POST\n"),
  });
  return app;
}

/** A new witness key pair (cosignature type 0x04) from node:crypto randomness. */
export function generateWitnessKey(name: string): { signerKeyText: string; verifierKeyText: string } {
  const seed = randomBytes(32);
  try {
    const { signerKey, verifierKey } = generateCosignerKey(name, new Uint8Array(seed));
    return { signerKeyText: signerKey, verifierKeyText: verifierKey };
  } finally {
    seed.fill(0);
  }
}

/**
 * Writes a new witness signer key to `keyFile` (mode 0600; never replaces an existing file) and
 * returns its verifier key text, for `armsledger witness keygen`-style commands.
 */
export async function writeWitnessKeyFile(keyFile: string, name: string): Promise<string> {
  const { signerKeyText, verifierKeyText } = generateWitnessKey(name);
  await writeFile(keyFile, `${signerKeyText}\n`, { flag: "wx", mode: 0o600 });
  return verifierKeyText;
}

export interface RunWitnessOptions {
  /** File holding the witness signer key (`PRIVATE+KEY+…`, one line). */
  readonly keyFile: string;
  readonly stateDir: string;
  /** Verifier keys of the logs to witness; each key's name is the log's origin. */
  readonly logVerifierKeys: readonly string[];
  /** Default 7380; 0 picks a free port. */
  readonly port?: number;
  /** Default "127.0.0.1". */
  readonly host?: string;
  readonly prefix?: string;
  /** Default true (pino JSON lines on stdout). */
  readonly logger?: boolean | object;
}

/** Stops the witness (closes the server, releases the state directory); also carries where it listens. */
export type WitnessStop = (() => Promise<void>) & {
  readonly url: string;
  readonly port: number;
  readonly verifierKey: string;
  readonly app: FastifyInstance;
};

export const DEFAULT_WITNESS_PORT = 7380;

/**
 * `armsledger witness serve --key FILE --state DIR --log VKEY… [--port N] [--host H]`: reads the
 * key file, starts listening and returns the stop function (with `url`, `port`, `verifierKey`).
 */
export async function runWitness(options: RunWitnessOptions): Promise<WitnessStop> {
  const keyText = (await readFile(options.keyFile, "utf8")).trim();
  if (keyText.includes("\n")) throw new RangeError(`${options.keyFile} must hold one key line`);
  const signer = parseCosignerSignerKey(keyText);
  const logs = options.logVerifierKeys.map((verifierKeyText) => ({
    origin: parseVerifierKey(verifierKeyText).name,
    verifierKeyText,
  }));
  const app = await createWitnessApp({
    signerKeyText: keyText,
    stateDir: options.stateDir,
    logs,
    prefix: options.prefix,
    logger: options.logger ?? true,
  });
  try {
    const mode = (await stat(options.keyFile)).mode;
    if ((mode & 0o077) !== 0) {
      app.log.warn({ keyFile: options.keyFile }, "the witness key file is readable by other users");
    }
    const host = options.host ?? "127.0.0.1";
    await app.listen({ port: options.port ?? DEFAULT_WITNESS_PORT, host });
    const address = app.server.address();
    const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 0);
    const urlHost = host.includes(":") ? `[${host}]` : host;
    const stop = async () => {
      await app.close();
    };
    return Object.assign(stop, {
      url: `http://${urlHost}:${port}${normalisePrefix(options.prefix ?? "")}`,
      port,
      verifierKey: signer.verifierKey,
      app,
    });
  } catch (error) {
    await app.close();
    throw error;
  }
}
