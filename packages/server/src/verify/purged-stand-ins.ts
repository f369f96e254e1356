// After a purge (crypto-shredding, or one person's purge) some private parts no longer open. The
// replay still rebuilds what the leaves' public parts say, and takes from the live tables only
// what the purged part held (which person a registration made, a handover's people): those
// values cannot be checked any more, everything public still is. A purged personal column
// stands in as what the live tables read for it ("[purged]", `{ purged: true }`).
import { and, asc, eq } from "drizzle-orm";
import { type FieldKeys, PURGED } from "../crypto/field-keys.ts";
import {
  followUpKey,
  openPersonRow,
  openRow,
  PURGED_NAME,
  payoutAccountKey,
  personalColumns,
  rosterEntryKey,
} from "../crypto/personal-columns.ts";
import { rosterEntryInput } from "../queries/rosters.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

type Data = Record<string, unknown>;

/** A value as the live table reads it (purged, or null): null becomes absent, as it was written. */
function asRead(value: unknown): unknown {
  return value ?? undefined;
}

/**
 * Is a value what a purge leaves: nothing, the marker ("[purged]", `{ purged: true }`), or a
 * record purged part by part (its parts the marker or nothing: crypto/purge.ts `purgedParts`)?
 */
export function holdsNothing(value: unknown): boolean {
  if (value === null || value === undefined || value === PURGED) return true;
  if (typeof value !== "object" || Array.isArray(value)) return false;
  if (JSON.stringify(value) === JSON.stringify(PURGED_NAME)) return true;
  const parts = Object.values(value);
  return parts.length > 0 && parts.every((part) => part === null || part === undefined || part === PURGED);
}

/**
 * A personal value of the purged person's records as a purged part can explain it: what a purge
 * leaves (the marker, a record purged part by part, nothing). A readable one is not explained by
 * a purged part: it stands in purged, so the comparison names the value written back.
 */
function purged(value: unknown): unknown {
  if (holdsNothing(value)) return value;
  return typeof value === "string" ? PURGED : PURGED_NAME;
}

/** The only person an event touched, from the live record trail (kind "person" at its seq). */
async function touchedPerson(live: Store, seq: number): Promise<string | undefined> {
  const rows = await live.db
    .select({ id: t.recordHistory.id })
    .from(t.recordHistory)
    .where(and(eq(t.recordHistory.seq, seq), eq(t.recordHistory.kind, "person")));
  return rows.length === 1 ? rows[0]!.id : undefined;
}

type StandIn = (live: Store, seq: number, publicPart: Data) => Promise<Data | undefined>;

