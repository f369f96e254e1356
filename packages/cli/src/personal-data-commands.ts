import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  checkPurpose,
  encryptExistingPersonalData,
  findAccountByUsername,
  initMasterKeyFile,
  PURGE_ALL_CONFIRMATION,
  personPurgeTables,
  purgeAllPersonalData,
  purgePerson,
  reindexNames,
  type Store,
} from "@armsledger/server";
import { UsageError } from "./usage-error.ts";

type WithStore = <T>(work: (store: Store) => Promise<T>, options?: { migrate?: boolean }) => Promise<T>;

/** `armsledger keys init-master --file PATH`: a new master key file (mode 0600), never over an old one. */
export function initMasterKeyCommand(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { file: { type: "string" } } });
  if (!values.file) throw new UsageError("usage: armsledger keys init-master --file PATH");
  const file = resolve(values.file);
  mkdirSync(dirname(file), { recursive: true });
  initMasterKeyFile(file);
  console.log(
    `Wrote a new master key to ${file}. Keep it outside the database and its backups, back it up apart: without it the people's data cannot be read. Serve with ARMSLEDGER_MASTER_KEY_FILE=${file}.`,
  );
}

/**
 * Encrypts what a database written before field encryption holds in plain; prints what it
 * changed. Such a database's name keys are unkeyed hashes: they are rebuilt keyed.
 */
export async function encryptExisting(store: Store): Promise<void> {
  const changed = await encryptExistingPersonalData(store);
  const total = Object.values(changed).reduce((a, b) => a + b, 0);
  if (total > 0)
    console.log(
      `Encrypted people's data stored in plain text: ${Object.entries(changed)
        .filter(([, n]) => n > 0)
        .map(([table, n]) => `${table} ${n}`)
        .join(", ")}.`,
    );
  if ((changed.persons ?? 0) > 0)
    console.log(`Rebuilt the keyed name keys of ${await reindexNames(store)} people.`);
}

export async function runPersonalDataCommand(
  command: string,
  argv: string[],
  withStore: WithStore,
): Promise<void> {
  switch (command) {
    case "encrypt-existing":
      await withStore(encryptExisting);
      console.log("Every personal value is encrypted.");
      return;
    case "reindex":
      if (argv[0] !== "names") throw new UsageError("usage: armsledger reindex names");
      console.log(`Rebuilt the keyed name keys of ${await withStore(reindexNames)} people.`);
      return;
    case "purge":
      return purge(argv, withStore);
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

const PURGE_USAGE = `usage: armsledger purge --person ID --as USERNAME --reason TEXT, or purge --all-personal-data --as USERNAME --reason TEXT --confirm "${PURGE_ALL_CONFIRMATION}"`;

/** `armsledger purge --person ID` or `--all-personal-data` (crypto-shredding): by an administrator, logged. */
async function purge(argv: string[], withStore: WithStore): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      "all-personal-data": { type: "boolean", default: false },
      person: { type: "string" },
      as: { type: "string" },
      reason: { type: "string" },
      confirm: { type: "string" },
    },
  });
  if (values["all-personal-data"] === (values.person !== undefined) || !values.as)
    throw new UsageError(PURGE_USAGE);
  if (values.person) return purgeOnePerson(values.person, values.as, values.reason, withStore);
  if (values.confirm !== PURGE_ALL_CONFIRMATION)
    throw new UsageError(
      `Nothing was purged: to destroy every person's data for good, add --confirm "${PURGE_ALL_CONFIRMATION}" (exactly).`,
    );
  const reason = checkPurpose(values.reason, "a purge", { path: "--reason" });
  const done = await withStore(async (store) =>
    purgeAllPersonalData(store, { ...(await purgingAdmin(store, values.as!)), reason }),
  );
  console.log(
    [
      `Destroyed data key ${done.destroyedKeys.join(", ") || "(none was alive)"}: the personal data of ${done.persons} people, and every event's private part, can no longer be read by anyone.`,
      `Deleted ${done.nameKeys} name keys and ${done.nameCounts} name counts; cleared the blind indexes.`,
      `Weapons, handovers, custody and the ledger remain; \`armsledger verify --database\` still passes. The purge is in the access log.`,
      done.vacuumed.length < 4
        ? "VACUUM could not run on every table: run `VACUUM data_keys, persons, person_name_keys, person_name_counts` as the tables' owner, so no old row version survives."
        : "Vacuumed the tables it changed.",
      "BACKUPS taken before this purge still hold the old wrapped data key, readable with the master key: destroy those backups, or rotate and destroy the master key (docs/security.md).",
    ].join("\n"),
  );
}

async function purgingAdmin(store: Store, username: string) {
  const account = await findAccountByUsername(store, username);
  if (!account) throw new UsageError(`there is no active account named ${username}`);
  if (account.role !== "admin") throw new UsageError("only an administrator may purge people's data");
  return { actor: account.id, role: account.role };
}

async function purgeOnePerson(
  personId: string,
  username: string,
  why: string | undefined,
  withStore: WithStore,
): Promise<void> {
  const reason = checkPurpose(why, "a purge", { path: "--reason" });
  const done = await withStore(async (store) =>
    purgePerson(store, personId, { ...(await purgingAdmin(store, username)), reason }),
  );
  const unvacuumed = personPurgeTables.filter((table) => !done.vacuumed.includes(table));
  console.log(
    [
      `Purged person ${done.personId}: their record, name keys, ${done.payoutAccounts} payout account(s), ${done.records} record(s) about them (screenings, appeals, pathways and their offers, payment lines, notes…), ${done.rosterEntries} entr(y/ies) of their group's rosters, ${done.photos} photo file(s) and the private parts of ${done.privateParts} event(s) about them or listing them (payment lists, rosters) now read [purged].`,
      "Their weapons, handovers and the ledger remain; `armsledger verify --database` still passes. The purge is in the access log.",
      unvacuumed.length > 0
        ? `VACUUM could not run on every table: run \`VACUUM ${unvacuumed.join(", ")}\` as the tables' owner.`
        : "Vacuumed the tables it changed.",
      "BACKUPS taken before this purge still hold their data, readable with the master key.",
    ].join("\n"),
  );
}
