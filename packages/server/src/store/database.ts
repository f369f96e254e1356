import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { PersonalData } from "../crypto/data-keys.ts";
import { ephemeralMasterKey, type KeyProvider } from "../crypto/master-key.ts";
import * as schema from "./schema.ts";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface Store {
  db: Db;
  /** "embedded": PGlite in a data directory (or in memory); "server": a PostgreSQL server. */
  kind: "embedded" | "server";
  /** The keys of people's data (field encryption, blind indexes, name keys): `await store.personal.keys()`. */
  personal: PersonalData;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * The embedded database's data directory as a tarball, gzipped (a backup) unless "none" is asked
   * for (loads in half the time); absent on a server.
   */
  dumpDataDir?(compression?: "gzip" | "none"): Promise<Blob>;
}

export const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

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
  /**
   * The master key that wraps the database's data key (crypto/master-key.ts). Required for a
   * PostgreSQL server and an embedded database on disk; a throw-away in-memory database makes
   * one of its own.
   */
  masterKey?: KeyProvider | undefined;
  /** Use another store's keys (a replay into a fresh database decrypts and encrypts as the live one). */
  sharePersonal?: PersonalData | undefined;
}

export class MasterKeyMissing extends Error {
  constructor(where: string) {
    super(
      `No master key for ${where}: set ARMSLEDGER_MASTER_KEY (base64 of 32 bytes) or ARMSLEDGER_MASTER_KEY_FILE ` +
        "(make one with `armsledger keys init-master --file PATH`, kept outside the database). " +
        "People's data is encrypted under it; without it the database cannot be read.",
    );
    this.name = "MasterKeyMissing";
  }
}

function personalDataOf(db: Db, options: StoreOptions, where: string | undefined): PersonalData {
  if (options.sharePersonal) return options.sharePersonal;
  if (options.masterKey) return new PersonalData(db, options.masterKey);
  if (where) throw new MasterKeyMissing(where);
  return new PersonalData(db, ephemeralMasterKey());
}

/**
 * A pool that takes back a lent client whose connection ends. drizzle's transaction sends BEGIN
 * before its try/finally, so a connection lost at BEGIN never returned its client: each outage
 * leaked clients until the pool was empty and every request waited for ever, and `close()` hung.
 * Releasing is made idempotent, so drizzle's own release afterwards does nothing.
 */
class ReleasingPool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: pg-pool's overloads (promise and callback forms)
  override connect(callback?: any): any {
    if (callback)
      return super.connect((error, client, done) => {
        if (error || !client) return callback(error, client, done);
        guard(client);
        callback(undefined, client, client.release);
      });
    return super.connect().then((client) => {
      guard(client);
      return client;
    });
  }
}

function guard(client: pg.PoolClient): void {
  const release = client.release;
  let released = false;
  const onEnd = () => client.release(new Error("the connection to the database ended"));
  client.release = (error?: Error | boolean) => {
    if (released) return;
    released = true;
    client.removeListener("end", onEnd);
    release(error);
  };
  client.once("end", onEnd);
  // Lent already dead (it ended before the pool noticed): take it back now.
  if ((client as unknown as { _ended?: boolean })._ended) onEnd();
}

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    if (!options.masterKey && !options.sharePersonal) throw new MasterKeyMissing("the PostgreSQL database");
    const pool = new ReleasingPool({ connectionString: options.databaseUrl, max: 10 });
    // A dropped connection must not crash the server; the next query gets a fresh one. The pool
    // listens for errors of idle clients only: a client lent to a request emits its connection's
    // end as an 'error' event too, and with no listener that event would kill the process. The
    // query in flight still fails (answered 503), and the pool drops the client on release.
    pool.on("error", () => {});
    pool.on("connect", (client) => client.on("error", () => {}));
    const db = drizzleNodePg({ client: pool, schema }) as unknown as Db;
    return {
      db,
      kind: "server",
      personal: personalDataOf(db, options, "the PostgreSQL database"),
      migrate: () => migrateNodePg(db as never, { migrationsFolder }),
      close: () => pool.end(),
    };
  }
  const dataDir = options.dataDir ?? "memory";
  if (dataDir !== "memory" && !options.masterKey && !options.sharePersonal)
    throw new MasterKeyMissing(`the embedded database in ${dataDir}`);
  if (dataDir !== "memory") mkdirSync(dataDir, { recursive: true });
  const loadDataDir = options.loadDataDir ? { loadDataDir: options.loadDataDir } : {};
  const client = dataDir === "memory" ? new PGlite(loadDataDir) : new PGlite(dataDir, loadDataDir);
  await client.waitReady;
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: "embedded",
    personal: personalDataOf(db, options, undefined),
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    close: () => client.close(),
    dumpDataDir: (compression = "gzip") => client.dumpDataDir(compression),
  };
}

// SQLSTATE class 08 is "connection exception"; 57P01…57P03: the server shut down, crashed, or
// cannot take connections yet (starting up, failing over).
const LOST_SQLSTATE = /^(08...|57P0[123])$/;
const LOST_ERRNO = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
// node-postgres gives these no code: the socket ended, or a client that lost it was used again.
const LOST_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect)/;

/**
 * Did this error (or one in its cause chain) come from losing the database, rather than from the
 * request? Such a request was not recorded (its transaction never committed, or committed and is
 * found again by its command id), so the client may send it again.
 */
export function isConnectionLoss(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (LOST_SQLSTATE.test(code) || LOST_ERRNO.has(code))) return true;
    if (e instanceof Error && LOST_MESSAGE.test(e.message)) return true;
    // AggregateError: a host name with several addresses, each refused.
    if (e instanceof AggregateError && e.errors.some((inner) => isConnectionLoss(inner))) return true;
  }
  return false;
}

/**
 * Did the database refuse to write because its disk is full (SQLSTATE 53100, or ENOSPC from the
 * file system)? PostgreSQL rolls the transaction back: nothing was recorded, and the same command
 * can be sent again once space is freed.
 */
export function isDiskFull(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === "53100" || code === "ENOSPC") return true;
  }
  return false;
}
