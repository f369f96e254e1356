import { hash } from "node:crypto";
import { LeafEntryError, type PublicTotals, PublicTotalsAccumulator, parseLeafEntry } from "@armsledger/core";
import {
  entryBundlePath,
  hashEntryBundle,
  type Sha256,
  TILE_WIDTH,
  type VerifyReport,
  verifyLog,
} from "@armsledger/ledger";
import { fetcherFor, type LogFetcher } from "./fetchers.ts";
import { formatAudit } from "./format.ts";
import { HashPool } from "./hash-pool.ts";

export interface RunVerifyOptions {
  /** Where the log is: a URL base such as `https://host/log/`, or a directory `export-log` wrote. */
  source: string;
  /** The log's verifier key. */
  logKey: string;
  /** Witness cosigner verifier keys. */
  witnessKeys: string[];
  /** Witnesses that must have cosigned; all of `witnessKeys` by default. */
  quorum?: number;
  /** The checkpoint origin to expect; the log key's name by default. */
  origin?: string;
  /** Print the audit as JSON instead of text. */
  json: boolean;
  out: NodeJS.WritableStream;
  /** Where messages about bad arguments and the progress bar go; process.stderr by default. */
  err?: NodeJS.WritableStream & { isTTY?: boolean };
  /**
   * Worker threads that hash entries; by default one per core for logs of 16,384 entries or
   * more, none for smaller ones. 0 hashes on the main thread.
   */
  workers?: number;
  /** Read the log from here instead of `source` (tests). */
  fetch?: LogFetcher;
}

/** A problem of the log found by reading the entries themselves (beyond the tree's checks). */
export interface EntryProblem {
  readonly kind: "entry-invalid" | "entry-index-mismatch" | "entry-unreadable";
  readonly index: number;
  readonly tile: string;
  readonly detail: string;
}

export type AuditProblem = VerifyReport["problems"][number] | EntryProblem;

/** What `armsledger verify --json` prints. */
export interface Audit extends Omit<VerifyReport, "problems" | "problemsOmitted"> {
  readonly source: string;
  readonly problems: readonly AuditProblem[];
  readonly problemsOmitted: number;
  /** The public figures recomputed from the entries read (trustworthy only when `ok`). */
  readonly totals: PublicTotals;
}

const MAX_ENTRY_PROBLEMS = 1000;
const POOL_THRESHOLD = 16_384;

const nodeSha256: Sha256 = (data) => hash("sha256", data, "buffer");

/**
 * Audits a log from its public resources and prints what was found. Resolves to the exit code:
 * 0 only when every check held (signatures, quorum, every entry, every tile, the root, and every
 * entry a well-formed ArmsLedger leaf at its own index); 1 when something did not; 2 for bad
 * arguments (a malformed key, an impossible quorum).
 */
