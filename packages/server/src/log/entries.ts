import { encodeEntryBundle } from "@armsledger/ledger";
import { and, gte, lt } from "drizzle-orm";
import type { Db } from "../store/database.ts";
import * as t from "../store/schema.ts";

const encoder = new TextEncoder();

/** Entry bundle `index` of `width` entries: the leaves' bytes, exactly as hashed. */
export async function entryBundle(db: Db, index: number, width: number): Promise<Uint8Array> {
  const from = index * 256;
  const rows = await db
    .select({ entry: t.events.entry })
    .from(t.events)
    .where(and(gte(t.events.seq, from), lt(t.events.seq, from + width)))
    .orderBy(t.events.seq);
  return encodeEntryBundle(rows.map((r) => encoder.encode(r.entry)));
}
