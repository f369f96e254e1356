import { programmeConfig } from "../src/records/programme.ts";
import { MemoryView, testUuid } from "./memory-view.ts";

/** Fixed ids the fixtures refer to. */
export const ids = {
  site: testUuid(1),
  depot: testUuid(2),
  destruction: testUuid(3),
  mobile: testUuid(4),
  /** A second depot, where a stock check is under way (ids.stockCheck). */
  checkedDepot: testUuid(5),
  group: testUuid(10),
  otherGroup: testUuid(11),
  person: testUuid(20),
  lonePerson: testUuid(21),
  /** A registration held for duplicate review: it resembles ids.person (issue 5). */
  heldPerson: testUuid(28),
  /** A person without a group, found eligible at an earlier handover. */
  eligiblePerson: testUuid(22),
  weapon: testUuid(30),
  /** An ammunition lot in custody at ids.site. */
  lot: testUuid(31),
  /** A rifle on its way from ids.site to ids.depot in ids.transfer. */
  travelling: testUuid(32),
  /** A rifle held at ids.destruction, ready to be destroyed. */
  condemned: testUuid(33),
  /** A rifle of ids.site taken out of the store under ids.storeAccess. */
  borrowed: testUuid(34),
  transfer: testUuid(50),
  storeAccess: testUuid(51),
  stockCheck: testUuid(52),
  /** A cache reported in Nineveh, awaiting verification. */
  cache: testUuid(55),
  /** A cache verified, awaiting clearance. */
  verifiedCache: testUuid(56),
  /** An appeal by ids.lonePerson, awaiting a decision. */
  appeal: testUuid(57),
  // pathways: four people found eligible, with no group, each at one step of a pathway.
  /** Eligible, with no pathway yet. */
  candidate: testUuid(80),
  /** Offered a security-forces pathway (ids.offeredPathway), vetting pending. */
  offeredPerson: testUuid(81),
  /** Accepted a civilian pathway (ids.acceptedPathway). */
  acceptedPerson: testUuid(82),
  /** Placed on a civilian pathway (ids.placedPathway). */
  placedPerson: testUuid(83),
  offeredPathway: testUuid(70),
  acceptedPathway: testUuid(71),
  placedPathway: testUuid(72),
  unknown: testUuid(0xdead),
  // payments
  /** An eligible person with a mobile-money account, on the two lists below. */
  payee: testUuid(60),
  /** A monthly stipend, 2024-06 to 2025-12, paid by mobile money. */
  paymentSchedule: testUuid(61),
  /** The 2025-01 list, sent to the provider (its line: PAY-202501-70-1). */
  sentList: testUuid(62),
  /** The 2025-02 list, not yet sent (its line: PAY-202502-71-1). */
  listedList: testUuid(63),
  // Demobilisation cards (cards slice): an eligible person with no card, and one holding CARD.
  cardless: testUuid(26),
  cardHolder: testUuid(27),
  // Loose key parts (issue 4): a rifle at the collection site whose bolt is off it, beside it.
  reunited: testUuid(90),
  looseBolt: testUuid(91),
} as const;

/** The active card of ids.cardHolder (issued by leaf 9). */
export const CARD = "DC-0000009-2";

export const photo = "a".repeat(64);

export function programmePayload() {
  return {
    name: { ar: "برنامج نزع السلاح", en: "National disarmament programme" },
    eligibility: {
      eligibleCategories: ["rifle", "pistol", "machine_gun"],
      requireServiceable: true,
      minimumRounds: 100,
      cutOffDate: "2025-06-30",
    },
    caps: [{ groupId: ids.group, maxParticipants: 2 }],
    legal: { amnesty: true, noForensicUse: true },
    dataOwner: "Ministry of Interior",
    retentionYears: 10,
  };
}

