import { Problem } from "../problems.ts";

// Placeholders that officers type when a serial cannot be read (DOMAIN.md, "bad identification
// data"). They must never be stored as serials: two "unknown" rifles would look like one weapon.
const PLACEHOLDER_WORDS = new Set([
  "X",
  "XX",
  "XXX",
  "XXXX",
  "NA",
  "N/A",
  "NONE",
  "NIL",
  "NULL",
  "UNKNOWN",
  "UNK",
  "ILLEGIBLE",
  "UNREADABLE",
  "NOSERIAL",
  "NOSN",
  "NOTREADABLE",
  "BLANK",
  "EMPTY",
  "MISSING",
  "REMOVED",
  "ERASED",
  "TBD",
  "?",
  "غير معروف",
  "غيرمعروف",
  "مجهول",
  "لايوجد",
  "لا يوجد",
  "غير مقروء",
  "غيرمقروء",
  "ممسوح",
]);

const ARABIC_INDIC = /[\u0660-\u0669\u06F0-\u06F9]/gu;

function westernDigits(s: string): string {
  return s.replace(ARABIC_INDIC, (d) => String((d.codePointAt(0) ?? 0) & 0xf));
}

/** A serial folded for comparison: Western digits, upper case, no spaces, dashes, dots or slashes. */
export function foldSerial(serial: string): string {
  return westernDigits(serial.normalize("NFKC"))
    .toUpperCase()
    .replace(/[\s\-_./\\]/gu, "")
    .normalize("NFKC");
}

export function isPlaceholderSerial(serial: string): boolean {
  const upper = westernDigits(serial.normalize("NFKC")).toUpperCase().trim();
  if (PLACEHOLDER_WORDS.has(upper) || PLACEHOLDER_WORDS.has(upper.replace(/[\s\-_./\\]/gu, ""))) return true;
  const folded = foldSerial(serial);
  if (folded.length === 0) return true;
  // One character repeated ("0000", "XXXXXX", "----"), or only question marks.
  if (/^(.)\1*$/u.test(folded)) return true;
  return /^[?*#]+$/u.test(folded);
}

export function assertSerialNotPlaceholder(serial: string, path: string): void {
  if (isPlaceholderSerial(serial))
    throw new Problem(
      "serial.placeholder",
      `"${serial}" is a placeholder, not a serial number. If no serial can be read, leave the serial empty, set "no readable serial" and attach a photo of the marking area.`,
      [{ path, message: "placeholder serial" }],
    );
}

function foldMakeModel(s: string | undefined): string {
  return (s ?? "")
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-_.]/gu, "")
    .normalize("NFKC");
}

/** The identity of a weapon for duplicate detection: make + model + serial, each folded. */
export function serialKey(make: string | undefined, model: string | undefined, serial: string): string {
  return `${foldMakeModel(make)}|${foldMakeModel(model)}|${foldSerial(serial)}`;
}

// Characters that a worn stamping, a photocopy or handwriting turns into each other (issue 5):
// the letter and the digit are folded to the digit, so "1O35-B7" and "1035 87" meet.
const LOOKALIKE: Record<string, string> = { O: "0", Q: "0", I: "1", L: "1", S: "5", B: "8", Z: "2" };

/** A folded serial with look-alike letters read as digits (O→0, I/L→1, S→5, B→8, Z→2). */
export function lookalikeSerial(serial: string): string {
  return foldSerial(serial).replace(/[OQILSBZ]/gu, (c) => LOOKALIKE[c]!);
}

/**
 * The key under which near-duplicate serials of one make and model meet: two weapons with the
 * same near-duplicate key and different serialKey are flagged for an officer to look at, never
 * merged (two real rifles can differ only by an O and a 0).
 */
export function nearDuplicateSerialKey(
  make: string | undefined,
  model: string | undefined,
  serial: string,
): string {
  return `${foldMakeModel(make)}|${foldMakeModel(model)}|${lookalikeSerial(serial)}`;
}

/** Whether two serials differ only by spaces, dashes, case or look-alike characters. */
export function serialsNearlyEqual(a: string, b: string): boolean {
  return lookalikeSerial(a) === lookalikeSerial(b);
}