/** Each event type about one person whose projection keeps more of its private part than the person. */
const personEventStandIns: Record<string, StandIn> = {
  "screening.recorded": async (live, seq) => {
    const [row] = await live.db.select().from(t.screenings).where(eq(t.screenings.seq, seq));
    if (!row) return undefined;
    const open = openRow(await live.personal.keys(), "screenings", row.id, row);
    return {
      personId: row.personId,
      answers: purged(open.answers),
      indications: purged(open.indications),
      notes: asRead(purged(open.notes)),
    };
  },
  "eligibility.appealed": async (live, seq) => {
    const [row] = await live.db
      .select()
      .from(t.eligibilityAppeals)
      .where(eq(t.eligibilityAppeals.lodgedSeq, seq));
    if (!row) return undefined;
    const open = openRow(await live.personal.keys(), "eligibility_appeals", row.id, row);
    return {
      personId: row.personId,
      lodgedBy: purged(open.lodgedBy),
      grounds: purged(open.grounds),
      evidence: purged(open.evidence),
    };
  },
  "eligibility.appeal_decided": async (live, seq) => {
    const [row] = await live.db
      .select()
      .from(t.eligibilityAppeals)
      .where(eq(t.eligibilityAppeals.decidedSeq, seq));
    if (!row) return undefined;
    const open = openRow(await live.personal.keys(), "eligibility_appeals", row.id, row);
    return { personId: row.personId, reason: purged(open.decisionReason) };
  },
  "eligibility.revoked": async (live, seq) => {
    const [row] = await live.db
      .select()
      .from(t.eligibilityRevocations)
      .where(eq(t.eligibilityRevocations.seq, seq));
    if (!row) return undefined;
    const open = openRow(await live.personal.keys(), "eligibility_revocations", seq, row);
    return { personId: row.personId, reason: purged(open.reason) };
  },
  // The source of the news is kept nowhere but the purged part.
  "person.death_recorded": async (live, seq) => {
    const personId = await touchedPerson(live, seq);
    if (!personId) return undefined;
    const [row] = await live.db
      .select({ deceasedOn: t.persons.deceasedOn })
      .from(t.persons)
      .where(eq(t.persons.id, personId));
    return { personId, diedOn: asRead(row?.deceasedOn) };
  },
  // Cards: who holds them and which card a reissue replaced; a reissue's note and a revocation's
  // reason are kept nowhere but the purged part.
  "card.reissued": async (live, seq) => {
    const [row] = await live.db
      .select()
      .from(t.demobilisationCards)
      .where(eq(t.demobilisationCards.issuedSeq, seq));
    return row ? { personId: row.personId, replaces: asRead(row.replaces) } : undefined;
  },
  "card.revoked": async (live, seq) => {
    const [touched] = await live.db
      .select({ id: t.recordHistory.id })
      .from(t.recordHistory)
      .where(and(eq(t.recordHistory.seq, seq), eq(t.recordHistory.kind, "card")));
    if (!touched) return undefined;
    const [row] = await live.db
      .select({ personId: t.demobilisationCards.personId })
      .from(t.demobilisationCards)
      .where(eq(t.demobilisationCards.number, touched.id));
    return row ? { personId: row.personId, cardNumber: touched.id } : undefined;
  },
  // Pathways: what the live row holds of each step (a vetting's and a leaving's notes are kept
  // nowhere but the purged part).
  "pathway.offered": async (live, _seq, publicPart) => {
    const row = await livePathway(live, publicPart);
    if (!row) return undefined;
    const offer = (row.offer ?? {}) as Record<string, unknown>;
    return {
      personId: row.personId,
      unit: asRead(purged(row.unit)),
      note: purged(offer.note),
      trainingCourse: purged(offer.trainingCourse),
      jobPlacement: purged(offer.jobPlacement),
      referrals: purged(offer.referrals),
    };
  },
  "pathway.responded": async (live, _seq, publicPart) => {
    const row = await livePathway(live, publicPart);
    return row ? { personId: row.personId, reason: asRead(purged(row.declineReason)) } : undefined;
  },
  "pathway.vetted": async (live, _seq, publicPart) => {
    const row = await livePathway(live, publicPart);
    return row ? { personId: row.personId } : undefined;
  },
  "pathway.placed": async (live, _seq, publicPart) => {
    const row = await livePathway(live, publicPart);
    if (!row) return undefined;
    return {
      personId: row.personId,
      unit: asRead(purged(row.unit)),
      serviceNumber: asRead(purged(row.serviceNumber)),
      membershipNumber: asRead(purged(row.membershipNumber)),
      placement: asRead(purged(row.placement)),
    };
  },
  "pathway.followed_up": async (live, seq, publicPart) => {
    const row = await livePathway(live, publicPart);
    if (!row) return undefined;
    const [followUp] = await live.db
      .select()
      .from(t.pathwayFollowUps)
      .where(and(eq(t.pathwayFollowUps.pathwayId, row.id), eq(t.pathwayFollowUps.seq, seq)));
    const note = followUp
      ? openRow(await live.personal.keys(), "pathway_follow_ups", followUpKey(row.id, seq), followUp).note
      : undefined;
    return { personId: row.personId, note: asRead(purged(note)) };
  },
  "pathway.left": async (live, _seq, publicPart) => {
    const row = await livePathway(live, publicPart);
    return row ? { personId: row.personId } : undefined;
  },
  // Payments: the account as the live table holds it (a later change of account wins there, and
  // in the replay); a payment's reference.
  "payment.account_set": async (live, seq, publicPart) => {
    const personId = await touchedPerson(live, seq);
    if (!personId) return undefined;
    const channel = String(publicPart.channel);
    const [row] = await live.db
      .select()
      .from(t.payoutAccounts)
      .where(and(eq(t.payoutAccounts.personId, personId), eq(t.payoutAccounts.channel, channel)));
    if (!row) return { personId };
    const open = openRow(
      await live.personal.keys(),
      "payout_accounts",
      payoutAccountKey(personId, channel),
      row,
    );
    return { personId, account: purged(open.account), holder: asRead(purged(open.holder)) };
  },
  "payment.recorded": async (live, seq) => {
    const [row] = await live.db.select().from(t.paymentLines).where(eq(t.paymentLines.createdSeq, seq));
    return row ? { personId: row.personId, reference: row.reference } : undefined;
  },
  // A person's correction: its changes to personal columns as the live record reads them (purged);
  // its other changes (sex, governorate, group, birth year…) as the corrections table keeps them.
  "record.corrected": async (live, seq) => {
    const [row] = await live.db.select().from(t.corrections).where(eq(t.corrections.seq, seq));
    if (!row) return undefined;
    // The reason is kept nowhere but the purged part; nothing the replay builds reads it.
    if (row.subjectKind === "group") return groupCorrection(live, seq, row);
    if (row.subjectKind !== "person") return { reason: PURGED };
    const keys = await live.personal.keys();
    const opened = openRow(keys, "corrections", seq, { changes: row.changes }).changes as Data;
    const [sealed] = await live.db.select().from(t.persons).where(eq(t.persons.id, row.subjectId));
    const person = sealed ? (openPersonRow(keys, sealed) as Data) : {};
    const changes: Data = {};
    // Crypto-shredded (the emergency purge): which fields it changed went with the key.
    if (isShredded(keys, row.changes)) Object.assign(changes, shreddedPersonChanges(person));
    else
      for (const [field, value] of Object.entries(opened ?? {})) {
        if (field === "birth")
          changes.birth = {
            ...(value as Data),
            date: asRead(purged(person.birthDate)) ?? (value as Data).date,
          };
        else if (field in personalColumns.persons) changes[field] = purged(person[field]) ?? value;
        else changes[field] = value;
      }
    const [review] = await live.db
      .select({ matches: t.duplicateReviews.matches, openedSeq: t.duplicateReviews.openedSeq })
      .from(t.duplicateReviews)
      .where(eq(t.duplicateReviews.personId, row.subjectId));
    return {
      subject: { kind: "person", id: row.subjectId },
      changes,
      reason: PURGED,
      ...(review?.openedSeq === seq ? { duplicateMatches: review.matches } : {}),
    };
  },
  "duplicate.dismissed": async (live, seq) => duplicateDecision(live, seq),
  "duplicate.merged": async (live, seq) => duplicateDecision(live, seq),
};

