import type { WeaponCategory } from "@armsledger/core";
import type { Draws, Stream } from "./draws.ts";

// The weapons people and groups hand in: common models in Iraq, with plausible serial forms.
// Serials are unique by construction (a bijection of the weapon's number), so the only
// duplicates in the scenario are the ones it seeds on purpose.

interface Model {
  category: WeaponCategory;
  type: string;
  make: string;
  model: string;
  calibre: string;
  country: string;
  years: [number, number];
  /** Serial prefix; the number follows. */
  prefix: string;
  weight: number;
}

const m = (
  category: WeaponCategory,
  type: string,
  make: string,
  model: string,
  calibre: string,
  country: string,
  years: [number, number],
  prefix: string,
  weight: number,
): Model => ({ category, type, make, model, calibre, country, years, prefix, weight });

/** What individuals hand in, in proportion to `weight`. */
export const personalModels: readonly Model[] = [
  m("rifle", "assault rifle", "Kalashnikov", "AKM", "7.62x39mm", "RU", [1961, 1990], "AK", 34),
  m("rifle", "assault rifle", "Norinco", "Type 56", "7.62x39mm", "CN", [1965, 2005], "56-", 14),
  m("rifle", "assault rifle", "Al-Qadisiya", "Tabuk", "7.62x39mm", "IQ", [1978, 2002], "TBK", 12),
  m("rifle", "assault rifle", "Colt", "M16A4", "5.56x45mm", "US", [1998, 2012], "W", 7),
  m("rifle", "carbine", "Colt", "M4", "5.56x45mm", "US", [2003, 2016], "LE", 5),
  m("rifle", "battle rifle", "Heckler & Koch", "G3", "7.62x51mm", "DE", [1965, 1985], "G3-", 3),
  m("pistol", "pistol", "Glock", "19", "9x19mm", "AT", [2004, 2018], "BKR", 4),
  m("pistol", "pistol", "Baikal", "Makarov PM", "9x18mm", "RU", [1960, 1995], "PM", 4),
  m(
    "machine_gun",
    "general-purpose machine gun",
    "Kalashnikov",
    "PKM",
    "7.62x54mmR",
    "RU",
    [1969, 1995],
    "PK",
    5,
  ),
  m("machine_gun", "light machine gun", "Kalashnikov", "RPK", "7.62x39mm", "RU", [1964, 1990], "RPK", 2),
  m("submachine_gun", "submachine gun", "Heckler & Koch", "MP5", "9x19mm", "DE", [1980, 2010], "MP", 3),
  m("shotgun", "pump-action shotgun", "Mossberg", "500", "12 gauge", "US", [1990, 2015], "MV", 2),
  m(
    "rocket_launcher",
    "rocket-propelled grenade launcher",
    "Bazalt",
    "RPG-7",
    "40mm",
    "RU",
    [1965, 2000],
    "RPG",
    4,
  ),
  m(
    "grenade_launcher",
    "under-barrel grenade launcher",
    "Kalashnikov",
    "GP-25",
    "40mm",
    "RU",
    [1980, 1998],
    "GP",
    1,
  ),
];

/** What groups hand over collectively: crew-served and heavy weapons, drones. */
export const collectiveModels: readonly Model[] = [
  m("mortar", "82 mm mortar", "Zavod 7", "2B14 Podnos", "82mm", "RU", [1983, 2000], "2B", 10),
  m("mortar", "60 mm mortar", "Norinco", "Type 63", "60mm", "CN", [1970, 1995], "63M", 8),
  m("recoilless_rifle", "recoilless gun", "Bazalt", "SPG-9", "73mm", "RU", [1970, 1990], "SPG", 4),
  m(
    "anti_tank_guided_weapon",
    "anti-tank guided missile launcher",
    "KBP",
    "9M133 Kornet",
    "152mm",
    "RU",
    [1998, 2015],
    "KRN",
    2,
  ),
  m(
    "manpads",
    "man-portable air-defence system",
    "KBM",
    "9K32 Strela-2",
    "72mm",
    "RU",
    [1970, 1985],
    "STR",
    1,
  ),
  m("heavy_weapon", "heavy machine gun", "Degtyaryov", "DShK", "12.7x108mm", "RU", [1950, 1980], "DSK", 5),
  m("heavy_weapon", "twin anti-aircraft gun", "Tulamash", "ZU-23-2", "23mm", "RU", [1960, 1990], "ZU", 2),
  m(
    "rocket_launcher",
    "multiple rocket launcher",
    "Norinco",
    "Type 63 107mm",
    "107mm",
    "CN",
    [1963, 1990],
    "107-",
    4,
  ),
  m("drone", "quadcopter", "DJI", "Matrice 300", "none", "CN", [2020, 2025], "1ZNB", 3),
];

const personalWeights = personalModels.map((x) => x.weight);
const collectiveWeights = collectiveModels.map((x) => x.weight);

