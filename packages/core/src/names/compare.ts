import { distance } from "fastest-levenshtein";
import type { NameText } from "./name-text.ts";
import type { PreparedPerson } from "./person.ts";

// Each field of a pair of records lands on one level; the model (model.ts) gives each level a
// weight. Name levels, from strong to weak:
//   exact    same script, same folded spelling
//   skeleton same cross-script skeleton (Mohammed / محمد / Muhammad)
//   close    skeletons one edit apart, or spellings one edit apart, or an initial that fits
//   kin      (given name only) different given name while the father's name agrees: the
//            signature of brothers and cousins, who share father, grandfather, tribe and mother.
//            It is its own level so that the model learns how rarely a true duplicate shows it,
//            instead of adding up the family's agreements as if they were independent evidence.
//   different / missing
// Names are compared by position (given with given, father with father): "Ali Hussein Kadhim"
// and his father "Hussein Kadhim Jasim" share two names in shifted positions and must not agree.

export type NameLevel = "exact" | "skeleton" | "close" | "kin" | "different" | "missing";
export type YearLevel = "exact" | "one" | "near" | "far" | "missing";
export type SameLevel = "same" | "different" | "missing";

export interface Comparison {
  given: NameLevel;
  father: NameLevel;
  grandfather: NameLevel;
  family: NameLevel;
  mother: NameLevel;
  birthYear: YearLevel;
  governorate: SameLevel;
  nationalId: SameLevel;
  sex: SameLevel;
  /** True when the given and family names were compared crosswise (entered in each other's place). */
  swapped: boolean;
  /** The skeleton the two sides agreed on, per name field (for name-frequency adjustment). */
  agreedOn: Partial<Record<"given" | "father" | "grandfather" | "family" | "mother", string>>;
}

export const comparisonFields = [
  "given",
  "father",
  "grandfather",
  "family",
  "mother",
  "birthYear",
  "governorate",
  "nationalId",
  "sex",
] as const;
export type ComparisonField = (typeof comparisonFields)[number];

export const levelsOf: Record<ComparisonField, readonly string[]> = {
  given: ["exact", "skeleton", "close", "kin", "different", "missing"],
  father: ["exact", "skeleton", "close", "different", "missing"],
  grandfather: ["exact", "skeleton", "close", "different", "missing"],
  family: ["exact", "skeleton", "close", "different", "missing"],
  mother: ["exact", "skeleton", "close", "different", "missing"],
  birthYear: ["exact", "one", "near", "far", "missing"],
  governorate: ["same", "different", "missing"],
  nationalId: ["same", "different", "missing"],
  sex: ["same", "different", "missing"],
};

const RANK: Record<NameLevel, number> = { exact: 0, skeleton: 1, close: 2, kin: 3, different: 4, missing: 5 };

interface NameAgreement {
  level: NameLevel;
  skeleton?: string;
}

/** Two adjacent letters swapped (a common slip of the keyboard): Levenshtein counts it as two edits. */
function transposed(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

function compareTexts(a: NameText, b: NameText, useHead: boolean): NameAgreement {
  const sa = useHead ? a.head : a.skeleton;
  const sb = useHead ? b.head : b.skeleton;
  if (a.script === b.script && a.norm === b.norm) return { level: "exact", skeleton: a.skeleton };
  if (sa === sb) return { level: "skeleton", skeleton: sa };
  // An initial ("J.") fits any name whose skeleton starts with its class.
  if ((sa.length === 1 && sb.startsWith(sa)) || (sb.length === 1 && sa.startsWith(sb)))
    return { level: "close" };
  const longest = Math.max(sa.length, sb.length);
  if (longest >= 3 && (distance(sa, sb) <= 1 || transposed(sa, sb))) return { level: "close" };
  if (a.script === b.script && Math.min(a.norm.length, b.norm.length) >= 3 && distance(a.norm, b.norm) <= 1)
    return { level: "close" };
  return { level: "different" };
}

/** The best level over every pair of scripts the two records have for one field. */
export function compareName(a: readonly NameText[], b: readonly NameText[], useHead = false): NameAgreement {
  if (a.length === 0 || b.length === 0) return { level: "missing" };
  let best: NameAgreement = { level: "different" };
  for (const x of a)
    for (const y of b) {
      const r = compareTexts(x, y, useHead);
      if (RANK[r.level] < RANK[best.level]) best = r;
      if (best.level === "exact") return best;
    }
  return best;
}

function yearLevel(a: number | undefined, b: number | undefined): YearLevel {
  if (a === undefined || b === undefined) return "missing";
  const d = Math.abs(a - b);
  return d === 0 ? "exact" : d === 1 ? "one" : d <= 3 ? "near" : "far";
}

function sameLevel(a: string | undefined, b: string | undefined): SameLevel {
  if (a === undefined || b === undefined) return "missing";
  return a === b ? "same" : "different";
}

function compareOriented(a: PreparedPerson, b: PreparedPerson, swapped: boolean): Comparison {
  // Crosswise, whichever side has a family name gives it as the given name (and vice versa).
  const flip = swapped && b.family.length === 0;
  if (flip) a = { ...a, given: a.family, family: a.given };
  const bGiven = swapped && !flip ? b.family : b.given;
  const bFamily = swapped && !flip ? b.given : b.family;
  const given = compareName(a.given, bGiven);
  const father = compareName(a.father, b.father);
  const grandfather = compareName(a.grandfather, b.grandfather);
  const family = compareName(a.family, bFamily);
  const mother = compareName(a.mother, b.mother, true);
  const fatherAgrees = father.level === "exact" || father.level === "skeleton";
  const agreedOn: Comparison["agreedOn"] = {};
  for (const [k, v] of [
    ["given", given],
    ["father", father],
    ["grandfather", grandfather],
    ["family", family],
    ["mother", mother],
  ] as const)
    if (v.skeleton !== undefined) agreedOn[k] = v.skeleton;
  return {
    given: given.level === "different" && fatherAgrees ? "kin" : given.level,
    father: father.level,
    grandfather: grandfather.level,
    family: family.level,
    mother: mother.level,
    birthYear: yearLevel(a.birthYear, b.birthYear),
    governorate: sameLevel(a.governorate, b.governorate),
    nationalId: sameLevel(a.nationalId, b.nationalId),
    sex: sameLevel(a.sex, b.sex),
    swapped,
    agreedOn,
  };
}

/**
 * Compares two prepared people field by field. When either has a family name, the crosswise
 * reading (given and family entered in each other's place, a habit of Western forms) is tried too;
 * the caller (model.ts) keeps whichever reading weighs more and says so in the explanation.
 */
export function comparePeople(a: PreparedPerson, b: PreparedPerson): Comparison[] {
  const straight = compareOriented(a, b, false);
  if (a.family.length === 0 && b.family.length === 0) return [straight];
  if (straight.given !== "different" && straight.given !== "kin") return [straight];
  // The crosswise reading counts only when the given name agrees crosswise and so does the family
  // name, or one side has none (the other put the given name into the family field).
  const crosswise = compareOriented(a, b, true);
  const agrees = (l: NameLevel) => l === "exact" || l === "skeleton" || l === "close";
  return agrees(crosswise.given) && (agrees(crosswise.family) || crosswise.family === "missing")
    ? [straight, crosswise]
    : [straight];
}
