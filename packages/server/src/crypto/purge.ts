// Purges of people's data (issue 7). `purgeAllPersonalData` is the emergency purge: the data key
// is destroyed (crypto-shredding), so every personal value, private part and keyed index made
// under it is gone for good; what was derived from it and can be deleted is deleted, and the
// purge is logged. The ledger's leaves hold only commitments: `verify` still passes.
import { randomUUID } from "node:crypto";
import { matchRoster, Problem } from "@armsledger/core";
import { eq, inArray, sql } from "drizzle-orm";
import { logRead } from "../access/read-audit.ts";
import { findPersonMatchInput, matchInputOfRow, unindexPersonName } from "../projections/duplicate-review.ts";
import { rosterEntryInput } from "../queries/rosters.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { personalTargets } from "./encrypt-existing.ts";
import { type FieldKeys, PURGED } from "./field-keys.ts";
import {
  openPersonRow,
  openRow,
  type PersonalTable,
  PURGED_NAME,
  payoutAccountKey,
  personalColumns,
  personalRowKey,
  photoIndex,
  rosterEntryKey,
  sealRow,
} from "./personal-columns.ts";
import { sealPrivatePart, subjectIndex } from "./private-part.ts";

/** The phrase the operator must type, whole, to purge everyone's data. */
export const PURGE_ALL_CONFIRMATION = "destroy all personal data";

export interface PurgeActor {
  /** The account id. */
  actor: string;
  role: string;
  /** Why, in the operator's words: logged. */
  reason: string;
}

export interface AllPurged {
  /** The data keys destroyed. */
  destroyedKeys: number[];
  /** People whose personal values are now unreadable. */
  persons: number;
  nameKeys: number;
  nameCounts: number;
  /** Tables vacuumed (PostgreSQL keeps old row versions until VACUUM). */
  vacuumed: string[];
}

// Tables whose rows a purge rewrites or deletes: VACUUM after, so no old version survives.
const touchedTables = ["data_keys", "persons", "person_name_keys", "person_name_counts", "pathways"];

export async function purgeAllPersonalData(store: Store, by: PurgeActor): Promise<AllPurged> {
  const result = await store.db.transaction(async (tx) => {
    const destroyedKeys = await store.personal.destroyDataKey(tx);
    // Keyed by the destroyed key, these match nothing any more: deleted, not left to mislead.
    const nameKeys = (await tx.delete(t.personNameKeys).returning({ key: t.personNameKeys.key })).length;
    const nameCounts = (await tx.delete(t.personNameCounts).returning({ key: t.personNameCounts.key }))
      .length;
    const persons = (
      await tx
        .update(t.persons)
        .set({ nationalIdIndex: null, photoIndex: null })
        .returning({ id: t.persons.id })
    ).length;
    // A service number's blind index, keyed by the destroyed key too: it finds nothing any more.
    await tx.update(t.pathways).set({ serviceNumberIndex: null });
    // In the purge's own transaction: the purge and its record in the log commit or roll back
    // together (one row for everyone, naming no one).
    await logRead(
      { db: tx },
      {
        actor: by.actor,
        role: by.role,
        action: "person.purge",
        channel: "armsledger purge --all-personal-data",
        subjectKind: "person",
        subjects: "all",
        records: persons,
        purpose: by.reason,
      },
    );
    return { destroyedKeys, persons, nameKeys, nameCounts };
  });
  store.personal.forget();
  return { ...result, vacuumed: await vacuum(store, touchedTables) };
}

/** PostgreSQL keeps a rewritten row's old version until VACUUM; the embedded database is vacuumed too. */
export async function vacuum(store: Store, tables: string[]): Promise<string[]> {
  const done: string[] = [];
  for (const table of tables) {
    try {
      await store.db.execute(sql.raw(`VACUUM ${table}`));
      done.push(table);
    } catch {
      // The application role may not own the table: the operator runs VACUUM as its owner
      // (docs/security.md).
    }
  }
  return done;
}

/** The tables one person's purge rewrites or deletes rows of: vacuumed after it. */
export const personPurgeTables = [
  "persons",
  "person_name_keys",
  "person_name_counts",
  "payout_accounts",
  "event_private",
  "corrections",
  "screenings",
  "eligibility_appeals",
  "eligibility_revocations",
  "pathways",
  "pathway_follow_ups",
  "handovers",
  "payment_lines",
  "group_roster_entries",
  "duplicate_reviews",
  "files",
  "file_uploads",
];

