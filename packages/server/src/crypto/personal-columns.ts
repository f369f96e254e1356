// Which columns hold people's data, encrypted field by field (docs/security.md lists every table
// and why each other column stays plain). Writers seal a row's values before inserting them;
// readers open what they selected. A value is bound to its table, column and row key, so a
// ciphertext copied into another row or column does not decrypt.
import { type FieldKeys, PURGED } from "./field-keys.ts";

type Encoding = "json" | "text";

export const personalColumns = {
  persons: { name: "json", motherName: "json", birthDate: "text", nationalId: "text", photo: "text" },
  event_private: { data: "text" },
  group_roster_entries: { memberNumber: "text", name: "json", motherName: "json" },
  payout_accounts: { account: "text", holder: "text" },
  payment_lines: { account: "text", holder: "text" },
  totp_factors: { secret: "text" },
  /** A person's correction (new names, id, birth); other corrections stay plain JSON. */
  corrections: { changes: "json" },
} as const satisfies Record<string, Record<string, Encoding>>;

export type PersonalTable = keyof typeof personalColumns;

/** A roster entry's row key, which its encrypted columns are bound to. */
export function rosterEntryKey(groupId: string, version: number, position: number): string {
  return `${groupId}/${version}/${position}`;
}

/** A payout account's row key, which its encrypted columns are bound to. */
export function payoutAccountKey(personId: string, channel: string): string {
  return `${personId}/${channel}`;
}

// biome-ignore lint/suspicious/noExplicitAny: rows of any table, as selected whole
type Row = Record<string, any>;

/** The key each personal table's values are bound to, from a whole row. */
export const personalRowKey: Record<PersonalTable, (row: Row) => string | number> = {
  persons: (r) => r.id,
  event_private: (r) => r.seq,
  group_roster_entries: (r) => rosterEntryKey(r.groupId, r.version, r.position),
  payout_accounts: (r) => payoutAccountKey(r.personId, r.channel),
  payment_lines: (r) => r.reference,
  totp_factors: (r) => r.userId,
  corrections: (r) => r.seq,
};

/** What a purged JSON value (a name) reads as. */
export const PURGED_NAME = { purged: true } as const;

/** A copy of the row with `change` applied to each of the table's personal columns it holds. */
function eachPersonalColumn<T extends Record<string, unknown>>(
  table: PersonalTable,
  row: T,
  change: (value: unknown, column: string, encoding: Encoding) => unknown,
): T {
  const out: Record<string, unknown> = { ...row };
  for (const [column, encoding] of Object.entries(personalColumns[table]) as [string, Encoding][])
    if (column in out) out[column] = change(out[column], column, encoding);
  return out as T;
}

/** The row with its personal columns (those present) encrypted. Null stays null. */
export function sealRow<T extends Record<string, unknown>>(
  keys: FieldKeys,
  table: PersonalTable,
  rowKey: string | number,
  row: T,
): T {
  return eachPersonalColumn(table, row, (value, column, encoding) => {
    if (value === undefined || value === null) return value;
    const plain = encoding === "json" ? JSON.stringify(value) : String(value);
    return keys.encrypt(plain, { table, column, row: rowKey });
  });
}

/**
 * The row with its personal columns (those selected) decrypted. A value whose data key was
 * destroyed reads "[purged]" (JSON values: `{ purged: true }`); an altered or moved one throws.
 */
export function openRow<T extends Record<string, unknown>>(
  keys: FieldKeys,
  table: PersonalTable,
  rowKey: string | number,
  row: T,
): T {
  return eachPersonalColumn(table, row, (value, column, encoding) => {
    if (typeof value !== "string") return value;
    const plain = keys.decrypt(value, { table, column, row: rowKey });
    if (plain === PURGED) return encoding === "json" ? PURGED_NAME : PURGED;
    return encoding === "json" ? JSON.parse(plain) : plain;
  });
}

/** The blind index of a national id (exact lookups; the plain id is never stored). None of a purged one. */
export function nationalIdIndex(keys: FieldKeys, nationalId: string | null | undefined): string | null {
  return nationalId && nationalId !== PURGED ? keys.blindIndex("national-id", nationalId) : null;
}

/** The blind index of a person's photo (its SHA-256): which registration a stored file shows. */
export function photoIndex(keys: FieldKeys, photo: string | null | undefined): string | null {
  return photo && photo !== PURGED ? keys.blindIndex("photo", photo) : null;
}

/** A persons row (or a selection of it with its id) with its personal columns decrypted. */
export function openPersonRow<T extends { id: string } & Record<string, unknown>>(
  keys: FieldKeys,
  row: T,
): T {
  return openRow(keys, "persons", row.id, row);
}