export function groupPayload() {
  return {
    code: "grp-east",
    name: { ar: "لواء الشرق", en: "Eastern Brigade" },
    aliases: [
      { script: "arabic", text: "لواء الشرق" },
      { script: "latin", text: "Liwa al-Sharq" },
    ],
    governorates: ["IQ-NI"],
    liaisonOfficers: [{ name: "Ahmed Karim", phone: "+964 770 123 4567" }],
  };
}

export function declarationPayload() {
  return {
    groupId: ids.group,
    asOf: "2025-01-01",
    strength: { men: 120, women: 8, boys: 3, girls: 0 },
    arsenal: [
      { category: "rifle", count: 90 },
      { category: "mortar", count: 2 },
    ],
    declaredCaches: 4,
  };
}

export function sitePayload() {
  return {
    code: "bg-02",
    kind: "collection",
    name: { ar: "موقع الجمع بغداد ١", en: "Baghdad collection site 1" },
    governorate: "IQ-BG",
    location: { lat: 33.31, lon: 44.36 },
  };
}

export function personPayload() {
  return {
    siteId: ids.site,
    kind: "combatant",
    name: {
      arabic: { given: "علي", father: "حسن", family: "الجبوري" },
      latin: { given: "Ali", father: "Hassan", family: "al-Jubouri" },
    },
    motherName: { arabic: "فاطمة", latin: "Fatima" },
    birth: { year: 1990 },
    sex: "male",
    governorate: "IQ-NI",
    groupId: ids.group,
    nationalId: "AB1234567",
    listedByGroup: true,
    consent: { given: true, recordedOn: "2025-03-01" },
  };
}

/** Group rosters: a two-member list of the group, in both scripts. */
export function rosterPayload(overrides: Record<string, unknown> = {}) {
  return {
    groupId: ids.group,
    submittedOn: "2025-02-15",
    entries: [
      {
        memberNumber: "N-001",
        name: {
          arabic: { given: "علي", father: "حسن", family: "الجبوري" },
          latin: { given: "Ali", father: "Hassan", family: "al-Jubouri" },
        },
        motherName: { arabic: "فاطمة" },
        birthYear: 1990,
        sex: "male",
        governorate: "IQ-NI",
      },
      { memberNumber: "N-002", name: { latin: { given: "Omar", father: "Khalil" } } },
    ],
    ...overrides,
  };
}

export function rifle(overrides: Record<string, unknown> = {}) {
  return {
    category: "rifle",
    type: "AK-47",
    serial: "AK-47 123456",
    condition: "good",
    serviceable: true,
    ...overrides,
  };
}

export function cartridges(overrides: Record<string, unknown> = {}) {
  return {
    kind: "cartridge",
    calibreOrType: "7.62x39mm",
    quantity: 120,
    unit: "rounds",
    condition: "stable",
    safeToMove: true,
    ...overrides,
  };
}

export function handoverPayload(overrides: Record<string, unknown> = {}) {
  return {
    siteId: ids.site,
    handedAt: "2025-03-01T09:30:00Z",
    verifyingOfficer: { name: "Maj. Lars Berg", affiliation: "UN military observers" },
    witnesses: [{ name: "Sheikh Hamid", affiliation: "Local council" }],
    from: { kind: "person", personId: ids.person },
    weapons: [rifle()],
    ammunition: [cartridges()],
    photos: [photo],
    notes: "Handed in at the gate.",
    ...overrides,
  };
}

/** A correction of the serial of ids.weapon, recorded by event 7 (see seededView). */
export function correctionPayload(overrides: Record<string, unknown> = {}) {
  return {
    kind: "weapon",
    id: ids.weapon,
    corrects: 7,
    changes: { serial: "AK-47 654321" },
    reason: "Serial misread at the table; checked against the photo.",
    ...overrides,
  };
}

const countersignatory = { name: "Capt. Nadia Salem", affiliation: "Depot command" };

