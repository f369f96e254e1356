// Folding of Latin-script renderings of Arabic names. Officers romanise by ear, by habit (English,
// French, Iraqi colloquial) or by a scholarly scheme (ALA-LC with macrons and dots), so the same
// name arrives as "Muḥammad", "MOHAMMED", "Mouhamad". What is removed here carries no identity:
// case, diacritics and the ayn/hamza apostrophes, the article (al-, el-, as-, ash-…), the filiation
// words bin/ibn/bint, and doubled letters (shadda is written or not at will). "Abd" compounds are
// joined with the name they govern, as in Arabic (عبد الكريم is one name).

// Apostrophes and modifier letters used for ayn and hamza (ʿ ʾ ' ’ ‘ `), and the dot of initials.
const AYN_HAMZA = /[\u02BB\u02BC\u02BE\u02BF\u02C8'\u2018\u2019`]/gu;
// Letters that NFKD does not decompose into a base letter plus a mark.
const SPECIAL: Record<string, string> = { ı: "i", ø: "o", ß: "ss", æ: "ae", œ: "oe", đ: "d", ł: "l", ŧ: "t" };

// The article in its spellings, including the sun-letter assimilations (as-Sudani, ar-Rubaie).
const ARTICLES = new Set([
  "al",
  "el",
  "il",
  "ul",
  "as",
  "es",
  "ash",
  "esh",
  "ad",
  "ed",
  "adh",
  "at",
  "et",
  "ath",
  "ar",
  "er",
  "az",
  "ez",
  "an",
  "en",
  "ag",
]);
const FILIATION = new Set(["bin", "ibn", "bint", "ben", "bn", "binti"]);
// "Abd", "Abdul", "Abdel"… take the following name: Abdul Karim = Abd al-Karim = Abdulkarim.
const ABD = new Set(["abd", "abdul", "abdel", "abdal", "abdol", "abdil", "abdu", "abdo"]);
// "Abu" likewise: Abu Bakr = Abubakr (أبو بكر).
const ABU = new Set(["abu", "abou", "abo"]);

/** Lower case ASCII letters and single spaces; hyphens become spaces. */
export function foldLatin(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFKD").toLowerCase()) out += SPECIAL[ch] ?? ch;
  return out
    .replace(/\p{M}/gu, "")
    .replace(AYN_HAMZA, "")
    .replace(/[-.\s]+/gu, " ")
    .trim();
}

/** "alsudani" → "sudani", "assudani" → "sudani", "ashshammari" → "shammari"; a name stays ≥ 4 letters. */
function stripGluedArticle(word: string): string {
  const m = /^(?:[ae]l|[ae]([tdrzsn])(?=\1)|[ae]sh(?=sh))(.+)$/u.exec(word);
  if (!m) return word;
  const rest = word.slice(word.length - m[2]!.length);
  return rest.length >= 4 ? rest : word;
}

/**
 * The words of a folded Latin name: articles and filiation words dropped, compounds joined,
 * doubled letters made single. `family` also strips an article glued to the word ("Alsudani"):
 * in a given name that would break real names (Alwan, Ali), in a family name it is the norm.
 */
export function latinWords(folded: string, options: { family?: boolean } = {}): string[] {
  const raw = folded.split(" ").filter((w) => w.length > 0);
  // Words are recognised (article, bin, Abd…) with doubled letters made single ("Abbdul"), but
  // kept as typed until the end: a glued article shows itself by a doubled letter (Assudani).
  const single = (w: string) => w.replace(/(.)\1+/gu, "$1");
  const words: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    let w = raw[i]!;
    if (FILIATION.has(single(w))) continue;
    // "al-Sudani", "al Sudani": the article as its own word goes; "Al" alone stays (a name).
    if (ARTICLES.has(single(w)) && i + 1 < raw.length) continue;
    if ((ABD.has(single(w)) || ABU.has(single(w))) && i + 1 < raw.length) {
      let next = raw[i + 1]!;
      let skip = 1;
      if (ARTICLES.has(single(next)) && i + 2 < raw.length) {
        next = raw[i + 2]!;
        skip = 2;
      }
      w = (ABD.has(single(w)) ? "abd" : "abu") + stripGluedArticle(next);
      i += skip;
    } else {
      // Glued compounds: Abdulkarim, Abdelkarim, Abdalla(h) → abd + the governed name.
      const glued = /^abd(?:u|e|a|o|i)?l(.{3,})$/u.exec(single(w));
      if (glued) w = `abd${glued[1]!}`;
      else if (options.family) w = stripGluedArticle(w);
    }
    words.push(w.replace(/(.)\1+/gu, "$1"));
  }
  return words;
}
