import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Tx } from "./database.ts";

/**
 * A write that a later one in the same statement reads from by name (`insert … returning key`,
 * then `… select key from filed`): it goes in as the CTE `as`.
 */
export interface NamedWrite {
  as: string;
  write: SQLWrapper;
}

export type Write = SQLWrapper | NamedWrite;

/**
 * Writes sent as ONE statement (data-modifying CTEs: `WITH w0 AS (…), w1 AS (…) <last>`): one
 * round trip to the database instead of one each, which is most of what a command costs
 * (docs/sync.md, "Where a command's time goes"). The writes share the statement's snapshot: one
 * does not see another's rows, and two may not change the same row. So only writes that neither
 * read nor change each other's rows go together (inserts into different tables, an update of a
 * row written by an earlier statement); any read that must see them comes after. A NamedWrite's
 * RETURNING rows are what a later write may read by its name. Foreign keys are checked at the end
 * of the statement, so a row and the rows referring to it may go together.
 */
export async function writeTogether(tx: Tx, writes: Write[]): Promise<void> {
  if (writes.length === 0) return;
  await tx.execute(together(writes.slice(0, -1), sqlOf(writes.at(-1)!)));
}

/**
 * The writes and a read in ONE statement (as writeTogether), answering the read's rows. The read
 * sees the database as it was before these writes (the statement's snapshot), so it must be one
 * that does not need them: the rows of other records. Columns come back as the read names them.
 */
export async function writeTogetherReading<R>(tx: Tx, writes: Write[], read: SQLWrapper): Promise<R[]> {
  const { rows } = (await tx.execute(together(writes, read.getSQL()))) as unknown as { rows: R[] };
  return rows;
}

function together(ctes: Write[], last: SQL): SQL {
  if (ctes.length === 0) return last;
  const named = ctes.map((w, i) => sql`${sql.raw(isNamed(w) ? w.as : `w${i}`)} as (${sqlOf(w)})`);
  return sql`with ${sql.join(named, sql`, `)} ${last}`;
}

// (drizzle's SQL has an `as` method: a name is a string.)
const isNamed = (write: Write): write is NamedWrite => typeof (write as NamedWrite).as === "string";

const sqlOf = (write: Write) => (isNamed(write) ? write.write : write).getSQL();
