import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "./database.ts";
import { migrationsFingerprint } from "./migrations-fingerprint.ts";

/**
 * A migrated, empty embedded database as a data-directory tarball, for throw-away stores (tests and
 * benchmarks). A new PGlite runs initdb inside WebAssembly (1.1–1.9 s on a 2-core machine) and then
 * every migration (0.2 s); loading this tarball instead takes about 0.5 s. The test suite opens
 * some eighty such stores, so it saves about a minute of CPU per run.
 *
 * The tarball is kept in the system's temporary directory under a name made of a hash of the
 * migrations and the PGlite version, so that another migration or another PGlite makes a new one,
 * and shared by the test workers (written to a unique name, then renamed: a reader never sees a
 * half-written file). It holds no key and no row: the empty schema only.
 */
let template: Promise<Blob> | undefined;

export function migratedTemplate(): Promise<Blob> {
  template ??= loadOrMake();
  return template;
}

async function loadOrMake(): Promise<Blob> {
  const path = join(tmpdir(), `armsledger-pglite-template-${migrationsFingerprint()}.tar.gz`);
  try {
    return new Blob([readFileSync(path)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const store = await openStore({ dataDir: "memory" });
  try {
    await store.migrate();
    const blob = await store.dumpDataDir!();
    const partial = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
    writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
    renameSync(partial, path);
    return blob;
  } finally {
    await store.close();
  }
}
