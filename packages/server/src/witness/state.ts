import { createHash, randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { link, mkdir, open, readdir, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { decodeBase64, encodeBase64, parseCheckpoint, ROOT_HASH_BYTES } from "@armsledger/ledger";
import { parseUint64 } from "./request.ts";

// The witness's durable state, one directory:
//   witness.lock            the pid of the process serving it (one witness per directory)
//   logs/<sha256(origin)>.json   per origin, the latest checkpoint it cosigned
//   evidence/<kind>-<hash>.json  refused checkpoints that contradict what it cosigned (never overwritten)
// Every file is written to a temporary name, fsynced, then renamed (or linked, for evidence) into
// place and the directory fsynced, so a crash leaves the old state or the new one, never a mix.

/** The latest checkpoint cosigned for one origin. */
export interface CosignedState {
  readonly origin: string;
  readonly size: bigint;
  readonly rootHash: Uint8Array;
  /** The signed checkpoint note as it was submitted. */
  readonly note: string;
  /** Timestamp (POSIX seconds) of the witness's latest cosignature for this origin. */
  readonly cosignedAt: bigint;
}

export type EvidenceKind = "root-mismatch" | "inconsistent-proof";

/** What a witness keeps when a log shows it a checkpoint that contradicts one it cosigned. */
export interface Evidence {
  readonly kind: EvidenceKind;
  readonly origin: string;
  readonly cosigned: CosignedState;
  readonly submittedNote: string;
  readonly submittedSize: bigint;
  readonly submittedRootHash: Uint8Array;
  readonly oldSize: bigint;
  readonly proof: readonly Uint8Array[];
  readonly observedAt: Date;
}

/** The state directory cannot be used (held by another process, or a state file is corrupt). */
export class WitnessStateError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "WitnessStateError";
  }
}

