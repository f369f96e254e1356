import { Problem, type ProblemField } from "../problems.ts";
import { arabicName, latinName } from "../records/text.ts";
import { ARABIC_LETTER, arabicWords, foldArabic } from "./arabic.ts";
import { foldLatin, latinWords } from "./latin.ts";
import { arabicSkeleton, latinSkeleton } from "./skeleton.ts";

export type Script = "arabic" | "latin";

/** One name field in one script, ready to compare. */
export interface NameText {
  script: Script;
  /** Folded words joined by a space: equal strings are the same spelling ("exact"). */
  norm: string;
  /** Cross-script skeleton of the whole field (words' skeletons concatenated). */
  skeleton: string;
  /** Skeleton of the first word only (a mother's name is often her name and her father's). */
  head: string;
}

// A name whose letters are all vowels and weak letters (Aya, آية) has an empty skeleton; a marker
// keeps it comparable (all such names then share one, rare, skeleton).
const EMPTY_SKELETON = "_";

const LATIN_LETTER = /\p{Script=Latin}/u;

/**
 * Validates one name field with the same rules as registration (records/text.ts: NFC, no control
 * or direction characters, one script, at most 120 characters) and folds it. Refusals are
 * Problems naming the field and saying what to do, collected into `issues` when given.
 */
export function nameText(raw: string, path: string, issues?: ProblemField[]): NameText | undefined {
  const family = path.endsWith("family");
  const cacheKey = `${family ? "f" : "n"}${raw}`;
  const cached = typeof raw === "string" ? folded.get(cacheKey) : undefined;
  if (cached) return cached;
  const text = foldName(raw, path, family, issues);
  if (text) {
    if (folded.size >= CACHE_SIZE) folded.clear();
    folded.set(cacheKey, text);
  }
  return text;
}

// Names repeat (a registry of a million holds a few thousand distinct spellings), and folding
// costs ~15 µs, so successful results are memoised; the cache is bounded and simply emptied
// when full. Refusals are not cached: their message names the field.
const CACHE_SIZE = 200_000;
const folded = new Map<string, NameText>();

function foldName(raw: string, path: string, family: boolean, issues?: ProblemField[]): NameText | undefined {
  const fail = (message: string): undefined => {
    const field = { path, message };
    if (issues) {
      issues.push(field);
      return undefined;
    }
    throw new Problem("request.invalid", `${path} ${message}`, [field]);
  };
  if (typeof raw !== "string") return fail("must be text");
  const hasArabic = ARABIC_LETTER.test(raw);
  const hasLatin = LATIN_LETTER.test(raw);
  if (hasArabic && hasLatin)
    return fail(
      "mixes Arabic and Latin letters; give the Arabic spelling and the Latin spelling in their own fields",
    );
  const parsed = (hasArabic ? arabicName : latinName).safeParse(raw);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "is not a valid name";
    if (!hasArabic && !hasLatin && raw.trim().length > 0)
      return fail("contains no letters (only marks, digits or symbols); type the name in letters");
    return fail(message);
  }
  const script: Script = hasArabic ? "arabic" : "latin";
  const words =
    script === "arabic"
      ? arabicWords(foldArabic(parsed.data))
      : latinWords(foldLatin(parsed.data), { family });
  if (words.length === 0)
    return fail("contains no letters (only marks or filiation words); type the name in letters");
  const skeletons = words.map((w) => (script === "arabic" ? arabicSkeleton(w) : latinSkeleton(w)));
  const skeleton = skeletons.join("") || EMPTY_SKELETON;
  return { script, norm: words.join(" "), skeleton, head: skeletons[0] || EMPTY_SKELETON };
}
