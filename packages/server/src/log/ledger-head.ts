import { fromHex, MerkleFrontier, toHex } from "@armsledger/ledger";
import { asc, eq, gt } from "drizzle-orm";
import type { Db, Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";

/** The ledger's tree size and RFC 9162 root hash, as its `events` rows make them. */
export interface LedgerHead {
  size: number;
  root: string;
}

const BATCH = 5000;

/**
 * The tree head of the ledger as stored, read in one snapshot when `db` is a transaction. A
 * backup records it and a restore compares it, so a backup that lost or gained a leaf is named.
 * Only the stored leaf hashes are folded here; `verify --database` re-hashes the entries.
 */
export async function ledgerHead(db: Db | Tx): Promise<LedgerHead> {
  const [state] = await db
    .select({ size: t.ledgerState.size })
    .from(t.ledgerState)
    .where(eq(t.ledgerState.id, 1));
  if (!state) throw new Error("ledger_state is missing: the database was not migrated");
  const frontier = new MerkleFrontier();
  let after = -1;
  for (;;) {
    const rows = await db
      .select({ seq: t.events.seq, leafHash: t.events.leafHash })
      .from(t.events)
      .where(gt(t.events.seq, after))
      .orderBy(asc(t.events.seq))
      .limit(BATCH);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== frontier.size)
        throw new Error(`the ledger has a gap: event ${frontier.size} is missing (found ${row.seq})`);
      frontier.append(fromHex(row.leafHash));
    }
    after = rows.at(-1)!.seq;
  }
  if (frontier.size !== state.size)
    throw new Error(`the ledger holds ${frontier.size} events but ledger_state says ${state.size}`);
  return { size: frontier.size, root: toHex(frontier.root()) };
}