/** ids.weapon sent from the collection site to the depot, sealed and countersigned. */
export function dispatchPayload(overrides: Record<string, unknown> = {}) {
  return {
    fromSiteId: ids.site,
    toSiteId: ids.depot,
    dispatchedAt: "2025-03-01T09:00:00Z",
    items: [{ kind: "weapon", id: ids.weapon }],
    countAtDispatch: 1,
    seals: ["S-200"],
    vehicle: "Truck 7",
    escort: [{ name: "Sgt. Omar Khalil", affiliation: "Police escort" }],
    countersignedBy: countersignatory,
    ...overrides,
  };
}

/** The receipt of ids.transfer at the depot, everything as dispatched. */
export function receivePayload(overrides: Record<string, unknown> = {}) {
  return {
    transferId: ids.transfer,
    receivedAt: "2025-03-01T09:45:00Z",
    items: [{ kind: "weapon", id: ids.travelling }],
    countAtReceipt: 1,
    sealsIntact: ["S-100", "S-101"],
    location: { store: "Store 1", rack: "R2" },
    countersignedBy: { name: "Lt. Yusuf Rahim", affiliation: "Depot guard" },
    photos: [photo],
    ...overrides,
  };
}

/** The destruction of ids.condemned at the destruction site, before an independent witness. */
/** A cache reported by an informant, attributed to the group. */
export function cacheReportPayload(overrides: Record<string, unknown> = {}) {
  return {
    reportedAt: "2025-03-01T08:00:00Z",
    source: { name: "Abu Karim", affiliation: "Village elder", how: "Met the liaison team." },
    governorate: "IQ-NI",
    location: { coordinates: { lat: 36.34, lon: 43.13 }, description: "Under the olive press." },
    groupId: ids.group,
    declaredContents: [
      { kind: "weapon", category: "rifle", count: 12 },
      { kind: "ammunition", category: "cartridge", count: 3 },
    ],
    ...overrides,
  };
}

export function cacheVerifyPayload(overrides: Record<string, unknown> = {}) {
  return {
    cacheId: ids.cache,
    verifiedAt: "2025-03-01T09:00:00Z",
    findings: "Team of Maj. Lars Berg saw ten rifles.",
    ...overrides,
  };
}

export function cacheClearPayload(overrides: Record<string, unknown> = {}) {
  return { cacheId: ids.verifiedCache, clearedAt: "2025-03-01T09:00:00Z", outcome: "cleared", ...overrides };
}

/** The depot's shortfall under investigation. */
export function investigationUpdatePayload(overrides: Record<string, unknown> = {}) {
  return {
    investigationId: "60:0",
    status: "under_investigation",
    at: "2025-03-01T08:00:00Z",
    note: "Maj. Lars Berg interviews the guards.",
    ...overrides,
  };
}

/** The depot's shortfall closed: a recording error. */
export function investigationClosePayload(overrides: Record<string, unknown> = {}) {
  return {
    investigationId: "60:0",
    closedAt: "2025-03-01T09:00:00Z",
    outcome: "recording_error",
    reason: "Two rifles were counted in the wrong rack.",
    ...overrides,
  };
}

/** The broken seal explained. */
export function discrepancyResolvePayload(overrides: Record<string, unknown> = {}) {
  return {
    discrepancyId: "61:0",
    resolvedAt: "2025-03-01T09:00:00Z",
    reason: "The seal broke on a rough road; every item was checked against its photograph.",
    ...overrides,
  };
}

/** A weekly stock check of the (first) depot. */
export function stockCheckStartPayload(overrides: Record<string, unknown> = {}) {
  return { siteId: ids.depot, kind: "weekly", startedAt: "2025-03-01T08:00:00Z", ...overrides };
}

/** The result of the check under way at the second depot (nothing expected, nothing drawn). */
export function stockCheckRecordPayload(overrides: Record<string, unknown> = {}) {
  return {
    checkId: ids.stockCheck,
    completedAt: "2025-03-01T09:00:00Z",
    counts: [],
    sample: [],
    countedBy: [{ name: "Sgt. Ali Hassan", affiliation: "Depot guard" }],
    notes: "Nothing on the shelves.",
    ...overrides,
  };
}

