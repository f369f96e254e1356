import { randomUUID } from "node:crypto";
import type { Actor } from "@armsledger/core";

export const admin: Actor = {
  userId: "00000000-0000-4000-8000-000000000001",
  role: "admin",
  scope: { sites: "all", governorates: "all" },
};

export function command(type: string, payload: unknown, commandId = randomUUID()) {
  return { commandId, type, payload };
}

export const groupPayload = (code = "G1") => ({
  code,
  name: { ar: "كتائب الاختبار", en: "Test Brigades" },
  aliases: [{ script: "latin", text: "Kataib al-Ikhtibar" }],
  governorates: ["IQ-BG"],
});

export const sitePayload = (code = "BGD-01", kind = "collection") => ({
  code,
  kind,
  name: { ar: "موقع بغداد", en: "Baghdad site" },
  governorate: "IQ-BG",
  location: { lat: 33.31, lon: 44.36 },
});

/**
 * Each call registers a different man: the same names, but his own national id card (the first
 * call's is 199012345678). Registering the same person twice is held for duplicate review
 * (issue 5), which tests of that review do on purpose, with a payload they repeat.
 */
let nationalIds = 0;
export const personPayload = (siteId: string, groupId?: string) => ({
  siteId,
  kind: "combatant",
  name: {
    arabic: { given: "محمد", father: "جاسم", family: "السوداني" },
    latin: { given: "Mohammed", father: "Jasim", family: "al-Sudani" },
  },
  motherName: { arabic: "فاطمة" },
  birth: { year: 1990 },
  sex: "male",
  governorate: "IQ-BG",
  ...(groupId ? { groupId } : {}),
  nationalId: String(199012345678 + nationalIds++),
  listedByGroup: true,
  consent: { given: true, recordedOn: "2026-01-10" },
});

export const rifle = (serial: string | undefined = "AK123456") => ({
  category: "rifle",
  type: "assault rifle",
  make: "Kalashnikov",
  model: "AKM",
  calibre: "7.62x39mm",
  ...(serial ? { serial } : { noReadableSerial: true, photos: ["a".repeat(64)] }),
  condition: "good",
  serviceable: true,
});

export const handoverPayload = (siteId: string, personId: string, weapons = [rifle()]) => ({
  siteId,
  handedAt: "2026-02-01T09:30:00Z",
  verifyingOfficer: { name: "Observer One", affiliation: "UN Mission" },
  from: { kind: "person", personId },
  weapons,
  ammunition: [
    {
      kind: "cartridge",
      calibreOrType: "7.62x39mm",
      quantity: 120,
      unit: "rounds",
      condition: "stable",
      safeToMove: true,
    },
  ],
});

export const programmePayload = (eligibleGroupCap?: { groupId: string; maxParticipants: number }) => ({
  name: { ar: "برنامج تجريبي", en: "Demo programme" },
  eligibility: {
    eligibleCategories: ["rifle", "pistol", "machine_gun"],
    requireServiceable: true,
    minimumRounds: 200,
    cutOffDate: "2030-12-31",
  },
  caps: eligibleGroupCap ? [eligibleGroupCap] : [],
  legal: { amnesty: true, noForensicUse: true },
  dataOwner: "National DDR Commission",
  retentionYears: 10,
});
