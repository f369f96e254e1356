// Renders a phonemic name (pools.ts) in Arabic script and in four Latin schemes. The schemes
// are written independently of the matcher's tables (packages/core/src/names): they say how
// people write names, not how the matcher reads them, so the evaluation is not circular.
//   alalc    scholarly: Muḥammad Jāsim al-Sūdānī (macrons, dots, ’ for ayn)
//   english  simple English: Muhammad Jasim al-Sudani / as-Sudani, Abdul Karim, Fatimah
//   iraqi    colloquial: Mohammed Jassem Alsudani, qaf as g (Gasim), dh for dad/dha, e/o vowels
//   french   Levantine/French: Mouhamad Djassem el-Soudani, ch for shin, ou for u
// Arabic script varies too: hamza written or not, ta marbuta as ه, alef maqsura as ي, optional
// shadda and vowel marks, "عبد الكريم" or "عبدالكريم".

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

export const schemes = ["alalc", "english", "iraqi", "french"] as const;
export type Scheme = (typeof schemes)[number];

const ARABIC: Record<string, string> = {
  b: "ب",
  t: "ت",
  V: "ث",
  j: "ج",
  H: "ح",
  x: "خ",
  d: "د",
  D: "ذ",
  r: "ر",
  z: "ز",
  s: "س",
  C: "ش",
  S: "ص",
  P: "ض",
  T: "ط",
  Z: "ظ",
  "3": "ع",
  G: "غ",
  f: "ف",
  q: "ق",
  k: "ك",
  l: "ل",
  m: "م",
  n: "ن",
  h: "ه",
  w: "و",
  y: "ي",
  A: "ا",
  I: "ي",
  U: "و",
};
const VOWEL_MARK: Record<string, string> = { a: "\u064E", i: "\u0650", u: "\u064F" };
const SUN = new Set(["t", "V", "d", "D", "r", "z", "s", "C", "S", "P", "T", "Z", "l", "n"]);

interface ArabicStyle {
  hamza: boolean;
  marks: boolean;
  taMarbutaAsHeh: boolean;
  maqsuraAsYeh: boolean;
}

function arabicWord(phon: string, style: ArabicStyle): string {
  let out = "";
  for (let i = 0; i < phon.length; i++) {
    const p = phon[i]!;
    const prev = phon[i - 1];
    const next = phon[i + 1];
    if (p === "a" || p === "i" || p === "u") {
      if (i === 0) out += style.hamza ? (p === "i" ? "إ" : "أ") : "ا";
      else if (style.marks) out += VOWEL_MARK[p];
      continue;
    }
    if (p === "'") {
      if (i === phon.length - 1) out += "ء";
      else if (next === "I" || next === "i") out += "ئ";
      else if (prev === "u" || next === "U") out += style.hamza ? "ؤ" : "و";
      else out += style.hamza ? "أ" : "ا";
      continue;
    }
    if (p === "@") {
      out += style.taMarbutaAsHeh ? "ه" : "ة";
      continue;
    }
    if (p === "Y") {
      out += style.maqsuraAsYeh ? "ي" : "ى";
      continue;
    }
    if (p === prev) {
      if (style.marks) out += "\u0651";
      continue;
    }
    out += ARABIC[p] ?? "";
  }
  return out;
}

/** One name (possibly "al-X", "3abd al-X") in Arabic script. */
export function renderArabic(phon: string, rng: Rng, options: { article?: boolean } = {}): string {
  const style: ArabicStyle = {
    hamza: rng() < 0.6,
    marks: rng() < 0.05,
    taMarbutaAsHeh: rng() < 0.15,
    maqsuraAsYeh: rng() < 0.3,
  };
  const compound = /^3abd al-(.+)$/u.exec(phon);
  if (compound) return `عبد${rng() < 0.5 ? " " : ""}ال${arabicWord(compound[1]!, style)}`;
  const article = /^al-(.+)$/u.exec(phon);
  if (article) return `${options.article === false ? "" : "ال"}${arabicWord(article[1]!, style)}`;
  return arabicWord(phon, style);
}

type Table = Record<string, readonly string[]>;

const BASE: Table = {
  b: ["b"],
  t: ["t"],
  V: ["th"],
  j: ["j"],
  H: ["h"],
  x: ["kh"],
  d: ["d"],
  D: ["dh"],
  r: ["r"],
  z: ["z"],
  s: ["s"],
  C: ["sh"],
  S: ["s"],
  P: ["d", "dh"],
  T: ["t"],
  Z: ["z", "dh"],
  "3": ["", "", "'"],
  G: ["gh"],
  f: ["f"],
  q: ["q"],
  k: ["k"],
  l: ["l"],
  m: ["m"],
  n: ["n"],
  h: ["h"],
  w: ["w"],
  y: ["y"],
  "'": ["", "'"],
  a: ["a"],
  i: ["i"],
  u: ["u"],
  A: ["a"],
  I: ["i", "ee"],
  U: ["u", "oo"],
  "@": ["a", "ah"],
  Y: ["a"],
};

