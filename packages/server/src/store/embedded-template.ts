import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "./database.ts";
import { migrationsFingerprint } from "./migrations-fingerprint.ts";

/**
 * A migrated, empty embedded database as a data-directory tarball, for throw-away stores (tests and
 * benchmarks). A new PGlite runs initdb inside WebAssembly (1.1–1.9 s on a 2-core machine) and then
 * every migration (0.2 s); loading this tarball instead takes about 0.5 s, uncompressed (43 MB;
 * 1 s gzipped). The test suite opens some eighty such stores, and verifies sixty times.
 *
 * The tarball is kept in the system's temporary directory under a name made of a hash of the
 * migrations and the PGlite version, so that another migration or another PGlite makes a new one,
 * and shared by the test workers (written to a unique name, then renamed: a reader never sees a
 * half-written file). It holds no key and no row: the empty schema only.
 */
let template: Promise<Blob> | undefined;
let madeHere: Promise<Blob> | undefined;

export function migratedTemplate(): Promise<Blob> {
  template ??= madeHere ?? loadOrMake();
  return template;
}

/**
 * The same tarball, but only ever made in this process, never read from the temporary directory:
 * for `verify --database`, whose replay must not run on a schema anyone able to write there could
 * have planted (a trigger that rewrites what is replayed would make a tampered database pass).
 */
export function migratedTemplateMadeHere(): Promise<Blob> {
  madeHere ??= make();
  return madeHere;
}

async function loadOrMake(): Promise<Blob> {
  const path = join(tmpdir(), `armsledger-pglite-template-${migrationsFingerprint()}.tar`);
  try {
    return new Blob([readFileSync(path)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const blob = await migratedTemplateMadeHere();
  const partial = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
  renameSync(partial, path);
  return blob;
}

async function make(): Promise<Blob> {
  const store = await openStore({ dataDir: "memory" });
  try {
    await store.migrate();
    return await store.dumpDataDir!("none");
  } finally {
    await store.close();
  }
}
