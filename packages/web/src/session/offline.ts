import { type DBSchema, openDB } from "idb";
import { importQueueKey } from "../lane/queue/crypto.ts";
import type { Account } from "./session.ts";

// Working offline after a reload. The queue key lives in memory only, so a page reloaded (or
// reopened) with the network down could not open the queue. At sign-in, while the password is
// in hand, the app therefore keeps on the device one copy of the account and its queue key,
// sealed with AES-256-GCM under a key derived from the password (PBKDF2-SHA-256, Web Crypto).
// Offline, the officer types the password again to open it. The copy is deleted at sign-out,
// when the server says the session is over (401), and is refused once the session has expired.

const DB = "armsledger-offline";
const STORE = "unlock";
/** One copy: the last account that signed in on this device. */
const LAST = "last";
/**
 * What the collection lane reads before anything can be typed (its query key: the API path):
 * kept in the same sealed copy, as it stood at sign-in, so the lane's lists are there offline.
 */
export const laneReference = { sites: "/api/v1/sites", groups: "/api/v1/groups" } as const;
export type LaneReference = { [K in keyof typeof laneReference]?: unknown };

/** OWASP's figure for PBKDF2-HMAC-SHA-256 (2023): a guess costs about as much as a real unlock. */
export const PBKDF2_ITERATIONS = 600_000;

interface Kept {
  accountId: string;
  /** The session's end, as the server gave it at sign-in: the copy opens no later. */
  expiresAt: string;
  iterations: number;
  salt: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  /** When it was kept (the reference lists are as of then). */
  keptAt: string;
  /** `{ account, queueKey, reference }` sealed; the account id is authenticated with it. */
  sealed: ArrayBuffer;
}

interface Schema extends DBSchema {
  [STORE]: { key: string; value: Kept };
}

const db = () =>
  openDB<Schema>(DB, 1, {
    upgrade(database) {
      database.createObjectStore(STORE);
    },
  });

const encoder = new TextEncoder();

async function passwordKey(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
  const material = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, [
    "deriveKey",
  ]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/**
 * Keeps the account and its queue key (base64url, as GET /api/v1/me/queue-key answers) for an
 * offline unlock with this password, replacing whatever copy was kept before.
 */
export async function keepForOffline(
  account: Account,
  password: string,
  expiresAt: string,
  queueKey: string,
  reference: LaneReference = {},
  iterations = PBKDF2_ITERATIONS,
): Promise<void> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await passwordKey(password, salt, iterations);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(account.id) },
    key,
    encoder.encode(JSON.stringify({ account, queueKey, reference })),
  );
  const database = await db();
  await database.put(
    STORE,
    { accountId: account.id, expiresAt, keptAt: new Date().toISOString(), iterations, salt, iv, sealed },
    LAST,
  );
  database.close();
}

/** Deletes the kept copy (sign-out, session over). */
export async function forgetOffline(): Promise<void> {
  const database = await db();
  await database.delete(STORE, LAST);
  database.close();
}

/** Whether a copy that may still be opened is kept; an expired one is deleted on the way. */
export async function offlineUnlockAvailable(now = new Date()): Promise<boolean> {
  const database = await db();
  const kept = await database.get(STORE, LAST);
  database.close();
  if (!kept) return false;
  if (Date.parse(kept.expiresAt) <= now.getTime()) {
    await forgetOffline();
    return false;
  }
  return true;
}

/**
 * Opens the kept copy with the password: the account and its queue key (non-extractable), or
 * undefined when the password is not the one it was sealed with, or nothing may be opened.
 */
export async function unlockOffline(
  password: string,
  now = new Date(),
): Promise<{ account: Account; queueKey: CryptoKey; reference: LaneReference; keptAt: string } | undefined> {
  if (!(await offlineUnlockAvailable(now))) return undefined;
  const database = await db();
  const kept = await database.get(STORE, LAST);
  database.close();
  if (!kept) return undefined;
  const key = await passwordKey(password, kept.salt, kept.iterations);
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: kept.iv, additionalData: encoder.encode(kept.accountId) },
      key,
      kept.sealed,
    );
  } catch {
    return undefined;
  }
  const { account, queueKey, reference } = JSON.parse(new TextDecoder().decode(plain)) as {
    account: Account;
    queueKey: string;
    reference?: LaneReference;
  };
  return {
    account,
    queueKey: await importQueueKey(queueKey),
    reference: reference ?? {},
    keptAt: kept.keptAt,
  };
}
