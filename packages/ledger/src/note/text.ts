import { NoteError, type NoteErrorCode } from "./errors.ts";

const FATAL_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const UTF8 = new TextEncoder();

// Key names: non-empty, no Unicode spaces (the White_Space property, as Go's unicode.IsSpace) or '+'.
const SPACE_OR_PLUS = /[\p{White_Space}+]/u;

export function utf8(text: string): Uint8Array {
  return UTF8.encode(text);
}

/** Decodes strict UTF-8 (a byte-order mark is kept, not stripped) or returns undefined. */
export function tryDecodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return FATAL_UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** C2SP signed-note: no ASCII control characters (below U+0020) other than newline. */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return true;
  }
  return false;
}

export function isValidKeyName(name: string): boolean {
  return (
    typeof name === "string" &&
    name !== "" &&
    name.isWellFormed() &&
    !SPACE_OR_PLUS.test(name) &&
    !hasControlCharacters(name)
  );
}

/** Checks a JS string can be UTF-8 encoded losslessly and carries no control characters. */
export function checkText(text: string, code: NoteErrorCode, what: string): void {
  if (typeof text !== "string" || !text.isWellFormed()) {
    throw new NoteError(code, `${what} is not a well-formed Unicode string`);
  }
  if (hasControlCharacters(text)) {
    throw new NoteError(code, `${what} contains a control character other than newline`);
  }
}

export function hex32(n: number): string {
  return n.toString(16).padStart(8, "0");
}