const SCHEME: Record<Scheme, Table> = {
  alalc: {
    ...BASE,
    H: ["ḥ"],
    S: ["ṣ"],
    P: ["ḍ"],
    T: ["ṭ"],
    Z: ["ẓ"],
    // ʻ and ʼ (U+02BB/U+02BC) are what ALA-LC prescribes, but registration (records/text.ts)
    // accepts only the apostrophes ' and ’, so that is what officers can type.
    "3": ["’"],
    "'": ["'"],
    A: ["ā"],
    I: ["ī"],
    U: ["ū"],
    "@": ["ah"],
    Y: ["á"],
  },
  english: { ...BASE },
  iraqi: {
    ...BASE,
    q: ["g", "g", "q"],
    Z: ["dh", "dh", "th", "z"],
    P: ["dh"],
    D: ["dh", "th"],
    u: ["o", "u"],
    i: ["e", "i"],
    a: ["a", "a", "e"],
    I: ["ee", "i"],
    U: ["o", "u", "oo"],
    "@": ["a"],
  },
  french: {
    ...BASE,
    C: ["ch"],
    j: ["dj", "j"],
    q: ["k", "q"],
    Z: ["z", "dh"],
    P: ["d", "dh"],
    D: ["z", "dh"],
    V: ["th", "t"],
    u: ["ou", "o"],
    U: ["ou"],
    i: ["e", "i"],
    "@": ["a"],
  },
};

const VOWELS = new Set(["a", "i", "u", "A", "I", "U"]);

function latinWord(phon: string, scheme: Scheme, rng: Rng): string {
  const table = SCHEME[scheme];
  let out = "";
  for (let i = 0; i < phon.length; i++) {
    const p = phon[i]!;
    const prev = phon[i - 1];
    // Shadda: written doubled by most, single by some (Mohamed), never by ALA-LC omission.
    if (p === prev && !VOWELS.has(p)) {
      if (scheme === "alalc" || rng() < 0.7) out += pick(rng, table[p] ?? [""]);
      continue;
    }
    // The diphthong ay: ay / ai / ei (Husayn, Hussain, Hussein).
    if (p === "a" && phon[i + 1] === "y" && scheme !== "alalc" && !VOWELS.has(phon[i + 2] ?? "")) {
      out += pick(rng, ["ay", "ai", "ei"]);
      i++;
      continue;
    }
    out += pick(rng, table[p] ?? [""]);
    // Colloquial gemination of a single s between vowels (Jassim, Hussein, Kassem).
    if (p === "s" && scheme !== "alalc" && VOWELS.has(prev ?? "") && rng() < 0.3) out += "s";
  }
  return out;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One name (possibly "al-X", "3abd al-X") in a Latin scheme. */
export function renderLatin(
  phon: string,
  scheme: Scheme,
  rng: Rng,
  options: { article?: boolean } = {},
): string {
  const compound = /^3abd al-(.+)$/u.exec(phon);
  if (compound) {
    const rest = compound[1]!;
    if (rest === "llAh")
      return scheme === "alalc" ? "’Abd Allāh" : pick(rng, ["Abdullah", "Abdallah", "Abd Allah", "Abdulla"]);
    const word = latinWord(rest, scheme, rng);
    if (scheme === "alalc") return `’Abd al-${capital(word)}`;
    return pick(rng, [
      `Abd al-${capital(word)}`,
      `Abdul ${capital(word)}`,
      `Abdel ${capital(word)}`,
      `Abdul${word}`,
    ]);
  }
  const article = /^al-(.+)$/u.exec(phon);
  if (article) {
    const rest = article[1]!;
    const word = capital(latinWord(rest, scheme, rng));
    if (options.article === false) return word;
    const first = rest[0]!;
    const sun = SUN.has(first) ? latinWord(first, scheme, rng).toLowerCase() : "l";
    if (scheme === "alalc") return `al-${word}`;
    if (scheme === "french") return pick(rng, [`el-${word}`, `al-${word}`, `El ${word}`]);
    if (scheme === "iraqi") return pick(rng, [`Al${word.toLowerCase()}`, `Al-${word}`, `al-${word}`]);
    return pick(rng, [`al-${word}`, `Al-${word}`, `a${sun}-${word}`]);
  }
  return capital(latinWord(phon, scheme, rng));
}