export interface PersonPurgeOptions {
  /** What the access log names as the purge's channel (retention names its own). */
  channel?: string;
  /** False when the caller purges many and vacuums once after (retention/apply.ts). */
  vacuum?: boolean;
  /**
   * Asked first, in the purge's transaction: when it answers false the purge throws `NotPurged`
   * and changes nothing (retention re-checks that the person is still due, whatever happened
   * since it listed them).
   */
  onlyIf?: (tx: Tx) => Promise<boolean>;
}

/** A purge that `onlyIf` stopped: nothing was changed. */
export class NotPurged extends Error {}

export interface PersonPurged {
  personId: string;
  /** Rows of other tables about the person (screenings, appeals, pathways…) whose sealed columns were purged. */
  records: number;
  /** Private parts of events about the person, replaced by the purge marker. */
  privateParts: number;
  payoutAccounts: number;
  /** Entries of their group's rosters matched to them, purged. */
  rosterEntries: number;
  /** Their photo's stored file, deleted (0 when none, or when the same bytes are used elsewhere). */
  photos: number;
  vacuumed: string[];
}

/** Every personal column of a table holding what a crypto-shredded value reads as. */
function purgedValues(table: "persons" | "payout_accounts"): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(personalColumns[table]).map(([column, encoding]) => [
      column,
      encoding === "json" ? PURGED_NAME : PURGED,
    ]),
  );
}

type Tx = Parameters<Parameters<Store["db"]["transaction"]>[0]>[0];
// biome-ignore lint/suspicious/noExplicitAny: rows of any personal table
type Row = Record<string, any>;

/**
 * The sealed columns of the records about one person, in the tables whose rows name them:
 * overwritten with the purge marker (a null stays null), so they read as crypto-shredded values
 * read and the replay's stand-ins (verify/purged-stand-ins.ts) rebuild them as they now are. A
 * pathway's offer, which the offer event's projection builds from its parts (course, job,
 * referrals, note), is purged part by part, so the replay builds the same purged whole.
 */
async function purgeRecordsAbout(tx: Tx, keys: FieldKeys, personId: string): Promise<number> {
  const pathways = await tx.select().from(t.pathways).where(eq(t.pathways.personId, personId));
  const followUps = pathways.length
    ? await tx
        .select()
        .from(t.pathwayFollowUps)
        .where(
          inArray(
            t.pathwayFollowUps.pathwayId,
            pathways.map((p) => p.id),
          ),
        )
    : [];
  const about: [PersonalTable, Row[], string[]][] = [
    ["screenings", await tx.select().from(t.screenings).where(eq(t.screenings.personId, personId)), []],
    [
      "eligibility_appeals",
      await tx.select().from(t.eligibilityAppeals).where(eq(t.eligibilityAppeals.personId, personId)),
      [],
    ],
    [
      "eligibility_revocations",
      await tx.select().from(t.eligibilityRevocations).where(eq(t.eligibilityRevocations.personId, personId)),
      [],
    ],
    ["pathways", pathways, ["offer"]],
    ["pathway_follow_ups", followUps, []],
    ["handovers", await tx.select().from(t.handovers).where(eq(t.handovers.personId, personId)), []],
    // Their lines on payment lists and their payments recorded on their own: the account paid.
    [
      "payment_lines",
      await tx.select().from(t.paymentLines).where(eq(t.paymentLines.personId, personId)),
      [],
    ],
  ];
  let purged = 0;
  for (const [table, rows, byParts] of about) purged += await sealPurged(tx, keys, table, rows, byParts);
  return purged;
}

/**
 * Rows of a personal table with their sealed columns overwritten by the purge marker (a null stays
 * null; `byParts` columns purged part by part; columns that hold other people's data left): the
 * one way a record's personal values are purged, by a person's purge and by retention
 * (retention/apply.ts). Answers how many rows changed (a row holding nothing changes nothing).
 */
