/**
 * Which fields of each event are personal. The store keeps those apart from the ledger leaf
 * (which carries only a salted commitment to them); everything else is public, so anyone
 * holding the log can recompute the published figures. Adding an event type means adding it
 * here: the store refuses an event type it does not know.
 */
export const eventPrivacy: Record<string, (data: Record<string, unknown>) => string[]> = {
  "programme.configured": () => [],
  "group.registered": () => ["liaisonOfficers"],
  "group.declared": () => [],
  "site.registered": () => [],
  "person.registered": () => [
    "personId",
    "name",
    "motherName",
    "birth",
    "nationalId",
    "photo",
    "role",
    "screening",
    "vettingFlags",
    "consent",
    // The registrations a new one resembles are other people's ids (duplicate review, issue 5).
    "duplicateMatches",
  ],
  "handover.recorded": () => [
    "personId",
    "verifyingOfficer",
    "witnesses",
    "photos",
    "notes",
    "representative",
  ],
  "custody.dispatched": () => ["escort", "countersignedBy"],
  "custody.received": () => ["countersignedBy", "photos"],
  "disposition.destroyed": () => ["operators", "witnesses", "photos", "notes"],
  "disposition.transferred_to_state": () => ["inspectors"],
  "disposition.deactivated": () => [],
  // The justification is free text and may name people, as a destruction's notes may.
  "disposition.retained": () => ["custodian", "justification"],
  "store.removed": () => ["takenBy", "note"],
  "store.returned": () => ["returnedBy"],
  "stock_check.started": () => [],
  "stock_check.recorded": () => ["countedBy", "notes"],
  "investigation.updated": () => ["note"],
  "investigation.closed": () => ["reason"],
  "discrepancy.resolved": () => ["reason"],
  // A cache's source is protected, and its exact location while weapons may still be there.
  "cache.reported": () => ["source", "location"],
  "cache.verified": () => ["findings"],
  "cache.cleared": () => [],
  // Demobilisation cards (cards slice). Which person holds a card is private, and so is every
  // link from a later event back to a card number: the number is printed on the card, and a
  // public "card X was revoked" would tell whoever saw that card. The issue leaf's public part is
  // its number (its own leaf index anyway), site and time: enough to count cards issued.
  "card.issued": () => ["personId"],
  "card.reissued": () => ["personId", "replaces", "note"],
  "card.revoked": () => ["personId", "cardNumber", "reason"],
  // pathways: a decision's reason may name people; every pathway event keeps the person, the unit
  // they serve in, numbers issued to them and the case worker's notes in its private part.
  "group.transformed": () => ["reason"],
  "group.party_recorded": () => ["reason"],
  "pathway.offered": () => ["personId", "unit", "note", "trainingCourse", "jobPlacement", "referrals"],
  "pathway.responded": () => ["personId", "reason"],
  "pathway.vetted": () => ["personId", "note"],
  "pathway.placed": () => ["personId", "serviceNumber", "unit", "membershipNumber", "placement", "note"],
  "pathway.followed_up": () => ["personId", "note"],
  "pathway.left": () => ["personId", "note"],
  "record.corrected": (data) => {
    const kind = (data.subject as { kind?: string } | undefined)?.kind;
    if (kind === "person") return ["subject", "changes", "reason", "duplicateMatches"];
    // A group's liaison officers are personal (see group.registered), so are corrections to them.
    if (kind === "group" && "liaisonOfficers" in ((data.changes as object | undefined) ?? {}))
      return ["changes", "reason"];
    return ["reason"];
  },
  // payments: who is paid and where (account or phone number) is personal; a list's counts,
  // totals and exception counts by reason are public, so anyone can check the published figures.
  "payment.schedule_set": () => [],
  "payment.account_set": () => ["personId", "account", "holder"],
  "payment.list_prepared": () => ["lines", "exceptions"],
  "payment.list_sent": () => [],
  "payment.recorded": () => ["personId", "reference", "note"],
  // The lines name references that lead to people through the list's private part; the file's
  // hash and the counts are public.
  "payment.confirmed": () => ["lines", "notes"],
  // Screening and eligibility: who was screened, what they said and any indication found are
  // personal; the decision's status and reason codes, group and governorate make public figures.
  "screening.recorded": () => ["personId", "answers", "indications", "notes"],
  "eligibility.appealed": () => ["personId", "lodgedBy", "grounds", "evidence"],
  "eligibility.appeal_decided": () => ["personId", "reason"],
  "eligibility.revoked": () => ["personId", "reason"],
  "person.death_recorded": () => ["personId", "diedOn", "source"],
  // Group rosters: the list names people; the leaf keeps only its counts and its hash.
  "roster.submitted": () => ["entries"],
  // duplicate review (issue 5): which registrations, and why, are personal.
  "duplicate.merged": () => ["personId", "intoPersonId", "reason"],
  "duplicate.dismissed": () => ["personId", "reason"],
  // Loose key parts (issue 4): why a part was taken off is a note, like a store removal's.
  "weapon.part_separated": () => ["note"],
  "weapon.part_reattached": () => ["note"],
};

export const eventTypes = Object.keys(eventPrivacy);

/** Splits an event's data into the public part (in the leaf) and the private part (committed to). */
export function splitPersonal(type: string, data: Record<string, unknown>) {
  // Own keys only: "toString" or "constructor" are not event types.
  const privacy = Object.hasOwn(eventPrivacy, type) ? eventPrivacy[type] : undefined;
  if (!privacy) throw new Error(`unknown event type ${type}: declare its personal fields in events.ts`);
  const keys = new Set(privacy(data));
  const publicPart: Record<string, unknown> = {};
  const privatePart: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (v === undefined) continue;
    (keys.has(k) ? privatePart : publicPart)[k] = v;
  }
  return { publicPart, privatePart };
}
