import { openAsBlob } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  type DatabaseVerification,
  type KeyProvider,
  ledgerHead,
  openStore,
  type Store,
  verifyDatabase,
} from "@armsledger/server";
import type { config } from "../config.ts";
import { masterKeyOf } from "../master-key.ts";
import { UsageError } from "../usage-error.ts";
import { type BackupManifest, readBackup, writeBackup } from "./archive.ts";
import { dumpEmbedded, holdsDatabase } from "./embedded.ts";
import { dumpServer, restoreServer } from "./postgres.ts";

export { type BackupManifest, backupManifest, readBackup } from "./archive.ts";

type Settings = ReturnType<typeof config>;

/** Where the embedded database lives: <ARMSLEDGER_DATA>/db (as `serve` opens it). */
export const embeddedDir = (settings: Settings) => join(settings.dataDir, "db");

async function withWorkDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "armsledger-backup-"));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `armsledger backup FILE`: the database and its ledger head, in one file. */
export async function backup(file: string, settings: Settings): Promise<BackupManifest> {
  return withWorkDir(async (work) => {
    const store = settings.databaseUrl ? "server" : "embedded";
    const head = settings.databaseUrl
      ? await dumpServer(settings.databaseUrl, work)
      : await dumpEmbedded(embeddedDir(settings), work, masterKeyOf(settings));
    return writeBackup(file, work, { store, createdAt: new Date().toISOString(), ledger: head });
  });
}

export interface RestoreResult {
  manifest: BackupManifest;
  verification: DatabaseVerification;
  /** Where the replaced embedded database was moved (with --replace). */
  replaced?: string;
}

/**
 * The restored database is the backup only if its ledger has the manifest's size and root and
 * `verify --database` holds (every entry, every commitment, every projection).
 */
async function check(store: Store, manifest: BackupManifest): Promise<DatabaseVerification> {
  const head = await ledgerHead(store.db);
  if (head.size !== manifest.ledger.size || head.root !== manifest.ledger.root)
    throw new Error(
      `The restored ledger (size ${head.size}, root ${head.root}) is not the one the backup recorded (size ${manifest.ledger.size}, root ${manifest.ledger.root}).`,
    );
  const verification = await verifyDatabase(store);
  if (!verification.ok)
    throw new Error(
      `The restored database does not verify: ${[
        ...verification.ledger.map((p) => `${p.kind} at ${p.at}`),
        ...verification.projections.map((d) => `${d.table} ${d.key} ${d.kind}`),
      ]
        .slice(0, 10)
        .join("; ")}.`,
    );
  return verification;
}

/** `armsledger restore FILE [--replace]`. */
export async function restore(
  file: string,
  settings: Settings,
  options: { replace?: boolean } = {},
): Promise<RestoreResult> {
  return withWorkDir(async (work) => {
    const { manifest, payloadPath } = await readBackup(file, work);
    if (settings.databaseUrl) {
      if (manifest.store !== "server")
        throw new Error(
          `${file} is a backup of the embedded database; restore it without DATABASE_URL (into ARMSLEDGER_DATA).`,
        );
      await restoreServer(settings.databaseUrl, payloadPath);
      const store = await openStore({ databaseUrl: settings.databaseUrl, masterKey: masterKeyOf(settings) });
      try {
        return { manifest, verification: await check(store, manifest) };
      } catch (error) {
        throw new Error(
          `${(error as Error).message} Do not serve this database; drop it and restore again from a sound backup.`,
        );
      } finally {
        await store.close();
      }
    }
    if (manifest.store !== "embedded")
      throw new Error(
        `${file} is a backup of a PostgreSQL server; restore it with DATABASE_URL set to an empty database.`,
      );
    return restoreEmbedded(
      manifest,
      payloadPath,
      embeddedDir(settings),
      options.replace === true,
      masterKeyOf(settings),
    );
  });
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch {
    return true;
  }
}

/**
 * The data directory is built beside the target and checked there; only a restore that passed
 * every check is moved into place, and a replaced database is kept, renamed, never deleted.
 */
async function restoreEmbedded(
  manifest: BackupManifest,
  payloadPath: string,
  target: string,
  replace: boolean,
  masterKey: KeyProvider | undefined,
): Promise<RestoreResult> {
  const occupied = !(await isEmptyDir(target));
  if (occupied && !replace)
    throw new Error(
      `${target} already holds ${holdsDatabase(target) ? "a database" : "files"}. Restore into another ARMSLEDGER_DATA, or pass --replace to move it aside (it is kept, renamed).`,
    );
  const parent = dirname(resolve(target));
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, `${basename(target)}.restoring-`));
  let verification: DatabaseVerification;
  try {
    const store = await openStore({
      dataDir: staging,
      loadDataDir: await openAsBlob(payloadPath),
      masterKey,
    });
    try {
      // A backup from an older version gets this version's schema, as `serve` would give it.
      await store.migrate();
      verification = await check(store, manifest);
    } finally {
      await store.close();
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(`${(error as Error).message} Nothing was changed in ${target}.`);
  }
  let replaced: string | undefined;
  if (occupied) {
    replaced = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    await rename(target, replaced);
  } else {
    await rm(target, { recursive: true, force: true });
  }
  await rename(staging, target);
  return { manifest, verification, ...(replaced ? { replaced } : {}) };
}

/** The CLI: `backup FILE`, `restore FILE [--replace]`. */
export async function runBackupCommand(
  command: "backup" | "restore",
  argv: string[],
  settings: Settings,
): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { replace: { type: "boolean", default: false } },
  });
  const [file] = positionals;
  if (!file || positionals.length !== 1)
    throw new UsageError(
      command === "backup" ? "usage: armsledger backup FILE" : "usage: armsledger restore FILE [--replace]",
    );
  if (command === "backup") {
    if (values.replace) throw new UsageError("--replace is an option of restore");
    const m = await backup(resolve(file), settings);
    console.log(
      `Backed up the ${m.store === "server" ? "PostgreSQL database" : "embedded database"} to ${file}: ledger size ${m.ledger.size}, root ${m.ledger.root} (${m.payload.bytes.toLocaleString("en")} bytes).`,
    );
    console.log("The log's signing key is not in the backup: keep a copy of it apart.");
    return;
  }
  const r = await restore(resolve(file), settings, { replace: values.replace });
  console.log(
    `Restored ${file} (made ${r.manifest.createdAt}): ledger size ${r.manifest.ledger.size}, root ${r.manifest.ledger.root}, as the backup recorded.`,
  );
  console.log(
    `VERIFIED: ${r.verification.leaves} events re-hashed, every personal part opens its commitment, every projection equals a replay of the ledger.`,
  );
  if (r.replaced) console.log(`The database that was there is kept in ${r.replaced}.`);
}
