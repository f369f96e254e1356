import { randomBytes } from "node:crypto";
import { Problem } from "@armsledger/core";
import { eq } from "drizzle-orm";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

/** AES-256: the browser imports it as a non-extractable AES-GCM key (web/src/lane/queue/crypto.ts). */
const KEY_BYTES = 32;

/**
 * The key that encrypts the account's offline queue in its browser, made on first use. The same
 * key every session, so work queued before a sign-out is readable after signing in again; only a
 * signed-in session of this account gets it, so the browser's storage alone reads nothing.
 */
export async function queueKeyOf(store: Store, userId: string): Promise<Uint8Array> {
  const keys = await store.personal.keys();
  // Sealed under the data key: a dump of the database and a stolen laptop's queue together
  // still need the master key.
  const place = { table: "queue_keys", column: "key", row: userId };
  await store.db
    .insert(t.queueKeys)
    .values({
      userId,
      key: keys.encryptBytes(new Uint8Array(randomBytes(KEY_BYTES)), place),
      createdAt: new Date().toISOString(),
    })
    .onConflictDoNothing();
  const [row] = await store.db
    .select({ key: t.queueKeys.key })
    .from(t.queueKeys)
    .where(eq(t.queueKeys.userId, userId));
  // The insert above made it if it was missing: a missing row now is a broken database.
  if (!row) throw new Error("queue key missing after insert");
  const key = keys.decryptBytes(row.key, place);
  // Purged with the data key: what the browser queued under it cannot be opened again.
  if (!key) throw new Problem("resource.not-found", "This account's queue key was purged with the data key.");
  return key;
}
