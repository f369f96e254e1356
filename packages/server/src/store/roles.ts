import pg from "pg";

/**
 * Least privilege on a PostgreSQL server: an owner role that owns the schema and runs the
 * migrations, and an application role that `serve` connects as, which may read and write the
 * projections but cannot change the ledger or the audit log, nor the schema.
 *
 * Roles belong to the whole cluster, so this is an administrator's step, run once per database
 * (and again after a restore or a change of roles): `armsledger db roles --owner … --app …`.
 * It is idempotent: every statement may be run again.
 */
export interface DatabaseRoles {
  /** Owns the schema; `migrate` connects as it (ARMSLEDGER_MIGRATION_URL). */
  owner: string;
  /** What `serve` connects as (DATABASE_URL). */
  app: string;
}

/**
 * Tables the application may only add to and read. The database's triggers refuse UPDATE and
 * DELETE on them already (the ledger, the published checkpoints, the audit log of reads); without
 * the privilege the app role cannot even try, nor drop the triggers (only the owner may).
 * A partial log tile grows by UPDATE (its trigger allows only that), so `log_tiles` keeps UPDATE.
 * The append_only_grants migration revokes the same from every grantee, for tables created after this step ran.
 */
export const appendOnlyTables: Readonly<Record<string, readonly ("SELECT" | "INSERT" | "UPDATE")[]>> = {
  events: ["SELECT", "INSERT"],
  access_log: ["SELECT", "INSERT"],
  checkpoints: ["SELECT", "INSERT"],
  log_tiles: ["SELECT", "INSERT", "UPDATE"],
};

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/u;

export function checkRoleName(name: string): string {
  if (!ROLE_NAME.test(name))
    throw new Error(
      `"${name}" is not a role name this step accepts: lower-case letters, digits and _, starting with a letter or _ (at most 63)`,
    );
  return name;
}

/** The schemas the migrations write: the tables (public) and drizzle's record of migrations. */
const SCHEMAS = ["public", "drizzle"] as const;

/**
 * Creates the two roles if missing (LOGIN, no password: set one with psql's \password, never on
 * a command line), gives the owner the schema and every object in it, and grants the app role
 * what the application needs, now and for tables the owner creates later. Connects with
 * `adminUrl` (a superuser, or a role with CREATEROLE that may act as both roles) to the
 * application's database. Answers the statements run, for the administrator to read.
 */
export async function grantDatabaseRoles(adminUrl: string, roles: DatabaseRoles): Promise<string[]> {
  const owner = checkRoleName(roles.owner);
  const app = checkRoleName(roles.app);
  if (owner === app) throw new Error("the owner and the application role must be two different roles");
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const done: string[] = [];
  const run = async (statement: string) => {
    await client.query(statement);
    done.push(statement);
  };
  try {
    const id = (name: string) => client.escapeIdentifier(name);
    const database = (await client.query<{ db: string }>("SELECT current_database() AS db")).rows[0]!.db;
    for (const role of [owner, app]) {
      const found = await client.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
        "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1",
        [role],
      );
      const existing = found.rows[0];
      if (!existing) await run(`CREATE ROLE ${id(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
      else if (existing.rolsuper || existing.rolbypassrls)
        throw new Error(
          `${role} is a superuser (or bypasses row security): every privilege below would be moot`,
        );
    }
    await client.query("BEGIN");

    // The database: both may connect; only the owner may create schemas (drizzle's); nobody else
    // may create temporary tables.
    await run(`REVOKE CREATE, TEMPORARY ON DATABASE ${id(database)} FROM PUBLIC`);
    await run(`GRANT CONNECT, CREATE ON DATABASE ${id(database)} TO ${id(owner)}`);
    await run(`GRANT CONNECT ON DATABASE ${id(database)} TO ${id(app)}`);
    await run(`REVOKE CREATE, TEMPORARY ON DATABASE ${id(database)} FROM ${id(app)}`);

    // The schemas and everything in them belong to the owner.
    await run(`CREATE SCHEMA IF NOT EXISTS drizzle AUTHORIZATION ${id(owner)}`);
    for (const schema of SCHEMAS) await run(`ALTER SCHEMA ${id(schema)} OWNER TO ${id(owner)}`);
    await run(`REVOKE ALL ON SCHEMA public FROM PUBLIC`);
    await run(`REVOKE ALL ON SCHEMA drizzle FROM PUBLIC`);
    await run(`REVOKE ALL ON SCHEMA drizzle FROM ${id(app)}`);
    for (const statement of await ownershipChanges(client, owner)) await run(statement);

    // The application: read and write the projections; add to and read the append-only tables;
    // use the sequences; no DDL (it owns nothing and may create nothing), no TRUNCATE.
    await run(`GRANT USAGE ON SCHEMA public TO ${id(app)}`);
    await run(`REVOKE CREATE ON SCHEMA public FROM ${id(app)}`);
    await run(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${id(app)}`);
    await run(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${id(app)}`);
    await run(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${id(app)}`);
    const present = await client.query<{ name: string }>(
      "SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND relname = ANY($1)",
      [Object.keys(appendOnlyTables)],
    );
    for (const { name } of present.rows) {
      await run(`REVOKE ALL ON TABLE ${id(name)} FROM ${id(app)}`);
      await run(`GRANT ${appendOnlyTables[name]!.join(", ")} ON TABLE ${id(name)} TO ${id(app)}`);
    }
    // Tables and sequences the owner creates later (the next migrations) follow.
    const future = `ALTER DEFAULT PRIVILEGES FOR ROLE ${id(owner)} IN SCHEMA public`;
    await run(`${future} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${id(app)}`);
    await run(`${future} GRANT USAGE, SELECT ON SEQUENCES TO ${id(app)}`);
    await client.query("COMMIT");
    return done;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * ALTER … OWNER TO for every table, view, standalone sequence, function and enum type in the schemas
 * that the owner does not own yet (a database migrated by a superuser before the roles existed).
 * Sequences that belong to a column follow their table.
 */
async function ownershipChanges(client: pg.Client, owner: string): Promise<string[]> {
  const id = (name: string) => client.escapeIdentifier(name);
  const relations = await client.query<{ kind: string; schema: string; name: string }>(
    `SELECT c.relkind AS kind, n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
        AND c.relowner <> $2::regrole
        AND NOT EXISTS (SELECT 1 FROM pg_depend d
                         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
      ORDER BY n.nspname, c.relname`,
    [SCHEMAS, owner],
  );
  const keyword: Record<string, string> = {
    r: "TABLE",
    p: "TABLE",
    v: "VIEW",
    m: "MATERIALIZED VIEW",
    S: "SEQUENCE",
  };
  const statements = relations.rows.map(
    (r) => `ALTER ${keyword[r.kind]} ${id(r.schema)}.${id(r.name)} OWNER TO ${id(owner)}`,
  );
  const functions = await client.query<{ signature: string }>(
    `SELECT p.oid::regprocedure::text AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = ANY($1) AND p.proowner <> $2::regrole ORDER BY 1`,
    [SCHEMAS, owner],
  );
  for (const f of functions.rows) statements.push(`ALTER FUNCTION ${f.signature} OWNER TO ${id(owner)}`);
  const types = await client.query<{ name: string }>(
    `SELECT t.oid::regtype::text AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = ANY($1) AND t.typtype = 'e' AND t.typowner <> $2::regrole ORDER BY 1`,
    [SCHEMAS, owner],
  );
  for (const t of types.rows) statements.push(`ALTER TYPE ${t.name} OWNER TO ${id(owner)}`);
  return statements;
}
