import { randomBytes } from "node:crypto";
import { ephemeralMasterKey } from "../crypto/master-key.ts";
import { openStore, type Store, type StoreOptions } from "./database.ts";
import { migratedTemplate } from "./embedded-template.ts";
import { adminQuery, serverTemplate } from "./server-template.ts";

/**
 * A new, migrated, throw-away store for a test file or a benchmark: PGlite in memory, or a new
 * database on the server named by `serverUrl` (dropped again by `dispose`), so that runs never
 * see each other's rows and the same tests run on both databases. `sharePersonal`: keys of the
 * caller's own (a benchmark's stand-in without encryption, bench/src/encryption).
 */
export async function scratchStore(
  serverUrl: string | undefined,
  options: Pick<StoreOptions, "sharePersonal"> = {},
): Promise<Store & { dispose(): Promise<void> }> {
  if (!serverUrl) {
    // From a migrated empty database's tarball: a fresh initdb costs seconds (embedded-template.ts).
    const store = await openStore({ dataDir: "memory", loadDataDir: await migratedTemplate(), ...options });
    // Nothing to do unless the tarball predates a migration (it is named by their hash).
    await store.migrate();
    return { ...store, dispose: () => store.close() };
  }
  const name = `armsledger_bench_${randomBytes(6).toString("hex")}`;
  // A copy of a migrated empty database (server-template.ts): the migrations then have nothing to do.
  await adminQuery(serverUrl, `CREATE DATABASE ${name} TEMPLATE ${await serverTemplate(serverUrl)}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // A master key made for this run alone, never written anywhere.
  const store = await openStore({ databaseUrl: url.toString(), masterKey: ephemeralMasterKey(), ...options });
  await store.migrate();
  return {
    ...store,
    async dispose() {
      await store.close();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