export async function runVerify(options: RunVerifyOptions): Promise<number> {
  const err = options.err ?? process.stderr;
  const fetch = options.fetch ?? fetcherFor(options.source);
  const totals = new PublicTotalsAccumulator();
  const entryProblems: EntryProblem[] = [];
  let entryOmitted = 0;
  const entryProblem = (p: EntryProblem) => {
    if (entryProblems.length < MAX_ENTRY_PROBLEMS) entryProblems.push(p);
    else entryOmitted++;
  };

  const progress = err.isTTY ? progressBar(err) : undefined;
  let pool: HashPool | undefined;
  let size = 0;
  /** The entry bundle that holds leaf `index`, as the log serves it. */
  const bundleOf = (index: number): string => {
    const n = Math.floor(index / TILE_WIDTH);
    return entryBundlePath({ index: n, width: Math.max(1, Math.min(TILE_WIDTH, size - n * TILE_WIDTH)) });
  };
  let report: VerifyReport;
  try {
    report = await verifyLog({
      fetch: async (path) => {
        const data = await fetch(path);
        // Size the hashing pool once the checkpoint is known: small logs are not worth the threads.
        if (path === "checkpoint" && data) size = checkpointSize(data);
        if (path === "checkpoint" && data && options.workers !== 0) {
          const wanted = options.workers ?? (size >= POOL_THRESHOLD ? undefined : 0);
          if (wanted !== 0) pool = new HashPool(wanted);
        }
        return data;
      },
      logVerifierKey: options.logKey,
      witnessVerifierKeys: options.witnessKeys,
      ...(options.quorum !== undefined ? { quorum: options.quorum } : {}),
      ...(options.origin !== undefined ? { origin: options.origin } : {}),
      sha256: nodeSha256,
      // The pool exists once the checkpoint showed a log worth it; until then, and for small
      // logs, bundles are hashed here.
      ...(options.workers === 0
        ? {}
        : {
            hashBundle: async (bundle: Uint8Array, width: number) =>
              pool ? pool.hashBundle(bundle, width) : hashEntryBundle(bundle, width, nodeSha256),
          }),
      onEntry: (index, bytes) => {
        let entry: ReturnType<typeof parseLeafEntry>;
        try {
          entry = parseLeafEntry(bytes);
        } catch (error) {
          if (!(error instanceof LeafEntryError)) throw error;
          entryProblem({ kind: "entry-invalid", index, tile: bundleOf(index), detail: error.message });
          return;
        }
        if (entry.index !== index)
          entryProblem({
            kind: "entry-index-mismatch",
            index,
            tile: bundleOf(index),
            detail: `the entry at leaf ${index} says it is leaf ${entry.index}`,
          });
        totals.add(entry);
      },
      onProgress: progress?.update,
    });
  } catch (error) {
    progress?.done();
    await pool?.close();
    if (error instanceof RangeError || (error instanceof Error && error.name === "NoteError")) {
      err.write(`armsledger verify: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  progress?.done();
  await pool?.close();

  const result = totals.result();
  for (const u of result.unreadable)
    entryProblem({
      kind: "entry-unreadable",
      index: u.index,
      tile: bundleOf(u.index),
      detail: `${u.type}: ${u.reason}; the totals leave this entry out`,
    });
  const problems: AuditProblem[] = [...report.problems, ...entryProblems];
  const problemsOmitted = report.problemsOmitted + entryOmitted;
  const audit: Audit = {
    source: options.source,
    ...report,
    ok: report.ok && problems.length === 0 && problemsOmitted === 0,
    problems: sortProblems(problems),
    problemsOmitted,
    totals: result,
  };
  options.out.write(options.json ? `${JSON.stringify(audit, null, 2)}\n` : formatAudit(audit));
  return audit.ok ? 0 : 1;
}

/** Problems of the checkpoint first, then by leaf index (stable otherwise). */
function sortProblems(problems: AuditProblem[]): AuditProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.index ?? -1) - (b.p.index ?? -1) || a.i - b.i)
    .map(({ p }) => p);
}

/** The tree size of a checkpoint note, or 0 when it cannot be read (the verifier reports why). */
function checkpointSize(note: Uint8Array): number {
  const lines = new TextDecoder().decode(note.subarray(0, 200)).split("\n");
  const size = Number(lines[1]);
  return Number.isSafeInteger(size) ? size : 0;
}

/** A one-line progress bar, redrawn at most ten times a second. */
function progressBar(stream: NodeJS.WritableStream) {
  let last = 0;
  let drawn = false;
  const width = 30;
  return {
    update(done: number, total: number) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const share = total === 0 ? 1 : done / total;
      const filled = Math.round(share * width);
      stream.write(
        `\rVerifying [${"#".repeat(filled)}${"-".repeat(width - filled)}] ` +
          `${done.toLocaleString("en")} / ${total.toLocaleString("en")} entries (${Math.floor(share * 100)}%)`,
      );
      drawn = true;
    },
    done() {
      if (drawn) stream.write("\n");
    },
  };
}
