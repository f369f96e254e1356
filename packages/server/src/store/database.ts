import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import * as schema from "./schema.ts";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface Store {
  db: Db;
  /** "embedded": PGlite in a data directory (or in memory); "server": a PostgreSQL server. */
  kind: "embedded" | "server";
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** The embedded database's data directory as a gzipped tarball (a backup); absent on a server. */
  dumpDataDir?(): Promise<Blob>;
}

const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

export interface StoreOptions {
  /** postgres://… — a PostgreSQL server. When absent, the embedded database is used. */
  databaseUrl?: string | undefined;
  /** Directory of the embedded database; "memory" for a throw-away one (tests). */
  dataDir?: string | undefined;
  /**
   * A data directory tarball (from `dumpDataDir`) to create the embedded database from: a
   * restore. PGlite refuses it when `dataDir` already holds a database.
   */
  loadDataDir?: Blob | undefined;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // A dropped connection must not crash the server; the next query gets a fresh one.
    pool.on("error", () => {});
    const db = drizzleNodePg({ client: pool, schema }) as unknown as Db;
    return {
      db,
      kind: "server",
      migrate: () => migrateNodePg(db as never, { migrationsFolder }),
      close: () => pool.end(),
    };
  }
  const dataDir = options.dataDir ?? "memory";
  if (dataDir !== "memory") mkdirSync(dataDir, { recursive: true });
  const loadDataDir = options.loadDataDir ? { loadDataDir: options.loadDataDir } : {};
  const client = dataDir === "memory" ? new PGlite(loadDataDir) : new PGlite(dataDir, loadDataDir);
  await client.waitReady;
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: "embedded",
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    close: () => client.close(),
    dumpDataDir: () => client.dumpDataDir("gzip"),
  };
}