/** A rifle taken out of the collection site's store for an inspection. */
export function storeRemovalPayload(overrides: Record<string, unknown> = {}) {
  return {
    siteId: ids.site,
    removedAt: "2025-03-01T08:00:00Z",
    items: [{ kind: "weapon", id: ids.weapon }],
    takenBy: { name: "Sgt. Ali Hassan", affiliation: "Depot guard" },
    purpose: "inspection",
    note: "Shown to the verification team.",
    ...overrides,
  };
}

/** The borrowed rifle brought back. */
export function storeReturnPayload(overrides: Record<string, unknown> = {}) {
  return {
    accessId: ids.storeAccess,
    returnedAt: "2025-03-01T09:00:00Z",
    items: [{ kind: "weapon", id: ids.borrowed }],
    returnedBy: { name: "Sgt. Ali Hassan", affiliation: "Depot guard" },
    location: { store: "Main store", rack: "R2" },
    ...overrides,
  };
}

export function destructionPayload(overrides: Record<string, unknown> = {}) {
  return {
    siteId: ids.destruction,
    destroyedAt: "2025-03-01T09:50:00Z",
    method: "cutting",
    items: [{ kind: "weapon", id: ids.condemned }],
    operators: [{ name: "Eng. Kareem Aziz", affiliation: "Disposal unit" }],
    witnesses: [{ name: "Dr. Mona Haddad", affiliation: "Independent observer", independent: true }],
    photos: [photo],
    notes: "Cut at the receiver in three places.",
    ...overrides,
  };
}

/** ids.weapon (registered) and ids.lot (by its lot reference) handed to the state force at the collection site. */
export function stateTransferPayload(overrides: Record<string, unknown> = {}) {
  return {
    siteId: ids.site,
    transferredAt: "2025-03-01T09:50:00Z",
    legalClearance: "MOI clearance 2025/114",
    inspectedOn: "2025-02-28",
    inspectors: [
      { name: "Maj. Lars Berg", affiliation: "UN military observers", receivingForce: false },
      { name: "Col. Hadi Jasim", affiliation: "Federal Police armoury", receivingForce: true },
    ],
    receivingUnit: "Federal Police, 3rd Division armoury",
    items: [
      { kind: "weapon", id: ids.weapon, registrationNumber: "IQ-FP-000101" },
      { kind: "ammunition", id: ids.lot, lotReference: "LOT 7.62-2025-14" },
    ],
    ...overrides,
  };
}

/** ids.weapon deactivated at the collection site to the EU standard. */
export function deactivationPayload(overrides: Record<string, unknown> = {}) {
  return {
    siteId: ids.site,
    deactivatedAt: "2025-03-01T09:50:00Z",
    certificate: "DEACT-2025-0042",
    standard: "EU 2018/337",
    items: [{ kind: "weapon", id: ids.weapon, mark: "IQ-DEACT 2025" }],
    ...overrides,
  };
}

/** ids.weapon kept for training at the collection site, under a named custodian. */
export function retentionPayload(overrides: Record<string, unknown> = {}) {
  return {
    siteId: ids.site,
    retainedAt: "2025-03-01T09:50:00Z",
    purpose: "training",
    justification: "Kept for armourer training at the police academy.",
    custodian: { name: "Capt. Nadia Salem", affiliation: "Police academy" },
    reviewOn: "2026-03-01",
    items: [{ kind: "weapon", id: ids.weapon }],
    ...overrides,
  };
}

