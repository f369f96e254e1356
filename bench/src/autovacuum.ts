import type { Store } from "@armsledger/server";
import { sql } from "drizzle-orm";

/**
 * Whether the store's PostgreSQL server runs without autovacuum (as the benchmark machines do:
 * `show autovacuum` says off). An operator's server has it on, so a benchmark there stands in
 * for it; PGlite has no autovacuum to speak of and is left alone.
 */
export async function autovacuumIsOff(store: Store): Promise<boolean> {
  if (store.kind !== "server") return false;
  const setting = (await store.db.execute(sql`show autovacuum`)) as unknown as {
    rows: { autovacuum: string }[];
  };
  return setting.rows[0]?.autovacuum === "off";
}
