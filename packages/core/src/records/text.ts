import { z } from "zod";

// Text fed by users is normalised to NFC and refused when it carries control characters, so
// the same name typed on two keyboards stores and hashes the same, and no invisible byte can
// smuggle itself into a receipt or the ledger.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse them.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;

function cleanText(max: number) {
  return z
    .string()
    .transform((s) => s.normalize("NFC").trim().replace(/\s+/gu, " "))
    .pipe(
      z
        .string()
        .min(1, "must not be empty")
        .max(max, `must be at most ${max} characters`)
        .refine((s) => !CONTROL.test(s), "must not contain control or direction-override characters")
        .refine(isWellFormedText, "must not contain broken characters (unpaired surrogates)"),
    );
}

/** Text with no control characters and no unpaired surrogates (neither can be stored or hashed). */
export function isWellFormedText(s: string): boolean {
  return s.isWellFormed();
}

export function hasControlCharacters(s: string): boolean {
  return CONTROL.test(s);
}

/** Free text: notes, purposes, reasons. */
export const freeText = (max = 2000) => cleanText(max);

// Names accept letters and marks of one script, spaces and the punctuation names really carry.
// Anything else (angle brackets, quotes of code, semicolons, digits) is refused with a message.
// Arabic vowel marks (shadda, fatha…) have Script=Inherited, so letters and marks are matched by
// script extension; Arabic-Indic digits and signs (Script=Arabic, not letters) are refused.
const ARABIC_NAME = /^(?:(?=[\p{L}\p{M}])(?!\u0640)\p{Script_Extensions=Arabic}|\u200C| )+$/u;
// Romanisations write ayn and hamza with modifier letters (ALA-LC ʻ ʼ, DIN/DMG ʿ ʾ) or turned
// quotes (‘ ’): they are Script=Common, so they are listed here; names/latin.ts reads them all.
const LATIN_NAME =
  /^(?:(?=\p{L})\p{Script=Latin}|(?!\p{Script_Extensions=Arabic})\p{M}|[ .'\u2018\u2019\u02BB\u02BC\u02BE\u02BF-])+$/u;

export const arabicName = cleanText(120).refine(
  (s) => ARABIC_NAME.test(s),
  "must be written in Arabic script only (letters and spaces); put the Latin spelling in the Latin field",
);

export const latinName = cleanText(120).refine(
  (s) => LATIN_NAME.test(s),
  "must be written in Latin letters only (letters, spaces, hyphen, apostrophe or ayn/hamza signs, full stop); put the Arabic spelling in the Arabic field",
);

/** A label in either script, e.g. a group's or a site's display name. */
export const displayName = cleanText(200).refine(
  (s) => /^[\p{L}\p{M}\p{N} .,'()\u2019/&-]+$/u.test(s),
  "may contain letters, digits, spaces and . , ' ( ) / & - only",
);

/** Short codes printed on labels and typed by officers: upper-case letters, digits, dashes. */
export const code = z
  .string()
  .trim()
  .toUpperCase()
  .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,31}$/, "must be 1-32 upper-case letters, digits or dashes"));

/** A reference to a stored file (photo, scan): its SHA-256 in hex, as the upload answered. */
export const fileRef = z.string().regex(/^[0-9a-f]{64}$/, "must be the SHA-256 (hex) of an uploaded file");

export const bilingualName = z.strictObject({ ar: displayName, en: displayName });
