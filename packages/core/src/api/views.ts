import { z } from "zod";
import { role, scope } from "../access/roles.ts";

// What the API answers. Response schemas are applied when serialising, and unknown keys are
// stripped, so a field added to a table cannot leak through an endpoint by accident.

export const commandAnswer = z.object({
  commandId: z.string(),
  type: z.string(),
  event: z.string(),
  seq: z.number(),
  leafIndex: z.number(),
  leafHash: z.string(),
  recordedAt: z.string(),
  data: z.record(z.string(), z.unknown()),
  anomalies: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      subjectKind: z.string(),
      subjectId: z.string(),
      detail: z.string(),
    }),
  ),
});

export const accountView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role,
  scope,
});

export const problemView = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  code: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const siteView = z.object({
  id: z.string(),
  code: z.string(),
  kind: z.string(),
  nameAr: z.string(),
  nameEn: z.string(),
  governorate: z.string(),
  lat: z.number(),
  lon: z.number(),
});

export const declarationView = z.object({
  version: z.number(),
  asOf: z.string(),
  men: z.number(),
  women: z.number(),
  boys: z.number(),
  girls: z.number(),
  arsenal: z.array(z.object({ category: z.string(), count: z.number() })),
  declaredCaches: z.number(),
  note: z.string().nullable(),
  seq: z.number(),
});

export const groupView = z.object({
  id: z.string(),
  code: z.string(),
  nameAr: z.string(),
  nameEn: z.string(),
  aliases: z.array(z.object({ script: z.string(), text: z.string() })),
  umbrellaId: z.string().nullable(),
  governorates: z.array(z.string()),
  units: z.array(z.string()),
  declarations: z.array(declarationView).optional(),
  // pathways: the group's current status and the party it became (history: /groups/:id/status-history).
  status: z.string(),
  statusDecidedOn: z.string().nullable(),
  partyStatus: z.string().nullable(),
  partyStatusOn: z.string().nullable(),
  partyNameAr: z.string().nullable(),
  partyNameEn: z.string().nullable(),
});

const nameChain = z.object({
  given: z.string(),
  father: z.string().optional(),
  grandfather: z.string().optional(),
  family: z.string().optional(),
});

export const personView = z.object({
  id: z.string(),
  siteId: z.string(),
  kind: z.string(),
  // A purged person (their own purge, or every person's by crypto-shredding) answers
  // `purged: true`, a name `{ arabic: null, latin: null }` and every other personal field null.
  name: z.object({ arabic: nameChain.nullable().optional(), latin: nameChain.nullable().optional() }),
  motherName: z.object({ arabic: z.string().optional(), latin: z.string().optional() }).nullable(),
  birthDate: z.string().nullable(),
  birthYear: z.number().nullable(),
  sex: z.string(),
  governorate: z.string(),
  groupId: z.string().nullable(),
  role: z.string().nullable(),
  nationalId: z.string().nullable(),
  listedByGroup: z.boolean(),
  registeredOn: z.string(),
  ageGroup: z.string(),
  eligible: z.boolean(),
  registeredSeq: z.number(),
  purged: z.boolean(),
});

export const weaponView = z.object({
  id: z.string(),
  tag: z.string(),
  handoverId: z.string(),
  seq: z.number(),
  category: z.string(),
  type: z.string(),
  make: z.string().nullable(),
  model: z.string().nullable(),
  calibre: z.string().nullable(),
  serial: z.string().nullable(),
  noReadableSerial: z.boolean(),
  countryOfManufacture: z.string().nullable(),
  yearOfManufacture: z.number().nullable(),
  alteredMarks: z.boolean(),
  condition: z.string(),
  serviceable: z.boolean(),
  source: z.string(),
  siteId: z.string(),
});

export const ammunitionView = z.object({
  id: z.string(),
  tag: z.string(),
  kind: z.string(),
  calibreOrType: z.string(),
  quantity: z.number(),
  unit: z.string(),
  condition: z.string(),
  safeToMove: z.boolean(),
});

export const handoverView = z.object({
  id: z.string(),
  seq: z.number(),
  receiptNumber: z.string(),
  siteId: z.string(),
  handedAt: z.string(),
  fromKind: z.string(),
  personId: z.string().nullable(),
  /** The cache report an extraction operation (fromKind cache) collected from. */
  cacheId: z.string().nullable(),
  groupId: z.string().nullable(),
  governorate: z.string(),
  eligibilityStatus: z.string(),
  eligibilityReasons: z.array(z.string()),
  weapons: z.array(weaponView),
  ammunition: z.array(ammunitionView),
});

