import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/** Raw bytes (tiles). pg answers Buffers and PGlite Uint8Arrays; both are Uint8Arrays. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
});

/**
 * A personal column (crypto/personal-columns.ts): stored as the text of its ciphertext, typed
 * `unknown` in the code since readers open it into the JSON it held (a name).
 */
const sealed = customType<{ data: unknown; driverData: string }>({
  dataType: () => "text",
  toDriver: (value) => value as string,
});

const seq = (name: string) => bigint(name, { mode: "number" });
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });

// ---------------------------------------------------------------------------------------------
// The ledger. `events` is append-only (a trigger refuses UPDATE, DELETE and TRUNCATE); `seq` is
// the leaf index, handed out densely under the row lock on `ledger_state`, so a rolled-back
// command never leaves a gap in the log.
// ---------------------------------------------------------------------------------------------

export const ledgerState = pgTable(
  "ledger_state",
  {
    id: smallint("id").primaryKey().default(1),
    size: seq("size").notNull().default(0),
  },
  (t) => [check("ledger_state_single_row", sql`${t.id} = 1`)],
);

export const events = pgTable("events", {
  seq: seq("seq").primaryKey(),
  commandId: uuid("command_id").notNull().unique(),
  /** SHA-256 of the command as sent, so a reused id with another body is refused, not answered. */
  commandHash: text("command_hash").notNull(),
  actor: text("actor").notNull(),
  recordedAt: at("recorded_at").notNull(),
  type: text("type").notNull(),
  /** The leaf: RFC 8785 canonical JSON of the public event, with a commitment to the private part. */
  entry: text("entry").notNull(),
  leafHash: text("leaf_hash").notNull(),
});

/** The personal part of each event and the salt of its commitment. Kept apart so it can be encrypted and purged. */
export const eventPrivate = pgTable(
  "event_private",
  {
    seq: seq("seq")
      .primaryKey()
      .references(() => events.seq),
    salt: text("salt").notNull(),
    /** The private part's canonical JSON, encrypted (crypto/field-keys.ts), bound to its seq. */
    data: text("data").notNull(),
    /**
     * A keyed blind index of the person the part names (`keys.blindIndex("subject", personId)`):
     * a person's purge finds the events about them without a plain person id beside the events.
     */
    subjectIndex: text("subject_index"),
  },
  (t) => [index("event_private_subject").on(t.subjectIndex)],
);

/**
 * The Merkle tree as C2SP tlog-tiles: one row per tile, its hashes growing until the tile is full
 * (width 256), after which it never changes. A partial tile `.p/W` is the first W hashes.
 */
export const logTiles = pgTable(
  "log_tiles",
  {
    level: smallint("level").notNull(),
    index: bigint("idx", { mode: "number" }).notNull(),
    width: smallint("width").notNull(),
    data: bytea("data").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.level, t.index] }),
    check("log_tiles_width", sql`${t.width} between 1 and 256`),
  ],
);

/** Signed checkpoints (C2SP tlog-checkpoint notes), one per tree size the log committed to. */
export const checkpoints = pgTable("checkpoints", {
  size: seq("size").primaryKey(),
  rootHash: text("root_hash").notNull(),
  note: text("note").notNull(),
  issuedAt: at("issued_at").notNull(),
});

