// After a purge (crypto-shredding, or one person's purge) some private parts no longer open. The
// replay still rebuilds what the leaves' public parts say, and takes from the live tables only
// what the purged part held (which person a registration made, a handover's people): those
// values cannot be checked any more, everything public still is. A purged personal column
// stands in as what the live tables read for it ("[purged]", `{ purged: true }`).
import { and, asc, eq } from "drizzle-orm";
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
      answers: open.answers,
      indications: open.indications,
      notes: asRead(open.notes),
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
      lodgedBy: open.lodgedBy,
      grounds: open.grounds,
      evidence: open.evidence,
    };
  },
  "eligibility.appeal_decided": async (live, seq) => {
    const [row] = await live.db
      .select()
      .from(t.eligibilityAppeals)
      .where(eq(t.eligibilityAppeals.decidedSeq, seq));
    if (!row) return undefined;
    const open = openRow(await live.personal.keys(), "eligibility_appeals", row.id, row);
    return { personId: row.personId, reason: open.decisionReason };
  },
  "eligibility.revoked": async (live, seq) => {
    const [row] = await live.db
      .select()
      .from(t.eligibilityRevocations)
      .where(eq(t.eligibilityRevocations.seq, seq));
    if (!row) return undefined;
    const open = openRow(await live.personal.keys(), "eligibility_revocations", seq, row);
    return { personId: row.personId, reason: open.reason };
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
      unit: asRead(row.unit),
      note: offer.note,
      trainingCourse: offer.trainingCourse,
      jobPlacement: offer.jobPlacement,
      referrals: offer.referrals,
    };
  },
  "pathway.responded": async (live, _seq, publicPart) => {
    const row = await livePathway(live, publicPart);
    return row ? { personId: row.personId, reason: asRead(row.declineReason) } : undefined;
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
      unit: asRead(row.unit),
      serviceNumber: asRead(row.serviceNumber),
      membershipNumber: asRead(row.membershipNumber),
      placement: asRead(row.placement),
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
    return { personId: row.personId, note: asRead(note) };
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
    return { personId, account: open.account, holder: asRead(open.holder) };
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
    if (row.subjectKind !== "person") return { reason: row.reason };
    const keys = await live.personal.keys();
    const opened = openRow(keys, "corrections", seq, { changes: row.changes }).changes as Data;
    // Crypto-shredded: the changes are gone with the key; the replay cannot rebuild it (named).
    if (opened?.purged === true) return undefined;
    const [sealed] = await live.db.select().from(t.persons).where(eq(t.persons.id, row.subjectId));
    const person = sealed ? (openPersonRow(keys, sealed) as Data) : {};
    const changes: Data = {};
    for (const [field, value] of Object.entries(opened ?? {})) {
      if (field === "birth")
        changes.birth = { ...(value as Data), date: asRead(person.birthDate) ?? (value as Data).date };
      else if (field in personalColumns.persons) changes[field] = person[field] ?? value;
      else changes[field] = value;
    }
    const [review] = await live.db
      .select({ matches: t.duplicateReviews.matches, openedSeq: t.duplicateReviews.openedSeq })
      .from(t.duplicateReviews)
      .where(eq(t.duplicateReviews.personId, row.subjectId));
    return {
      subject: { kind: "person", id: row.subjectId },
      changes,
      reason: row.reason,
      ...(review?.openedSeq === seq ? { duplicateMatches: review.matches } : {}),
    };
  },
  "duplicate.dismissed": async (live, seq) => duplicateDecision(live, seq),
  "duplicate.merged": async (live, seq) => duplicateDecision(live, seq),
};

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
  return {
    personId: row.personId,
    reason: asRead(row.reason),
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
      name: row.name ?? PURGED_NAME,
      motherName: asRead(row.motherName),
      birth: { date: asRead(row.birthDate), year: row.birthYear ?? undefined },
      nationalId: asRead(row.nationalId),
      photo: asRead(row.photo),
      role: row.role ?? undefined,
      screening: row.screening,
      vettingFlags: row.vettingFlags,
      consent: row.consent,
      ...(review?.openedSeq === seq ? { duplicateMatches: review.matches } : {}),
    };
  },
  "handover.recorded": async (live, _seq, publicPart) => {
    const [row] = await live.db
      .select()
      .from(t.handovers)
      .where(eq(t.handovers.id, String(publicPart.handoverId)));
    if (!row) return undefined;
    return {
      personId: row.personId ?? undefined,
      representative: row.representative ?? undefined,
      verifyingOfficer: row.verifyingOfficer,
      witnesses: row.witnesses,
      photos: row.photos,
      // Sealed: opened, or the stand-in would carry the ciphertext as the notes.
      notes: asRead(openRow(await live.personal.keys(), "handovers", row.id, { notes: row.notes }).notes),
    };
  },
  "group.registered": async (live, _seq, publicPart) => {
    const [row] = await live.db
      .select({ liaisonOfficers: t.armedGroups.liaisonOfficers })
      .from(t.armedGroups)
      .where(eq(t.armedGroups.id, String(publicPart.groupId)));
    return row ? { liaisonOfficers: row.liaisonOfficers } : undefined;
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
