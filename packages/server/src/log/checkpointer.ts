import {
  type Ed25519Signer,
  formatCheckpoint,
  fromHex,
  partialTilesForSize,
  signNote,
  type TileBlob,
  TileBuilder,
  toHex,
} from "@armsledger/ledger";
import { desc, eq, gte, sql } from "drizzle-orm";
import type { Store, Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { fetcherOf, readTiles, writeTiles } from "./tile-store.ts";

// One integrator at a time across every server process sharing the database (a transaction-level
// advisory lock): two integrators could otherwise sign two checkpoints for one size.
const INTEGRATOR_LOCK = 0x41524d53; // "ARMS"

export interface IssuedCheckpoint {
  size: number;
  rootHash: string;
  note: string;
  /** The size of the checkpoint before this one, for the witnesses' consistency proofs. */
  previousSize: number;
}

export interface CheckpointerOptions {
  signer: Ed25519Signer;
  /** Issue a checkpoint at least this often when the log has grown (default 1000 ms). */
  intervalMs?: number;
  /** …or as soon as this many leaves wait (default 256). */
  leavesPerCheckpoint?: number;
  /** How many leaves one pass integrates at most (default 65,536). */
  maxBatch?: number;
  /** Called after a checkpoint is committed, e.g. to collect witness cosignatures. Errors are logged, never fatal. */
  onCheckpoint?: (checkpoint: IssuedCheckpoint) => Promise<void>;
  log?: { warn(obj: object, msg: string): void };
}

export async function latestCheckpoint(db: Store["db"] | Tx) {
  const [row] = await db.select().from(t.checkpoints).orderBy(desc(t.checkpoints.size)).limit(1);
  return row;
}

/** The latest checkpoint's note with every cosignature received for it appended (C2SP signed-note). */
export async function latestCosignedCheckpoint(db: Store["db"]) {
  const latest = await latestCheckpoint(db);
  if (!latest) return undefined;
  const lines = await db
    .select({ line: t.cosignatures.line })
    .from(t.cosignatures)
    .where(eq(t.cosignatures.size, latest.size))
    .orderBy(t.cosignatures.witness);
  return { ...latest, note: latest.note + lines.map((l) => l.line).join("") };
}

/**
 * Integrates new events into the Merkle tree and signs a checkpoint. Runs beside the write path,
 * never inside it: commands only append events; this reads them afterwards.
 */
export async function integrate(
  store: Store,
  options: Pick<CheckpointerOptions, "signer" | "maxBatch">,
  now = new Date(),
): Promise<IssuedCheckpoint | undefined> {
  return store.db.transaction(async (tx) => {
    // Both drivers answer raw SQL with { rows }.
    const locked = (await tx.execute(
      sql`select pg_try_advisory_xact_lock(${INTEGRATOR_LOCK}) as ok`,
    )) as unknown as { rows: { ok: boolean }[] };
    if (!locked.rows[0]?.ok) return undefined;
    const latest = await latestCheckpoint(tx);
    const from = latest?.size ?? 0;
    const rows = await tx
      .select({ seq: t.events.seq, leafHash: t.events.leafHash })
      .from(t.events)
      .where(gte(t.events.seq, from))
      .orderBy(t.events.seq)
      .limit(options.maxBatch ?? 65_536);
    if (latest && rows.length === 0) return undefined;

    const builder = TileBuilder.resume(from, fetcherOf(await readTiles(tx, partialTilesForSize(from))));
    const grown: TileBlob[] = [];
    for (const [i, row] of rows.entries()) {
      if (row.seq !== from + i) throw new Error(`the ledger has a gap at leaf ${from + i}; refusing to sign`);
      grown.push(...builder.append(fromHex(row.leafHash)));
    }
    grown.push(...builder.partialTiles());
    await writeTiles(tx, grown);

    // The tree state is committed with the checkpoint, in this transaction, before anyone sees it.
    const rootHash = builder.root();
    const text = formatCheckpoint({ origin: options.signer.name, size: builder.size, rootHash });
    const note = new TextDecoder().decode(signNote(text, [options.signer]));
    const issued = { size: builder.size, rootHash: toHex(rootHash), note, previousSize: from };
    await tx
      .insert(t.checkpoints)
      .values({ size: issued.size, rootHash: issued.rootHash, note, issuedAt: now.toISOString() });
    return issued;
  });
}

/** Runs `integrate` on a timer, and sooner when many leaves wait. */
export class Checkpointer {
  readonly #store: Store;
  readonly #options: CheckpointerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #lastIssued = 0;
  /** The size of the last checkpoint known here; read from the database once, then kept up to date. */
  #checkpointed: number | undefined;

  constructor(store: Store, options: CheckpointerOptions) {
    this.#store = store;
    this.#options = options;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  /** One pass now (tests, `armsledger export-log`). */
  async runOnce(): Promise<IssuedCheckpoint | undefined> {
    const issued = await integrate(this.#store, this.#options);
    if (issued && this.#options.onCheckpoint)
      await this.#options
        .onCheckpoint(issued)
        .catch((error: unknown) =>
          this.#options.log?.warn({ failure: (error as Error).name }, "collecting cosignatures failed"),
        );
    return issued;
  }

  #schedule(delay: number) {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#tick().finally(() => {
        this.#running = undefined;
      });
    }, delay);
    this.#timer.unref();
  }

  async #tick() {
    const interval = this.#options.intervalMs ?? 1000;
    const poll = Math.min(100, interval);
    try {
      const [state] = await this.#store.db.select({ size: t.ledgerState.size }).from(t.ledgerState);
      this.#checkpointed ??= (await latestCheckpoint(this.#store.db))?.size ?? 0;
      const waiting = (state?.size ?? 0) - this.#checkpointed;
      const due = Date.now() - this.#lastIssued >= interval;
      if (
        waiting >= (this.#options.leavesPerCheckpoint ?? 256) ||
        (due && (waiting > 0 || this.#lastIssued === 0))
      ) {
        const issued = await this.runOnce();
        this.#lastIssued = Date.now();
        // Nothing issued: another process may hold the lock or have integrated; read again next time.
        this.#checkpointed = issued?.size;
        // More than one batch waiting: go straight on.
        if (issued && (state?.size ?? 0) > issued.size) return this.#schedule(0);
      }
    } catch (error) {
      this.#options.log?.warn(
        { failure: (error as Error).name, code: (error as { code?: string }).code },
        "checkpointing failed; will retry",
      );
    }
    this.#schedule(poll);
  }
}
