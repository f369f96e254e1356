import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { encryptExistingPersonalData, initMasterKeyFile, reindexNames, type Store } from "@armsledger/server";
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
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}
