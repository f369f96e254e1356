// Which columns hold people's data, encrypted field by field (docs/security.md lists every table
// and why each other column stays plain). Writers seal a row's values before inserting them;
// readers open what they selected. A value is bound to its table, column and row key, so a
// ciphertext copied into another row or column does not decrypt.
import { type FieldKeys, PURGED } from "./field-keys.ts";

type Encoding = "json" | "text";

export const personalColumns = {
  persons: {
    name: "json",
    motherName: "json",
    birthDate: "text",
    nationalId: "text",
    photo: "text",
    // Registration's screening answers (free text), vetting flags and consent: private in the event.
    screening: "json",
    vettingFlags: "json",
    consent: "json",
    // Their role in the group (free text, private in the registration): "commander of the
    // Tarmiyah checkpoint" points at one person as surely as a name. No query filters or counts
    // by it.
    role: "text",
  },
  event_private: { data: "text" },
  group_roster_entries: { memberNumber: "text", name: "json", motherName: "json" },
  payout_accounts: { account: "text", holder: "text" },
  payment_lines: { account: "text", holder: "text" },
  totp_factors: { secret: "text" },
  /**
   * A person's correction (new names, id, birth) and a group's correction of its liaison officers
   * (both private in their events); other corrections stay plain JSON.
   */
  corrections: { changes: "json" },
  /** What the person said at screening, any indication found, the screener's notes. */
  screenings: { answers: "json", indications: "json", notes: "text" },
  eligibility_appeals: { lodgedBy: "json", grounds: "text", evidence: "json", decisionReason: "text" },
  eligibility_revocations: { reason: "text" },
  /** Where the person serves, the numbers issued to them, what was offered and why declined. */
  pathways: {
    offer: "json",
    unit: "text",
    declineReason: "text",
    serviceNumber: "text",
    membershipNumber: "text",
    placement: "text",
  },
  pathway_follow_ups: { note: "text" },
  /**
   * The notes (free text about the person), and the people a handover names: a group's
   * representative, the verifying officer and the witnesses (private in the event). No query
   * filters or counts by them.
   */
  handovers: { notes: "text", representative: "text", verifyingOfficer: "json", witnesses: "json" },
  /** A group's liaison officers: names and phone numbers (private in the registration). */
  armed_groups: { liaisonOfficers: "json" },
  /** The reasons given with a group's transformation and party decisions (free text, private). */
  group_status_history: { reason: "text" },
  group_party_history: { reason: "text" },
  /** A duplicate review's decision: the reviewer's words about a person (private in the event). */
  duplicate_reviews: { reason: "text" },
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
  screenings: (r) => r.id,
  eligibility_appeals: (r) => r.id,
  eligibility_revocations: (r) => r.seq,
  pathways: (r) => r.id,
  pathway_follow_ups: (r) => followUpKey(r.pathwayId, r.seq),
  handovers: (r) => r.id,
  armed_groups: (r) => r.id,
  group_status_history: (r) => r.seq,
  group_party_history: (r) => r.seq,
  duplicate_reviews: (r) => r.personId,
};

/** A pathway follow-up's row key, which its note is bound to. */
export function followUpKey(pathwayId: string, seq: number): string {
  return `${pathwayId}/${seq}`;
}

/**
 * Keyed blind indexes (HMAC under the blind-index key) kept beside a sealed column for its exact
 * lookups: the column whose value is indexed, the index column, the index's domain. Writers get
 * them from sealRow with the value; the plain value is never stored.
 */
export const blindIndexes: Partial<Record<PersonalTable, { of: string; index: string; domain: string }[]>> = {
  persons: [
    { of: "nationalId", index: "nationalIdIndex", domain: "national-id" },
    // The photo's SHA-256: which registration a stored file shows.
    { of: "photo", index: "photoIndex", domain: "photo" },
  ],
  // A force's service numbers are unique: a placement is refused one already given.
  pathways: [{ of: "serviceNumber", index: "serviceNumberIndex", domain: "service-number" }],
};

/** The blind index of `value` in `domain`; none for no value. */
export function blindIndexOf(keys: FieldKeys, domain: string, value: unknown): string | null {
  // A purged value has nothing left to find it by.
  return value === null || value === undefined || value === "" || value === PURGED
    ? null
    : keys.blindIndex(domain, String(value));
}

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

/**
 * The row with its personal columns (those present) encrypted, and the blind index of each
 * indexed one beside it (`blindIndexes`). Null stays null.
 */
export function sealRow<T extends Record<string, unknown>>(
  keys: FieldKeys,
  table: PersonalTable,
  rowKey: string | number,
  row: T,
): T {
  const sealed: Record<string, unknown> = eachPersonalColumn(table, row, (value, column, encoding) => {
    if (value === undefined || value === null) return value;
    const plain = encoding === "json" ? JSON.stringify(value) : String(value);
    return keys.encrypt(plain, { table, column, row: rowKey });
  });
  for (const { of, index, domain } of blindIndexes[table] ?? [])
    if (of in row) sealed[index] = blindIndexOf(keys, domain, row[of]);
  return sealed as T;
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
  return blindIndexOf(keys, "national-id", nationalId);
}

/** The blind index of a person's photo (its SHA-256): which registration a stored file shows. */
export function photoIndex(keys: FieldKeys, photo: string | null | undefined): string | null {
  return blindIndexOf(keys, "photo", photo);
}

/** The blind index of a service number (a force gives each one once). */
export function serviceNumberIndex(keys: FieldKeys, serviceNumber: string): string {
  return keys.blindIndex("service-number", serviceNumber);
}

/** A persons row (or a selection of it with its id) with its personal columns decrypted. */
export function openPersonRow<T extends { id: string } & Record<string, unknown>>(
  keys: FieldKeys,
  row: T,
): T {
  return openRow(keys, "persons", row.id, row);
}
