import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type KeyProvider, type LedgerHead, ledgerHead, openStore, type Store } from "@armsledger/server";
import { PAYLOAD_FILES } from "./archive.ts";

/** Does `dir` hold a PostgreSQL data directory (PGlite's included)? */
export function holdsDatabase(dir: string): boolean {
  return existsSync(join(dir, "PG_VERSION"));
}

/**
 * Dumps the embedded database's data directory. PGlite is one process's database: the server
 * must be stopped first (as for every other command that opens the embedded database).
 */
export async function dumpEmbedded(
  dataDir: string,
  workDir: string,
  masterKey: KeyProvider | undefined,
): Promise<LedgerHead> {
  if (!holdsDatabase(dataDir)) throw new Error(`There is no embedded database in ${dataDir} to back up.`);
  const store = await openStore({ dataDir, masterKey });
  try {
    const head = await ledgerHead(store.db);
    const tarball = await dumpOf(store);
    await writeFile(join(workDir, PAYLOAD_FILES.embedded), new Uint8Array(await tarball.arrayBuffer()));
    return head;
  } finally {
    await store.close();
  }
}

function dumpOf(store: Store): Promise<Blob> {
  if (!store.dumpDataDir) throw new Error("this store cannot dump its data directory");
  return store.dumpDataDir();
}