export const anomalyView = z.object({
  id: z.string(),
  kind: z.string(),
  raisedSeq: z.number(),
  subjectKind: z.string(),
  subjectId: z.string(),
  detail: z.string(),
});

export const eventView = z.object({
  seq: z.number(),
  type: z.string(),
  recordedAt: z.string(),
  entry: z.string(),
  leafHash: z.string(),
});

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().optional() });

/** GET /api/v1/items/:kind/:id/trail: an item's state and every step with its ledger leaf. */
export const itemTrailView = z.object({
  item: z.object({
    kind: z.string(),
    id: z.string(),
    /** A weapon's or lot's tag; a loose key part's is derived from its weapon's (rules/key-part-tag.ts). */
    tag: z.string().nullable(),
    state: z.string(),
    holderSiteId: z.string(),
    location: z.unknown(),
    flagged: z.boolean(),
    /** A weapon: the key parts taken off it to travel apart, and where each is now. */
    keyParts: z
      .array(
        z.object({
          id: z.string(),
          part: z.string(),
          serial: z.string().nullable(),
          state: z.string(),
          holderSiteId: z.string(),
          separatedSeq: z.number(),
        }),
      )
      .optional(),
    /** A loose key part: its name, its own serial if marked, and the weapon it was taken off. */
    part: z.string().optional(),
    serial: z.string().nullable().optional(),
    weapon: z.object({ id: z.string(), tag: z.string(), state: z.string() }).optional(),
  }),
  steps: z.array(
    z.object({
      leafIndex: z.number(),
      type: z.string(),
      recordedAt: z.string(),
      leafHash: z.string(),
      data: z.unknown(),
    }),
  ),
});

/** A custody transfer as GET /api/v1/transfers lists it. */
export const transferView = z.object({
  id: z.string(),
  fromSiteId: z.string(),
  toSiteId: z.string(),
  manifest: z.string(),
  seals: z.array(z.string()),
  countAtDispatch: z.number(),
  countAtReceipt: z.number().nullable(),
  dispatchedAt: z.string(),
  receivedAt: z.string().nullable(),
  status: z.string(),
  dispatchSeq: z.number(),
  receiptSeq: z.number().nullable(),
});

/** A discrepancy between dispatch and receipt as GET /api/v1/discrepancies lists it. */
export const discrepancyView = z.object({
  id: z.string(),
  transferId: z.string(),
  kind: z.string(),
  itemKind: z.string().nullable(),
  itemId: z.string().nullable(),
  detail: z.unknown(),
  status: z.string(),
  openedSeq: z.number(),
});

// The shapes the browser reads, from the same schemas the server answers with.
export type AccountView = z.infer<typeof accountView>;
export type SiteView = z.infer<typeof siteView>;
export type ItemTrailView = z.infer<typeof itemTrailView>;
export type TransferView = z.infer<typeof transferView>;
export type DiscrepancyView = z.infer<typeof discrepancyView>;

/** One read of a person's record, as the access history lists it. */
export const accessLogEntryView = z.object({
  id: z.number(),
  at: z.string(),
  /** The account's id (or `cli:<os user>`), and its user name when it is an account. */
  actor: z.string(),
  username: z.string(),
  role: z.string(),
  action: z.string(),
  /** Where the read came through: `GET /api/v1/persons/:id`, `armsledger export persons`, … */
  channel: z.string(),
  /** A bulk read of every person the reader could see (an export), not of this one alone. */
  bulk: z.boolean(),
  records: z.number(),
  purpose: z.string().nullable(),
  /** Read outside the reader's scope with a stated purpose ("break the glass"). */
  breakGlass: z.boolean(),
});
export type AccessLogEntryView = z.infer<typeof accessLogEntryView>;

/** A read that broke the glass, as the administrators' alerts list it. */
export const accessAlertView = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  username: z.string(),
  role: z.string(),
  channel: z.string(),
  subjectKind: z.string(),
  subjectId: z.string(),
  purpose: z.string(),
});
export type AccessAlertView = z.infer<typeof accessAlertView>;
// Offline sync (issue 8): one outcome per command, in the order sent.
export const syncOutcome = z.union([
  z.object({ commandId: z.string(), outcome: z.literal("recorded"), answer: commandAnswer }),
  z.object({ commandId: z.string().nullable(), outcome: z.literal("refused"), problem: problemView }),
]);

export const syncAnswer = z.object({ results: z.array(syncOutcome) });
