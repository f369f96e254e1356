import { personalColumns } from "../crypto/personal-columns.ts";

// A purged person (their own purge, or the data key destroyed) reads `{ purged: true }` for a
// name and "[purged]" for other values. The API does not pass those markers on: it answers the
// documented purged shape of core's `personView`, `purged: true` with every personal field null
// (a name `{ arabic: null, latin: null }`), so a client never shows "[purged]" as a birth date.

/** Was this opened person row purged? Its name, never absent, says so. */
export function isPurgedPerson(row: { name: unknown }): boolean {
  return (row.name as { purged?: unknown } | null)?.purged === true;
}

/** An opened person row as the API shows it: `purged` said, a purged one's personal fields null. */
export function shownPerson<T extends { name: unknown }>(row: T): T & { purged: boolean } {
  if (!isPurgedPerson(row)) return { ...row, purged: false };
  const out: Record<string, unknown> = { ...row, purged: true };
  for (const column of Object.keys(personalColumns.persons)) if (column in out) out[column] = null;
  out.name = { arabic: null, latin: null };
  return out as T & { purged: boolean };
}
