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
  uuid,
} from "drizzle-orm/pg-core";

/** Raw bytes (tiles). pg answers Buffers and PGlite Uint8Arrays; both are Uint8Arrays. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
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
export const eventPrivate = pgTable("event_private", {
  seq: seq("seq")
    .primaryKey()
    .references(() => events.seq),
  salt: text("salt").notNull(),
  data: text("data").notNull(),
});

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
    name: jsonb("name").notNull(),
    motherName: jsonb("mother_name"),
    birthDate: date("birth_date", { mode: "string" }),
    birthYear: integer("birth_year"),
    sex: text("sex").notNull(),
    governorate: text("governorate").notNull(),
    groupId: uuid("group_id"),
    role: text("role"),
    nationalId: text("national_id"),
    photo: text("photo"),
    listedByGroup: boolean("listed_by_group").notNull(),
    screening: jsonb("screening").notNull(),
    vettingFlags: jsonb("vetting_flags").notNull(),
    consent: jsonb("consent").notNull(),
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
    index("persons_national_id").on(t.nationalId),
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
    notes: text("notes"),
    eligibilityStatus: text("eligibility_status").notNull(),
    eligibilityReasons: jsonb("eligibility_reasons").notNull(),
  },
  (t) => [
    index("handovers_person").on(t.personId),
    index("handovers_site").on(t.siteId),
    index("handovers_cache").on(t.cacheId),
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
    index("weapon_items_handover").on(t.handoverId),
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
  (t) => [index("ammunition_lots_handover").on(t.handoverId)],
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
  (t) => [index("loss_investigations_status").on(t.status, t.openedSeq)],
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

export const corrections = pgTable("corrections", {
  seq: seq("seq").primaryKey(),
  corrects: seq("corrects").notNull(),
  subjectKind: text("subject_kind").notNull(),
  subjectId: text("subject_id").notNull(),
  changes: jsonb("changes").notNull(),
  reason: text("reason").notNull(),
});

// ---------------------------------------------------------------------------------------------
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
