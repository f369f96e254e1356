import { createHash } from "node:crypto";
import { iraqGovernorates } from "@armsledger/core";

/** A row the importer cannot accept, with the reason a clerk can act on. */
export interface RowProblem {
  line: number;
  reason: string;
}

export interface CommandEnvelope {
  commandId: string;
  type: string;
  payload: Record<string, unknown>;
}

/** Where a payload field came from in the file. */
export interface Origin {
  line: number;
  /** The column (or columns, "a / b") the field was read from, when known. */
  column?: string | undefined;
  /** The cell text, when the field is one cell. */
  value?: string | undefined;
}

/** A command built from one or more rows, and how to find the row and column behind a payload path. */
export interface MappedCommand {
  envelope: CommandEnvelope;
  lines: number[];
  /** The handover_ref of a handover built from several rows. */
  ref?: string | undefined;
  /**
   * "line\ncolumn" of the cells already reported as unreadable. The command is still checked
   * against the rules (with those cells left out) so every problem is reported at once; refusals
   * that only repeat a reported cell are dropped.
   */
  blocked: Set<string>;
  /** `path` without the "payload." prefix, e.g. "weapons.2.serial". */
  locate(path: string): Origin;
  /** The line a refusal without field paths points at (e.g. a tag named in the message). */
  locateMessage(message: string): number;
}

export interface Mapping {
  commands: MappedCommand[];
  problems: RowProblem[];
}

export function blockKey(line: number, column: string): string {
  return `${line}\n${column}`;
}

/** Resolves the codes printed on forms to record ids. Answers undefined for an unknown code. */
export interface CodeLookups {
  siteId(code: string): string | undefined;
  groupId(code: string): string | undefined;
}

/**
 * A command id made from what the command says, so importing the same rows again sends the same
 * ids and the write path records nothing new (it answers the recorded command instead). SHA-256
 * of the kind, the caller's key and the payload, cut to 128 bits and marked as a name-based UUID
 * (version 5 layout, RFC 4122 variant). `occurrence` tells apart rows that say exactly the same.
 */
export function importCommandId(kind: string, key: string, payload: unknown, occurrence: number): string {
  const digest = createHash("sha256")
    .update(`armsledger/import/v1\n${kind}\n${key}\n${occurrence}\n${JSON.stringify(payload)}`)
    .digest();
  const b = digest.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Gives each distinct key a running count, so identical rows in one file get distinct ids. */
export function occurrenceCounter(): (key: string) => number {
  const seen = new Map<string, number>();
  return (key) => {
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n;
  };
}

/** Drops keys whose value is undefined, so the payload (and its hash) holds only what was given. */
export function defined<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

/** The trimmed cell, or undefined when the cell is empty. */
export function cell(values: Record<string, string>, column: string): string | undefined {
  const text = values[column]?.trim();
  return text ? text : undefined;
}

const YES = new Set(["yes", "y", "true", "1", "نعم"]);
const NO = new Set(["no", "n", "false", "0", "لا"]);

/** yes/no/true/false/1/0, Arabic نعم/لا: a boolean, undefined for an empty cell, or a problem. */
export function yesNo(text: string | undefined): boolean | undefined | { error: string } {
  if (text === undefined) return undefined;
  const folded = text.normalize("NFC").toLowerCase();
  if (YES.has(folded)) return true;
  if (NO.has(folded)) return false;
  return { error: `"${text}" is not yes or no; write yes or no (also true/false, 1/0, نعم/لا)` };
}

const ARABIC_INDIC = /[\u0660-\u0669\u06F0-\u06F9]/gu;

/** Arabic-Indic digits as Western digits. */
export function westernDigits(text: string): string {
  return text.replace(ARABIC_INDIC, (d) => String((d.codePointAt(0) ?? 0) & 0xf));
}

/** A whole number (thousands may be grouped with commas or spaces), undefined when empty, or a problem. */
export function wholeNumber(
  text: string | undefined,
  example: string,
): number | undefined | { error: string } {
  if (text === undefined) return undefined;
  const digits = westernDigits(text);
  if (/^[0-9]+$/u.test(digits) || /^[0-9]{1,3}(?:[, ][0-9]{3})+$/u.test(digits))
    return Number(digits.replace(/[, ]/gu, ""));
  return { error: `"${text}" is not a whole number; write digits only, e.g. ${example}` };
}

/** Lower case with spaces and dashes as underscores: "Machine gun" → machine_gun. */
export function enumText(text: string | undefined): string | undefined {
  return text === undefined ? undefined : text.toLowerCase().replace(/[\s-]+/gu, "_");
}

const governorateByName = new Map<string, string>();
for (const g of iraqGovernorates) {
  governorateByName.set(g.code.toUpperCase(), g.code);
  governorateByName.set(g.en.toUpperCase(), g.code);
  governorateByName.set(g.ar.normalize("NFC"), g.code);
}

/** A governorate given as its ISO code or its English or Arabic name, as the ISO code. */
export function governorateCodeOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return (
    governorateByName.get(text.normalize("NFC").toUpperCase()) ??
    governorateByName.get(text.normalize("NFC")) ??
    text.toUpperCase()
  );
}

/** Photo references: SHA-256 hex values separated by spaces, commas or semicolons. */
export function photoList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .toLowerCase()
    .split(/[\s,;]+/u)
    .filter((p) => p !== "");
}

/** Columns the mapper does not know: reported on the header line rather than silently dropped. */
export function unknownColumns(
  columns: string[],
  known: readonly string[],
  headerLine: number,
): RowProblem[] {
  const knownSet = new Set(known);
  return columns
    .filter((c) => !knownSet.has(c))
    .map((c) => ({
      line: headerLine,
      reason: `the column ${c} is not known; rename it to one of: ${known.join(", ")} (or delete it)`,
    }));
}

/** Looks up a payload path in a table of path → column, trying the longest known prefix first. */
export function columnFor(table: Record<string, string>, path: string): string | undefined {
  const parts = path.split(".");
  for (let n = parts.length; n > 0; n--) {
    const column = table[parts.slice(0, n).join(".")];
    if (column !== undefined) return column;
  }
  return undefined;
}

/** How to write a column's value, added to a refusal of its format. */
export const columnHints: Record<string, string> = {
  handed_at: "write the date, the time and the zone, e.g. 2026-02-01T09:30:00+03:00",
  birth_date: "write the date as year-month-day, e.g. 1990-01-31",
  consent_date: "write the date as year-month-day, e.g. 2026-01-10",
  person_id: "a person id looks like 3f2b8c1e-5d4a-4c2b-9e1f-0a1b2c3d4e5f; leave it empty for a new person",
  governorate: "or write the governorate's name in English or Arabic, e.g. Baghdad or بغداد",
  country: "write the two-letter country code, e.g. RU or CN",
  photo: "give the SHA-256 of the uploaded photo, as the upload answered",
};
