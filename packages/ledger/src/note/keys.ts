import { sha256 } from "@noble/hashes/sha2.js";
import { encodeBase64, tryDecodeBase64 } from "./base64.ts";
import {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SEED_BYTES,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  isStrictEd25519PublicKey,
} from "./ed25519.ts";
import { NoteError } from "./errors.ts";
import { hex32, isValidKeyName, utf8 } from "./text.ts";

/** C2SP signed-note signature type: Ed25519 over the note text. */
export const SIGNATURE_TYPE_ED25519 = 0x01;
/** C2SP signed-note signature type: timestamped Ed25519 cosignature (c2sp.org/tlog-cosignature). */
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;

/** Signs note texts. `keyId` is the uint32 key ID (big-endian first four bytes of the signature). */
export interface Signer {
  readonly name: string;
  readonly keyId: number;
  sign(message: Uint8Array): Uint8Array;
}

/** Verifies signatures of one key, identified in signature lines by (name, keyId). */
export interface Verifier {
  readonly name: string;
  readonly keyId: number;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface Ed25519Signer extends Signer {
  readonly publicKey: Uint8Array;
  /** The matching verifier key text, `<name>+<hex id>+<base64(0x01 || public key)>`. */
  readonly verifierKey: string;
}

export interface Ed25519Verifier extends Verifier {
  readonly publicKey: Uint8Array;
  readonly verifierKey: string;
}

export interface KeyPairText {
  /** `PRIVATE+KEY+<name>+<hex id>+<base64(type || seed)>`: secret, as Go's note.GenerateKey writes it. */
  readonly signerKey: string;
  /** `<name>+<hex id>+<base64(type || public key)>`: public. */
  readonly verifierKey: string;
}

/** key ID = SHA-256(name || 0x0A || signature type || public key)[:4], big-endian. */
export function computeKeyId(name: string, signatureType: number, publicKey: Uint8Array): number {
  const nameBytes = utf8(name);
  const input = new Uint8Array(nameBytes.length + 2 + publicKey.length);
  input.set(nameBytes, 0);
  input[nameBytes.length] = 0x0a;
  input[nameBytes.length + 1] = signatureType;
  input.set(publicKey, nameBytes.length + 2);
  const digest = sha256(input);
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0, false);
}

/** @internal Shared by the note and cosignature key formats. */
export interface RawKeyText {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  readonly material: Uint8Array;
}

const HEX_ID = /^[0-9a-f]{8}$/;

/** @internal Splits `[PRIVATE+KEY+]<name>+<hex id>+<base64 key>` (the base64 may itself hold '+'). */
export function splitKeyText(text: string, isPrivate: boolean): RawKeyText {
  const what = isPrivate ? "signer key" : "verifier key";
  const fail = (why: string): never => {
    throw new NoteError("malformed-key", `malformed ${what}: ${why}`);
  };
  if (typeof text !== "string") fail("not a string");
  let rest = text;
  if (isPrivate) {
    if (!rest.startsWith("PRIVATE+KEY+")) fail('missing "PRIVATE+KEY+" prefix');
    rest = rest.slice("PRIVATE+KEY+".length);
  }
  const firstPlus = rest.indexOf("+");
  const secondPlus = firstPlus < 0 ? -1 : rest.indexOf("+", firstPlus + 1);
  if (secondPlus < 0) fail("expected <name>+<hex id>+<base64 key>");
  const name = rest.slice(0, firstPlus);
  const idHex = rest.slice(firstPlus + 1, secondPlus);
  const keyText = rest.slice(secondPlus + 1);
  if (!isValidKeyName(name)) fail("invalid key name");
  if (!HEX_ID.test(idHex)) fail("key id must be 8 lowercase hex digits");
  const bytes = tryDecodeBase64(keyText);
  if (bytes === undefined || bytes.length < 2) fail("key material is not canonical base64");
  return {
    name,
    keyId: Number.parseInt(idHex, 16) >>> 0,
    type: bytes![0]!,
    material: bytes!.subarray(1),
  };
}

/** @internal */
export function formatKeyText(name: string, keyId: number, type: number, material: Uint8Array): string {
  const body = new Uint8Array(material.length + 1);
  body[0] = type;
  body.set(material, 1);
  return `${name}+${hex32(keyId)}+${encodeBase64(body)}`;
}