const LOCK_FILE = "witness.lock";
const DEFAULT_MAX_EVIDENCE_FILES = 10_000;

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeDurably(path: string, data: string): Promise<void> {
  const handle = await open(path, "wx", 0o600);
  try {
    await handle.writeFile(data, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Serialises async work per key (the compare-and-swap of one origin at a time). */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.#tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

function serialiseState(state: CosignedState): string {
  return `${JSON.stringify(
    {
      origin: state.origin,
      size: state.size.toString(),
      rootHash: encodeBase64(state.rootHash),
      cosignedAt: state.cosignedAt.toString(),
      checkpoint: state.note,
    },
    null,
    2,
  )}\n`;
}

function parseState(text: string, origin: string, file: string): CosignedState {
  const corrupt: (why: string) => never = (why) => {
    throw new WitnessStateError(`witness state file ${file} is corrupt: ${why}`);
  };
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new WitnessStateError(`witness state file ${file} is not JSON`, { cause: error });
  }
  if (raw === null || typeof raw !== "object") corrupt("not an object");
  if (raw.origin !== origin) corrupt("origin does not match");
  const size = typeof raw.size === "string" ? parseUint64(raw.size) : undefined;
  const cosignedAt = typeof raw.cosignedAt === "string" ? parseUint64(raw.cosignedAt) : undefined;
  if (size === undefined) corrupt("bad size");
  if (cosignedAt === undefined) corrupt("bad cosignedAt");
  let rootHash: Uint8Array;
  try {
    rootHash = decodeBase64(String(raw.rootHash));
  } catch {
    corrupt("bad root hash");
  }
  if (rootHash.length !== ROOT_HASH_BYTES) corrupt("bad root hash");
  if (typeof raw.checkpoint !== "string") corrupt("missing checkpoint");
  const note = raw.checkpoint as string;
  // The stored note must be the checkpoint the size and root came from.
  let parsed: ReturnType<typeof parseCheckpoint>;
  try {
    parsed = parseCheckpoint(noteText(note));
  } catch {
    corrupt("stored checkpoint does not parse");
  }
  if (parsed.origin !== origin || parsed.size !== size || encodeBase64(parsed.rootHash) !== raw.rootHash) {
    corrupt("stored checkpoint does not match the recorded size and root");
  }
  return { origin, size, rootHash, note, cosignedAt };
}

export interface WitnessStateOptions {
  /** Refuse to add evidence files beyond this many (a log key holder could otherwise fill the disk). */
  readonly maxEvidenceFiles?: number;
}

export class WitnessStateStore {
  readonly dir: string;
  readonly logsDir: string;
  readonly evidenceDir: string;
  readonly #cache = new Map<string, CosignedState | null>();
  readonly #maxEvidenceFiles: number;
  #locked = false;

  private constructor(dir: string, options: WitnessStateOptions) {
    this.dir = dir;
    this.logsDir = join(dir, "logs");
    this.evidenceDir = join(dir, "evidence");
    this.#maxEvidenceFiles = options.maxEvidenceFiles ?? DEFAULT_MAX_EVIDENCE_FILES;
  }

  /** Creates the directories and takes the directory's lock (one witness process per directory). */
  static async open(dir: string, options: WitnessStateOptions = {}): Promise<WitnessStateStore> {
    const store = new WitnessStateStore(dir, options);
    await mkdir(store.logsDir, { recursive: true, mode: 0o700 });
    await mkdir(store.evidenceDir, { recursive: true, mode: 0o700 });
    await store.#lock();
    // Leftovers of writes interrupted by a crash; the real files are intact.
    for (const name of await readdir(store.logsDir)) {
      if (name.endsWith(".tmp")) await unlink(join(store.logsDir, name)).catch(() => {});
    }
    for (const name of await readdir(store.evidenceDir)) {
      if (name.endsWith(".tmp")) await unlink(join(store.evidenceDir, name)).catch(() => {});
    }
    return store;
  }

  async #lock(): Promise<void> {
    const path = join(this.dir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeDurably(path, `${process.pid}\n`);
        this.#locked = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
      if (Number.isSafeInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new WitnessStateError(
          `witness state directory ${this.dir} is in use by process ${holder}` +
            (holder === process.pid ? " (this process)" : "") +
            `; if no witness runs, remove ${path}`,
        );
      }
      await unlink(path).catch(() => {}); // a crashed witness's lock
    }
    throw new WitnessStateError(`could not lock witness state directory ${this.dir}`);
  }

  /** Releases the directory's lock. */
  async close(): Promise<void> {
    if (!this.#locked) return;
    this.#locked = false;
    await unlink(join(this.dir, LOCK_FILE)).catch(() => {});
  }

  #file(origin: string): string {
    return join(this.logsDir, `${sha256Hex(origin)}.json`);
  }

  /** The latest cosigned checkpoint for `origin`, or undefined if it never cosigned one. */
  async get(origin: string): Promise<CosignedState | undefined> {
    const cached = this.#cache.get(origin);
    if (cached !== undefined) return cached ?? undefined;
    const file = this.#file(origin);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      this.#cache.set(origin, null);
      return undefined;
    }
    const state = parseState(text, origin, file);
    this.#cache.set(origin, state);
    return state;
  }

  /** Persists `state` atomically and durably; only then does `get` return it. */
  async put(state: CosignedState): Promise<void> {
    if (!this.#locked) throw new WitnessStateError("witness state store is closed");
    const file = this.#file(state.origin);
    const temp = `${file}.${randomBytes(8).toString("hex")}.tmp`;
    try {
      await writeDurably(temp, serialiseState(state));
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
    await fsyncDirectory(this.logsDir);
    this.#cache.set(state.origin, state);
  }

  /**
   * Saves evidence of a refused checkpoint under a name derived from its content: an identical
   * submission is kept once, and no file is ever overwritten. Returns the file's path, or undefined
   * when the evidence cap is reached.
   */
  async saveEvidence(evidence: Evidence): Promise<string | undefined> {
    const proof = evidence.proof.map(encodeBase64);
    const identity = sha256Hex(
      JSON.stringify([
        evidence.kind,
        evidence.origin,
        evidence.cosigned.note,
        evidence.submittedNote,
        evidence.oldSize.toString(),
        proof,
      ]),
    );
    const file = join(this.evidenceDir, `${evidence.kind}-${identity.slice(0, 32)}.json`);
    const names = await readdir(this.evidenceDir);
    if (names.includes(`${evidence.kind}-${identity.slice(0, 32)}.json`)) return file;
    if (names.length >= this.#maxEvidenceFiles) return undefined;
    const body = `${JSON.stringify(
      {
        kind: evidence.kind,
        origin: evidence.origin,
        observedAt: evidence.observedAt.toISOString(),
        cosigned: {
          size: evidence.cosigned.size.toString(),
          rootHash: encodeBase64(evidence.cosigned.rootHash),
          cosignedAt: evidence.cosigned.cosignedAt.toString(),
          checkpoint: evidence.cosigned.note,
        },
        submitted: {
          oldSize: evidence.oldSize.toString(),
          size: evidence.submittedSize.toString(),
          rootHash: encodeBase64(evidence.submittedRootHash),
          consistencyProof: proof,
          checkpoint: evidence.submittedNote,
        },
      },
      null,
      2,
    )}\n`;
    const temp = `${file}.${randomBytes(8).toString("hex")}.tmp`;
    try {
      await writeDurably(temp, body);
      await link(temp, file); // fails with EEXIST rather than replace an existing file
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        await unlink(temp).catch(() => {});
        throw error;
      }
    }
    await unlink(temp).catch(() => {});
    await fsyncDirectory(this.evidenceDir);
    return file;
  }
}

/** The signed text of a note (up to and including the newline before the last blank line). */
export function noteText(note: string): string {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new RangeError("not a signed note");
  return note.slice(0, split + 1);
}