/** A view holding the sites, groups and people the fixtures refer to (no programme unless asked). */
export function seededView(options: { programme?: boolean } = {}): MemoryView {
  const view = new MemoryView();
  view.addSite({ id: ids.site, kind: "collection", governorate: "IQ-BG", code: "BG-01" });
  view.addSite({ id: ids.depot, kind: "depot", governorate: "IQ-BG", code: "BG-DEPOT" });
  view.addSite({ id: ids.destruction, kind: "destruction", governorate: "IQ-BG", code: "BG-DEST" });
  view.addSite({ id: ids.mobile, kind: "mobile_team", governorate: "IQ-NI", code: "NI-MOB" });
  view.addGroup({ id: ids.group, code: "GRP-NORTH" });
  view.addGroup({ id: ids.otherGroup, code: "GRP-SOUTH" });
  view.addPerson({
    id: ids.person,
    siteId: ids.site,
    groupId: ids.group,
    governorate: "IQ-NI",
    registeredOn: "2025-02-01",
  });
  view.addPerson({
    id: ids.lonePerson,
    siteId: ids.mobile,
    governorate: "IQ-NI",
    registeredOn: "2025-02-02",
  });
  view.addPerson({
    id: ids.heldPerson,
    siteId: ids.site,
    governorate: "IQ-NI",
    registeredOn: "2025-02-03",
    duplicateReview: "pending",
  });
  view.duplicateReviews.set(ids.heldPerson, {
    personId: ids.heldPerson,
    status: "pending",
    openedAt: "2025-02-03T09:00:00.000Z",
    registeredBy: "another-registrar",
    matches: [ids.person],
  });
  view.events.set(7, [
    { kind: "handover", id: testUuid(40) },
    { kind: "weapon", id: ids.weapon },
    { kind: "person", id: ids.person },
  ]);
  view.places.set(`weapon:${ids.weapon}`, { siteId: ids.site });
  // Custody: a rifle and a lot at the collection site, a rifle on the road to the depot (sealed
  // S-100 and S-101), a rifle waiting at the destruction site.
  const item = (
    kind: "weapon" | "ammunition",
    id: string,
    state: string,
    holderSiteId: string,
    category: string,
  ) =>
    view.items.set(`${kind}:${id}`, {
      kind,
      id,
      state,
      holderSiteId,
      category,
      flagged: false,
      alteredMarks: false,
    });
  item("weapon", ids.weapon, "in_custody", ids.site, "rifle");
  item("ammunition", ids.lot, "in_custody", ids.site, "cartridge");
  item("weapon", ids.travelling, "in_transit", ids.site, "rifle");
  item("weapon", ids.condemned, "in_custody", ids.destruction, "rifle");
  view.transfers.set(ids.transfer, {
    id: ids.transfer,
    fromSiteId: ids.site,
    toSiteId: ids.depot,
    status: "in_transit",
    items: [{ kind: "weapon", id: ids.travelling }],
    seals: ["S-100", "S-101"],
    dispatchedAt: "2025-03-01T08:30:00Z",
  });
  view.seals.add("S-100").add("S-101");
  item("weapon", ids.borrowed, "out_of_store", ids.site, "rifle");
  item("weapon", ids.reunited, "in_custody", ids.site, "rifle");
  view.items.set(`key_part:${ids.looseBolt}`, {
    kind: "key_part",
    id: ids.looseBolt,
    state: "in_custody",
    holderSiteId: ids.site,
    category: "bolt",
    flagged: false,
    alteredMarks: false,
  });
  view.keyParts.set(ids.looseBolt, { id: ids.looseBolt, weaponId: ids.reunited, part: "bolt" });
  view.since.set(`key_part:${ids.looseBolt}`, "2025-03-01T08:00:00Z");
  view.addSite({ id: ids.checkedDepot, kind: "depot", governorate: "IQ-BG", code: "BG-DEPOT2" });
  // A shortfall found by an earlier check at the depot, and a broken seal on an earlier transfer.
  view.investigations.set("60:0", {
    id: "60:0",
    siteId: ids.depot,
    origin: "stock_check",
    originId: testUuid(53),
    reason: "shortfall",
    status: "open",
    openedAt: "2025-02-20T10:00:00Z",
  });
  view.caches.set(ids.cache, {
    id: ids.cache,
    governorate: "IQ-NI",
    status: "reported",
    reportedAt: "2025-02-10T10:00:00Z",
  });
  view.caches.set(ids.verifiedCache, {
    id: ids.verifiedCache,
    governorate: "IQ-NI",
    status: "verified",
    reportedAt: "2025-02-10T10:00:00Z",
    verifiedAt: "2025-02-20T10:00:00Z",
    groupId: ids.group,
  });
  view.discrepancies.set("61:0", {
    id: "61:0",
    transferId: testUuid(54),
    toSiteId: ids.depot,
    kind: "broken_seal",
    status: "open",
  });
  view.stockChecks.set(ids.stockCheck, {
    id: ids.stockCheck,
    siteId: ids.checkedDepot,
    kind: "weekly",
    status: "open",
    startedAt: "2025-03-01T08:00:00Z",
    expectedCounts: {},
    sample: [],
  });
  view.storeAccess.set(ids.storeAccess, {
    id: ids.storeAccess,
    siteId: ids.site,
    removedAt: "2025-03-01T07:00:00Z",
    items: [{ kind: "weapon", id: ids.borrowed, returned: false }],
  });
  // payments
  view.addPerson({ id: ids.payee, siteId: ids.site, eligible: true });
  view.payoutAccounts.set(`${ids.payee}:mobile_money`, { account: "+9647701234567" });
  view.paymentSchedules.set(ids.paymentSchedule, {
    id: ids.paymentSchedule,
    name: "Reinsertion stipend",
    amountMinor: 150_000,
    currency: "IQD",
    firstPeriod: "2024-06",
    lastPeriod: "2025-12",
    channel: "mobile_money",
  });
  for (const [listId, period, status, reference] of [
    [ids.sentList, "2025-01", "sent", "PAY-202501-70-1"],
    [ids.listedList, "2025-02", "listed", "PAY-202502-71-1"],
  ] as const) {
    view.paymentLists.set(listId, { id: listId, scheduleId: ids.paymentSchedule, period, status });
    view.paymentLines.set(reference, {
      reference,
      listId,
      status,
      amountMinor: 150_000,
      currency: "IQD",
      personId: ids.payee,
      scheduleId: ids.paymentSchedule,
      period,
    });
  }
  // Demobilisation cards (cards slice).
  view.addPerson({ id: ids.cardless, siteId: ids.site, groupId: ids.otherGroup, eligible: true });
  view.addPerson({ id: ids.cardHolder, siteId: ids.site, groupId: ids.otherGroup, eligible: true });
  view.cards.set(CARD, {
    cardNumber: CARD,
    personId: ids.cardHolder,
    status: "active",
    issuedAt: "2025-02-15T09:00:00Z",
  });
  // Screening and eligibility.
  view.addPerson({
    id: ids.eligiblePerson,
    siteId: ids.site,
    governorate: "IQ-BG",
    registeredOn: "2025-02-03",
    eligible: true,
  });
  view.personFacts.set(ids.person, { listedByGroup: true, birthYear: 1990 });
  view.personFacts.set(ids.lonePerson, { listedByGroup: false, birthDate: "1995-05-20" });
  view.appeals.set(ids.appeal, {
    id: ids.appeal,
    personId: ids.lonePerson,
    status: "lodged",
    lodgedAt: "2025-02-20T10:00:00.000Z",
  });
  if (options.programme) {
    view.programmeConfig = programmeConfig.parse(programmePayload());
  }
  seedPathways(view);
  return view;
}

