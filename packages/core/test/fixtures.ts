import { programmeConfig } from "../src/records/programme.ts";
import { MemoryView, testUuid } from "./memory-view.ts";

/** Fixed ids the fixtures refer to. */
export const ids = {
  site: testUuid(1),
  depot: testUuid(2),
  destruction: testUuid(3),
  mobile: testUuid(4),
  group: testUuid(10),
  otherGroup: testUuid(11),
  person: testUuid(20),
  lonePerson: testUuid(21),
  weapon: testUuid(30),
  /** An ammunition lot in custody at ids.site. */
  lot: testUuid(31),
  /** A rifle on its way from ids.site to ids.depot in ids.transfer. */
  travelling: testUuid(32),
  /** A rifle held at ids.destruction, ready to be destroyed. */
  condemned: testUuid(33),
  transfer: testUuid(50),
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
  });
  view.seals.add("S-100").add("S-101");
  if (options.programme) {
    view.programmeConfig = programmeConfig.parse(programmePayload());
  }
  return view;
}
