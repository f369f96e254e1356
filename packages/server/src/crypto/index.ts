// All cryptography of the server in one place, from well-kept implementations only:
// node:crypto for hashing and randomness, argon2id (@node-rs/argon2) for passwords, otpauth for
// one-time codes (RFC 6238).
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import { hash as argon2Hash, verify as argon2Verify } from "@node-rs/argon2";
import { Secret, TOTP } from "otpauth";

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function randomSalt(bytes = 32): Uint8Array {
  return new Uint8Array(randomBytes(bytes));
}

export function newId(): string {
  return randomUUID();
}

/** A bearer secret (session cookie, API token): 32 random bytes, base64url. Only its hash is stored. */
export function newSecret(prefix = ""): string {
  return prefix + randomBytes(32).toString("base64url");
}

export function secretHash(secret: string): string {
  return sha256Hex(`armsledger/secret/v1\n${secret}`);
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// OWASP's argon2id recommendation: m=19 MiB, t=2, p=1.
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await argon2Verify(stored, password);
  } catch {
    return false;
  }
}

/** A readable random password for demo and first accounts: 4 groups of 5 base32 characters. */
export function newPassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  let out = "";
  for (let i = 0; i < 20; i++) {
    if (i > 0 && i % 5 === 0) out += "-";
    out += alphabet[randomInt(alphabet.length)];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Time-based one-time codes (RFC 6238): the authenticator apps' defaults (SHA-1, 6 digits, 30 s),
// since those are the parameters every app honours.
// ---------------------------------------------------------------------------------------------

const TOTP_PERIOD = 30;

function totpOf(secretBase32: string, label = "") {
  return new TOTP({
    issuer: "ArmsLedger",
    label,
    algorithm: "SHA1",
    digits: 6,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new TOTP secret (160 random bits, base32) and the otpauth:// URI an authenticator app reads. */
export function newTotpSecret(username: string): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 }).base32;
  return { secret, uri: totpOf(secret, username).toString() };
}

/**
 * The time step a code belongs to, if it is right at `now` (one step either side, for clock
 * drift), else undefined. Callers refuse a step already used, so a code works once.
 */
export function totpStep(secretBase32: string, code: string, now: number): number | undefined {
  const delta = totpOf(secretBase32).validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return undefined;
  return TOTP.counter({ period: TOTP_PERIOD, timestamp: now }) + delta;
}

export * from "./data-keys.ts";
export * from "./encrypt-existing.ts";
export * from "./field-keys.ts";
export * from "./master-key.ts";
export * from "./personal-columns.ts";
export * from "./private-part.ts";
export * from "./purge.ts";