export async function sealPurged(
  tx: Tx,
  keys: FieldKeys,
  table: PersonalTable,
  rows: Row[],
  byParts: string[] = [],
): Promise<number> {
  let purged = 0;
  for (const row of rows) {
    const marker = Object.fromEntries(
      Object.entries(personalColumns[table] as Record<string, string>)
        .filter(([column]) => row[column] !== null && row[column] !== undefined)
        .filter(([column]) => !(notTheirs[table] ?? []).includes(column))
        .map(([column, encoding]) => [
          column,
          byParts.includes(column)
            ? purgedParts(openRow(keys, table, personalRowKey[table](row), { [column]: row[column] })[column])
            : encoding === "json"
              ? PURGED_NAME
              : PURGED,
        ]),
    );
    if (Object.keys(marker).length === 0) continue;
    await tx
      .update(personalTargets[table].table)
      .set(sealRow(keys, table, personalRowKey[table](row), marker))
      .where(personalTargets[table].where(row));
    purged++;
  }
  return purged;
}

/**
 * Events' private parts replaced by the sealed purge marker: the leaf and its commitment stay,
 * verify reports the part purged and the replay takes the live record's values in its place
 * (verify/purged-stand-ins.ts).
 */
export async function purgePrivateParts(tx: Tx, keys: FieldKeys, seqs: Iterable<number>): Promise<number> {
  let n = 0;
  for (const seq of new Set(seqs)) {
    await tx
      .update(t.eventPrivate)
      .set({ data: sealPrivatePart(keys, seq, PURGED) })
      .where(eq(t.eventPrivate.seq, seq));
    n++;
  }
  return n;
}

/**
 * Sealed columns of the records about a person that hold other people's data, not theirs: a
 * handover's verifying officer, witnesses and group representative act in their own roles (a
 * person's handover has no representative). One person's purge leaves them; the emergency purge
 * shreds them with everything else.
 */
const notTheirs: Partial<Record<PersonalTable, string[]>> = {
  handovers: ["representative", "verifyingOfficer", "witnesses"],
};

/**
 * The entries of their group's rosters that the roster comparison takes for them: each version
 * matched against the group's registered people with the same engine (core `matchRoster`), and
 * the entry it pairs with them as the same person. An entry only for review is not theirs for sure:
 * it stays.
 */
async function rosterEntriesOf(tx: Tx, keys: FieldKeys, personId: string): Promise<Row[]> {
  const [person] = await tx
    .select({ groupId: t.persons.groupId })
    .from(t.persons)
    .where(eq(t.persons.id, personId));
  if (!person?.groupId) return [];
  return (await groupRosterMatches(tx, keys, person.groupId))
    .filter((m) => m.status === "registered" && m.personId === personId)
    .map((m) => m.entry);
}

export interface RosterEntryMatch {
  /** The entry, opened. */
  entry: Row;
  /** What the roster comparison makes of it against the group's registered people. */
  status: "registered" | "review" | "not_registered";
  personId: string | undefined;
}

/**
 * Every entry of every version of a group's rosters, opened, with what the roster comparison
 * (core `matchRoster`, the group's registered people) makes of it: a person's purge takes the
 * entries matched to them, retention the entries matched to no one (retention/due.ts).
 */
export async function groupRosterMatches(
  tx: Tx | Store["db"],
  keys: FieldKeys,
  groupId: string,
): Promise<RosterEntryMatch[]> {
  const entries = (
    await tx
      .select()
      .from(t.groupRosterEntries)
      .where(eq(t.groupRosterEntries.groupId, groupId))
      .orderBy(t.groupRosterEntries.version, t.groupRosterEntries.position)
  ).map((e) => openRow(keys, "group_roster_entries", rosterEntryKey(e.groupId, e.version, e.position), e));
  if (entries.length === 0) return [];
  const people = (await tx.select().from(t.persons).where(eq(t.persons.groupId, groupId))).map((p) => ({
    id: p.id,
    match: matchInputOfRow(openPersonRow(keys, p)),
  }));
  const found: RosterEntryMatch[] = [];
  for (const version of new Set(entries.map((e) => e.version))) {
    const listed = entries.filter((e) => e.version === version);
    const { entries: matched } = matchRoster(listed.map(rosterEntryInput), people);
    for (const m of matched)
      found.push({
        entry: listed[m.index]!,
        status: m.status,
        personId: m.status === "registered" ? m.personId : undefined,
      });
  }
  return found;
}

/**
 * Their roster entries, purged: names and member number. The member number becomes the marker
 * with one random suffix for all of this person's entries, so the roster's growth (member numbers
 * compared across versions) counts as before and links them to nothing.
 */