// payments
export function paymentSchedulePayload(overrides: Record<string, unknown> = {}) {
  return {
    scheduleId: ids.paymentSchedule,
    name: "Reinsertion stipend",
    amount: { minor: 175_000, currency: "IQD" },
    periodLength: "monthly",
    firstPeriod: "2024-06",
    lastPeriod: "2025-12",
    channel: "mobile_money",
    ...overrides,
  };
}

export function payoutAccountPayload(overrides: Record<string, unknown> = {}) {
  return { personId: ids.payee, channel: "mobile_money", account: "+964 770 765 4321", ...overrides };
}

export function paymentListPreparePayload(overrides: Record<string, unknown> = {}) {
  return { scheduleId: ids.paymentSchedule, period: "2025-03", ...overrides };
}

export function paymentListSendPayload(overrides: Record<string, unknown> = {}) {
  return { listId: ids.listedList, sentAt: "2025-02-15T08:00:00Z", ...overrides };
}

export function paymentRecordPayload(overrides: Record<string, unknown> = {}) {
  return {
    personId: ids.payee,
    scheduleId: ids.paymentSchedule,
    period: "2024-12",
    paidOn: "2025-01-15",
    channel: "cash",
    ...overrides,
  };
}

export function paymentConfirmPayload(overrides: Record<string, unknown> = {}) {
  return {
    fileName: "confirmation.csv",
    fileSha256: "c".repeat(64),
    receivedAt: "2025-02-21T08:00:00Z",
    lines: [{ line: 2, reference: "PAY-202501-70-1", amount: "150000", status: "paid", date: "2025-02-20" }],
    ...overrides,
  };
}

