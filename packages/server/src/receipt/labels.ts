// The receipt's wording in English and Arabic. Codes that have no entry here (a category or a
// reason added later) are printed in readable English and flagged by the tests of this folder.
import type { ammunitionKinds, EligibilityReason, quantityUnit, WeaponCategory } from "@armsledger/core";

type AmmunitionKind = (typeof ammunitionKinds)[number];
type QuantityUnit = (typeof quantityUnit)["options"][number];

export interface Bilingual {
  en: string;
  ar: string;
}

export const LABELS = {
  receipt: { en: "Handover receipt", ar: "إيصال تسليم" },
  receiptNumber: { en: "Receipt number", ar: "رقم الإيصال" },
  continued: { en: "continued", ar: "تابع" },
  handedAt: { en: "Date and time (UTC)", ar: "التاريخ والوقت (UTC)" },
  site: { en: "Collection site", ar: "موقع التجميع" },
  person: { en: "Handed over by", ar: "اسم المسلّم" },
  representative: { en: "Group representative (collective handover)", ar: "ممثل المجموعة (تسليم جماعي)" },
  eligibility: { en: "Eligibility", ar: "الأهلية" },
  officer: { en: "Verifying officer", ar: "الضابط المتحقق" },
  ledger: { en: "Public ledger entry", ar: "القيد في السجل العام" },
  scan: { en: "Scan to verify", ar: "امسح الرمز للتحقق" },
  keep: {
    en: "Keep this receipt: it proves your handover is in the public ledger.",
    ar: "احتفظ بهذا الإيصال: فهو يثبت أن تسليمك مسجّل في السجل العام.",
  },
  weapons: { en: "Weapons", ar: "الأسلحة" },
  ammunition: { en: "Ammunition and explosives", ar: "الذخائر والمتفجرات" },
  none: { en: "None", ar: "لا يوجد" },
  tag: { en: "Tag", ar: "الوسم" },
  category: { en: "Category", ar: "الفئة" },
  type: { en: "Type", ar: "النوع" },
  makeModel: { en: "Make / model", ar: "الصانع / الطراز" },
  calibre: { en: "Calibre", ar: "العيار" },
  serial: { en: "Serial", ar: "الرقم التسلسلي" },
  serviceable: { en: "Serviceable", ar: "صالح للاستخدام" },
  kind: { en: "Kind", ar: "الصنف" },
  calibreOrType: { en: "Calibre / type", ar: "العيار / النوع" },
  quantity: { en: "Quantity", ar: "الكمية" },
  noReadableSerial: { en: "no readable serial", ar: "لا يوجد رقم مقروء" },
  yes: { en: "Yes", ar: "نعم" },
  no: { en: "No", ar: "لا" },
  page: { en: "Page", ar: "صفحة" },
  of: { en: "of", ar: "من" },
} satisfies Record<string, Bilingual>;

export const ELIGIBILITY_STATUS: Record<"eligible" | "ineligible" | "not_applicable", Bilingual> = {
  eligible: { en: "Eligible", ar: "مؤهل" },
  ineligible: { en: "Not eligible", ar: "غير مؤهل" },
  not_applicable: { en: "Not applicable", ar: "لا ينطبق" },
};

// Worded so that no reason says which group a person belongs to.
export const ELIGIBILITY_REASONS: Record<EligibilityReason, Bilingual> = {
  eligible_weapon: { en: "An eligible weapon was handed in", ar: "تم تسليم سلاح مؤهل" },
  minimum_rounds_met: {
    en: "The minimum quantity of ammunition was handed in",
    ar: "تم تسليم الحد الأدنى من الذخيرة",
  },
  already_eligible: { en: "Already eligible from an earlier handover", ar: "مؤهل من تسليم سابق" },
  no_programme_rules: {
    en: "The programme has no eligibility rules yet",
    ar: "لا توجد قواعد أهلية للبرنامج بعد",
  },
  registered_after_cut_off: {
    en: "Registered after the programme's cut-off date",
    ar: "التسجيل بعد الموعد النهائي للبرنامج",
  },
  no_eligible_item: { en: "No eligible item was handed in", ar: "لم يتم تسليم أي صنف مؤهل" },
  group_cap_reached: {
    en: "The limit on the number of participants is reached",
    ar: "تم بلوغ الحد الأقصى لعدد المشاركين",
  },
  collective_handover: {
    en: "Collective handover: individual eligibility does not apply",
    ar: "تسليم جماعي: لا تنطبق الأهلية الفردية",
  },
};

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

/** "no_eligible_item" → "No eligible item": for codes this file does not know yet. */
export function readableCode(code: string): string {
  const words = code.replace(/[_-]+/gu, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The bilingual wording of a code, or its readable English form (Arabic left empty) when unknown. */
export function lookup(table: Record<string, Bilingual>, code: string): Bilingual {
  return Object.hasOwn(table, code) ? table[code]! : { en: readableCode(code), ar: "" };
}
