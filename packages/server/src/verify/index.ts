import type { Store } from "../store/database.ts";
import { compareProjections, type RowDifference } from "./compare.ts";
import { checkLedger, type LedgerProblem } from "./ledger-checks.ts";
import { separatePurgedLeftovers } from "./purged-leftovers.ts";
import { replayIntoFreshStore } from "./replay.ts";

export type { RowDifference } from "./compare.ts";
export type { LedgerProblem } from "./ledger-checks.ts";

export interface DatabaseVerification {
  ok: boolean;
  leaves: number;
  checkpoints: number;
  ledger: LedgerProblem[];
  projections: RowDifference[];
  /** Rows of indexes keyed by a destroyed data key (purged-leftovers.ts): not failures. */
  purgedLeftovers: number;
  /** Private parts that were purged: replayed from their public parts, their commitments unverifiable. */
  purged: number;
}

/**
 * `armsledger verify --database`: the ledger re-derived from its rows and checked against what
 * was published, then every projection rebuilt from the ledger and compared row by row with the
 * live tables, so an edit made behind the system's back is named.
 */
export async function verifyDatabase(
  store: Store,
  options: { logVerifierKey?: string; onProgress?: (phase: string, done: number) => void } = {},
): Promise<DatabaseVerification> {
  const ledger = await checkLedger(store, {
    ...(options.logVerifierKey ? { logVerifierKey: options.logVerifierKey } : {}),
    onProgress: (n) => options.onProgress?.("ledger", n),
  });
  const replay = await replayIntoFreshStore(store, (n) => options.onProgress?.("replay", n));
  const replayed = replay.store;
  try {
    const { differences: projections, leftovers } = await separatePurgedLeftovers(
      store,
      await compareProjections(store, replayed),
    );
    return {
      ok: ledger.problems.length === 0 && projections.length === 0,
      leaves: ledger.leaves,
      checkpoints: ledger.checkpoints,
      ledger: ledger.problems,
      projections,
      purgedLeftovers: leftovers,
      purged: replay.purged,
    };
  } finally {
    await replayed.close();
  }
}
