import { eq } from "drizzle-orm";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { type FieldKeys, PURGED } from "./field-keys.ts";
import { openRow, sealRow } from "./personal-columns.ts";

// An event's private part (event_private.data): its canonical JSON, encrypted and bound to the
// event's seq. The commitment in the leaf is over the plain JSON, so verify decrypts first.

export function sealPrivatePart(keys: FieldKeys, seq: number, json: string): string {
  return sealRow(keys, "event_private", seq, { data: json }).data;
}

/** The private part's JSON; "[purged]" when its data key was destroyed. */
export function openPrivatePart(keys: FieldKeys, row: { seq: number; data: string }): string {
  return openRow(keys, "event_private", row.seq, { data: row.data }).data;
}

/**
 * An event's private part as JSON text: undefined when the event has none or it was purged (its
 * data key destroyed), so readers show no one rather than fail.
 */
export async function findPrivatePart(store: Store, seq: number): Promise<string | undefined> {
  const [row] = await store.db
    .select({ seq: t.eventPrivate.seq, data: t.eventPrivate.data })
    .from(t.eventPrivate)
    .where(eq(t.eventPrivate.seq, seq));
  if (!row) return undefined;
  const json = openPrivatePart(await store.personal.keys(), row);
  return json === PURGED ? undefined : json;
}

/** The person a private part is about: its `personId`, or a person correction's subject. */
export function privatePartSubject(part: Record<string, unknown>): string | undefined {
  if (typeof part.personId === "string") return part.personId;
  const subject = part.subject as { kind?: unknown; id?: unknown } | undefined;
  return subject?.kind === "person" && typeof subject.id === "string" ? subject.id : undefined;
}

/**
 * The keyed blind index of that person (`event_private.subject_index`); "" when the part names no
 * one (null is left for rows written before the index, which `encrypt-existing` fills).
 */
export function privateSubjectIndex(keys: FieldKeys, part: Record<string, unknown>): string {
  const personId = privatePartSubject(part);
  return personId ? subjectIndex(keys, personId) : "";
}

export function subjectIndex(keys: FieldKeys, personId: string): string {
  return keys.blindIndex("subject", personId);
}
