// The cross-script key of a name word: its consonant skeleton, in classes that an Arabic spelling
// and its Latin renderings share. No library does this (tried per NAMES.md: arabic-name-to-en,
// any-ascii, transliteration romanise Arabic but do not fold the many Latin spellings back), so it
// is written here. It is deliberately lossy:
// - Arabic writes no short vowels and Latin renderings disagree on all vowels, so vowels go, and so
//   do the weak letters alef, waw and yeh (Hussein/Husayn/حسين → hsn) and ayn and hamza (Latin
//   mostly drops them: Ali/علي → l).
// - Consonants that dialects and schemes confuse share a class: qaf is q, g or k in Iraq
//   (Qasim/Gasim/Kassem/قاسم → ksm); dal, dhal, dad, dha, zay and tha are written d, dh, z or th
//   (Kadhim/Kazim/Kathim/كاظم → kdm); sin and sad are both s; ta and teh both t; ha and heh both h.
// - A word-final h-class letter goes in both scripts, because ta marbuta is written -a, -ah or -eh
//   in Latin and Latin cannot tell it from a final heh or ha (Fatimah/فاطمة, Abdullah/عبدالله,
//   Saleh/صالح all lose it alike).
// - Doubled classes collapse (shadda and doubled Latin letters are optional).
// On Google's Arabic→Latin word list such a skeleton is identical for ~84% of true pairs and
// within one edit for ~97% (NAMES.md); the rest is left to the edit-distance level of compare.ts.
//
// Classes: b t d j h x(kh) g(gh) r s c(sh) f k l m n.

const ARABIC_CLASS: Record<string, string> = {
  ب: "b",
  پ: "b",
  ت: "t",
  ط: "t",
  ث: "d",
  ذ: "d",
  د: "d",
  ض: "d",
  ظ: "d",
  ز: "d",
  ج: "j",
  ژ: "j",
  چ: "c",
  ح: "h",
  ه: "h",
  خ: "x",
  غ: "g",
  ر: "r",
  س: "s",
  ص: "s",
  ش: "c",
  ف: "f",
  ڤ: "f",
  ق: "k",
  ك: "k",
  گ: "k",
  ل: "l",
  م: "m",
  ن: "n",
};

// Latin digraphs first (longest match), then single letters. "ch" is the French sh (Chaker =
// Shakir), "g" is the Iraqi qaf (Gasim), "th"/"dh" the interdentals, "dj" the French jim.
const LATIN_DIGRAPH: Record<string, string> = {
  sh: "c",
  ch: "c",
  kh: "x",
  gh: "g",
  th: "d",
  dh: "d",
  dj: "j",
  zh: "j",
  ph: "f",
  ck: "k",
};
const LATIN_CLASS: Record<string, string> = {
  b: "b",
  p: "b",
  t: "t",
  d: "d",
  z: "d",
  j: "j",
  h: "h",
  r: "r",
  s: "s",
  f: "f",
  v: "f",
  q: "k",
  k: "k",
  c: "k",
  g: "k",
  x: "ks",
  l: "l",
  m: "m",
  n: "n",
};

function finish(classes: string): string {
  return classes.replace(/(.)\1+/gu, "$1").replace(/h$/u, "");
}

/** Skeleton of one folded Arabic word (arabic.ts: foldArabic + arabicWords). */
export function arabicSkeleton(word: string): string {
  let out = "";
  for (const ch of word) out += ARABIC_CLASS[ch] ?? "";
  return finish(out);
}

/** Skeleton of one folded Latin word (latin.ts: foldLatin + latinWords). */
export function latinSkeleton(word: string): string {
  let out = "";
  for (let i = 0; i < word.length; i++) {
    const pair = LATIN_DIGRAPH[word.slice(i, i + 2)];
    if (pair !== undefined) {
      out += pair;
      i++;
    } else out += LATIN_CLASS[word[i]!] ?? "";
  }
  return finish(out);
}