/** @internal Validates a name and 32 random bytes, returning the public key of the seed. */
export function seedPublicKey(name: string, random32: Uint8Array): Uint8Array {
  if (!isValidKeyName(name)) {
    throw new NoteError("invalid-argument", "key name must be non-empty, without spaces, '+' or controls");
  }
  if (!(random32 instanceof Uint8Array) || random32.length !== ED25519_SEED_BYTES) {
    throw new NoteError("invalid-argument", "expected 32 random bytes for the Ed25519 seed");
  }
  return ed25519PublicKey(random32);
}

/**
 * New Ed25519 note key pair from 32 bytes of randomness (the RFC 8032 seed). No I/O here: the caller
 * supplies cryptographically random bytes (crypto.getRandomValues / randomBytes).
 */
export function generateKey(name: string, random32: Uint8Array): KeyPairText {
  const publicKey = seedPublicKey(name, random32);
  const keyId = computeKeyId(name, SIGNATURE_TYPE_ED25519, publicKey);
  return {
    signerKey: `PRIVATE+KEY+${formatKeyText(name, keyId, SIGNATURE_TYPE_ED25519, random32)}`,
    verifierKey: formatKeyText(name, keyId, SIGNATURE_TYPE_ED25519, publicKey),
  };
}

/** Verifier key text for an Ed25519 public key (Go's note.NewEd25519VerifierKey). */
export function ed25519VerifierKey(name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new NoteError("invalid-argument", "invalid key name");
  if (!isStrictEd25519PublicKey(publicKey)) {
    throw new NoteError("invalid-argument", "not an acceptable 32-byte Ed25519 public key");
  }
  return formatKeyText(
    name,
    computeKeyId(name, SIGNATURE_TYPE_ED25519, publicKey),
    SIGNATURE_TYPE_ED25519,
    publicKey,
  );
}

/** Parses `PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>`; the id must match the derived public key. */
export function parseSignerKey(signerKey: string): Ed25519Signer {
  const raw = splitKeyText(signerKey, true);
  if (raw.type !== SIGNATURE_TYPE_ED25519) {
    throw new NoteError(
      "malformed-key",
      `malformed signer key: unknown signature type 0x${raw.type.toString(16)}`,
    );
  }
  if (raw.material.length !== ED25519_SEED_BYTES) {
    throw new NoteError("malformed-key", "malformed signer key: Ed25519 seed must be 32 bytes");
  }
  const seed = raw.material.slice();
  const publicKey = ed25519PublicKey(seed);
  if (computeKeyId(raw.name, SIGNATURE_TYPE_ED25519, publicKey) !== raw.keyId) {
    throw new NoteError("malformed-key", "malformed signer key: key id does not match the key");
  }
  return {
    name: raw.name,
    keyId: raw.keyId,
    publicKey,
    verifierKey: formatKeyText(raw.name, raw.keyId, SIGNATURE_TYPE_ED25519, publicKey),
    sign: (message) => ed25519Sign(seed, message),
  };
}

/** Parses `<name>+<hex id>+<base64(0x01 || public key)>`; the id must match the key. */
export function parseVerifierKey(verifierKey: string): Ed25519Verifier {
  const raw = splitKeyText(verifierKey, false);
  if (raw.type !== SIGNATURE_TYPE_ED25519) {
    throw new NoteError(
      "malformed-key",
      `malformed verifier key: unknown signature type 0x${raw.type.toString(16)}`,
    );
  }
  return ed25519VerifierFrom(
    raw,
    SIGNATURE_TYPE_ED25519,
    (publicKey) => (message, signature) => ed25519Verify(publicKey, message, signature),
  );
}

/** @internal Checks length, strictness and id of an Ed25519 verifier key of the given type. */
export function ed25519VerifierFrom(
  raw: RawKeyText,
  type: number,
  makeVerify: (publicKey: Uint8Array) => (message: Uint8Array, signature: Uint8Array) => boolean,
): Ed25519Verifier {
  if (raw.material.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw new NoteError("malformed-key", "malformed verifier key: Ed25519 public key must be 32 bytes");
  }
  const publicKey = raw.material.slice();
  if (computeKeyId(raw.name, type, publicKey) !== raw.keyId) {
    throw new NoteError("malformed-key", "malformed verifier key: key id does not match the key");
  }
  if (!isStrictEd25519PublicKey(publicKey)) {
    throw new NoteError(
      "malformed-key",
      "malformed verifier key: not a canonical Ed25519 point of prime order (small-order component)",
    );
  }
  return {
    name: raw.name,
    keyId: raw.keyId,
    publicKey,
    verifierKey: formatKeyText(raw.name, raw.keyId, type, publicKey),
    verify: makeVerify(publicKey),
  };
}
