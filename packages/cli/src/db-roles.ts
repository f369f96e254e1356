import { parseArgs } from "node:util";
import { grantDatabaseRoles } from "@armsledger/server";
import { UsageError } from "./usage-error.ts";

const USAGE =
  "usage: armsledger db roles --owner ROLE --app ROLE (with ARMSLEDGER_ADMIN_URL or DATABASE_URL as an administrator)";

/**
 * `armsledger db roles --owner armsledger_owner --app armsledger_app`: the administrator's step
 * that makes the two PostgreSQL roles and their grants (server/src/store/roles.ts), printing each
 * statement it ran. Connects as ARMSLEDGER_ADMIN_URL (or DATABASE_URL): a superuser of the
 * application's database, not the roles being made.
 */
export async function runDbCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== "roles") throw new UsageError(USAGE);
  const { values } = parseArgs({
    args: rest,
    options: { owner: { type: "string" }, app: { type: "string" } },
  });
  if (!values.owner || !values.app) throw new UsageError(USAGE);
  const adminUrl = env.ARMSLEDGER_ADMIN_URL || env.DATABASE_URL;
  if (!adminUrl)
    throw new UsageError(
      "db roles works on a PostgreSQL server: set ARMSLEDGER_ADMIN_URL (or DATABASE_URL) to an administrator's postgres://… URL of the application's database",
    );
  const statements = await grantDatabaseRoles(adminUrl, { owner: values.owner, app: values.app });
  for (const statement of statements) console.log(`${statement};`);
  console.log(
    `\nDone. Run migrations as ${values.owner} (ARMSLEDGER_MIGRATION_URL=postgres://${values.owner}@…) and serve as ${values.app} (DATABASE_URL=postgres://${values.app}@…).` +
      "\nA role made here has no password: set one with psql's \\password ROLE (never on a command line).",
  );
}
