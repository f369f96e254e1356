import { randomBytes } from "node:crypto";
import pg from "pg";
import { ephemeralMasterKey } from "../crypto/master-key.ts";
import { openStore } from "./database.ts";
import { migrationsFingerprint } from "./migrations-fingerprint.ts";

/**
 * The name of a migrated, empty database on the PostgreSQL server at `serverUrl`, to create
 * throw-away databases from (`CREATE DATABASE … TEMPLATE`): copying it takes a fraction of what
 * running every migration in a new database takes, and the PostgreSQL test pass creates some
 * eighty of them.
 *
 * Named by the migrations' hash, so a new migration makes a new template. It is built under a
 * name of its own and renamed when complete, so that no one copies a half-migrated database; when
 * two test workers build it at once, the second rename fails and that copy is dropped. It holds no
 * key and no row. Nothing connects to it after it is built (PostgreSQL refuses to copy a database
 * someone is connected to).
 */
const templates = new Map<string, Promise<string>>();

export function serverTemplate(serverUrl: string): Promise<string> {
  let template = templates.get(serverUrl);
  if (!template) {
    template = findOrBuild(serverUrl);
    templates.set(serverUrl, template);
  }
  return template;
}

async function findOrBuild(serverUrl: string): Promise<string> {
  const name = `armsledger_template_${migrationsFingerprint()}`;
  const found = await adminQuery(serverUrl, "SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (found.rowCount) return name;
  const building = `${name}_${randomBytes(4).toString("hex")}`;
  await adminQuery(
    serverUrl,
    `CREATE DATABASE ${building} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
  );
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${building}`;
    const store = await openStore({ databaseUrl: url.toString(), masterKey: ephemeralMasterKey() });
    try {
      await store.migrate();
    } finally {
      await store.close();
    }
    await adminQuery(serverUrl, `ALTER DATABASE ${building} RENAME TO ${name}`);
  } catch (error) {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    // Another worker's copy was renamed first: use it.
    if ((error as { code?: string }).code !== "42P04") throw error;
  }
  return name;
}

/** One statement on a connection of its own (CREATE/DROP/ALTER DATABASE cannot run in a transaction). */
export async function adminQuery(serverUrl: string, statement: string, values?: unknown[]) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(statement, values);
  } finally {
    await client.end();
  }
}
