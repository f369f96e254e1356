// Name pools for the generator, in a phonemic spelling from which both the Arabic script and
// every Latin scheme are derived (render.ts), so that one person has one name and many renderings.
// Letters: b t V(ث) j H(ح) x(خ) d D(ذ) r z s C(ش) S(ص) P(ض) T(ط) Z(ظ) 3(ع) G(غ) f q k l m n h w y
// ' (hamza); short vowels a i u, long A I U; @ ta marbuta; Y alef maqsura. A doubled consonant is
// a shadda. "al-" is the article; "3abd al-X" a compound. Weights are relative frequencies, set
// by hand to give the skew of Iraqi registries (a few names cover much of the population; NAMES.md).

export type Pool = readonly (readonly [string, number])[];

export const maleNames: Pool = [
  ["muHammad", 12],
  ["3alI", 8],
  ["Husayn", 5],
  ["Hasan", 4],
  ["aHmad", 4],
  ["3abbAs", 3],
  ["jAsim", 2],
  ["qAsim", 2],
  ["kAZim", 2],
  ["3umar", 2],
  ["mahdI", 2],
  ["Haydar", 2],
  ["muSTafY", 2],
  ["maHmUd", 2],
  ["xAlid", 2],
  ["ibrAhIm", 2],
  ["3abd al-llAh", 2],
  ["3abd al-karIm", 1],
  ["3abd al-amIr", 1],
  ["3abd al-raHmAn", 1],
  ["3abd al-Husayn", 1],
  ["SAliH", 1.5],
  ["yUsuf", 1.5],
  ["karIm", 1.5],
  ["jabbAr", 1],
  ["salmAn", 1],
  ["3adnAn", 1],
  ["fAris", 1],
  ["Hamz@", 1],
  ["usAm@", 1],
  ["ziyAd", 1],
  ["sa3d", 1],
  ["walId", 1],
  ["sAmir", 1],
  ["VAmir", 1],
  ["ra3d", 1],
  ["PiyA'", 1],
  ["3alA'", 1],
  ["ja3far", 1],
  ["murtaPY", 1],
  ["muqtadY", 0.6],
  ["muntaZir", 0.7],
  ["sattAr", 0.8],
  ["jawAd", 0.8],
  ["kAmil", 0.8],
  ["jamAl", 0.8],
  ["riyAP", 0.8],
  ["hAdI", 0.8],
  ["fAPil", 0.8],
  ["3imAd", 0.7],
  ["layV", 0.8],
  ["falAH", 0.6],
  ["nizAr", 0.6],
  ["qays", 0.6],
  ["TAriq", 0.8],
  ["3Adil", 0.8],
  ["SabAH", 0.6],
  ["salAm", 0.6],
  ["rasUl", 0.6],
  ["3aqIl", 0.6],
  ["mu'ayyad", 0.5],
  ["hACim", 0.7],
  ["nUrI", 0.5],
  ["ismA3Il", 0.7],
  ["yAsIn", 0.7],
  ["TAhA", 0.6],
  ["mAjid", 0.7],
  ["munIr", 0.4],
  ["xalIl", 0.6],
  ["SAdiq", 0.7],
  ["GAnim", 0.5],
  ["TAlib", 0.5],
  ["HAmid", 0.6],
  ["Hamad", 0.4],
  ["marwAn", 0.5],
  ["bilAl", 0.5],
  ["3ammAr", 0.6],
  ["yAsir", 0.6],
  ["munDir", 0.4],
  ["3azIz", 0.5],
  ["GAzI", 0.5],
  ["mAzin", 0.5],
  ["zayd", 0.6],
  ["hayVam", 0.5],
  ["HAzim", 0.5],
  ["najm", 0.4],
  ["Dakir", 0.3],
];

export const femaleNames: Pool = [
  ["fATim@", 5],
  ["zaynab", 4],
  ["maryam", 3],
  ["xadIj@", 2],
  ["zahrA'", 1.5],
  ["amal", 1],
  ["sakIn@", 1],
  ["ruqayy@", 1],
  ["HanAn", 1],
  ["su3Ad", 1],
  ["laylY", 1],
  ["samIr@", 1],
  ["3azIz@", 0.8],
  ["amIr@", 0.8],
  ["wafA'", 0.6],
  ["nawAl", 0.6],
  ["HayAt", 0.6],
  ["jamIl@", 0.7],
  ["xawl@", 0.5],
  ["buCrY", 0.5],
  ["Hamd@", 0.4],
  ["nUr", 0.8],
  ["Sabr@", 0.4],
  ["3Aliy@", 0.5],
  ["kawVar", 0.5],
  ["najAH", 0.4],
  ["intiSAr", 0.4],
  ["ibtisAm", 0.4],
];

