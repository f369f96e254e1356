import { type SQLWrapper, sql } from "drizzle-orm";
import type { Tx } from "./database.ts";

/**
 * Writes sent as ONE statement (data-modifying CTEs: `WITH w0 AS (…), w1 AS (…) <last>`): one
 * round trip to the database instead of one each, which is most of what a command costs
 * (docs/sync.md, "Where a command's time goes"). The writes share the statement's snapshot: one
 * does not see another's rows, and two may not change the same row. So only writes that neither
 * read nor change each other's rows go together (inserts into different tables, an update of a
 * row written by an earlier statement); any read that must see them comes after.
 */
export async function writeTogether(tx: Tx, writes: SQLWrapper[]): Promise<void> {
  if (writes.length === 0) return;
  const last = writes.at(-1)!;
  if (writes.length === 1) {
    await tx.execute(last.getSQL());
    return;
  }
  const ctes = writes.slice(0, -1).map((w, i) => sql`${sql.raw(`w${i}`)} as (${w.getSQL()})`);
  await tx.execute(sql`with ${sql.join(ctes, sql`, `)} ${last.getSQL()}`);
}