/** Who the weapon came from: a person, a group (collectively), or a cache (the same models as people's). */
export type WeaponSource = "personal" | "collective" | "cache";

export function modelOf(draws: Draws, source: WeaponSource, n: number): Model {
  const s = draws.stream("weapon", source, n, "model");
  return source === "collective"
    ? collectiveModels[s.weighted(collectiveWeights)]!
    : personalModels[s.weighted(personalWeights)]!;
}

// Offsets of each source's serials. Caches hold the models people hand in, so their offset is
// one no personal serial reaches (n * 7919 never equals it modulo 10^8 for any n below 400,000).
const serialOffsets: Record<WeaponSource, number> = {
  personal: 12_345,
  collective: 5_000_000,
  cache: 25_000_000,
};

/** A unique serial number for weapon number n: a bijection of n (7919 is prime to 10^8). */
function serialNumber(source: WeaponSource, n: number): string {
  const digits = (n * 7919 + serialOffsets[source]) % 100_000_000;
  return String(digits).padStart(8, "0");
}

/** The same serial written differently: what a second registrar may type for the same marking. */
function respell(serial: string): string {
  return serial.length > 4 ? `${serial.slice(0, 4)} ${serial.slice(4)}` : serial.toLowerCase();
}

/** Placeholders officers type when the serial cannot be read; the rules refuse every one. */
export const placeholderSerials = ["XXX", "unknown", "illegible", "N/A", "0000", "غير معروف", "?", "none"];

export interface WeaponFaults {
  /** Weapon number of an earlier weapon whose serial this one repeats. */
  duplicateOf?: number;
  /** The placeholder an officer first typed. */
  placeholder?: string;
}

/** The weapon's fields for handover.record (without the faults: see `faults.ts`). */
export function weaponPayload(draws: Draws, source: WeaponSource, n: number, faults: WeaponFaults) {
  // A repeated serial comes with its weapon's make and model, or it would not be the same weapon.
  const model = modelOf(draws, source, faults.duplicateOf ?? n);
  const s = draws.stream("weapon", source, n, "fields");
  const condition = s.pick(["new", "good", "good", "good", "worn", "worn", "worn", "damaged", "inoperable"]);
  const serviceable = condition !== "damaged" && condition !== "inoperable";
  const base = {
    category: model.category,
    type: model.type,
    make: model.make,
    model: model.model,
    ...(model.calibre !== "none" ? { calibre: model.calibre } : {}),
    countryOfManufacture: model.country,
    yearOfManufacture: s.int(model.years[0], model.years[1]),
    condition,
    serviceable,
    ...(s.chance(0.03) ? { alteredMarks: true } : {}),
  };
  if (faults.placeholder !== undefined)
    return {
      attempt: { ...base, serial: faults.placeholder },
      weapon: { ...base, noReadableSerial: true, photos: [draws.fileRef("weapon", source, n, "marking")] },
    };
  const serial =
    faults.duplicateOf !== undefined
      ? respell(`${model.prefix}${serialNumber(source, faults.duplicateOf)}`)
      : `${model.prefix}${serialNumber(source, n)}`;
  return { weapon: { ...base, serial } };
}

/** Ammunition a person hands in with a weapon (or alone): one lot of cartridges. */
export function personalLot(s: Stream, calibre: string, rounds: number) {
  return {
    kind: "cartridge",
    calibreOrType: calibre,
    quantity: rounds,
    unit: "rounds",
    condition: s.chance(0.9) ? "stable" : "unknown",
    safeToMove: true,
    ...(s.chance(0.5) ? { headstamp: s.pick(["539 71", "711 83", "17 74", "IQ 88", "61 79"]) } : {}),
  };
}

/** Ammunition a group hands over: crates of cartridges and counted bombs and rockets. */
export function collectiveLots(s: Stream, rounds: number) {
  const lots: Record<string, unknown>[] = [];
  for (let left = rounds; left > 0; ) {
    const quantity = Math.min(left, 50_000);
    lots.push({
      kind: "cartridge",
      calibreOrType: s.pick(["7.62x39mm", "7.62x39mm", "7.62x54mmR", "12.7x108mm", "5.56x45mm"]),
      quantity,
      unit: "rounds",
      lotMark: `LOT-${s.int(1000, 9999)}`,
      hazardDivision: "1.4",
      condition: "stable",
      safeToMove: true,
    });
    left -= quantity;
    if (lots.length >= 400) break;
  }
  lots.push({
    kind: "mortar_bomb",
    calibreOrType: "82mm HE",
    quantity: s.int(20, 200),
    unit: "items",
    hazardDivision: "1.1",
    condition: s.chance(0.8) ? "stable" : "unstable",
    safeToMove: true,
  });
  lots.push({
    kind: "rocket",
    calibreOrType: "PG-7V",
    quantity: s.int(10, 120),
    unit: "items",
    hazardDivision: "1.1",
    condition: "stable",
    safeToMove: true,
  });
  return lots;
}