export const families: Pool = [
  ["al-jubUrI", 8],
  ["al-tamImI", 6],
  ["al-dulaymI", 5],
  ["al-CammarI", 4],
  ["al-3ubaydI", 4],
  ["al-rubay3I", 3],
  ["al-sUdAnI", 3],
  ["al-zubaydI", 3],
  ["al-mAlikI", 3],
  ["al-3AmirI", 2],
  ["al-kinAnI", 2],
  ["al-xazrajI", 2],
  ["al-sA3idI", 2],
  ["al-HasanI", 2],
  ["al-mUsawI", 2],
  ["al-bayAtI", 2],
  ["al-lAmI", 2],
  ["al-3azzAwI", 1.5],
  ["al-DahabI", 1],
  ["al-najafI", 1],
  ["al-baSrI", 1],
  ["al-tikrItI", 1],
  ["al-hamdAnI", 1.5],
  ["al-fatlAwI", 1.5],
  ["al-ka3bI", 1.5],
  ["al-mayyAHI", 1],
  ["al-xafAjI", 1.5],
  ["al-baGdAdI", 1],
  ["al-HarbI", 1],
  ["al-zaydI", 1.5],
  ["al-kubaysI", 1],
  ["al-qaysI", 1],
  ["al-TA'I", 1],
  ["al-mas3UdI", 1],
  ["al-Sa3dI", 1],
  ["al-nu3aymI", 1],
  ["al-CuwaylI", 1],
  ["al-janAbI", 1.5],
  ["al-garawI", 0.5],
  ["3allAwI", 0.5],
  ["al-karxI", 0.5],
  ["al-bahAdilI", 1],
  ["al-Cam3I", 0.5],
  ["al-xuzA3I", 1],
  ["al-daraCI", 0.5],
];

/** Iraq's governorates (ISO 3166-2) with rough population weights. */
export const governorates: Pool = [
  ["IQ-BG", 8],
  ["IQ-NI", 4],
  ["IQ-BA", 3],
  ["IQ-SU", 2],
  ["IQ-DI", 2],
  ["IQ-AN", 2],
  ["IQ-DQ", 2],
  ["IQ-BB", 2],
  ["IQ-KI", 1.5],
  ["IQ-SD", 1.5],
  ["IQ-NA", 1.5],
  ["IQ-AR", 2],
  ["IQ-WA", 1.5],
  ["IQ-KA", 1.5],
  ["IQ-QA", 1.5],
  ["IQ-DA", 1.5],
  ["IQ-MA", 1],
  ["IQ-MU", 1],
];

// The long tail. Arabic given names and family names are mostly a three-consonant root poured
// into a pattern (f-r-s in fAris, k-r-m in karIm, H-m-d in maHmUd, muHammad, Hamad); a registry
// of a million holds thousands of distinct names, while the hand lists above hold the head. The
// tail is generated from random roots and the common patterns, deterministically (its own seed),
// and drawn with a Zipf-like skew; it carries a quarter of given names and half of family names.
const ROOT_LETTERS = [..."btjHxdrzsCSTZ3fqklmnhwy"];
const MALE_PATTERNS = [
  "1A2i3",
  "1a2I3",
  "1a22A3",
  "ma12U3",
  "1a2A3",
  "1i2A3",
  "1u2ay3",
  "mu1a22a3",
  "mu12i3",
  "1a23An",
];
const FEMALE_PATTERNS = ["1a2I3@", "1A2i3@", "1a2A3", "1u2ay3@", "1a23A'"];
const FAMILY_PATTERNS = ["al-1a23AwI", "al-1a2A3I", "al-1u2ay3I", "al-1a22A3I", "al-1A2i3I", "al-1a23I"];

function tail(seed: number, patterns: readonly string[], size: number): string[] {
  let a = seed;
  const next = () => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return a / 4294967296;
  };
  const names = new Set<string>();
  while (names.size < size) {
    const root = [0, 1, 2].map(() => ROOT_LETTERS[Math.floor(next() * ROOT_LETTERS.length)]!);
    if (root[0] === root[1] || root[1] === root[2]) continue;
    const pattern = patterns[Math.floor(next() * patterns.length)]!;
    names.add(pattern.replace(/[123]/gu, (d) => root[Number(d) - 1]!));
  }
  return [...names];
}

export const maleTail = tail(11, MALE_PATTERNS, 3000);
export const femaleTail = tail(12, FEMALE_PATTERNS, 1500);
export const familyTail = tail(13, FAMILY_PATTERNS, 3000);
