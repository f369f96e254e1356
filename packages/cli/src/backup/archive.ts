import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as tar from "tar";
import { z } from "zod";

/**
 * A backup is a plain tar file holding `manifest.json` and one payload: the database in the
 * store's own dump format. Plain tar, so an operator can look inside with `tar tvf`.
 */
export const MANIFEST_FILE = "manifest.json";
export const PAYLOAD_FILES = { server: "database.pgdump", embedded: "pgdata.tar.gz" } as const;

export const backupManifest = z.strictObject({
  format: z.literal("armsledger-backup"),
  version: z.literal(1),
  /** "server": a pg_dump custom-format archive; "embedded": PGlite's data directory tarball. */
  store: z.enum(["embedded", "server"]),
  createdAt: z.iso.datetime(),
  /** The ledger at the moment of the backup, in the same snapshot as the payload. */
  ledger: z.strictObject({
    size: z.int().nonnegative(),
    root: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  payload: z.strictObject({
    file: z.enum([PAYLOAD_FILES.server, PAYLOAD_FILES.embedded]),
    bytes: z.int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});
export type BackupManifest = z.infer<typeof backupManifest>;

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Writes the backup file from a payload already in `workDir`. It is written under a temporary
 * name and renamed at the end, so an interrupted backup never looks like a complete one.
 */
export async function writeBackup(
  file: string,
  workDir: string,
  manifest: Omit<BackupManifest, "payload" | "format" | "version">,
): Promise<BackupManifest> {
  if (await exists(file))
    throw new Error(`${file} exists already; give the backup a new name (a backup never overwrites one).`);
  const payloadFile = PAYLOAD_FILES[manifest.store];
  const payloadPath = join(workDir, payloadFile);
  const full: BackupManifest = {
    format: "armsledger-backup",
    version: 1,
    ...manifest,
    payload: {
      file: payloadFile,
      bytes: (await stat(payloadPath)).size,
      sha256: await sha256OfFile(payloadPath),
    },
  };
  await writeFile(join(workDir, MANIFEST_FILE), `${JSON.stringify(full, null, 2)}\n`);
  const partial = `${file}.partial`;
  await rm(partial, { force: true });
  await tar.create({ file: partial, cwd: workDir, portable: true }, [MANIFEST_FILE, payloadFile]);
  await rename(partial, file);
  return full;
}

/**
 * Unpacks a backup into `workDir` and checks it before anything is restored: the manifest is
 * one this version reads, and the payload is whole (its size and SHA-256 match the manifest).
 */
export async function readBackup(
  file: string,
  workDir: string,
): Promise<{ manifest: BackupManifest; payloadPath: string }> {
  if (!(await exists(file))) throw new Error(`There is no backup file ${file}.`);
  const wanted = new Set<string>([MANIFEST_FILE, ...Object.values(PAYLOAD_FILES)]);
  try {
    await tar.extract({ file, cwd: workDir, strict: true, filter: (path) => wanted.has(path) });
  } catch (error) {
    throw new Error(
      `${file} is not an ArmsLedger backup (it cannot be read as one: ${(error as Error).message}).`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(workDir, MANIFEST_FILE), "utf8"));
  } catch {
    throw new Error(`${file} is not an ArmsLedger backup: it has no readable ${MANIFEST_FILE}.`);
  }
  const parsed = backupManifest.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `${file} has a manifest this version of ArmsLedger does not read: ${parsed.error.issues
        .map((i) => `${i.path.join(".") || "manifest"} ${i.message}`)
        .join("; ")}.`,
    );
  const manifest = parsed.data;
  const payloadPath = join(workDir, manifest.payload.file);
  if (!(await exists(payloadPath)))
    throw new Error(`${file} is incomplete: ${manifest.payload.file} is missing.`);
  const bytes = (await stat(payloadPath)).size;
  if (bytes !== manifest.payload.bytes || (await sha256OfFile(payloadPath)) !== manifest.payload.sha256)
    throw new Error(
      `${file} is damaged: ${manifest.payload.file} does not match the checksum in its manifest. Nothing was restored.`,
    );
  return { manifest, payloadPath };
}
