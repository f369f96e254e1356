import { join } from "node:path";
import { parseArgs } from "node:util";
import { role as roleSchema } from "@armsledger/core";
import {
  buildApp,
  createUser,
  isProblem,
  loadDemoProgramme,
  newPassword,
  openStore,
  type Store,
  storeIsEmpty,
} from "@armsledger/server";
import { runBackupCommand } from "./backup/index.ts";
import { config } from "./config.ts";
import { runDbCommand } from "./db-roles.ts";
import { runDecrypt } from "./decrypt.ts";
import { searchCommand } from "./duplicate-reviews.ts";
import { prepareLedger, runLedgerCommand } from "./ledger-commands.ts";
import { masterKeyOf } from "./master-key.ts";
import { encryptExisting, runPersonalDataCommand } from "./personal-data-commands.ts";
import { runReport } from "./reports.ts";
import { runRetentionCommand } from "./retention-commands.ts";
import { runScenarioSeed } from "./seed/scenario-command.ts";
import { runTransfer } from "./transfer.ts";
import { UsageError } from "./usage-error.ts";

const HELP = `armsledger — the system of record for weapons collection and disarmament programmes

Usage: armsledger <command> [options]

  serve                         Serve the API on PORT (default 8080). Without DATABASE_URL, uses the
                                embedded database in ARMSLEDGER_DATA (default ./data), creating and
                                migrating it, and loading the demo programme into a new one
                                (--no-demo to skip).
  migrate                       Create or update the database schema (as ARMSLEDGER_MIGRATION_URL's
                                role when set, else DATABASE_URL's).
  db roles --owner ROLE --app ROLE
                                Make the schema owner and the application's least-privileged role on
                                a PostgreSQL server, with their grants (as ARMSLEDGER_ADMIN_URL or
                                DATABASE_URL, an administrator); idempotent, prints what it granted.
  keys init-master --file PATH  Make the master key of people's data (base64, mode 0600); pass it as
                                ARMSLEDGER_MASTER_KEY_FILE. Required on PostgreSQL; the embedded
                                database makes <data>/master.key on first start.
  encrypt-existing              Encrypt personal values a database from before field encryption holds
                                in plain text (migrate and serve do it too).
  reindex names                 Rebuild the duplicate check's name keys, keyed, from the decrypted
                                people (a database from before field encryption; migrate does it).
  purge --all-personal-data --as USER --reason TEXT --confirm "destroy all personal data"
                                Emergency purge: destroy the data key (every person's data is gone for
                                good, the ledger still verifies), delete the name keys; logged.
  purge --person ID --as USER --reason TEXT
                                Purge one person (consent withdrawn, a court order): their record and
                                the private parts of the events about them read [purged]; logged.
  retention report [--as-of YYYY-MM-DD] [--json]
                                What the programme's retention policy makes due on a day, in counts
                                per record type (never names); read only.
  retention apply --as USER --reason TEXT [--as-of YYYY-MM-DD]
                                Purge what is due with the existing purges (a person's purge, the
                                purge marker, deletion of ended sessions); logged, idempotent.
  keys init --origin NAME [--out FILE]
                                Make the log's signing key (written to ARMSLEDGER_LOG_KEY_FILE or
                                <data>/log-signer.key) and print its verifier key.
  seed --demo                   Load the fictional demo programme into an empty database.
  seed --scenario iraq-national [--scale 0.1] [--seed 1]
                                Generate the national test scenario (250,000 people at scale 1, with
                                seeded faults) through the write path; rerun to resume. See
                                docs/scenario.md.
  user add --username U --role R [--display-name "…"] [--sites ID,ID] [--governorates IQ-BG,…]
                                Create an account. The password is read from standard input with
                                --password-stdin, or generated and printed once.
  import persons|weapons FILE --as USERNAME
                                Import a CSV or XLSX file, all or nothing; every refused line is listed.
  import roster GROUP_CODE FILE --as USERNAME [--submitted-on YYYY-MM-DD]
                                Record a group's list of members (CSV or XLSX) as its next roster
                                version (docs/reintegration.md).
  import payment-confirmation FILE --as USERNAME
                                Reconcile a provider's confirmation file (reference, amount, status,
                                date) against the lists sent; any mismatch refuses the file, line by line.
  export persons|weapons|handovers|ammunition --format csv|xlsx --out FILE
                                Persons and handovers hold people's records: they also need
                                --as USERNAME (an admin with unlimited scope),
                                --purpose "why" (at least 10 characters) and a passphrase
                                (--passphrase-file FILE or ARMSLEDGER_EXPORT_PASSPHRASE; 16+
                                characters, not easy to guess): the file is written age-encrypted
                                (FILE.age); each export is logged.
  export payment-list ID --format csv|xlsx --out FILE --as USERNAME --purpose "why"
         --passphrase-file FILE
                                A payment list as the file for the bank or mobile-money provider,
                                age-encrypted (logged as a read of everyone on it).
  decrypt FILE.age --passphrase-file FILE [--out FILE]
                                Open an encrypted export (so does the standard tool: age -d FILE.age).

  witness serve --key FILE --state DIR --log VKEY [--log VKEY…] [--port 7380]
                                Run a C2SP tlog-witness for a log (what an independent monitor runs).
  witness keygen --name NAME --out FILE
  report duplicate-reviews [--status pending|merged|dismissed|all] [--json]
                                Registrations held for duplicate review, best match and its score.
  search person "NAME" [--limit N] [--json]
                                People by name, any spelling, Arabic or Latin letters.
                                Make a witness's key pair.
  report balance [--json]       The disposition balance by category (exit 1 when it does not add up).
  report store-access [--site ID] [--open] [--json]
                                Removals from stores and their returns (--open: items still out).
  report stock-checks [--overdue] [--json]
                                Each depot's weekly and six-monthly stock checks, last and next due
                                (exit 1 when one is overdue).
  report investigations [--open] [--json]
                                Loss investigations (stock-check shortfalls, missing items) and outcomes.
  report caches [--open] [--json]
                                Cache reports by status (no source, no exact location).
  report pathways [--json]      Pathway outcomes by kind, group, governorate, sex and age group
                                (offered, accepted, placed, left, still placed; no names).
  report follow-ups [--overdue] [--as-of YYYY-MM-DD] [--json]
                                Placements with a follow-up due (exit 1 when any is overdue).
  report roster [GROUP_CODE] [--json]
                                Each group's latest roster against its registrations (counts only);
                                exit 1 on a spike or growth after the cut-off.
  report payments [--period YYYY-MM] [--json]
                                Stipend payments by period: paid, failed, open, the people left out by
                                reason, and what was paid by group, governorate, sex and age group.
  report eligibility [--json]   Screened, eligible, ineligible by reason, appeals and revocations by
                                group, governorate, sex and age group (counts only).
  trail weapon|ammunition|key_part ID [--json]
                                Every step of an item, from handover to disposition, with its leaf.
  export-log DIR                Write the log (checkpoint, tiles, entry bundles) to DIR.
  check-receipt PROOF --qr TEXT --key VKEY [--witness VKEY…]
                                Check offline that a receipt (the text of its QR code) is in the
                                log, with its tlog-proof from /api/v1/receipts/<number>/proof.
  verify --log URL|DIR --key VKEY [--witness VKEY…] [--quorum K] [--json]
                                Check a published log: every entry re-hashed, the tree rebuilt, the
                                signed checkpoint and cosignatures checked, public totals recomputed.
  verify --database [--key VKEY] [--json]
                                Also replay every event into fresh projections and compare them
                                row by row with the live tables.
  backup FILE                   Write the database (pg_dump, or the embedded data directory) and
                                its ledger size and root to FILE. Stop the server first when it
                                runs on the embedded database.
  restore FILE [--replace]      Restore a backup into an empty database (PostgreSQL) or a new
                                data directory (--replace moves an existing one aside), then check
                                the ledger against the backup's and run verify --database.

Environment: DATABASE_URL (postgres://…), ARMSLEDGER_MIGRATION_URL (the schema owner, for migrate,
backup and restore), ARMSLEDGER_DATA, PORT, HOST (default 127.0.0.1),
ARMSLEDGER_LOG_KEY or ARMSLEDGER_LOG_KEY_FILE (the log's signing key),
ARMSLEDGER_MASTER_KEY or ARMSLEDGER_MASTER_KEY_FILE (the master key of people's data),
ARMSLEDGER_WITNESS_POLICY (a C2SP tlog-policy file naming the witnesses and the quorum),
ARMSLEDGER_LOGIN_RATE_PER_MINUTE (sign-ins a minute from one address, default 20).
Roles: ${roleSchema.options.join(", ")}`;

