/**
 * Spreadsheet programs run a CSV cell that starts with = + - @ (or a tab or carriage return) as
 * a formula ("CSV injection", OWASP). Notes, markings and serials are typed by people in the
 * field, so an export opened at HQ could run what one of them typed. Such cells are written with
 * a leading apostrophe, which spreadsheets read as "this is text"; the importer takes it off
 * again, so an exported file still imports unchanged. Plain numbers ("-33.31") are data, not
 * formulas, and are left alone.
 *
 * The pair is a bijection: a value that already starts with apostrophes before a formula
 * character gets one more, so unguard(guard(x)) === x for every x (property-tested).
 * XLSX needs none of this: exceljs writes every text cell as text, never as a formula.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/u;
const GUARDED = /^'+[=+\-@\t\r]/u;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/u;

/** The text to put in a CSV cell so that no spreadsheet runs it as a formula. */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** The value a CSV cell written by guardFormula stood for. */
export function unguardFormula(text: string): string {
  return GUARDED.test(text) ? text.slice(1) : text;
}
