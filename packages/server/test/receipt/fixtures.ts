import { receiptNumber } from "@armsledger/core";
import type { ReceiptData } from "../../src/receipt/receipt-pdf.ts";

export const LEAF_HASH = "3f2a9c0e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0918273";

export function personReceipt(overrides: Partial<ReceiptData> = {}): ReceiptData {
  return {
    receiptNumber: receiptNumber(12),
    leafIndex: 12,
    leafHash: LEAF_HASH,
    handedAt: "2025-03-14T09:41:27.512Z",
    site: { code: "BGD-01", name: { ar: "بغداد المركزية (الموقع 1)", en: "Baghdad Central (site 1)" } },
    from: {
      kind: "person",
      name: {
        arabic: { given: "محمد", father: "عبد الله", grandfather: "حسن", family: "الجبوري" },
        latin: { given: "Mohammed", father: "Abdullah", grandfather: "Hassan", family: "Al-Jubouri" },
      },
    },
    eligibility: { status: "eligible", reasons: ["eligible_weapon"] },
    weapons: [
      {
        tag: "W0000012-01",
        category: "rifle",
        type: "Assault rifle",
        make: "Kalashnikov",
        model: "AKM",
        calibre: "7.62×39mm",
        serial: "KL-4471923",
        noReadableSerial: false,
        serviceable: true,
      },
      {
        tag: "W0000012-02",
        category: "pistol",
        type: "مسدس نصف آلي",
        make: "Tariq",
        calibre: "9×19mm",
        noReadableSerial: true,
        serviceable: false,
      },
    ],
    ammunition: [
      { tag: "A0000012-01", kind: "cartridge", calibreOrType: "7.62×39mm", quantity: 1200, unit: "rounds" },
      { tag: "A0000012-02", kind: "grenade", calibreOrType: "F1 قنبلة دفاعية", quantity: 3, unit: "items" },
    ],
    verifyingOfficer: { name: "Capt. Layla Hameed / النقيب ليلى حميد", affiliation: "UNAMI DDR Section" },
    programmeName: { ar: "برنامج نزع السلاح والتسريح وإعادة الإدماج", en: "National DDR Programme" },
    ...overrides,
  };
}

export function groupReceipt(): ReceiptData {
  return personReceipt({
    receiptNumber: receiptNumber(4051),
    leafIndex: 4051,
    from: { kind: "group", representative: "أبو علي الساعدي" },
    eligibility: { status: "not_applicable", reasons: ["collective_handover"] },
  });
}

export function manyWeapons(n: number): ReceiptData["weapons"] {
  const categories = ["rifle", "pistol", "machine_gun", "grenade_launcher", "submachine_gun"];
  return Array.from({ length: n }, (_, i) => ({
    tag: `W0000077-${String(i + 1).padStart(2, "0")}`,
    category: categories[i % categories.length]!,
    type: i % 3 === 0 ? "بندقية هجومية" : "Assault rifle",
    make: "Kalashnikov",
    model: i % 2 === 0 ? "AKM" : "AK-74",
    calibre: "7.62×39mm",
    ...(i % 7 === 3 ? {} : { serial: `SN${String(100000 + i * 37)}` }),
    noReadableSerial: i % 7 === 3,
    serviceable: i % 4 !== 0,
  }));
}
