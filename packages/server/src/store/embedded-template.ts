import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrationsFolder, openStore } from "./database.ts";

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
  const path = join(tmpdir(), `armsledger-pglite-template-${fingerprint()}.tar.gz`);
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

function fingerprint(): string {
  const hash = createHash("sha256");
  // PGlite's package.json is not exported; it sits above the entry point's dist/ folder.
  const entry = fileURLToPath(import.meta.resolve("@electric-sql/pglite"));
  hash.update(readFileSync(join(dirname(dirname(entry)), "package.json")));
  for (const name of readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    hash.update(name);
    try {
      hash.update(readFileSync(join(migrationsFolder, name)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EISDIR") throw error;
    }
  }
  return hash.digest("hex").slice(0, 16);
}
