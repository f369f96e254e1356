// The wording every printed document shares, in English and Arabic: item categories and kinds,
// units, table headings and page furniture. A document's own wording lives beside it (the
// receipt's in receipt/labels.ts). Codes that have no entry here (a category added later) are
// printed in readable English by `lookup`.
import type { ammunitionKinds, keyPartNames, quantityUnit, WeaponCategory } from "@armsledger/core";

type AmmunitionKind = (typeof ammunitionKinds)[number];
type QuantityUnit = (typeof quantityUnit)["options"][number];
type KeyPartName = (typeof keyPartNames)[number];

export interface Bilingual {
  en: string;
  ar: string;
}

export const COMMON = {
  continued: { en: "continued", ar: "تابع" },
  dateTimeUtc: { en: "Date and time (UTC)", ar: "التاريخ والوقت (UTC)" },
  ledger: { en: "Public ledger entry", ar: "القيد في السجل العام" },
  scan: { en: "Scan to verify", ar: "امسح الرمز للتحقق" },
  weapons: { en: "Weapons", ar: "الأسلحة" },
  ammunition: { en: "Ammunition and explosives", ar: "الذخائر والمتفجرات" },
  none: { en: "None", ar: "لا يوجد" },
  tag: { en: "Tag", ar: "الوسم" },
  category: { en: "Category", ar: "الفئة" },
  type: { en: "Type", ar: "النوع" },
  makeModel: { en: "Make / model", ar: "الصانع / الطراز" },
  calibre: { en: "Calibre", ar: "العيار" },
  serial: { en: "Serial", ar: "الرقم التسلسلي" },
  kind: { en: "Kind", ar: "الصنف" },
  calibreOrType: { en: "Calibre / type", ar: "العيار / النوع" },
  quantity: { en: "Quantity", ar: "الكمية" },
  noReadableSerial: { en: "no readable serial", ar: "لا يوجد رقم مقروء" },
  name: { en: "Name", ar: "الاسم" },
  affiliation: { en: "Affiliation", ar: "الجهة" },
  signature: { en: "Signature", ar: "التوقيع" },
  yes: { en: "Yes", ar: "نعم" },
  no: { en: "No", ar: "لا" },
  page: { en: "Page", ar: "صفحة" },
  of: { en: "of", ar: "من" },
} satisfies Record<string, Bilingual>;

export const WEAPON_CATEGORIES: Record<WeaponCategory, Bilingual> = {
  pistol: { en: "Pistol", ar: "مسدس" },
  rifle: { en: "Rifle", ar: "بندقية" },
  shotgun: { en: "Shotgun", ar: "بندقية خرطوش" },
  submachine_gun: { en: "Submachine gun", ar: "رشاش قصير" },
  machine_gun: { en: "Machine gun", ar: "رشاش" },
  grenade_launcher: { en: "Grenade launcher", ar: "قاذف قنابل" },
  mortar: { en: "Mortar", ar: "هاون" },
  rocket_launcher: { en: "Rocket launcher", ar: "قاذف صواريخ" },
  recoilless_rifle: { en: "Recoilless rifle", ar: "مدفع عديم الارتداد" },
  anti_tank_guided_weapon: { en: "Anti-tank guided weapon", ar: "سلاح موجه مضاد للدروع" },
  manpads: { en: "MANPADS", ar: "منظومة دفاع جوي محمولة" },
  drone: { en: "Drone", ar: "طائرة مسيّرة" },
  heavy_weapon: { en: "Heavy weapon", ar: "سلاح ثقيل" },
  other: { en: "Other", ar: "أخرى" },
};

export const AMMUNITION_KINDS: Record<AmmunitionKind, Bilingual> = {
  cartridge: { en: "Cartridges", ar: "خراطيش" },
  grenade: { en: "Grenade", ar: "قنبلة يدوية" },
  mortar_bomb: { en: "Mortar bomb", ar: "قذيفة هاون" },
  rocket: { en: "Rocket", ar: "صاروخ" },
  missile: { en: "Missile", ar: "صاروخ موجه" },
  explosive: { en: "Explosive", ar: "متفجرات" },
  mine: { en: "Mine", ar: "لغم" },
  fuze: { en: "Fuze", ar: "صاعق" },
  other: { en: "Other", ar: "أخرى" },
};

export const QUANTITY_UNITS: Record<QuantityUnit, Bilingual> = {
  rounds: { en: "rounds", ar: "طلقة" },
  items: { en: "items", ar: "قطعة" },
  grams: { en: "grams", ar: "غرام" },
  metres: { en: "metres", ar: "متر" },
};

/** A weapon's key parts (records/custody.ts keyPartNames), as a loose part's label names them. */
export const KEY_PARTS: Record<KeyPartName, Bilingual> = {
  bolt: { en: "Bolt", ar: "الترباس" },
  bolt_carrier: { en: "Bolt carrier", ar: "حامل الترباس" },
  slide: { en: "Slide", ar: "المنزلق" },
  barrel: { en: "Barrel", ar: "السبطانة" },
  cylinder: { en: "Cylinder", ar: "الأسطوانة" },
  receiver: { en: "Receiver", ar: "جسم السلاح" },
  firing_pin: { en: "Firing pin", ar: "إبرة الرمي" },
  other: { en: "Key part", ar: "قطعة رئيسية" },
};

/** "no_eligible_item" → "No eligible item": for codes this file does not know yet. */
export function readableCode(code: string): string {
  const words = code.replace(/[_-]+/gu, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The bilingual wording of a code, or its readable English form (Arabic left empty) when unknown. */
export function lookup(table: Record<string, Bilingual>, code: string): Bilingual {
  return Object.hasOwn(table, code) ? table[code]! : { en: readableCode(code), ar: "" };
}
