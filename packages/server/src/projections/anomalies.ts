import type { Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";

/** An anomaly as the projections raise it (a row of `anomalies`). */
export type AnomalyRow = typeof t.anomalies.$inferInsert;

/** What a command's answer says of each anomaly its event raised. */
export interface RaisedAnomaly {
  id: string;
  kind: string;
  subjectKind: string;
  subjectId: string;
  detail: string;
}

// The anomalies raised in a transaction (or savepoint) that the write path is watching: its answer
// lists them without reading them back (one statement less per command, docs/sync.md).
const watched = new WeakMap<Tx, AnomalyRow[]>();

/** Every anomaly goes through here: stored, and noted for the answer of the command raising it. */
export async function raiseAnomaly(tx: Tx, row: AnomalyRow): Promise<void> {
  await tx.insert(t.anomalies).values(row);
  watched.get(tx)?.push(row);
}

/** Notes the anomalies raised through `tx` while `work` runs, in the order answers list them. */
export async function watchAnomalies(tx: Tx, work: () => Promise<void>): Promise<RaisedAnomaly[]> {
  const rows: AnomalyRow[] = [];
  watched.set(tx, rows);
  try {
    await work();
  } finally {
    watched.delete(tx);
  }
  return inAnswerOrder(rows);
}

/** By id, compared as JavaScript strings (not by the database's collation, which may differ). */
export function inAnswerOrder(rows: RaisedAnomaly[]): RaisedAnomaly[] {
  return rows
    .map(({ id, kind, subjectKind, subjectId, detail }) => ({ id, kind, subjectKind, subjectId, detail }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
