// After a purge (crypto-shredding, or one person's purge) some private parts no longer open. The
// replay still rebuilds what the leaves' public parts say, and takes from the live tables only
// what the purged part held (which person a registration made, a handover's people): those
// values cannot be checked any more, everything public still is. A purged personal column
// stands in as what the live tables read for it ("[purged]", `{ purged: true }`).
import { and, eq } from "drizzle-orm";
import { openPersonRow, PURGED_NAME } from "../crypto/personal-columns.ts";
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
      notes: row.notes ?? undefined,
    };
  },
  "group.registered": async (live, _seq, publicPart) => {
    const [row] = await live.db
      .select({ liaisonOfficers: t.armedGroups.liaisonOfficers })
      .from(t.armedGroups)
      .where(eq(t.armedGroups.id, String(publicPart.groupId)));
    return row ? { liaisonOfficers: row.liaisonOfficers } : undefined;
  },
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