/** Witness cosignature lines (C2SP tlog-cosignature) received for a checkpoint. */
export const cosignatures = pgTable(
  "cosignatures",
  {
    size: seq("size").notNull(),
    witness: text("witness").notNull(),
    line: text("line").notNull(),
    receivedAt: at("received_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.size, t.witness] })],
);

// ---------------------------------------------------------------------------------------------
// Projections: what screens, searches and reports read. Written only by projections/*.ts, in the
// same transaction as the event; rebuilt by replaying the ledger.
// ---------------------------------------------------------------------------------------------

/** Which events touched which record: the trail of any item or person. */
export const recordHistory = pgTable(
  "record_history",
  {
    kind: text("kind").notNull(),
    id: text("id").notNull(),
    seq: seq("seq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.id, t.seq] }), index("record_history_seq").on(t.seq)],
);

export const programme = pgTable(
  "programme",
  {
    id: smallint("id").primaryKey().default(1),
    config: jsonb("config").notNull(),
    configuredSeq: seq("configured_seq").notNull(),
  },
  (t) => [check("programme_single_row", sql`${t.id} = 1`)],
);

export const armedGroups = pgTable("armed_groups", {
  id: uuid("id").primaryKey(),
  code: text("code").notNull().unique(),
  nameAr: text("name_ar").notNull(),
  nameEn: text("name_en").notNull(),
  aliases: jsonb("aliases").notNull(),
  umbrellaId: uuid("umbrella_id"),
  governorates: jsonb("governorates").notNull(),
  units: jsonb("units").notNull(),
  liaisonOfficers: jsonb("liaison_officers").notNull(),
  registeredSeq: seq("registered_seq").notNull(),
  updatedSeq: seq("updated_seq").notNull(),
  // pathways: the group's current status (history in group_status_history) and the party it became
  // (history in group_party_history). A group is armed as registered.
  status: text("status").notNull().default("armed"),
  statusDecidedOn: date("status_decided_on", { mode: "string" }),
  partyNameAr: text("party_name_ar"),
  partyNameEn: text("party_name_en"),
  /** applied, registered, refused or dissolved; null while no party was applied for. */
  partyStatus: text("party_status"),
  partyStatusOn: date("party_status_on", { mode: "string" }),
});

export const groupDeclarations = pgTable(
  "group_declarations",
  {
    groupId: uuid("group_id").notNull(),
    version: integer("version").notNull(),
    asOf: date("as_of", { mode: "string" }).notNull(),
    men: integer("men").notNull(),
    women: integer("women").notNull(),
    boys: integer("boys").notNull(),
    girls: integer("girls").notNull(),
    arsenal: jsonb("arsenal").notNull(),
    declaredCaches: integer("declared_caches").notNull(),
    note: text("note"),
    seq: seq("seq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.version] })],
);

// Group rosters: every version a group submitted (a new one replaces the old for comparison; all
// are kept). The counts are public (they are in the leaf); the entries name people.
export const groupRosters = pgTable(
  "group_rosters",
  {
    groupId: uuid("group_id").notNull(),
    version: integer("version").notNull(),
    submittedOn: date("submitted_on", { mode: "string" }).notNull(),
    entryCount: integer("entry_count").notNull(),
    added: integer("added").notNull(),
    removed: integer("removed").notNull(),
    entriesHash: text("entries_hash").notNull(),
    seq: seq("seq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.version] })],
);

export const groupRosterEntries = pgTable(
  "group_roster_entries",
  {
    groupId: uuid("group_id").notNull(),
    version: integer("version").notNull(),
    /** Position in the submitted list (0-based), as the group ordered it. */
    position: integer("position").notNull(),
    // Encrypted under the data key (the JSON of the names).
    memberNumber: text("member_number").notNull(),
    name: sealed("name").notNull(),
    motherName: sealed("mother_name"),
    birthYear: integer("birth_year"),
    sex: text("sex"),
    governorate: text("governorate"),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.version, t.position] })],
);

export const sites = pgTable("sites", {
  id: uuid("id").primaryKey(),
  code: text("code").notNull().unique(),
  kind: text("kind").notNull(),
  nameAr: text("name_ar").notNull(),
  nameEn: text("name_en").notNull(),
  governorate: text("governorate").notNull(),
  lat: doublePrecision("lat").notNull(),
  lon: doublePrecision("lon").notNull(),
  registeredSeq: seq("registered_seq").notNull(),
  updatedSeq: seq("updated_seq").notNull(),
});

export const persons = pgTable(
  "persons",
  {
    id: uuid("id").primaryKey(),
    siteId: uuid("site_id").notNull(),
    kind: text("kind").notNull(),
    // Personal columns are encrypted under the data key (crypto/, docs/security.md): the JSON of
    // the name, the mother's name, the day of birth, the national id and the photo.
    name: sealed("name").notNull(),
    motherName: sealed("mother_name"),
    birthDate: text("birth_date"),
    birthYear: integer("birth_year"),
    sex: text("sex").notNull(),
    governorate: text("governorate").notNull(),
    groupId: uuid("group_id"),
    role: text("role"),
    nationalId: text("national_id"),
    /** Keyed blind index of the national id (HMAC under the blind-index key): exact lookups only. */
    nationalIdIndex: text("national_id_index"),
    /** Keyed blind index of the photo's SHA-256 (crypto/personal-columns.ts photoIndex). */
    photoIndex: text("photo_index"),
    photo: text("photo"),
    listedByGroup: boolean("listed_by_group").notNull(),
    // Encrypted too: the registration's screening answers, vetting flags and consent.
    screening: sealed("screening").notNull(),
    vettingFlags: sealed("vetting_flags").notNull(),
    consent: sealed("consent").notNull(),
    registeredOn: date("registered_on", { mode: "string" }).notNull(),
    ageGroup: text("age_group").notNull(),
    eligible: boolean("eligible").notNull().default(false),
    // Standing (rules/person-standing.ts): what a card, a payment or a placement asks first.
    eligibilityRevoked: boolean("eligibility_revoked").notNull().default(false),
    deceasedOn: date("deceased_on", { mode: "string" }),
    duplicateReview: text("duplicate_review").notNull().default("none"),
    registeredSeq: seq("registered_seq").notNull(),
    updatedSeq: seq("updated_seq").notNull(),
  },
  (t) => [
    index("persons_group").on(t.groupId),
    index("persons_site").on(t.siteId),
    index("persons_national_id").on(t.nationalIdIndex),
    index("persons_photo").on(t.photoIndex),
  ],
);

export const handovers = pgTable(
  "handovers",
  {
    id: uuid("id").primaryKey(),
    seq: seq("seq").notNull().unique(),
    receiptNumber: text("receipt_number").notNull().unique(),
    siteId: uuid("site_id").notNull(),
    handedAt: at("handed_at").notNull(),
    /** person, group, or cache (an extraction operation from cacheId). */
    fromKind: text("from_kind").notNull(),
    personId: uuid("person_id"),
    /** The cache report an extraction operation collected from. */
    cacheId: uuid("cache_id"),
    groupId: uuid("group_id"),
    governorate: text("governorate").notNull(),
    representative: text("representative"),
    receivingOfficer: text("receiving_officer").notNull(),
    verifyingOfficer: jsonb("verifying_officer").notNull(),
    witnesses: jsonb("witnesses").notNull(),
    photos: jsonb("photos").notNull(),
    /** Free text about the handover (encrypted: it may name or describe the person). */
    notes: text("notes"),
    eligibilityStatus: text("eligibility_status").notNull(),
    eligibilityReasons: jsonb("eligibility_reasons").notNull(),
  },
  (t) => [
    index("handovers_person").on(t.personId),
    index("handovers_site").on(t.siteId),
    index("handovers_cache").on(t.cacheId),
    // Everything the dashboard and the balance read of a handover beside its items, so that
    // PostgreSQL can join the items to it from indexes alone (an index-only merge join) instead of
    // reading both tables' wide rows: the balance's weapons 125 → 62 ms on national-size tables.
    index("handovers_places").on(t.id, t.groupId, t.governorate, t.siteId, t.handedAt),
  ],
);

/**
 * What weapon items and ammunition lots share: where they were collected and their custody —
 * exactly one state, the holder and the place in the store; an open discrepancy flags them.
 */
const custodyColumns = () => ({
  siteId: uuid("site_id").notNull(),
  state: text("state").notNull().default("in_custody"),
  holderSiteId: uuid("holder_site_id").notNull(),
  location: jsonb("location"),
  transferId: uuid("transfer_id"),
  /** When the holder took it into custody (handover, receipt, return, found): nothing it does can come before. */
  custodySince: at("custody_since"),
  flagged: boolean("flagged").notNull().default(false),
  updatedSeq: seq("updated_seq").notNull(),
});

export const weaponItems = pgTable(
  "weapon_items",
  {
    id: uuid("id").primaryKey(),
    tag: text("tag").notNull().unique(),
    handoverId: uuid("handover_id").notNull(),
    seq: seq("seq").notNull(),
    position: integer("position").notNull(),
    category: text("category").notNull(),
    type: text("type").notNull(),
    make: text("make"),
    model: text("model"),
    calibre: text("calibre"),
    serial: text("serial"),
    /** make|model|serial folded for comparison; null when no serial can be read. */
    serialKey: text("serial_key"),
    /**
     * make|model|serial with look-alike characters read as digits (O→0, I/L→1…): weapons sharing
     * it but not serial_key are flagged as near-duplicate serials (rules/serial.ts); null with no serial.
     */
    nearSerialKey: text("near_serial_key"),
    noReadableSerial: boolean("no_readable_serial").notNull(),
    componentSerials: jsonb("component_serials").notNull(),
    countryOfManufacture: text("country_of_manufacture"),
    yearOfManufacture: integer("year_of_manufacture"),
    markings: jsonb("markings").notNull(),
    alteredMarks: boolean("altered_marks").notNull(),
    condition: text("condition").notNull(),
    serviceable: boolean("serviceable").notNull(),
    photos: jsonb("photos").notNull(),
    source: text("source").notNull(),
    listCheck: text("list_check").notNull(),
    ...custodyColumns(),
  },
  (t) => [
    index("weapon_items_serial_key").on(t.serialKey),
    index("weapon_items_near_serial_key").on(t.nearSerialKey),
    // With what the dashboard and the balance count the items by (handovers_places says why).
    index("weapon_items_handover").on(t.handoverId, t.category, t.state),
    index("weapon_items_state").on(t.state, t.category),
  ],
);

export const ammunitionLots = pgTable(
  "ammunition_lots",
  {
    id: uuid("id").primaryKey(),
    tag: text("tag").notNull().unique(),
    handoverId: uuid("handover_id").notNull(),
    seq: seq("seq").notNull(),
    position: integer("position").notNull(),
    kind: text("kind").notNull(),
    calibreOrType: text("calibre_or_type").notNull(),
    quantity: bigint("quantity", { mode: "number" }).notNull(),
    unit: text("unit").notNull(),
    lotMark: text("lot_mark"),
    headstamp: text("headstamp"),
    hazardDivision: text("hazard_division"),
    condition: text("condition").notNull(),
    safeToMove: boolean("safe_to_move").notNull(),
    destroyedInSitu: boolean("destroyed_in_situ").notNull(),
    photos: jsonb("photos").notNull(),
    source: text("source").notNull(),
    ...custodyColumns(),
  },
  // With what the dashboard and the balance count the lots by (handovers_places says why).
  (t) => [index("ammunition_lots_handover").on(t.handoverId, t.kind, t.unit, t.state, t.quantity)],
);

/**
 * Key parts (bolt, slide…) separated from a weapon to travel on their own: items like weapons and
 * lots, with the same custody columns (`site_id` is the weapon's collection site, for scope). The
 * weapon's parts out are the rows with its `weapon_id`.
 */
export const keyParts = pgTable(
  "key_parts",
  {
    id: uuid("id").primaryKey(),
    weaponId: uuid("weapon_id").notNull(),
    /** bolt, slide, barrel… (the balance's category). */
    part: text("part").notNull(),
    serial: text("serial"),
    separatedAt: at("separated_at").notNull(),
    separatedSeq: seq("separated_seq").notNull(),
    ...custodyColumns(),
  },
  (t) => [index("key_parts_weapon").on(t.weaponId)],
);

/** Custody transfers: dispatch (manifest, seals, two signatures) and receipt at the other end. */
export const transfers = pgTable("transfers", {
  id: uuid("id").primaryKey(),
  fromSiteId: uuid("from_site_id").notNull(),
  toSiteId: uuid("to_site_id").notNull(),
  manifest: text("manifest").notNull(),
  seals: jsonb("seals").notNull(),
  vehicle: text("vehicle"),
  countAtDispatch: integer("count_at_dispatch").notNull(),
  dispatchedAt: at("dispatched_at").notNull(),
  dispatchedBy: text("dispatched_by").notNull(),
  dispatchSeq: seq("dispatch_seq").notNull(),
  status: text("status").notNull(),
  countAtReceipt: integer("count_at_receipt"),
  receivedAt: at("received_at"),
  receivedBy: text("received_by"),
  receiptSeq: seq("receipt_seq"),
});

export const transferItems = pgTable(
  "transfer_items",
  {
    transferId: uuid("transfer_id").notNull(),
    itemKind: text("item_kind").notNull(),
    itemId: uuid("item_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.transferId, t.itemKind, t.itemId] })],
);

/** Every seal number ever put on a load: a seal is used once. */
export const seals = pgTable("seals", {
  seal: text("seal").primaryKey(),
  transferId: uuid("transfer_id").notNull(),
});

/** A receipt that differs from its dispatch: a missing item, a broken seal, an unexpected item, a wrong count. */
export const discrepancies = pgTable("discrepancies", {
  id: text("id").primaryKey(),
  transferId: uuid("transfer_id").notNull(),
  kind: text("kind").notNull(),
  itemKind: text("item_kind"),
  itemId: uuid("item_id"),
  detail: jsonb("detail").notNull(),
  status: text("status").notNull(),
  openedSeq: seq("opened_seq").notNull(),
  resolvedAt: at("resolved_at"),
  resolvedSeq: seq("resolved_seq"),
});

export const dispositions = pgTable("dispositions", {
  id: uuid("id").primaryKey(),
  kind: text("kind").notNull(),
  siteId: uuid("site_id").notNull(),
  method: text("method"),
  at: at("at").notNull(),
  itemCount: integer("item_count").notNull(),
  independentWitnesses: integer("independent_witnesses").notNull(),
  seq: seq("seq").notNull(),
});

/** National registration numbers given to items transferred to the state: each is given once. */
export const registrationNumbers = pgTable("registration_numbers", {
  number: text("number").primaryKey(),
  itemKind: text("item_kind").notNull(),
  itemId: uuid("item_id").notNull(),
  dispositionId: uuid("disposition_id").notNull(),
});

/** Items taken out of a store (who took them is personal, in the event's private part) and brought back. */
export const storeAccess = pgTable(
  "store_access",
  {
    id: uuid("id").primaryKey(),
    siteId: uuid("site_id").notNull(),
    purpose: text("purpose").notNull(),
    removedAt: at("removed_at").notNull(),
    dueBack: at("due_back"),
    authorisedBy: text("authorised_by").notNull(),
    removedSeq: seq("removed_seq").notNull(),
    /** out (nothing back), partly_returned, returned. */
    status: text("status").notNull(),
    itemCount: integer("item_count").notNull(),
    returnedCount: integer("returned_count").notNull(),
    lastReturnedAt: at("last_returned_at"),
    lastReturnSeq: seq("last_return_seq"),
  },
  (t) => [index("store_access_site").on(t.siteId, t.removedSeq)],
);

export const storeAccessItems = pgTable(
  "store_access_items",
  {
    accessId: uuid("access_id").notNull(),
    itemKind: text("item_kind").notNull(),
    itemId: uuid("item_id").notNull(),
    returnedAt: at("returned_at"),
    returnSeq: seq("return_seq"),
  },
  (t) => [primaryKey({ columns: [t.accessId, t.itemKind, t.itemId] })],
);

/**
 * Stock checks at depots: the snapshot and the sample the system drew when the check started (the
 * full expected list and the seed are in the start's ledger leaf), and the result when recorded.
 */
export const stockChecks = pgTable(
  "stock_checks",
  {
    id: uuid("id").primaryKey(),
    siteId: uuid("site_id").notNull(),
    kind: text("kind").notNull(),
    /** open (started, result not recorded) or completed. */
    status: text("status").notNull(),
    startedAt: at("started_at").notNull(),
    startedBy: text("started_by").notNull(),
    startSeq: seq("start_seq").notNull(),
    seed: text("seed").notNull(),
    expectedCount: integer("expected_count").notNull(),
    expectedCounts: jsonb("expected_counts").notNull(),
    outOfStore: integer("out_of_store").notNull(),
    sample: jsonb("sample").notNull(),
    completedAt: at("completed_at"),
    recordedBy: text("recorded_by"),
    recordSeq: seq("record_seq"),
    counts: jsonb("counts"),
    findings: jsonb("findings"),
  },
  (t) => [index("stock_checks_site").on(t.siteId, t.startSeq)],
);

/**
 * Loss investigations, opened by a stock check's shortfall or missing sample item, or by a missing
 * item at receipt; each ends with an outcome.
 */
export const lossInvestigations = pgTable(
  "loss_investigations",
  {
    id: text("id").primaryKey(),
    siteId: uuid("site_id").notNull(),
    /** What opened it: stock_check or discrepancy, and that record's id. */
    origin: text("origin").notNull(),
    originId: text("origin_id").notNull(),
    /** sample_missing, marking_mismatch, shortfall or missing_item. */
    reason: text("reason").notNull(),
    itemKind: text("item_kind"),
    itemId: uuid("item_id"),
    category: text("category"),
    /** For a shortfall: how many are short. */
    quantity: integer("quantity"),
    /** open, under_investigation or closed. */
    status: text("status").notNull(),
    outcome: text("outcome"),
    /** When the loss was found: the receipt's or the stock check's time. */
    openedAt: at("opened_at").notNull(),
    openedSeq: seq("opened_seq").notNull(),
    updatedSeq: seq("updated_seq").notNull(),
    closedAt: at("closed_at"),
  },
  (t) => [
    index("loss_investigations_status").on(t.status, t.openedSeq),
    // The balance splits lost items by their latest investigation, looked up per item.
    index("loss_investigations_item").on(t.itemKind, t.itemId, t.openedSeq),
  ],
);

/** Cache reports: what the leaf makes public (the source and exact location stay in event_private). */
export const caches = pgTable(
  "caches",
  {
    id: uuid("id").primaryKey(),
    governorate: text("governorate").notNull(),
    groupId: uuid("group_id"),
    declaredContents: jsonb("declared_contents").notNull(),
    /** reported, verified, cleared or residue_handed_over. */
    status: text("status").notNull(),
    reportedAt: at("reported_at").notNull(),
    reportSeq: seq("report_seq").notNull(),
    verifiedAt: at("verified_at"),
    clearedAt: at("cleared_at"),
    residueReason: text("residue_reason"),
    updatedSeq: seq("updated_seq").notNull(),
  },
  (t) => [index("caches_status").on(t.status, t.governorate)],
);

// ---------------------------------------------------------------------------------------------
// The ledger's side of the disposition balance (queries/ledger-tally.ts): what the public
// handover leaves say was collected, per item, corrections applied. Read from leaf text only,
// never from the projections, so the balance stays an independent check of the custody tables.
// A cache, not a record: emptied, it is rebuilt from the ledger on the next read.
// ---------------------------------------------------------------------------------------------

export const ledgerTally = pgTable(
  "ledger_tally",
  {
    id: smallint("id").primaryKey().default(1),
    /** The last leaf read into the tally (-1: none yet). */
    throughSeq: seq("through_seq").notNull().default(-1),
  },
  (t) => [check("ledger_tally_single_row", sql`${t.id} = 1`)],
);

export const ledgerTallyItems = pgTable(
  "ledger_tally_items",
  {
    itemKind: text("item_kind").notNull(),
    itemId: uuid("item_id").notNull(),
    /** A weapon's category or a lot's kind, as last corrected. */
    category: text("category").notNull(),
    unit: text("unit"),
    quantity: bigint("quantity", { mode: "number" }),
    groupKey: text("group_key").notNull(),
    governorate: text("governorate").notNull(),
    handoverSeq: seq("handover_seq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemKind, t.itemId] })],
);

// ---------------------------------------------------------------------------------------------
// Demobilisation cards (cards slice).
// ---------------------------------------------------------------------------------------------
/**
 * Demobilisation cards by number. Which person holds a card is personal (it is in the events'
 * private part); the table keeps it for the rules and the printed card, like persons keeps names.
 * The database holds the one-active-card rule too, should a projection ever get it wrong.
 */
export const demobilisationCards = pgTable(
  "demobilisation_cards",
  {
    number: text("number").primaryKey(),
    personId: uuid("person_id").notNull(),
    /** The holder's registration site: who may print and reissue the card. */
    siteId: uuid("site_id").notNull(),
    /** active, revoked or replaced. */
    status: text("status").notNull(),
    issuedAt: at("issued_at").notNull(),
    issuedSeq: seq("issued_seq").notNull(),
    /** For a replacement: the card it replaced and why (lost, damaged or stolen). */
    replaces: text("replaces"),
    reissueReason: text("reissue_reason"),
    /** When the card became void (revoked, or replaced by `replacedBy`). */
    endedAt: at("ended_at"),
    replacedBy: text("replaced_by"),
    updatedSeq: seq("updated_seq").notNull(),
  },
  (t) => [
    index("demobilisation_cards_person").on(t.personId),
    uniqueIndex("demobilisation_cards_one_active").on(t.personId).where(sql`${t.status} = 'active'`),
  ],
);

// pathways ----------------------------------------------------------------------------------

/** Every change of a group's status, with the decision (reference, who decided, the day). */
export const groupStatusHistory = pgTable(
  "group_status_history",
  {
    groupId: uuid("group_id").notNull(),
    seq: seq("seq").notNull(),
    fromStatus: text("from_status").notNull(),
    status: text("status").notNull(),
    reference: text("reference").notNull(),
    decidedBy: text("decided_by").notNull(),
    decidedOn: date("decided_on", { mode: "string" }).notNull(),
    reason: text("reason"),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.seq] })],
);

/** Every decision on the registration of the party a group became. */
export const groupPartyHistory = pgTable(
  "group_party_history",
  {
    groupId: uuid("group_id").notNull(),
    seq: seq("seq").notNull(),
    fromStatus: text("from_status").notNull(),
    status: text("status").notNull(),
    nameAr: text("name_ar"),
    nameEn: text("name_en"),
    reference: text("reference").notNull(),
    decidedBy: text("decided_by").notNull(),
    decidedOn: date("decided_on", { mode: "string" }).notNull(),
    reason: text("reason"),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.seq] })],
);

/**
 * A person's pathway: each step's day in its own column (offered, responded, placed, left), so an
 * offer is never read as a placement. Holds personal fields (service number, unit, notes): read
 * only by the roles that may read people, within their scope.
 */
export const pathways = pgTable(
  "pathways",
  {
    id: uuid("id").primaryKey(),
    personId: uuid("person_id").notNull(),
    kind: text("kind").notNull(),
    /** offered, accepted, declined, placed or left. */
    state: text("state").notNull(),
    /** The person's one pathway at a time: offered, accepted or placed and not refused at vetting. */
    active: boolean("active").notNull(),
    /** The person's group when offered (a political party pathway joins its party). */
    groupId: uuid("group_id"),
    // offer, unit, decline_reason, service_number, membership_number and placement are encrypted.
    offer: sealed("offer").notNull(),
    force: text("force"),
    unit: text("unit"),
    /** pending, cleared or refused (security forces); not_required otherwise. */
    vetting: text("vetting").notNull(),
    vettingReference: text("vetting_reference"),
    vettedOn: date("vetted_on", { mode: "string" }),
    offeredOn: date("offered_on", { mode: "string" }).notNull(),
    respondedOn: date("responded_on", { mode: "string" }),
    declineReason: text("decline_reason"),
    placedOn: date("placed_on", { mode: "string" }),
    serviceNumber: text("service_number"),
    /** Keyed blind index of the service number (crypto/personal-columns.ts): the in-use check. */
    serviceNumberIndex: text("service_number_index"),
    membershipNumber: text("membership_number"),
    placement: text("placement"),
    leftOn: date("left_on", { mode: "string" }),
    leftReason: text("left_reason"),
    followUpSchedule: jsonb("follow_up_schedule").notNull(),
    followUpsDone: integer("follow_ups_done").notNull().default(0),
    /** The next scheduled follow-up, while the person is placed; null when none is due. */
    nextFollowUpDue: date("next_follow_up_due", { mode: "string" }),
    lastFollowUpOn: date("last_follow_up_on", { mode: "string" }),
    lastFollowUpStatus: text("last_follow_up_status"),
    offeredSeq: seq("offered_seq").notNull(),
    updatedSeq: seq("updated_seq").notNull(),
  },
  (t) => [
    index("pathways_person").on(t.personId),
    index("pathways_next_follow_up").on(t.nextFollowUpDue),
    index("pathways_service_number").on(t.force, t.serviceNumberIndex),
  ],
);

/** Each follow-up of a placement: what the case worker found, and which scheduled one it answered. */
export const pathwayFollowUps = pgTable(
  "pathway_follow_ups",
  {
    pathwayId: uuid("pathway_id").notNull(),
    seq: seq("seq").notNull(),
    followedUpOn: date("followed_up_on", { mode: "string" }).notNull(),
    due: date("due", { mode: "string" }),
    status: text("status").notNull(),
    note: text("note"),
  },
  (t) => [primaryKey({ columns: [t.pathwayId, t.seq] })],
);

/** Things someone must look at. Raised by projections, so replaying the ledger raises the same ones. */
export const anomalies = pgTable(
  "anomalies",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    raisedSeq: seq("raised_seq").notNull(),
    subjectKind: text("subject_kind").notNull(),
    subjectId: text("subject_id").notNull(),
    related: jsonb("related").notNull(),
    detail: text("detail").notNull(),
  },
  (t) => [index("anomalies_raised").on(t.raisedSeq)],
);

// Screening and eligibility: every screening, appeal and revocation of a person (the history the
// eligibility screen shows); persons.eligible, eligibility_revoked and deceased_on hold the outcome.

/** Screening interviews and their decisions, one row each (a person may be screened again). */
export const screenings = pgTable(
  "screenings",
  {
    id: uuid("id").primaryKey(),
    personId: uuid("person_id").notNull(),
    seq: seq("seq").notNull(),
    screenedAt: at("screened_at").notNull(),
    /** eligible or ineligible, with the reason codes of rules/screening.ts. */
    status: text("status").notNull(),
    reasons: jsonb("reasons").notNull(),
    verifiedCount: integer("verified_count").notNull(),
    membershipVerified: boolean("membership_verified").notNull(),
    excluded: boolean("excluded").notNull(),
    // answers, indications and notes are encrypted (crypto/personal-columns.ts).
    answers: sealed("answers").notNull(),
    indications: sealed("indications").notNull(),
    notes: text("notes"),
    recordedBy: text("recorded_by").notNull(),
  },
  (t) => [index("screenings_person").on(t.personId, t.seq)],
);

/** Appeals against ineligibility or a revocation, and their outcome. */
export const eligibilityAppeals = pgTable(
  "eligibility_appeals",
  {
    id: uuid("id").primaryKey(),
    personId: uuid("person_id").notNull(),
    /** ineligibility or revocation. */
    against: text("against").notNull(),
    lodgedAt: at("lodged_at").notNull(),
    // lodged_by, grounds, evidence and decision_reason are encrypted (crypto/personal-columns.ts).
    lodgedBy: sealed("lodged_by").notNull(),
    grounds: text("grounds").notNull(),
    evidence: sealed("evidence").notNull(),
    /** lodged, upheld (the decision stands) or overturned (the person is eligible). */
    status: text("status").notNull(),
    lodgedSeq: seq("lodged_seq").notNull(),
    decidedAt: at("decided_at"),
    decisionReason: text("decision_reason"),
    decidedBy: text("decided_by"),
    decidedSeq: seq("decided_seq"),
  },
  (t) => [index("eligibility_appeals_person").on(t.personId)],
);

export const eligibilityRevocations = pgTable(
  "eligibility_revocations",
  {
    seq: seq("seq").primaryKey(),
    personId: uuid("person_id").notNull(),
    revokedAt: at("revoked_at").notNull(),
    /** Encrypted (crypto/personal-columns.ts). */
    reason: text("reason").notNull(),
    revokedBy: text("revoked_by").notNull(),
  },
  (t) => [index("eligibility_revocations_person").on(t.personId)],
);

export const corrections = pgTable("corrections", {
  seq: seq("seq").primaryKey(),
  corrects: seq("corrects").notNull(),
  subjectKind: text("subject_kind").notNull(),
  subjectId: text("subject_id").notNull(),
  // A person's changes, and a group's liaison officers, are sealed (crypto/personal-columns.ts).
  // The reason is not kept: private in the event, and nothing here reads it.
  changes: jsonb("changes").notNull(),
});

// ---------------------------------------------------------------------------------------------
// Who looked at whom (access/read-audit.ts). Every view, print, search result and export of a
// person's record leaves a row here before the data leaves the server; a trigger refuses UPDATE,
// DELETE and TRUNCATE, as on the ledger. Not a projection: it records reads, not the programme.
// ---------------------------------------------------------------------------------------------

export const accessLog = pgTable(
  "access_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: at("at").notNull().defaultNow(),
    /** The account (or `cli:<os user>` for the command line) and its role at the time. */
    actor: text("actor").notNull(),
    role: text("role").notNull(),
    /** What was done: the route's policy action, or `export` from the command line. */
    action: text("action").notNull(),
    /** `GET /api/v1/persons/:id`, `armsledger export persons`, … */
    channel: text("channel").notNull(),
    subjectKind: text("subject_kind").notNull(),
    /** The record read; null for a bulk read of every record of the kind the reader could see. */
    subjectId: text("subject_id"),
    /** How many records the read returned (1 for one record, N for a list or export). */
    records: integer("records").notNull(),
    /** Why, in the reader's words: required for bulk exports and for breaking the glass. */
    purpose: text("purpose"),
    /** A read outside the reader's scope, with a stated purpose ("break the glass"): admins are alerted. */
    breakGlass: boolean("break_glass").notNull().default(false),
  },
  (t) => [index("access_log_subject").on(t.subjectKind, t.subjectId, t.at), index("access_log_at").on(t.at)],
);

// ---------------------------------------------------------------------------------------------
// payments (issue 9): stipend schedules, payout accounts, payment lists and their lines.
// ---------------------------------------------------------------------------------------------

/** Stipend schedules: amount in minor units of an ISO 4217 currency, monthly periods YYYY-MM. */
export const paymentSchedules = pgTable("payment_schedules", {
  id: uuid("id").primaryKey(),
  name: text("name").notNull(),
  amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
  currency: text("currency").notNull(),
  periodLength: text("period_length").notNull(),
  firstPeriod: text("first_period").notNull(),
  lastPeriod: text("last_period").notNull(),
  channel: text("channel").notNull(),
  setSeq: seq("set_seq").notNull(),
});

/** Where each person is paid, per channel (personal: an account or a mobile number). */
export const payoutAccounts = pgTable(
  "payout_accounts",
  {
    personId: uuid("person_id").notNull(),
    channel: text("channel").notNull(),
    account: text("account").notNull(),
    holder: text("holder"),
    setSeq: seq("set_seq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.channel] })],
);

/** A schedule's period as prepared for the provider: listed → sent → reconciled. */
export const paymentLists = pgTable(
  "payment_lists",
  {
    id: uuid("id").primaryKey(),
    scheduleId: uuid("schedule_id").notNull(),
    period: text("period").notNull(),
    channel: text("channel").notNull(),
    currency: text("currency").notNull(),
    status: text("status").notNull(),
    lineCount: integer("line_count").notNull(),
    totalMinor: bigint("total_minor", { mode: "number" }).notNull(),
    exceptionCount: integer("exception_count").notNull(),
    preparedSeq: seq("prepared_seq").notNull(),
    sentAt: at("sent_at"),
    sentSeq: seq("sent_seq"),
    sentFileSha256: text("sent_file_sha256"),
    reconciledSeq: seq("reconciled_seq"),
  },
  (t) => [index("payment_lists_period").on(t.scheduleId, t.period)],
);

/**
 * One payment to one person: a list's line, or a payment recorded on its own (no list). A person
 * is paid at most once per schedule and period: the rules refuse it, and the partial unique index
 * refuses it again should anything slip past them (a failed line does not count; its rerun does).
 */
export const paymentLines = pgTable(
  "payment_lines",
  {
    reference: text("reference").primaryKey(),
    listId: uuid("list_id"),
    scheduleId: uuid("schedule_id").notNull(),
    period: text("period").notNull(),
    personId: uuid("person_id").notNull(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    channel: text("channel").notNull(),
    account: text("account"),
    holder: text("holder"),
    /** listed, sent, paid or failed. */
    status: text("status").notNull(),
    paidOn: date("paid_on", { mode: "string" }),
    /** The provider's date for a paid or failed line. */
    confirmedOn: date("confirmed_on", { mode: "string" }),
    createdSeq: seq("created_seq").notNull(),
    confirmedSeq: seq("confirmed_seq"),
  },
  (t) => [
    uniqueIndex("payment_lines_once_per_period")
      .on(t.personId, t.scheduleId, t.period)
      .where(sql`${t.status} <> 'failed'`),
    index("payment_lines_list").on(t.listId),
    index("payment_lines_period").on(t.scheduleId, t.period),
  ],
);

/** The people a payment list left out, with every reason (standing, no account, already paid or listed). */
export const paymentExceptions = pgTable(
  "payment_exceptions",
  {
    listId: uuid("list_id").notNull(),
    personId: uuid("person_id").notNull(),
    reasons: jsonb("reasons").notNull(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.personId] })],
);

/** Each provider confirmation file recorded (its SHA-256, so the same file is recognised). */
export const paymentConfirmations = pgTable("payment_confirmations", {
  seq: seq("seq").primaryKey(),
  fileName: text("file_name").notNull(),
  fileSha256: text("file_sha256").notNull(),
  receivedAt: at("received_at").notNull(),
  paidCount: integer("paid_count").notNull(),
  failedCount: integer("failed_count").notNull(),
});

// Duplicate review (issue 5). The name keys are the blocking keys of core's names/blocking.ts
// and one key per name word (for search), hashed to integers as CandidateIndex hashes them: no
// skeleton or spelling is stored here (docs/names.md, "What the keys reveal").
// ---------------------------------------------------------------------------------------------

export const personNameKeys = pgTable(
  "person_name_keys",
  {
    key: integer("key").notNull(),
    personId: uuid("person_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.personId] }), index("person_name_keys_person").on(t.personId)],
);

/** How many people carry each (hashed) given-name skeleton: the term-frequency adjustment. */
export const personNameCounts = pgTable(
  "person_name_counts",
  {
    field: text("field").notNull(),
    key: integer("key").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.field, t.key] })],
);

/**
 * How many people of each group are eligible and not revoked: the programme's cap (declared
 * strength + margin) is checked against it at every handover and screening. Kept by a trigger on
 * `persons` (migration 0032), whatever projection changes a person's group or eligibility, so
 * the check reads one row instead of counting the group (25,000 people a group at national scale).
 */
export const groupEligibleCounts = pgTable("group_eligible_counts", {
  groupId: uuid("group_id").primaryKey(),
  eligible: integer("eligible").notNull(),
});

/** A registration held by the duplicate check, its matches, and the reviewer's decision. */
export const duplicateReviews = pgTable(
  "duplicate_reviews",
  {
    personId: uuid("person_id").primaryKey(),
    status: text("status").notNull(),
    openedSeq: seq("opened_seq").notNull(),
    openedAt: at("opened_at").notNull(),
    registeredBy: text("registered_by").notNull(),
    /** [{ personId, weight, zone, explanation }], best first. */
    matches: jsonb("matches").notNull(),
    decidedSeq: seq("decided_seq"),
    decidedAt: at("decided_at"),
    decidedBy: text("decided_by"),
    reason: text("reason"),
    /** The earlier registration this one is an alias of (status merged). */
    mergedInto: uuid("merged_into"),
  },
  (t) => [index("duplicate_reviews_status").on(t.status, t.openedSeq)],
);

// ---------------------------------------------------------------------------------------------
// Access. Accounts are operational configuration, not part of the programme's record: they are
// written by the access service, not the ledger (password hashes must never enter a leaf).
// ---------------------------------------------------------------------------------------------

export const users = pgTable("users", {
  id: uuid("id").primaryKey(),
  username: text("username").notNull().unique(),
  displayName: text("display_name").notNull(),
  passwordHash: text("password_hash").notNull(),
  role: text("role").notNull(),
  scope: jsonb("scope").notNull(),
  createdAt: at("created_at").notNull(),
  disabledAt: at("disabled_at"),
});

export const sessions = pgTable("sessions", {
  tokenHash: text("token_hash").primaryKey(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id),
  createdAt: at("created_at").notNull(),
  expiresAt: at("expires_at").notNull(),
});

export const apiTokens = pgTable("api_tokens", {
  id: uuid("id").primaryKey(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: at("created_at").notNull(),
  expiresAt: at("expires_at"),
  revokedAt: at("revoked_at"),
});

/**
 * An account's second factor (RFC 6238 TOTP, access/totp.ts). `confirmedAt` is null while the
 * enrolment waits for its first code: only a confirmed factor is asked for at sign-in.
 * `lastStep` is the time step of the last code accepted, so a code cannot be used twice. The
 * secret is never returned after enrolment nor logged.
 */
export const totpFactors = pgTable("totp_factors", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id),
  secret: text("secret").notNull(),
  createdAt: at("created_at").notNull(),
  confirmedAt: at("confirmed_at"),
  lastStep: bigint("last_step", { mode: "number" }),
});

