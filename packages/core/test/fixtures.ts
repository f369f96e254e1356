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
  heldPerson: testUuid(22),
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
  unknown: testUuid(0xdead),
} as const;

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
  if (options.programme) {
    view.programmeConfig = programmeConfig.parse(programmePayload());
  }
  return view;
}

/** duplicate review (issue 5): the held registration is ids.person's second. */
export function duplicateMergePayload() {
  return { personId: ids.heldPerson, intoPersonId: ids.person, reason: "Same national id card seen twice." };
}

export function duplicateDismissPayload() {
  return { personId: ids.heldPerson, reason: "Brothers: different mothers' names on their cards." };
}
