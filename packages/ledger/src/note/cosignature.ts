import { encodeBase64, tryDecodeBase64 } from "./base64.ts";
import { parseCheckpoint } from "./checkpoint.ts";
import {
  ED25519_SEED_BYTES,
  ED25519_SIGNATURE_BYTES,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
} from "./ed25519.ts";
import { NoteError } from "./errors.ts";
import {
  computeKeyId,
  type Ed25519Verifier,
  ed25519VerifierFrom,
  formatKeyText,
  type KeyPairText,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  seedPublicKey,
  splitKeyText,
} from "./keys.ts";
import type { NoteSignature } from "./note.ts";
import { hex32, isValidKeyName, tryDecodeUtf8, utf8 } from "./text.ts";

// C2SP tlog-cosignature v1.0.1 (c2sp.org/tlog-cosignature@v1.0.1), Ed25519 type 0x04.
// Signature line payload: keyID(4) || timestamp (u64 big-endian) || Ed25519 signature(64) over
//   "cosignature/v1\n" || "time <timestamp>\n" || checkpoint note text.
// The message does not commit to the cosigner's name, so every witness needs its own key.

export const COSIGNATURE_V1_HEADER = "cosignature/v1\n";
export const MAX_COSIGNATURE_TIMESTAMP = (1n << 63n) - 1n;
const PAYLOAD_BYTES = 4 + 8 + ED25519_SIGNATURE_BYTES;

/** A witness's signing key. Use with cosign(); deliberately not a note Signer. */
export interface CosignatureSigner {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  /** `<name>+<hex id>+<base64(0x04 || public key)>` */
  readonly verifierKey: string;
}

/**
 * Verifies cosignatures of one witness. It is also a note Verifier (signature = timestamp || sig),
 * so it can be passed to openNote / openCheckpoint alongside the log's verifier.
 */
export type CosignatureVerifier = Ed25519Verifier;

const seeds = new WeakMap<CosignatureSigner, Uint8Array>();

function malformed(why: string): never {
  throw new NoteError("malformed-cosignature", `malformed cosignature: ${why}`);
}

function timestampOf(time: number | bigint): bigint {
  let t: bigint;
  if (typeof time === "bigint") t = time;
  else if (Number.isSafeInteger(time)) t = BigInt(time);
  else throw new NoteError("invalid-argument", "cosignature time must be an integer number of seconds");
  if (t < 0n || t > MAX_COSIGNATURE_TIMESTAMP) {
    throw new NoteError("invalid-argument", "cosignature time must be in [0, 2^63 - 1]");
  }
  return t;
}

/** key ID = SHA-256(name || 0x0A || 0x04 || 32-byte Ed25519 public key)[:4] */
export function cosignerKeyId(name: string, publicKey: Uint8Array): number {
  return computeKeyId(name, SIGNATURE_TYPE_COSIGNATURE_V1, publicKey);
}

/** The exact bytes an Ed25519 cosigner signs. `checkpointText` must be a valid checkpoint. */
export function cosignatureMessage(checkpointText: string, time: number | bigint): Uint8Array {
  parseCheckpoint(checkpointText);
  return utf8(`${COSIGNATURE_V1_HEADER}time ${timestampOf(time)}\n${checkpointText}`);
}

/** New cosigner key pair (type 0x04 in both texts) from 32 caller-supplied random bytes. */
export function generateCosignerKey(name: string, random32: Uint8Array): KeyPairText {
  const publicKey = seedPublicKey(name, random32);
  const keyId = cosignerKeyId(name, publicKey);
  return {
    signerKey: `PRIVATE+KEY+${formatKeyText(name, keyId, SIGNATURE_TYPE_COSIGNATURE_V1, random32)}`,
    verifierKey: formatKeyText(name, keyId, SIGNATURE_TYPE_COSIGNATURE_V1, publicKey),
  };
}

/** Parses `PRIVATE+KEY+<name>+<hex id>+<base64(0x04 || seed)>`; the id must match the key. */
export function parseCosignerSignerKey(signerKey: string): CosignatureSigner {
  const raw = splitKeyText(signerKey, true);
  if (raw.type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw new NoteError("malformed-key", "malformed signer key: cosigner keys have signature type 0x04");
  }
  if (raw.material.length !== ED25519_SEED_BYTES) {
    throw new NoteError("malformed-key", "malformed signer key: Ed25519 seed must be 32 bytes");
  }
  const seed = raw.material.slice();
  const publicKey = ed25519PublicKey(seed);
  if (cosignerKeyId(raw.name, publicKey) !== raw.keyId) {
    throw new NoteError("malformed-key", "malformed signer key: key id does not match the key");
  }
  const signer: CosignatureSigner = Object.freeze({
    name: raw.name,
    keyId: raw.keyId,
    publicKey,
    verifierKey: formatKeyText(raw.name, raw.keyId, SIGNATURE_TYPE_COSIGNATURE_V1, publicKey),
  });
  seeds.set(signer, seed);
  return signer;
}