/** The fields a group's correction may change (core record-correct), as the live group holds them. */
const groupCorrectable = ["name", "aliases", "governorates", "units", "liaisonOfficers"] as const;

/**
 * A group's correction. Its changes are public in its leaf unless they touch the liaison
 * officers (then sealed in the row, private in the event, and purged only by crypto-shredding):
 * which fields it changed went with the key, so it stands in as every correctable field as the
 * live group reads (the liaison officers purged), as a person's shredded correction does.
 */
async function groupCorrection(live: Store, seq: number, row: { subjectId: string; changes: unknown }) {
  if (typeof row.changes !== "string") return { reason: PURGED };
  const keys = await live.personal.keys();
  const sealedChanges: unknown = row.changes;
  const opened = openRow(keys, "corrections", seq, { changes: sealedChanges }).changes as Data;
  if (!isShredded(keys, row.changes)) return { changes: opened, reason: PURGED };
  const [sealed] = await live.db.select().from(t.armedGroups).where(eq(t.armedGroups.id, row.subjectId));
  if (!sealed) return { reason: PURGED };
  const group = openRow(keys, "armed_groups", sealed.id, sealed);
  const current: Data = { ...group, name: { ar: group.nameAr, en: group.nameEn } };
  const changes: Data = {};
  for (const field of groupCorrectable)
    changes[field] = field === "liaisonOfficers" ? purged(current[field]) : current[field];
  return { changes, reason: PURGED };
}

