import type { FieldKeys } from "../crypto/field-keys.ts";
import type { Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";
import type { Write } from "../store/write-together.ts";

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

/**
 * A projector that takes `leading` writes: writes that must reach the database before anything
 * the projection reads or writes (the write path's leaf and personal part). It sends them in its
 * first statement (store/write-together.ts): one round trip less a command. applyEvent sends them
 * on their own, first, for any other projector.
 */
export type LeadingProjector = (
  tx: Tx,
  event: RecordedEvent,
  keys: FieldKeys,
  leading: Write[],
) => Promise<void>;

/** A Projector (leading nothing) that applyEvent also finds as a LeadingProjector. */
export function withLeading(projector: LeadingProjector): Projector & { leading: LeadingProjector } {
  return Object.assign((tx: Tx, event: RecordedEvent, keys: FieldKeys) => projector(tx, event, keys, []), {
    leading: projector,
  });
}

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