/** Roles whose accounts must use a second factor (set by an administrator). */
export const totpRequiredRoles = pgTable("totp_required_roles", {
  role: text("role").primaryKey(),
  setBy: uuid("set_by").notNull(),
  setAt: at("set_at").notNull(),
});

// ---------------------------------------------------------------------------------------------
// Files (photos) and the offline queue's keys (issue 6).
// ---------------------------------------------------------------------------------------------

/**
 * Uploaded photos, named by the SHA-256 of their bytes (core's `fileRef`): the same bytes are
 * stored once, whoever sends them. `content` is written by `storeFile` alone (files/store.ts), so
 * that the server's field encryption can wrap it in one place.
 */
export const files = pgTable("files", {
  sha256: text("sha256").primaryKey(),
  contentType: text("content_type").notNull(),
  size: integer("size").notNull(),
  content: bytea("content").notNull(),
  createdAt: at("created_at").notNull(),
});

/** Who uploaded which file: an account may read back the bytes it sent (it had them already). */
export const fileUploads = pgTable(
  "file_uploads",
  {
    sha256: text("sha256")
      .notNull()
      .references(() => files.sha256),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    uploadedAt: at("uploaded_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.userId] })],
);

/**
 * Each account's key for its browser's offline queue (AES-256-GCM, web/src/lane/queue): handed to
 * the signed-in session only, so what the queue holds at rest in the browser cannot be read once
 * the session is gone. Never logged, never in an answer but GET /api/v1/me/queue-key.
 */
export const queueKeys = pgTable("queue_keys", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id),
  key: bytea("key").notNull(),
  createdAt: at("created_at").notNull(),
});
// Field encryption (crypto/): the database's data keys, each stored only wrapped by the master
// key held outside the database. At most one is alive; a purge of all personal data destroys it
// (the wrapped key is erased) and the next registration makes a new one.
// ---------------------------------------------------------------------------------------------

export const dataKeys = pgTable(
  "data_keys",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    /** The data key wrapped by the master key (KeyProvider.wrap); null once destroyed. */
    wrapped: text("wrapped"),
    createdAt: at("created_at").notNull().defaultNow(),
    destroyedAt: at("destroyed_at"),
  },
  (t) => [
    uniqueIndex("data_keys_one_alive").on(sql`(true)`).where(sql`${t.destroyedAt} is null`),
    check("data_keys_destroyed_erased", sql`(${t.destroyedAt} is null) = (${t.wrapped} is not null)`),
  ],
);