export async function purgeRosterEntries(tx: Tx, keys: FieldKeys, entries: Row[]): Promise<void> {
  const memberNumber = `${PURGED} ${randomUUID().slice(0, 8)}`;
  for (const entry of entries) {
    const key = rosterEntryKey(entry.groupId, entry.version, entry.position);
    await tx
      .update(t.groupRosterEntries)
      .set(
        sealRow(keys, "group_roster_entries", key, {
          memberNumber,
          name: PURGED_NAME,
          motherName: entry.motherName === null ? null : PURGED_NAME,
        }),
      )
      .where(personalTargets.group_roster_entries.where(entry));
  }
}

/**
 * The private parts that list them among others: the payment lists with a line of theirs and the
 * roster versions with an entry of theirs. Such a part is one whole (its commitment covers the
 * whole list), so it is purged whole; the replay rebuilds the list from the live lines and entries
 * (verify/purged-stand-ins.ts).
 */
export async function listsNaming(tx: Tx, personId: string, rosterEntries: Row[]): Promise<number[]> {
  const lists = await tx
    .select({ seq: t.paymentLists.preparedSeq })
    .from(t.paymentLists)
    .where(
      inArray(
        t.paymentLists.id,
        tx
          .select({ id: sql`${t.paymentLines.listId}` })
          .from(t.paymentLines)
          .where(eq(t.paymentLines.personId, personId)),
      ),
    );
  const rosters: number[] = [];
  for (const key of new Set(rosterEntries.map((e) => `${e.groupId}/${e.version}`))) {
    const [groupId, version] = key.split("/");
    const [roster] = await tx
      .select({ seq: t.groupRosters.seq })
      .from(t.groupRosters)
      .where(sql`${t.groupRosters.groupId} = ${groupId} and ${t.groupRosters.version} = ${Number(version)}`);
    if (roster) rosters.push(roster.seq);
  }
  return [...lists.map((l) => l.seq), ...rosters];
}

/**
 * Their photo's bytes: the stored file and who uploaded it are deleted, unless the same bytes are
 * another person's photo or a weapon's, a lot's or a handover's (it is then not theirs alone).
 */
async function deletePhoto(tx: Tx, keys: FieldKeys, personId: string, photo: unknown): Promise<number> {
  if (typeof photo !== "string" || photo === PURGED) return 0;
  const others = await tx
    .select({ id: t.persons.id })
    .from(t.persons)
    .where(sql`${t.persons.photoIndex} = ${photoIndex(keys, photo)} and ${t.persons.id} <> ${personId}`);
  if (others.length > 0) return 0;
  for (const table of [t.handovers, t.weaponItems, t.ammunitionLots]) {
    const [used] = await tx
      .select({ n: sql`1` })
      .from(table)
      .where(sql`${table.photos}::text like ${`%${photo}%`}`)
      .limit(1);
    if (used) return 0;
  }
  await tx.delete(t.fileUploads).where(eq(t.fileUploads.sha256, photo));
  return (await tx.delete(t.files).where(eq(t.files.sha256, photo)).returning({ sha256: t.files.sha256 }))
    .length;
}

/** A JSON record with each of its values purged, its keys kept (what it is built from stays apparent). */
function purgedParts(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return PURGED_NAME;
  return Object.fromEntries(
    Object.entries(value).map(([part, v]) => [part, v === null || v === undefined ? v : PURGED]),
  );
}

/** A person's correction with its personal values (those of `personalColumns.persons`) purged. */
function purgedChanges(changes: unknown): unknown {
  if (typeof changes !== "object" || changes === null) return changes;
  const encodings = personalColumns.persons as Record<string, string>;
  return Object.fromEntries(
    Object.entries(changes).map(([field, value]) => {
      if (field === "birth" && (value as { date?: unknown } | null)?.date)
        return [field, { ...(value as object), date: PURGED }];
      if (field in encodings && value !== null && value !== undefined)
        return [field, encodings[field] === "json" ? PURGED_NAME : PURGED];
      return [field, value];
    }),
  );
}

/**
 * One person's purge (a withdrawal of consent, a court order): their personal columns, payout
 * accounts' personal columns and the private parts of the events about them (found by the keyed
 * subject index) are overwritten with the purge marker, sealed as any value is, so they read as a
 * crypto-shredded value reads; their name keys go. So do the records about them (pathways, payment
 * lines, their roster entries, their review's decision…), the lists that name them among others
 * (payment lists, roster versions: purged whole) and their photo's file. The leaves and
 * commitments stay: verify reports those parts purged (docs/security.md).
 */