// Screening and eligibility.

/** The programme's rules with a screening section: two questions, one of them to verify. */
export function screeningProgrammePayload(screening: Record<string, unknown> = {}) {
  return {
    ...programmePayload(),
    screening: {
      required: true,
      questions: [
        {
          id: "commander_name",
          text: { ar: "ما اسم آمر وحدتك؟", en: "What is your unit commander's name?" },
          verifiedBy: { kind: "answer", answer: "Abu Saif" },
        },
        {
          id: "knows_camp",
          text: { ar: "هل يعرف المعسكر؟", en: "Does the person know the camp's layout?" },
          verifiedBy: { kind: "officer_judgement" },
        },
      ],
      minimumVerified: 1,
      exclusionIndications: ["grave_crime", "child_recruitment"],
      associatedMembersWithoutWeapon: true,
      ...screening,
    },
  };
}

/** A screening of ids.person under the default programme (no questions asked). */
export function screeningPayload(overrides: Record<string, unknown> = {}) {
  return { personId: ids.person, screenedAt: "2025-03-01T09:00:00Z", answers: [], ...overrides };
}

/** An appeal for ids.person, lodged by a relative. */
export function appealPayload(overrides: Record<string, unknown> = {}) {
  return {
    personId: ids.person,
    lodgedAt: "2025-03-01T09:00:00Z",
    lodgedBy: { kind: "representative", name: "Saad Jaber", relationship: "brother" },
    grounds: "He served at the gate post for two years; his commander Lars Berg can confirm it.",
    evidence: ["letter 17/2025"],
    ...overrides,
  };
}

/** ids.appeal overturned. */
export function appealDecisionPayload(overrides: Record<string, unknown> = {}) {
  return {
    appealId: ids.appeal,
    outcome: "overturned",
    decidedAt: "2025-03-01T09:30:00Z",
    reason: "Two witnesses from the gate confirm his service.",
    ...overrides,
  };
}

/** The revocation of ids.eligiblePerson's eligibility. */
export function revocationPayload(overrides: Record<string, unknown> = {}) {
  return {
    personId: ids.eligiblePerson,
    revokedAt: "2025-03-01T09:00:00Z",
    reason: "Found serving in the receiver in three places' unit at the same time.",
    ...overrides,
  };
}

/** The death of ids.person. */
export function deathPayload(overrides: Record<string, unknown> = {}) {
  return {
    personId: ids.person,
    diedOn: "2025-02-25",
    source: "Death certificate from Mona Haddad, civil registry",
    ...overrides,
  };
}

// pathways ------------------------------------------------------------------------------------

export function groupTransformPayload(overrides: Record<string, unknown> = {}) {
  return {
    groupId: ids.group,
    status: "disarming",
    decision: { reference: "CoM 2025/12", decidedBy: "Council of Ministers", decidedOn: "2025-02-20" },
    ...overrides,
  };
}

export function groupPartyPayload(overrides: Record<string, unknown> = {}) {
  return {
    groupId: ids.group,
    status: "applied",
    name: { ar: "حزب الشمال", en: "Northern Party" },
    decision: {
      reference: "IHEC 2025/3",
      decidedBy: "Independent High Electoral Commission",
      decidedOn: "2025-02-21",
    },
    ...overrides,
  };
}

