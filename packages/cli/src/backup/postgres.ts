import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Db, type LedgerHead, ledgerHead, tables } from "@armsledger/server";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { PAYLOAD_FILES } from "./archive.ts";

const run = promisify(execFile);

/**
 * The server's URL for libpq tools, with the password moved to PGPASSWORD: on the command line
 * it would be readable by every user of the machine (ps).
 */
function libpqTarget(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const env = { ...process.env };
  if (url.password) {
    env.PGPASSWORD = decodeURIComponent(url.password);
    url.password = "";
  }
  return { url: url.toString(), env };
}

async function runTool(
  tool: "pg_dump" | "pg_restore",
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  try {
    await run(tool, args, { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT")
      throw new Error(
        `${tool} was not found. Install the PostgreSQL client tools of the server's version (Debian: postgresql-client).`,
      );
    throw new Error(`${tool} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

/**
 * Dumps the database with pg_dump (custom format) from the snapshot in which the ledger head is
 * read, so the manifest describes exactly the dumped rows even while the server keeps writing.
 */
export async function dumpServer(databaseUrl: string, workDir: string): Promise<LedgerHead> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const { rows } = await client.query<{ snapshot: string }>("SELECT pg_export_snapshot() AS snapshot");
    const head = await ledgerHead(drizzle({ client, schema: tables }) as unknown as Db);
    const { url, env } = libpqTarget(databaseUrl);
    await runTool(
      "pg_dump",
      [
        "--format=custom",
        `--snapshot=${rows[0]!.snapshot}`,
        "--file",
        join(workDir, PAYLOAD_FILES.server),
        "--dbname",
        url,
      ],
      env,
    );
    await client.query("COMMIT");
    return head;
  } finally {
    await client.end();
  }
}

/** Tables, views and sequences outside the system schemas: a database to restore into has none. */
async function userRelations(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND s.nspname NOT IN ('pg_catalog', 'information_schema') AND s.nspname NOT LIKE 'pg_toast%'`,
    );
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

/**
 * Restores a pg_dump archive into an empty database, in one transaction: pg_restore either
 * restores all of it or nothing. A database that holds anything is refused, so a restore can
 * never mix a backup with the rows already there.
 */
export async function restoreServer(databaseUrl: string, payloadPath: string): Promise<void> {
  const existing = await userRelations(databaseUrl);
  if (existing > 0)
    throw new Error(
      `The database in DATABASE_URL is not empty (${existing} tables or sequences). Restore into a new, empty database (CREATE DATABASE …), then point the server at it.`,
    );
  const { url, env } = libpqTarget(databaseUrl);
  await runTool(
    "pg_restore",
    [
      "--no-owner",
      "--no-privileges",
      "--single-transaction",
      "--exit-on-error",
      "--dbname",
      url,
      payloadPath,
    ],
    env,
  );
}
