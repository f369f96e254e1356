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
  "record.corrected": (data) => {
    const kind = (data.subject as { kind?: string } | undefined)?.kind;
    if (kind === "person") return ["subject", "changes", "reason"];
    // A group's liaison officers are personal (see group.registered), so are corrections to them.
    if (kind === "group" && "liaisonOfficers" in ((data.changes as object | undefined) ?? {}))
      return ["changes", "reason"];
    return ["reason"];
  },
  // duplicate review (issue 5): which registrations, and why, are personal.
  "duplicate.merged": () => ["personId", "intoPersonId", "reason"],
  "duplicate.dismissed": () => ["personId", "reason"],
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
