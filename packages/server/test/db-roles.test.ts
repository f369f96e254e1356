import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ephemeralMasterKey } from "../src/crypto/master-key.ts";
import { openStore } from "../src/store/database.ts";
import { appendOnlyTables, grantDatabaseRoles } from "../src/store/roles.ts";
import { type Api, startApi } from "./api/support.ts";

// Least-privilege roles exist only on a PostgreSQL server (the embedded database has one user).
const serverUrl = process.env.DATABASE_URL;

async function sql(url: string, statement: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(statement, params);
  } finally {
    await client.end();
  }
}

/** The same server and database as `url`, signed in as `role` (the test server trusts local users). */
function urlAs(url: string, database: string, role?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (role) {
    u.username = role;
    u.password = "";
  }
  return u.toString();
}

/** A fresh database and two fresh roles, dropped afterwards (roles belong to the whole cluster). */
function fixture(label: string) {
  const suffix = randomBytes(4).toString("hex");
  const names = {
    database: `armsledger_roles_${label}_${suffix}`,
    owner: `al_owner_${suffix}`,
    app: `al_app_${suffix}`,
  };
  return {
    ...names,
    admin: () => urlAs(serverUrl!, names.database),
    as: (role: string) => urlAs(serverUrl!, names.database, role),
    create: () =>
      sql(
        serverUrl!,
        `CREATE DATABASE ${names.database} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
      ),
    async drop() {
      await sql(serverUrl!, `DROP DATABASE IF EXISTS ${names.database} WITH (FORCE)`);
      await sql(serverUrl!, `DROP ROLE IF EXISTS ${names.app}`);
      await sql(serverUrl!, `DROP ROLE IF EXISTS ${names.owner}`);
    },
  };
}

// People's data is sealed under a master key (crypto/): one for the whole file, never written.
const masterKey = ephemeralMasterKey();

async function migrateAs(url: string) {
  const store = await openStore({ databaseUrl: url, masterKey });
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
}

/** Tables of the application's schemas that `owner` does not own. */
async function tablesNotOwnedBy(url: string, owner: string): Promise<string[]> {
  const result = await sql(
    url,
    "SELECT tablename FROM pg_tables WHERE schemaname IN ('public', 'drizzle') AND tableowner <> $1",
    [owner],
  );
  return result.rows.map((r) => r.tablename as string);
}

/** What the application role is refused: the ledger and the audit log unchanged, no DDL. */
const refusals: [string, RegExp][] = [
  ["UPDATE events SET seq = seq", /permission denied for table events/],
  ["DELETE FROM events", /permission denied for table events/],
  ["TRUNCATE events", /permission denied for table events/],
  ["UPDATE access_log SET purpose = 'x'", /permission denied for table access_log/],
  ["DELETE FROM access_log", /permission denied for table access_log/],
  ["TRUNCATE access_log", /permission denied for table access_log/],
  ["DELETE FROM checkpoints", /permission denied for table checkpoints/],
  ["DELETE FROM log_tiles", /permission denied for table log_tiles/],
  ["DROP TABLE persons", /must be owner of table persons/],
  ["ALTER TABLE events DISABLE TRIGGER events_append_only", /must be owner of table events/],
  ["CREATE TABLE stolen (id int)", /permission denied for schema public/],
  ["CREATE TEMP TABLE stolen (id int)", /permission denied to create temporary tables/],
  ["CREATE SCHEMA stolen", /permission denied for database/],
  ["SELECT * FROM drizzle.__drizzle_migrations", /permission denied for schema drizzle/],
];

describe.skipIf(!serverUrl)("least-privilege database roles (PostgreSQL)", () => {
  describe("a new database: roles first, then migrations as the owner", () => {
    const db = fixture("new");
    let api: Api;
    let granted: string[];

    beforeAll(async () => {
      await db.create();
      granted = await grantDatabaseRoles(db.admin(), { owner: db.owner, app: db.app });
      await migrateAs(db.as(db.owner));
      // The application: the whole API (a seeded programme: registrations, handovers, custody,
      // accounts, sessions, tokens) through a store connected as the app role.
      const store = await openStore({ databaseUrl: db.as(db.app), masterKey });
      api = await startApi({ seed: true, store: { ...store, dispose: () => store.close() } });
    }, 120_000);

    afterAll(async () => {
      await api?.close();
      await db.drop();
    });

    it("says what it did, and may run again", async () => {
      expect(granted).toContain(`CREATE ROLE "${db.app}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
      expect(granted.some((s) => s.startsWith("ALTER DEFAULT PRIVILEGES"))).toBe(true);
      const again = await grantDatabaseRoles(db.admin(), { owner: db.owner, app: db.app });
      expect(again.some((s) => s.startsWith("CREATE ROLE"))).toBe(false);
      // Run again after the migrations, it names the append-only tables it now finds.
      expect(again).toContain(`GRANT SELECT, INSERT ON TABLE "events" TO "${db.app}"`);
    });

    it("lets the application run the API as the app role, reads logged", async () => {
      const person = await api.send("admin", { method: "GET", url: `/api/v1/persons/${api.seed.personA}` });
      expect(person.statusCode).toBe(200);
      const history = await api.send("admin", {
        method: "GET",
        url: `/api/v1/persons/${api.seed.personA}/access-history`,
      });
      expect(history.statusCode).toBe(200);
      const logged = await sql(db.as(db.app), "SELECT count(*)::int AS n FROM access_log");
      expect(logged.rows[0].n).toBeGreaterThan(0);
      const events = await sql(db.as(db.app), "SELECT count(*)::int AS n FROM events");
      expect(events.rows[0].n).toBeGreaterThan(10);
    });

    it.each(refusals)("refuses the app role: %s", async (statement, message) => {
      await expect(sql(db.as(db.app), statement)).rejects.toThrow(message);
    });

    it("leaves every object to the owner", async () => {
      expect(await tablesNotOwnedBy(db.admin(), db.owner)).toEqual([]);
    });

    it("names every table the database keeps append-only by trigger", async () => {
      const guarded = await sql(
        db.admin(),
        // The refusing triggers (armsledger_refuse_*); a trigger that keeps a count is not a guard.
        `SELECT DISTINCT tgrelid::regclass::text AS name FROM pg_trigger
         WHERE NOT tgisinternal AND tgfoid::regproc::text LIKE 'armsledger_refuse_%' ORDER BY 1`,
      );
      expect(guarded.rows.map((r) => r.name)).toContain("events");
      for (const { name } of guarded.rows) expect(Object.keys(appendOnlyTables)).toContain(name);
    });
  });

  describe("an existing database migrated by an administrator, then given roles", () => {
    const db = fixture("old");

    beforeAll(async () => {
      await db.create();
      await migrateAs(db.admin());
      await grantDatabaseRoles(db.admin(), { owner: db.owner, app: db.app });
    }, 60_000);

    afterAll(() => db.drop());

    it("hands the schema to the owner, who can migrate again", async () => {
      expect(await tablesNotOwnedBy(db.admin(), db.owner)).toEqual([]);
      await migrateAs(db.as(db.owner));
    });

    it("lets the app role read and write the projections, not the ledger", async () => {
      await sql(db.as(db.app), "SELECT count(*) FROM persons");
      await sql(db.as(db.app), "UPDATE ledger_state SET size = size");
      await expect(sql(db.as(db.app), "DELETE FROM events")).rejects.toThrow(/permission denied/);
      await expect(sql(db.as(db.app), "DROP TABLE persons")).rejects.toThrow(/must be owner/);
    });
  });

  it("refuses a role name it would have to quote, and one role for both", async () => {
    await expect(grantDatabaseRoles(serverUrl!, { owner: "Owner; DROP", app: "a" })).rejects.toThrow(
      /not a role name/,
    );
    await expect(grantDatabaseRoles(serverUrl!, { owner: "same", app: "same" })).rejects.toThrow(
      /two different/,
    );
  });
});
