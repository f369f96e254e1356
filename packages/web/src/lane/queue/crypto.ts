// The offline queue's encryption at rest: AES-256-GCM through Web Crypto (the platform's
// implementation, nothing hand-made), under the key the server hands to the signed-in session
// (GET /api/v1/me/queue-key). The key is imported non-extractable and lives in memory only: once
// the session is gone (signed out, browser closed), IndexedDB holds ciphertext nobody here can open.

/** What IndexedDB holds for each sealed value: a fresh 96-bit nonce and the ciphertext with its tag. */
export interface Sealed {
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
}

const fromBase64Url = (s: string) => {
  const b64 = s.replace(/-/gu, "+").replace(/_/gu, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
};

/** The server's key (base64url, 32 bytes) as a CryptoKey that can encrypt and decrypt but never be read. */
export async function importQueueKey(base64url: string): Promise<CryptoKey> {
  const raw = fromBase64Url(base64url);
  if (raw.byteLength !== 32) throw new Error("the queue key must be 32 bytes");
  return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Seals bytes; `context` (the command id, the file's hash) is authenticated with them, so a sealed
 * value moved onto another record does not open.
 */
export async function sealBytes(
  key: CryptoKey,
  context: string,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(context) },
    key,
    bytes,
  );
  return { iv, data };
}

/** Opens sealed bytes; throws when the key or the context is not the one they were sealed with. */
export async function openBytes(
  key: CryptoKey,
  context: string,
  sealed: Sealed,
): Promise<Uint8Array<ArrayBuffer>> {
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: sealed.iv, additionalData: encoder.encode(context) },
    key,
    sealed.data,
  );
  return new Uint8Array(plain);
}

export const sealJson = (key: CryptoKey, context: string, value: unknown) =>
  sealBytes(key, context, encoder.encode(JSON.stringify(value)));

export const openJson = async <T>(key: CryptoKey, context: string, sealed: Sealed): Promise<T> =>
  JSON.parse(decoder.decode(await openBytes(key, context, sealed))) as T;