function verifyPayload(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 8 + ED25519_SIGNATURE_BYTES) return false;
  const time = new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0, false);
  if (time > MAX_COSIGNATURE_TIMESTAMP) return false;
  const text = tryDecodeUtf8(message);
  if (text === undefined) return false;
  let signed: Uint8Array;
  try {
    signed = cosignatureMessage(text, time);
  } catch {
    return false;
  }
  return ed25519Verify(publicKey, signed, signature.subarray(8));
}

/** Parses `<name>+<hex id>+<base64(0x04 || public key)>` (the spec's vkey encoding for cosigners). */
export function parseCosignerVerifierKey(verifierKey: string): CosignatureVerifier {
  const raw = splitKeyText(verifierKey, false);
  if (raw.type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw new NoteError("malformed-key", "malformed verifier key: cosigner keys have signature type 0x04");
  }
  return ed25519VerifierFrom(
    raw,
    SIGNATURE_TYPE_COSIGNATURE_V1,
    (publicKey) => (message, signature) => verifyPayload(publicKey, message, signature),
  );
}

/**
 * Cosigns checkpoint note text at `timeSeconds` (POSIX seconds, supplied by the caller) and returns
 * the signature line, "— <name> <base64(keyID || u64 BE time || signature)>\n", to append to the note.
 */
export function cosign(
  checkpointText: string,
  signer: CosignatureSigner,
  timeSeconds: number | bigint,
): string {
  const seed = seeds.get(signer);
  if (seed === undefined) {
    throw new NoteError("invalid-argument", "cosign needs a signer from parseCosignerSignerKey");
  }
  const time = timestampOf(timeSeconds);
  const signature = ed25519Sign(seed, cosignatureMessage(checkpointText, time));
  const payload = new Uint8Array(PAYLOAD_BYTES);
  const view = new DataView(payload.buffer);
  view.setUint32(0, signer.keyId, false);
  view.setBigUint64(4, time, false);
  payload.set(signature, 12);
  return `\u2014 ${signer.name} ${encodeBase64(payload)}\n`;
}

function decodePayload(base64: string): { keyId: number; time: bigint; payload: Uint8Array } {
  const payload = tryDecodeBase64(base64);
  if (payload === undefined) malformed("signature is not canonical standard base64");
  if (payload.length !== PAYLOAD_BYTES) malformed(`expected ${PAYLOAD_BYTES} bytes, got ${payload.length}`);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.length);
  const time = view.getBigUint64(4, false);
  if (time > MAX_COSIGNATURE_TIMESTAMP) malformed("timestamp exceeds 2^63 - 1");
  return { keyId: view.getUint32(0, false), time, payload };
}

/** The timestamp (POSIX seconds) inside an Ed25519 cosignature; does not verify it. */
export function cosignatureTimestamp(signature: NoteSignature | string): bigint {
  return decodePayload(typeof signature === "string" ? signature : signature.base64).time;
}

/**
 * Verifies one cosignature line (with or without its final "\n") over checkpoint note text and
 * returns its timestamp. Throws NoteError if the line is malformed, names another key, or fails.
 */
export function verifyCosignature(
  checkpointText: string,
  signatureLine: string,
  verifier: CosignatureVerifier,
): bigint {
  const line = signatureLine.endsWith("\n") ? signatureLine.slice(0, -1) : signatureLine;
  if (line.includes("\n")) malformed("expected a single signature line");
  if (!line.startsWith("\u2014 ")) malformed("signature line must start with an em dash and a space");
  const body = line.slice(2);
  const space = body.indexOf(" ");
  if (space < 0) malformed("expected <name> <base64>");
  const name = body.slice(0, space);
  if (!isValidKeyName(name)) malformed("invalid key name");
  const { keyId, time, payload } = decodePayload(body.slice(space + 1));
  if (name !== verifier.name || keyId !== verifier.keyId) {
    throw new NoteError(
      "invalid-signature",
      `cosignature is by ${name}+${hex32(keyId)}, not ${verifier.name}+${hex32(verifier.keyId)}`,
    );
  }
  if (!verifier.verify(utf8(checkpointText), payload.subarray(4))) {
    throw new NoteError("invalid-signature", `invalid signature for key ${name}+${hex32(keyId)}`);
  }
  return time;
}
