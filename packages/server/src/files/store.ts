import { Problem } from "@armsledger/core";
import { and, eq } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import { sha256Hex } from "../crypto/index.ts";
import { photoIndex } from "../crypto/personal-columns.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

// Photos (of weapons, of people, of a destruction) uploaded before the command that refers to
// them by SHA-256 (core's `fileRef`). Stored in the database, beside the records they belong to,
// so a backup holds both and no second store needs guarding.

/** A phone camera's JPEG is 2–6 MB; 10 MiB leaves room without letting a video through. */
export const FILE_MAX_BYTES = 10 * 1024 * 1024;

/** What a photo may be, recognised by its first bytes (never by the name or the declared type). */
export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

export interface StoredFile {
  sha256: string;
  contentType: PhotoType;
  size: number;
  /** False when these bytes were stored already (by anyone): nothing new was written. */
  created: boolean;
}

/** The type of a photo from its magic bytes (file-type), or a 415 problem naming what it is. */
export async function photoTypeOf(bytes: Uint8Array): Promise<PhotoType> {
  if (bytes.byteLength === 0)
    throw new Problem("request.invalid", "The file is empty: send the photo's bytes as the request body.", [
      { path: "body", message: "is empty" },
    ]);
  const detected = await fileTypeFromBuffer(bytes);
  const type = PHOTO_TYPES.find((p) => p === detected?.mime);
  if (!type)
    throw new Problem(
      "request.unsupported-media-type",
      `Only JPEG, PNG and WebP photos are accepted; this file is ${detected ? detected.mime : "of no known type"}.`,
      [{ path: "body", message: `must be a JPEG, PNG or WebP image (${detected?.mime ?? "unknown"})` }],
    );
  return type;
}

/**
 * Stores a photo under its SHA-256 and records who sent it. Idempotent: the same bytes again
 * (from anyone) write no new file. This is the ONLY function that writes file content: person
 * photos are personal data, and the content is sealed here, once (crypto/field-keys.ts).
 */
export async function storeFile(store: Store, bytes: Uint8Array, uploadedBy: string): Promise<StoredFile> {
  if (bytes.byteLength > FILE_MAX_BYTES)
    throw new Problem(
      "request.too-large",
      `The photo is ${bytes.byteLength} bytes; at most ${FILE_MAX_BYTES} are accepted. Take it at a lower resolution.`,
    );
  const contentType = await photoTypeOf(bytes);
  const sha256 = sha256Hex(bytes);
  const now = new Date().toISOString();
  // Sealed under the data key like every personal field (a person's photo is one), bound to its
  // SHA-256: a dump holds no picture, and a purge of the key leaves none readable.
  const content = (await store.personal.keys()).encryptBytes(bytes, fileContentPlace(sha256));
  return store.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(t.files)
      .values({ sha256, contentType, size: bytes.byteLength, content, createdAt: now })
      .onConflictDoNothing()
      .returning({ sha256: t.files.sha256 });
    await tx
      .insert(t.fileUploads)
      .values({ sha256, userId: uploadedBy, uploadedAt: now })
      .onConflictDoNothing();
    return { sha256, contentType, size: bytes.byteLength, created: inserted.length > 0 };
  });
}

export interface FileReader {
  accountId: string;
  isAdmin: boolean;
}

/**
 * A stored photo, for an administrator or for an account that uploaded these bytes (it had them
 * already). Anyone else is answered "not found", as for a file that does not exist, so the
 * answer does not tell whether someone photographed something.
 */
export async function getFileFor(store: Store, reader: FileReader, sha256: string) {
  const [row] = await store.db
    .select({ contentType: t.files.contentType, size: t.files.size, content: t.files.content })
    .from(t.files)
    .where(eq(t.files.sha256, sha256));
  const uploaded =
    row && !reader.isAdmin
      ? await store.db
          .select({ sha256: t.fileUploads.sha256 })
          .from(t.fileUploads)
          .where(and(eq(t.fileUploads.sha256, sha256), eq(t.fileUploads.userId, reader.accountId)))
      : [];
  if (!row || (!reader.isAdmin && uploaded.length === 0))
    throw new Problem("resource.not-found", "There is no file with this SHA-256 that you may read.");
  const content = (await store.personal.keys()).decryptBytes(row.content, fileContentPlace(sha256));
  if (!content) throw new Problem("resource.not-found", "This file was purged: its key was destroyed.");
  return { ...row, content };
}

const fileContentPlace = (sha256: string) => ({ table: "files", column: "content", row: sha256 });

/** The people whose registration carries this photo (its read is a read of their record). */
export async function personsWithPhoto(store: Store, sha256: string): Promise<string[]> {
  const index = photoIndex(await store.personal.keys(), sha256);
  const rows = await store.db
    .select({ id: t.persons.id })
    .from(t.persons)
    .where(eq(t.persons.photoIndex, index!));
  return rows.map((r) => r.id);
}