export function pathwayOfferPayload(overrides: Record<string, unknown> = {}) {
  return {
    personId: ids.candidate,
    kind: "civilian",
    offeredOn: "2025-02-25",
    trainingCourse: "Welding, 4 months",
    ...overrides,
  };
}

export function pathwayRespondPayload(overrides: Record<string, unknown> = {}) {
  return { pathwayId: ids.offeredPathway, response: "accept", respondedOn: "2025-02-26", ...overrides };
}

export function pathwayVetPayload(overrides: Record<string, unknown> = {}) {
  return {
    pathwayId: ids.offeredPathway,
    result: "cleared",
    vettedOn: "2025-02-26",
    reference: "VET-1",
    ...overrides,
  };
}

export function pathwayPlacePayload(overrides: Record<string, unknown> = {}) {
  return {
    pathwayId: ids.acceptedPathway,
    placedOn: "2025-02-27",
    placement: "Welding workshop",
    ...overrides,
  };
}

export function pathwayFollowUpPayload(overrides: Record<string, unknown> = {}) {
  return { pathwayId: ids.placedPathway, followedUpOn: "2025-02-28", status: "still_placed", ...overrides };
}

export function pathwayLeavePayload(overrides: Record<string, unknown> = {}) {
  return { pathwayId: ids.placedPathway, leftOn: "2025-02-28", reason: "resigned", ...overrides };
}

/** The pathway people of seededView: eligible, at the site, each with its pathway (if any). */
function seedPathways(view: MemoryView) {
  for (const id of [ids.candidate, ids.offeredPerson, ids.acceptedPerson, ids.placedPerson])
    view.addPerson({
      id,
      siteId: ids.site,
      governorate: "IQ-BG",
      registeredOn: "2025-02-01",
      eligible: true,
    });
  const base = {
    vetting: "not_required" as const,
    active: true,
    offeredOn: "2025-02-10",
    followUpSchedule: [],
    followUpsDone: 0,
  };
  view.pathways.set(ids.offeredPathway, {
    ...base,
    id: ids.offeredPathway,
    personId: ids.offeredPerson,
    kind: "security_forces",
    state: "offered",
    vetting: "pending",
  });
  view.pathways.set(ids.acceptedPathway, {
    ...base,
    id: ids.acceptedPathway,
    personId: ids.acceptedPerson,
    kind: "civilian",
    state: "accepted",
    respondedOn: "2025-02-12",
  });
  view.pathways.set(ids.placedPathway, {
    ...base,
    id: ids.placedPathway,
    personId: ids.placedPerson,
    kind: "civilian",
    state: "placed",
    respondedOn: "2025-02-12",
    placedOn: "2025-02-15",
    followUpSchedule: ["2025-03-17", "2025-05-16", "2025-08-14"],
  });
}

/** duplicate review (issue 5): the held registration is ids.person's second. */
export function duplicateMergePayload() {
  return { personId: ids.heldPerson, intoPersonId: ids.person, reason: "Same national id card seen twice." };
}

export function duplicateDismissPayload() {
  return { personId: ids.heldPerson, reason: "Brothers: different mothers' names on their cards." };
}

/** ids.weapon's bolt taken off at the collection site, with its own serial. */
export function separatePartPayload(overrides: Record<string, unknown> = {}) {
  return {
    weaponId: ids.weapon,
    part: "bolt",
    serial: "B-4471",
    separatedAt: "2025-03-01T08:00:00Z",
    note: "Bolt removed for separate shipment.",
    ...overrides,
  };
}

/** ids.looseBolt put back on ids.reunited, where both are held. */
export function reattachPartPayload(overrides: Record<string, unknown> = {}) {
  return {
    partId: ids.looseBolt,
    reattachedAt: "2025-03-01T09:00:00Z",
    note: "Bolt refitted for the state transfer inspection.",
    ...overrides,
  };
}