function storeOptions(settings: ReturnType<typeof config>, as: "app" | "owner" = "app") {
  return {
    databaseUrl: as === "owner" ? settings.migrationUrl : settings.databaseUrl,
    dataDir: join(settings.dataDir, "db"),
    masterKey: masterKeyOf(settings),
  };
}

async function withStore<T>(
  work: (store: Store) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const settings = config();
  // Migrating changes the schema: the owner's connection (the application role may not).
  const store = await openStore(storeOptions(settings, options.migrate ? "owner" : "app"));
  try {
    if (options.migrate || store.kind === "embedded") await store.migrate();
    return await work(store);
  } finally {
    await store.close();
  }
}

function printCredentials(credentials: { username: string; password: string; role: string }[]) {
  console.log("\nDemo accounts (shown once; write them down):");
  for (const c of credentials) console.log(`  ${c.username.padEnd(12)} ${c.password}  (${c.role})`);
  console.log("");
}

async function serve(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { "no-demo": { type: "boolean", default: false } } });
  const settings = config();
  const store = await openStore(storeOptions(settings));
  // The embedded database is ours to create and migrate; a server's schema is migrated on purpose, with `migrate`.
  if (store.kind === "embedded") await store.migrate();
  // A database from before field encryption: its plain personal values are encrypted now.
  await encryptExisting(store);
  if (store.kind === "embedded" && !values["no-demo"] && (await storeIsEmpty(store)))
    printCredentials(await loadDemoProgramme(store));
  const ledger = prepareLedger(store, settings);
  const app = await buildApp({
    store,
    logger: true,
    ledger: ledger.trust,
    trustProxy: settings.trustProxy,
    signIn: { ratePerMinute: settings.loginRatePerMinute },
  });
  const checkpointer = ledger.startCheckpointer(app.log);
  const stop = async () => {
    await checkpointer?.stop();
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await app.listen({ port: settings.port, host: settings.host });
  console.log(
    `ArmsLedger is serving on http://localhost:${settings.port} (${store.kind === "embedded" ? `embedded database in ${join(settings.dataDir, "db")}` : "PostgreSQL server"}); API docs at /api/docs`,
  );
}

