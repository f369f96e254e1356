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
  if (options.programme) {
    view.programmeConfig = programmeConfig.parse(programmePayload());
  }
  return view;
}
