import type { FieldKeys } from "../crypto/field-keys.ts";
import type { Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";

/** An event as stored: public and private parts merged back together. */
export interface RecordedEvent {
  seq: number;
  type: string;
  recordedAt: string;
  actor: string;
  data: Record<string, unknown>;
}

/** `keys` encrypt the personal columns a projection writes (crypto/personal-columns.ts). */
export type Projector = (tx: Tx, event: RecordedEvent, keys: FieldKeys) => Promise<void>;

/** Notes that an event touched a record: the trail of any item or person. */
export async function touch(tx: Tx, seq: number, refs: { kind: string; id: string }[]): Promise<void> {
  const write = touching(tx, seq, refs);
  if (write) await write;
}

/** The write `touch` makes, unsent (to go with others: store/write-together.ts); none for no record. */
export function touching(tx: Tx, seq: number, refs: { kind: string; id: string }[]) {
  if (refs.length === 0) return undefined;
  return tx.insert(t.recordHistory).values(refs.map((r) => ({ kind: r.kind, id: r.id, seq })));
}

/** An event row read back: its leaf's public data merged with its personal part, if any. */
export function recordedEventOf(
  row: { seq: number; type: string; recordedAt: string; actor: string; entry: string },
  personalData: string | undefined,
): RecordedEvent {
  const leaf = JSON.parse(row.entry) as { data: Record<string, unknown> };
  const data = {
    ...leaf.data,
    ...(personalData ? (JSON.parse(personalData) as Record<string, unknown>) : {}),
  };
  return { seq: row.seq, type: row.type, recordedAt: row.recordedAt, actor: row.actor, data };
}
