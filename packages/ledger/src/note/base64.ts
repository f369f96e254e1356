import { NoteError, type NoteErrorCode } from "./errors.ts";

// Standard base64 (RFC 4648 §4) on top of the platform's atob/btoa, which exist in Node and in
// browsers. atob is lenient (whitespace, missing padding, non-zero trailing bits), so decoding first
// checks the alphabet and padding, then re-encodes and compares: only the canonical encoding of a
// byte string is accepted, so every byte string has exactly one accepted text.

const SHAPE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const CHUNK = 0x8000;

export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Decodes canonical standard base64 or returns undefined. */
export function tryDecodeBase64(text: string): Uint8Array | undefined {
  if (!SHAPE.test(text)) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (encodeBase64(bytes) !== text) return undefined; // non-zero trailing bits
  return bytes;
}

export function decodeBase64(
  text: string,
  code: NoteErrorCode = "invalid-argument",
  what = "base64",
): Uint8Array {
  const bytes = tryDecodeBase64(text);
  if (bytes === undefined) throw new NoteError(code, `${what} is not canonical standard base64`);
  return bytes;
}