async function userAdd(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      username: { type: "string" },
      role: { type: "string" },
      "display-name": { type: "string" },
      sites: { type: "string" },
      governorates: { type: "string" },
      "password-stdin": { type: "boolean", default: false },
    },
  });
  if (!values.username || !values.role) throw new UsageError("user add needs --username and --role");
  const list = (s: string | undefined) =>
    s
      ? s
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean)
      : "all";
  let password = values["password-stdin"] ? await readStdin() : undefined;
  const generated = password === undefined;
  password ??= newPassword();
  const account = await withStore((store) =>
    createUser(store, {
      username: values.username!,
      displayName: values["display-name"] ?? values.username!,
      password: password!,
      role: values.role as never,
      scope: { sites: list(values.sites) as never, governorates: list(values.governorates) as never },
    }),
  );
  console.log(`Created ${account.username} (${account.role}).`);
  if (generated) console.log(`Password (shown once): ${password}`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve":
      return serve(rest);
    case "migrate":
      await withStore(encryptExisting, { migrate: true });
      console.log("The database schema is up to date.");
      return;
    case "seed": {
      const { values } = parseArgs({
        args: rest,
        options: {
          demo: { type: "boolean", default: false },
          scenario: { type: "string" },
          scale: { type: "string" },
          seed: { type: "string" },
        },
      });
      if (values.scenario) return runScenarioSeed({ ...values, scenario: values.scenario }, withStore);
      if (!values.demo) throw new UsageError("seed needs --demo or --scenario iraq-national");
      await withStore(async (store) => {
        if (!(await storeIsEmpty(store)))
          throw new UsageError(
            "The database already holds records or accounts; the demo is loaded only into an empty one.",
          );
        printCredentials(await loadDemoProgramme(store));
      });
      return;
    }
    case "report":
    case "trail":
      return runReport(command, rest, withStore);
    case "search":
      return searchCommand(rest, withStore);
    case "keys":
    case "witness":
    case "export-log":
    case "check-receipt":
    case "verify":
      return runLedgerCommand(command, rest, withStore, config());
    case "backup":
    case "restore":
      // A dump reads, and a restore creates, every table: the schema owner's connection.
      return runBackupCommand(command, rest, { ...config(), databaseUrl: config().migrationUrl });
    case "user":
      if (rest[0] !== "add") throw new UsageError("usage: armsledger user add --username U --role R");
      return userAdd(rest.slice(1));
    case "import":
    case "export": {
      return runTransfer(command, rest, withStore);
    }
    case "db":
      return runDbCommand(rest);
    case "decrypt":
      return runDecrypt(rest);
    // Field encryption of people's data (issue 7).
    case "encrypt-existing":
    case "reindex":
    case "purge":
      return runPersonalDataCommand(command, rest, withStore);
    case "retention":
      return runRetentionCommand(rest, withStore);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(HELP);
      return;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/**
 * Runs one armsledger command to its end and returns the exit code: 2 for a usage error, 1 for a
 * refusal or failure, else what the command set (a report that does not add up sets 1). main.ts
 * runs it for the operator; the CLI's tests run it in their own process, where opening the
 * server package again for each command would cost seconds.
 */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await main(argv);
    return Number(process.exitCode ?? 0);
  } catch (error: unknown) {
    if (error instanceof UsageError) {
      console.error(`armsledger: ${error.message}\nRun "armsledger help" for usage.`);
      return 2;
    }
    if (isProblem(error)) {
      console.error(`armsledger: ${error.message}`);
      for (const f of error.fields) console.error(`  ${f.path}: ${f.message}`);
      return 1;
    }
    console.error(`armsledger: ${(error as Error).message}`);
    return 1;
  }
}