/** Is this sealed value's data key destroyed (crypto-shredded, not one person's purge)? */
function isShredded(keys: FieldKeys, sealed: unknown): boolean {
  return typeof sealed === "string" && keys.isPurged(sealed);
}

/** The fields a person's correction may change (core record-correct) that are plain columns. */
const plainCorrectable = ["kind", "sex", "governorate", "groupId", "listedByGroup"] as const;

/**
 * A crypto-shredded person correction, as the live person reads: every field a correction may
 * change, its personal ones purged (as the registration's stand-in has them already) and its plain
 * ones as the live row holds them, which the purged part alone could have explained. The
 * correction's own row keeps its changes sealed under the destroyed key: not compared (compare.ts).
 */
function shreddedPersonChanges(person: Data): Data {
  const changes: Data = {};
  for (const field of ["name", "motherName", "role", "nationalId", "photo"])
    if (person[field] !== null && person[field] !== undefined) changes[field] = purged(person[field]);
  // A birth year is kept beside a purged date; with neither, the correction set none.
  if (person.birthYear !== null || person.birthDate === null)
    changes.birth = { date: asRead(purged(person.birthDate)), year: asRead(person.birthYear) };
  for (const field of plainCorrectable) changes[field] = person[field];
  return changes;
}

async function livePathway(live: Store, publicPart: Data) {
  const [row] = await live.db
    .select()
    .from(t.pathways)
    .where(eq(t.pathways.id, String(publicPart.pathwayId)));
  return row ? openRow(await live.personal.keys(), "pathways", row.id, row) : undefined;
}

async function duplicateDecision(live: Store, seq: number): Promise<Data | undefined> {
  const [row] = await live.db.select().from(t.duplicateReviews).where(eq(t.duplicateReviews.decidedSeq, seq));
  if (!row) return undefined;
  const { reason } = openRow(await live.personal.keys(), "duplicate_reviews", row.personId, {
    reason: row.reason,
  });
  return {
    personId: row.personId,
    reason: asRead(reason),
    ...(row.mergedInto ? { intoPersonId: row.mergedInto } : {}),
  };
}

