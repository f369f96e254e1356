import type { DestructionCertificateData } from "../../src/documents/destruction-certificate.ts";

export const LEAF_HASH = "9c1e2f7a0b3d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6";

export function weaponsFor(n: number): DestructionCertificateData["weapons"] {
  const categories = ["rifle", "pistol", "machine_gun", "grenade_launcher", "submachine_gun"];
  return Array.from({ length: n }, (_, i) => ({
    tag: `W0000031-${String(i + 1).padStart(2, "0")}`,
    category: categories[i % categories.length]!,
    type: i % 3 === 0 ? "بندقية هجومية" : "Assault rifle",
    make: "Kalashnikov",
    model: i % 2 === 0 ? "AKM" : "AK-74",
    calibre: "7.62×39mm",
    ...(i % 7 === 3 ? {} : { serial: `SN${String(100000 + i * 37)}` }),
    noReadableSerial: i % 7 === 3,
  }));
}

export function certificate(overrides: Partial<DestructionCertificateData> = {}): DestructionCertificateData {
  return {
    programmeName: { ar: "برنامج نزع السلاح والتسريح وإعادة الإدماج", en: "National DDR Programme" },
    batchId: "6f1c0e52-8a3b-4d1e-9b7a-2c4d5e6f7a8b",
    leafIndex: 31,
    leafHash: LEAF_HASH,
    destroyedAt: "2026-03-05T10:15:42.000Z",
    site: { code: "DST-01", name: { ar: "موقع الإتلاف في التاجي", en: "Taji destruction site" } },
    method: "cutting",
    operators: [
      { name: "Sgt. Ali Kareem / العريف علي كريم", affiliation: "National DDR Commission" },
      { name: "Hussein Jaber", affiliation: "Mine Action Directorate" },
    ],
    witnesses: [
      { name: "Dr. Anna Keller", affiliation: "UNAMI DDR Section", independent: true },
      { name: "القاضي سعاد الربيعي", affiliation: "مجلس القضاء الأعلى", independent: false },
    ],
    photoCount: 4,
    weapons: weaponsFor(2),
    ammunition: [
      { tag: "A0000031-01", kind: "cartridge", calibreOrType: "7.62×39mm", quantity: 1200, unit: "rounds" },
    ],
    officer: { name: "Capt. Layla Hameed" },
    ...overrides,
  };
}
