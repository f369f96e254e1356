import { and, asc, gt, lte } from "drizzle-orm";
import { FieldDecryptionError, PURGED } from "../crypto/field-keys.ts";
import { openPrivatePart } from "../crypto/private-part.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

export type StoredEvent = typeof t.events.$inferSelect;
/**
 * A private part as stored, decrypted: `data` is its JSON, "[purged]" when its data key was
 * destroyed, or undefined with `unreadable` saying why when it does not decrypt (altered, moved).
 */
export type StoredPersonal = { seq: number; salt: string; data: string | undefined; unreadable?: string };

export function isPurgedPart(personal: StoredPersonal | undefined): boolean {
  return personal?.data === PURGED;
}

/** Every stored event in leaf order, in batches, each with its personal part (decrypted) when it has one. */
export async function* storedEventBatches(
  store: Store,
  batch = 1000,
): AsyncGenerator<{ event: StoredEvent; personal?: StoredPersonal | undefined }[]> {
  let after = -1;
  for (;;) {
    const events = await store.db
      .select()
      .from(t.events)
      .where(gt(t.events.seq, after))
      .orderBy(asc(t.events.seq))
      .limit(batch);
    if (events.length === 0) return;
    const last = events.at(-1)!.seq;
    const personal = await store.db
      .select()
      .from(t.eventPrivate)
      .where(and(gt(t.eventPrivate.seq, after), lte(t.eventPrivate.seq, last)));
    const keys = await store.personal.keys();
    const bySeq = new Map(
      personal.map((p): [number, StoredPersonal] => {
        try {
          return [p.seq, { seq: p.seq, salt: p.salt, data: openPrivatePart(keys, p) }];
        } catch (error) {
          if (!(error instanceof FieldDecryptionError)) throw error;
          return [p.seq, { seq: p.seq, salt: p.salt, data: undefined, unreadable: error.message }];
        }
      }),
    );
    yield events.map((event) => ({ event, personal: bySeq.get(event.seq) }));
    after = last;
  }
}