export async function purgePerson(
  store: Store,
  personId: string,
  by: PurgeActor,
  options: PersonPurgeOptions = {},
): Promise<PersonPurged> {
  const keys = await store.personal.keys();
  const result = await store.db.transaction(async (tx) => {
    if (options.onlyIf && !(await options.onlyIf(tx))) throw new NotPurged(personId);
    const before = await findPersonMatchInput(tx, keys, personId);
    if (!before) throw new Problem("resource.not-found", `There is no person ${personId}.`);
    // Found while their names still read: the roster entries the comparison takes for them.
    const rosterEntries = await rosterEntriesOf(tx, keys, personId);
    const wholeParts = await listsNaming(tx, personId, rosterEntries);
    // Nullable columns stay null: a null held nothing. Others take the marker.
    const [row] = await tx.select().from(t.persons).where(eq(t.persons.id, personId));
    const photos = await deletePhoto(tx, keys, personId, openPersonRow(keys, row!).photo);
    const marker = Object.fromEntries(
      Object.entries(purgedValues("persons")).filter(([c]) => (row as Record<string, unknown>)[c] !== null),
    );
    await tx
      .update(t.persons)
      .set({ ...sealRow(keys, "persons", personId, marker), nationalIdIndex: null, photoIndex: null })
      .where(eq(t.persons.id, personId));
    await unindexPersonName(tx, keys, personId, before);
    const accounts = await tx.select().from(t.payoutAccounts).where(eq(t.payoutAccounts.personId, personId));
    for (const account of accounts)
      await tx
        .update(t.payoutAccounts)
        .set(
          sealRow(
            keys,
            "payout_accounts",
            payoutAccountKey(personId, account.channel),
            purgedValues("payout_accounts"),
          ),
        )
        .where(
          sql`${t.payoutAccounts.personId} = ${personId} and ${t.payoutAccounts.channel} = ${account.channel}`,
        );
    const parts = await tx
      .select({ seq: t.eventPrivate.seq })
      .from(t.eventPrivate)
      .where(eq(t.eventPrivate.subjectIndex, subjectIndex(keys, personId)));
    const purgedSeqs = [...new Set([...parts.map((p) => p.seq), ...wholeParts])];
    await purgePrivateParts(tx, keys, purgedSeqs);
    const records = await purgeRecordsAbout(tx, keys, personId);
    await purgeRosterEntries(tx, keys, rosterEntries);
    // Their duplicate review's decision (the reviewer's words about them, sealed); its ids and
    // weights stay.
    await tx
      .update(t.duplicateReviews)
      .set(sealRow(keys, "duplicate_reviews", personId, { reason: PURGED }))
      .where(sql`${t.duplicateReviews.personId} = ${personId} and ${t.duplicateReviews.reason} is not null`);
    // The person's corrections hold their old and new personal values: overwritten the same way
    // (the other changes, such as a governorate, stay as the person's row holds them anyway).
    const corrections = await tx
      .select({ seq: t.corrections.seq, changes: t.corrections.changes })
      .from(t.corrections)
      .where(sql`${t.corrections.subjectKind} = 'person' and ${t.corrections.subjectId} = ${personId}`);
    for (const correction of corrections) {
      const changes = openRow(keys, "corrections", correction.seq, { changes: correction.changes }).changes;
      await tx
        .update(t.corrections)
        .set(sealRow(keys, "corrections", correction.seq, { changes: purgedChanges(changes) }))
        .where(eq(t.corrections.seq, correction.seq));
    }
    // In the purge's transaction: the purge and its record in the log commit or roll back together.
    await logRead(
      { db: tx },
      {
        actor: by.actor,
        role: by.role,
        action: "person.purge",
        channel: options.channel ?? "armsledger purge --person",
        subjectKind: "person",
        subjects: [personId],
        purpose: by.reason,
      },
    );
    return {
      personId,
      privateParts: purgedSeqs.length,
      payoutAccounts: accounts.length,
      records,
      rosterEntries: rosterEntries.length,
      photos,
    };
  });
  return {
    ...result,
    vacuumed: options.vacuum === false ? [] : await vacuum(store, personPurgeTables),
  };
}
