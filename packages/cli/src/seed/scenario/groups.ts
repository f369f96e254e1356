import type { WeaponCategory } from "@armsledger/core";

// Ten invented armed groups. Strength at scale 1 adds up to the 50,000 fighters of the national
// scenario (DOMAIN.md); every governorate is covered by at least one group.

export interface GroupDefinition {
  code: string;
  ar: string;
  en: string;
  latinAlias: string;
  arabicAlias: string;
  governorates: readonly string[];
  /** Declared fighters at scale 1. */
  strength: number;
}

export const groupDefinitions: readonly GroupDefinition[] = [
  {
    code: "FAJR",
    ar: "كتائب الفجر",
    en: "Dawn Brigades",
    latinAlias: "Kataib al-Fajr",
    arabicAlias: "الفجر",
    governorates: ["IQ-BG", "IQ-DI", "IQ-SD", "IQ-WA"],
    strength: 9000,
  },
  {
    code: "NOUR",
    ar: "سرايا النور",
    en: "Companies of Light",
    latinAlias: "Saraya al-Nur",
    arabicAlias: "النور",
    governorates: ["IQ-BA", "IQ-MA", "IQ-DQ"],
    strength: 7500,
  },
  {
    code: "JABAL",
    ar: "لواء الجبل",
    en: "Mountain Brigade",
    latinAlias: "Liwa al-Jabal",
    arabicAlias: "الجبل",
    governorates: ["IQ-NI", "IQ-DA", "IQ-AR"],
    strength: 6500,
  },
  {
    code: "RAFIDAIN",
    ar: "حشد الرافدين",
    en: "Rafidain Mobilisation",
    latinAlias: "Hashd al-Rafidain",
    arabicAlias: "الرافدين",
    governorates: ["IQ-BG", "IQ-BB", "IQ-KA", "IQ-NA"],
    strength: 6000,
  },
  {
    code: "SUMUD",
    ar: "كتائب الصمود",
    en: "Steadfastness Brigades",
    latinAlias: "Kataib al-Sumud",
    arabicAlias: "الصمود",
    governorates: ["IQ-KI", "IQ-SD", "IQ-SU"],
    strength: 5000,
  },
  {
    code: "WAAD",
    ar: "سرايا الوعد",
    en: "Companies of the Promise",
    latinAlias: "Saraya al-Waad",
    arabicAlias: "الوعد",
    governorates: ["IQ-QA", "IQ-NA", "IQ-MU"],
    strength: 4500,
  },
  {
    code: "FURAT",
    ar: "لواء الفرات",
    en: "Euphrates Brigade",
    latinAlias: "Liwa al-Furat",
    arabicAlias: "الفرات",
    governorates: ["IQ-AN", "IQ-KA", "IQ-BB"],
    strength: 4000,
  },
  {
    code: "BADIYA",
    ar: "قوات البادية",
    en: "Desert Forces",
    latinAlias: "Quwat al-Badiya",
    arabicAlias: "البادية",
    governorates: ["IQ-AN", "IQ-MU"],
    strength: 3000,
  },
  {
    code: "AHWAR",
    ar: "حرس الأهوار",
    en: "Marshes Guard",
    latinAlias: "Haras al-Ahwar",
    arabicAlias: "الأهوار",
    governorates: ["IQ-MA", "IQ-DQ", "IQ-BA"],
    strength: 2500,
  },
  {
    code: "DIJLA",
    ar: "كتائب دجلة",
    en: "Tigris Brigades",
    latinAlias: "Kataib Dijla",
    arabicAlias: "دجلة",
    governorates: ["IQ-NI", "IQ-KI", "IQ-WA"],
    strength: 2000,
  },
];

/** Declared arsenal per 1,000 fighters: about 62,000 weapons for 50,000 fighters. */
const arsenalPerThousand: readonly [WeaponCategory, number][] = [
  ["rifle", 900],
  ["pistol", 80],
  ["machine_gun", 90],
  ["submachine_gun", 30],
  ["grenade_launcher", 40],
  ["rocket_launcher", 50],
  ["mortar", 25],
  ["recoilless_rifle", 8],
  ["anti_tank_guided_weapon", 5],
  ["manpads", 2],
  ["heavy_weapon", 10],
  ["drone", 6],
];

/** Declared caches at scale 1 add up to the scenario's 5,000. */
const CACHES_PER_FIGHTER = 5000 / 50000;

/** The payload of a group.declare command (the declared strength may be padded, as a roster is). */
export function declaration(groupId: string, strength: number, asOf: string, padded = false) {
  return {
    groupId,
    asOf,
    strength: {
      men: Math.round(strength * 0.93),
      women: Math.round(strength * 0.05),
      boys: Math.round(strength * 0.015),
      girls: Math.round(strength * 0.005),
    },
    arsenal: arsenalPerThousand.map(([category, perThousand]) => ({
      category,
      count: Math.round((strength * perThousand) / 1000),
    })),
    declaredCaches: Math.round(strength * CACHES_PER_FIGHTER),
    ...(padded
      ? { note: "Revised roster submitted by the group's liaison office shortly before the cut-off date." }
      : {}),
  };
}

/** The collective (heavy) part of a declared arsenal: what the group hands over as a unit. */
export const collectiveCategories: readonly WeaponCategory[] = [
  "mortar",
  "recoilless_rifle",
  "anti_tank_guided_weapon",
  "manpads",
  "heavy_weapon",
  "drone",
];

export function declaredCount(strength: number, category: WeaponCategory): number {
  const row = arsenalPerThousand.find(([c]) => c === category);
  return row ? Math.round((strength * row[1]) / 1000) : 0;
}
