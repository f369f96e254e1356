// Folding of Arabic-script names to one spelling per name, so that the same name typed on an
// Arabic, a Persian or a Kurdish keyboard, with or without hamza, vowel marks or tatweel, compares
// equal. The table follows Lucene's ArabicNormalizer (hamza-on-alef and madda → alef, alef maqsura
// → yeh, ta marbuta → heh, tatweel and harakat removed) and PersianNormalizer (farsi yeh, keheh,
// heh goal/yeh), plus Google nisaba's reading normalisation for Arabic and Sorani Kurdish
// (nisaba/scripts/abjad_alphabet/data/Arab/{ar,ckb}/reading_norm.textproto: farsi yeh → yeh,
// swash kaf / keheh, teh with three dots → teh). Both are Apache-2.0; nothing is copied, the
// mappings are re-stated here letter by letter.
//
// Where we depart from Lucene: ta marbuta is kept distinct here (ة → ه would lose nothing for
// search, but the cross-script skeleton in skeleton.ts drops ta marbuta and keeps heh), and the
// Persian and Kurdish letters that have no Arabic equivalent (پ چ ژ گ ڤ) are kept, because they are
// different sounds and the skeleton maps them to their own classes.

/** One character → its folded form ("" deletes it). */
const FOLD: Record<string, string> = {
  // Hamza carriers → the bare letter (Lucene: ALEF_MADDA, ALEF_HAMZA_ABOVE, ALEF_HAMZA_BELOW).
  "\u0622": "\u0627", // آ
  "\u0623": "\u0627", // أ
  "\u0625": "\u0627", // إ
  "\u0671": "\u0627", // ٱ alef wasla
  "\u0672": "\u0627", // ٲ wavy hamza above (nisaba)
  "\u0673": "\u0627", // ٳ wavy hamza below (nisaba)
  "\u0624": "\u0648", // ؤ → waw
  "\u0626": "\u064A", // ئ → yeh
  "\u0621": "", // ء lone hamza: written or not at will in names (علاء / علا)
  // Alef maqsura → yeh (Lucene DOTLESS_YEH); Persian and Kurdish yeh forms → yeh (nisaba).
  "\u0649": "\u064A", // ى
  "\u06CC": "\u064A", // ی farsi yeh
  "\u06D2": "\u064A", // ے yeh barree
  "\u06CE": "\u064A", // ێ Kurdish yeh with small v
  "\u06D0": "\u064A", // ې
  // Kaf forms (PersianNormalizer KEHEH; nisaba SWASH KAF).
  "\u06A9": "\u0643", // ک keheh
  "\u06AA": "\u0643", // ڪ swash kaf
  // Heh forms (PersianNormalizer HEH_YEH, HEH_GOAL); Kurdish ae is written for a final -a/-e.
  "\u06C0": "\u0647", // ۀ heh with yeh above
  "\u06C1": "\u0647", // ہ heh goal
  "\u06BE": "\u0647", // ھ heh doachashmee
  "\u06D5": "\u0629", // ە Kurdish ae: a final vowel letter, like ta marbuta in names
  // Kurdish waw forms → waw; Kurdish reh and lam with marks → the plain letter.
  "\u06C6": "\u0648", // ۆ oe
  "\u06C7": "\u0648", // ۇ u
  "\u06C8": "\u0648", // ۈ yu
  "\u06CA": "\u0648", // ۊ
  "\u0695": "\u0631", // ڕ reh with small v below
  "\u06B5": "\u0644", // ڵ lam with small v
  "\u067D": "\u062A", // ٽ teh with three dots above downwards (nisaba)
  // Tatweel and the combining marks (Lucene: TATWEEL, FATHATAN … SUKUN) plus the rest of the
  // Arabic mark block: superscript alef, maddah, hamza above/below, small high letters.
  "\u0640": "",
};

// U+064B–U+065F harakat and other marks, U+0670 superscript alef, U+06D6–U+06ED Quranic
// annotation marks: none of them is a letter of a name.
const MARKS = /[\u064B-\u065F\u0670\u06D6-\u06ED\u08D3-\u08FF]/gu;
// Zero-width joiners/non-joiners, LRM/RLM, word joiner, BOM, soft hyphen: invisible, vary by
// keyboard, never part of the name.
export const INVISIBLE = /[\u00AD\u200B-\u200F\u2060\uFEFF]/gu;
// Arabic letters (any block) used to decide a text's script.
export const ARABIC_LETTER = /[\u0620-\u064A\u066E-\u06D5\u06EE\u06EF\u06FA-\u06FF\u0750-\u077F]/u;
const ARABIC_INDIC_DIGIT = /[\u0660-\u0669\u06F0-\u06F9]/gu;

/** Arabic-Indic and Extended Arabic-Indic digits → 0-9 (used for national ids and years). */
export function westernDigits(s: string): string {
  return s.replace(ARABIC_INDIC_DIGIT, (d) => String((d.codePointAt(0) ?? 0) & 0xf));
}

/**
 * An Arabic-script name folded letter by letter: NFKC first (so presentation forms such as the
 * lam-alef ligature ﻻ become their letters), then the table above; words separated by one space.
 */
export function foldArabic(text: string): string {
  const decomposed = text.normalize("NFKC").replace(INVISIBLE, "").replace(MARKS, "");
  let out = "";
  for (const ch of decomposed) out += FOLD[ch] ?? ch;
  return out.replace(/\s+/gu, " ").trim();
}

const ARTICLE = "\u0627\u0644"; // ال

/**
 * The words of a folded Arabic name, with "عبد" joined to the name that follows it (عبد الكريم and
 * عبدالكريم are one name, the servant-of compound) and the article removed from the start of a
 * word when enough of the word remains to be a name (السوداني → سوداني, but الياس stays
 * recognisable as ياس; a name is never reduced below two letters).
 */
export function arabicWords(folded: string): string[] {
  const words = folded.split(" ").filter((w) => w.length > 0);
  const joined: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if ((w === "عبد" || w === "ابو") && next !== undefined) {
      joined.push(w + stripArticle(next));
      i++;
    } else joined.push(w);
  }
  return joined
    .map((w) => {
      // A glued compound: عبدالكريم → عبدكريم, as the split form gives.
      const compound = /^(عبد|ابو)ال(.{2,})$/u.exec(w);
      return compound ? compound[1]! + compound[2]! : stripArticle(w);
    })
    .filter((w) => w !== "بن" && w !== "ابن" && w !== "بنت");
}

function stripArticle(word: string): string {
  return word.startsWith(ARTICLE) && word.length - 2 >= 2 ? word.slice(2) : word;
}
