import { createPublicKey, verify as nodeCryptoVerify } from "node:crypto";
import { NoteError, type NoteErrorCode } from "../../src/note/errors.ts";

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => new TextDecoder("utf-8", { ignoreBOM: true }).decode(b);
export const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, "hex"));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** The NoteError code thrown by fn, or "no error" / the other error's message. */
export function codeOf(fn: () => unknown): NoteErrorCode | string {
  try {
    fn();
    return "no error";
  } catch (error) {
    if (error instanceof NoteError) return error.code;
    return `not a NoteError: ${String(error)}`;
  }
}

export function messageOf(fn: () => unknown): string {
  try {
    fn();
    return "no error";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Go-style byte slicing: s[:at] + insert + s[at:], with `at` a UTF-8 byte offset. */
export function insertAtByte(s: string, at: number, insert: string): string {
  const bytes = enc(s);
  return dec(bytes.subarray(0, at)) + insert + dec(bytes.subarray(at));
}

/** Go-style s[:n] on UTF-8 bytes. */
export function byteSlice(s: string, end: number): string {
  return dec(enc(s).subarray(0, end));
}

/** Ed25519 verification by node:crypto (OpenSSL), the reference for "verifies in Node". */
export function opensslVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    const key = createPublicKey({
      key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(publicKey).toString("base64url") },
      format: "jwk",
    });
    return nodeCryptoVerify(null, message, key, signature);
  } catch {
    return false;
  }
}
