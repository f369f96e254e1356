import { sha256 } from "@noble/hashes/sha2.js";
import { canonicalBytes } from "./canonical-json.ts";

// Personal data never enters a leaf in the clear. A leaf carries SHA-256 over a domain tag,
// a per-event random salt and the canonical JSON of the private part; the salt stays in the
// database, so one leaf can be opened to an auditor without exposing any other.
const TAG = new TextEncoder().encode("armsledger/commitment/v1\n");

export const SALT_BYTES = 32;

export function commitment(salt: Uint8Array, privatePart: unknown): Uint8Array {
  if (salt.length !== SALT_BYTES) throw new RangeError(`commitment salt must be ${SALT_BYTES} bytes`);
  const body = canonicalBytes(privatePart);
  const input = new Uint8Array(TAG.length + salt.length + body.length);
  input.set(TAG, 0);
  input.set(salt, TAG.length);
  input.set(body, TAG.length + salt.length);
  return sha256(input);
}

/** Opening a commitment: does this salt and private part produce the committed hash? */
export function opensCommitment(committed: Uint8Array, salt: Uint8Array, privatePart: unknown): boolean {
  const actual = commitment(salt, privatePart);
  if (actual.length !== committed.length) return false;
  let diff = 0;
  for (let i = 0; i < actual.length; i++) diff |= (actual[i] ?? 0) ^ (committed[i] ?? 0);
  return diff === 0;
}
