import { iraqGovernorates } from "@armsledger/core";

// One collection site in each governorate's capital and two mobile teams for the large rural
// governorates: the scenario's 20 collection lanes. Three regional depots and one destruction
// range. The coordinates of collection sites are the capitals'; the rest are invented.

export type SiteKind = "collection" | "mobile_team" | "depot" | "destruction";

export interface SiteDefinition {
  code: string;
  kind: SiteKind;
  ar: string;
  en: string;
  governorate: string;
  lat: number;
  lon: number;
}

const collectionSites: SiteDefinition[] = iraqGovernorates.map((g) => ({
  code: `C-${g.code.slice(3)}`,
  kind: "collection",
  ar: `موقع جمع ${g.capital.ar}`,
  en: `${g.capital.en} collection site`,
  governorate: g.code,
  lat: g.capital.lat,
  lon: g.capital.lon,
}));

const mobileTeams: SiteDefinition[] = [
  {
    code: "M-NI",
    kind: "mobile_team",
    ar: "الفريق المتنقل نينوى",
    en: "Nineveh mobile team",
    governorate: "IQ-NI",
    lat: 36.1,
    lon: 42.8,
  },
  {
    code: "M-AN",
    kind: "mobile_team",
    ar: "الفريق المتنقل الأنبار",
    en: "Anbar mobile team",
    governorate: "IQ-AN",
    lat: 33.9,
    lon: 42.4,
  },
];

export const depots: SiteDefinition[] = [
  {
    code: "D-CEN",
    kind: "depot",
    ar: "مستودع التاجي",
    en: "Taji depot",
    governorate: "IQ-BG",
    lat: 33.52,
    lon: 44.26,
  },
  {
    code: "D-SOU",
    kind: "depot",
    ar: "مستودع الشعيبة",
    en: "Shaibah depot",
    governorate: "IQ-BA",
    lat: 30.42,
    lon: 47.65,
  },
  {
    code: "D-NOR",
    kind: "depot",
    ar: "مستودع القيارة",
    en: "Qayyarah depot",
    governorate: "IQ-NI",
    lat: 35.8,
    lon: 43.29,
  },
];

export const destructionSite: SiteDefinition = {
  code: "X-BSM",
  kind: "destruction",
  ar: "ميدان إتلاف بسماية",
  en: "Besmaya destruction range",
  governorate: "IQ-BG",
  lat: 33.18,
  lon: 44.58,
};

/** The 20 collection lanes, in a fixed order (lane i is lanes[i]). */
export const lanes: readonly SiteDefinition[] = [...collectionSites, ...mobileTeams];

export const allSites: readonly SiteDefinition[] = [...lanes, ...depots, destructionSite];

const NORTH = new Set(["IQ-NI", "IQ-DA", "IQ-AR", "IQ-SU", "IQ-KI", "IQ-SD"]);
const SOUTH = new Set(["IQ-BA", "IQ-MA", "IQ-DQ", "IQ-MU"]);

/** The regional depot a collection lane sends its items to. */
export function depotFor(lane: SiteDefinition): SiteDefinition {
  if (NORTH.has(lane.governorate)) return depots[2]!;
  if (SOUTH.has(lane.governorate)) return depots[1]!;
  return depots[0]!;
}

export function sitePayload(site: SiteDefinition, siteId: string) {
  return {
    siteId,
    code: site.code,
    kind: site.kind,
    name: { ar: site.ar, en: site.en },
    governorate: site.governorate,
    location: { lat: site.lat, lon: site.lon },
  };
}