/** Per event type: the private part rebuilt from the live tables. */
const standIns: Record<string, StandIn> = {
  "person.registered": async (live, seq) => {
    const [sealed] = await live.db.select().from(t.persons).where(eq(t.persons.registeredSeq, seq));
    if (!sealed) return undefined;
    const row = openPersonRow(await live.personal.keys(), sealed);
    const [review] = await live.db
      .select({ matches: t.duplicateReviews.matches, openedSeq: t.duplicateReviews.openedSeq })
      .from(t.duplicateReviews)
      .where(eq(t.duplicateReviews.personId, row.id));
    return {
      personId: row.id,
      name: purged(row.name) ?? PURGED_NAME,
      motherName: asRead(purged(row.motherName)),
      birth: { date: asRead(purged(row.birthDate)), year: row.birthYear ?? undefined },
      nationalId: asRead(purged(row.nationalId)),
      photo: asRead(purged(row.photo)),
      role: asRead(purged(row.role)),
      screening: purged(row.screening),
      vettingFlags: purged(row.vettingFlags),
      consent: purged(row.consent),
      ...(review?.openedSeq === seq ? { duplicateMatches: review.matches } : {}),
    };
  },
  "handover.recorded": async (live, _seq, publicPart) => {
    const [row] = await live.db
      .select()
      .from(t.handovers)
      .where(eq(t.handovers.id, String(publicPart.handoverId)));
    if (!row) return undefined;
    // Sealed: opened, or the stand-in would carry the ciphertext. The people it names other than
    // the person are theirs to keep through one person's purge (crypto/purge.ts), so as they read.
    const open = openRow(await live.personal.keys(), "handovers", row.id, row);
    return {
      personId: row.personId ?? undefined,
      representative: asRead(open.representative),
      verifyingOfficer: open.verifyingOfficer,
      witnesses: open.witnesses,
      photos: row.photos,
      notes: asRead(purged(open.notes)),
    };
  },
  "group.registered": async (live, _seq, publicPart) => {
    const [row] = await live.db
      .select({ id: t.armedGroups.id, liaisonOfficers: t.armedGroups.liaisonOfficers })
      .from(t.armedGroups)
      .where(eq(t.armedGroups.id, String(publicPart.groupId)));
    return row
      ? { liaisonOfficers: openRow(await live.personal.keys(), "armed_groups", row.id, row).liaisonOfficers }
      : undefined;
  },
  // Lists that name many people, purged whole when one of them was purged (crypto/purge.ts): each
  // line or entry as the live table reads it (the purged person's purged, everyone else's as kept).
  "payment.list_prepared": async (live, seq, publicPart) => {
    const listId = String(publicPart.listId);
    const keys = await live.personal.keys();
    const lines = await live.db
      .select()
      .from(t.paymentLines)
      .where(and(eq(t.paymentLines.listId, listId), eq(t.paymentLines.createdSeq, seq)))
      .orderBy(asc(t.paymentLines.reference));
    const exceptions = await live.db
      .select({ personId: t.paymentExceptions.personId, reasons: t.paymentExceptions.reasons })
      .from(t.paymentExceptions)
      .where(eq(t.paymentExceptions.listId, listId))
      .orderBy(asc(t.paymentExceptions.personId));
    return {
      lines: lines.map((sealed) => {
        const line = openRow(keys, "payment_lines", sealed.reference, sealed);
        return {
          reference: line.reference,
          personId: line.personId,
          amountMinor: line.amountMinor,
          account: line.account,
          holder: asRead(line.holder),
        };
      }),
      exceptions,
    };
  },
  "roster.submitted": async (live, _seq, publicPart) => {
    const groupId = String(publicPart.groupId);
    const version = Number(publicPart.version);
    const keys = await live.personal.keys();
    const entries = await live.db
      .select()
      .from(t.groupRosterEntries)
      .where(and(eq(t.groupRosterEntries.groupId, groupId), eq(t.groupRosterEntries.version, version)))
      .orderBy(asc(t.groupRosterEntries.position));
    return {
      entries: entries.map((e) =>
        rosterEntryInput(
          openRow(keys, "group_roster_entries", rosterEntryKey(groupId, version, e.position), e),
        ),
      ),
    };
  },
  ...personEventStandIns,
};

/**
 * The stand-in for a purged private part: built from the live tables for the event types that
 * know how, else only the person the event touched (events whose projection needs more of the
 * purged part then fail to replay, and their rows are named as differences).
 */
export async function purgedStandIn(live: Store, seq: number, type: string, publicPart: Data): Promise<Data> {
  const known = Object.hasOwn(standIns, type) ? await standIns[type]!(live, seq, publicPart) : undefined;
  if (known) return known;
  const personId = await touchedPerson(live, seq);
  return personId ? { personId } : {};
}
