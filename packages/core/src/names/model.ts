import {
  type Comparison,
  type ComparisonField,
  comparePeople,
  comparisonFields,
  levelsOf,
} from "./compare.ts";
import type { TermFrequencies } from "./frequencies.ts";
import type { PreparedPerson } from "./person.ts";

// A Fellegi–Sunter model: for every field and level, m = P(level | same person) and
// u = P(level | different people); a pair's match weight is the sum of log2(m/u) over its fields
// (positive = evidence for the same person), plus, for the given name when it agrees, Splink's
// term-frequency adjustment log2(Σf² / f(name)): agreeing on "Mohammed" (about one man in twelve)
// is worth much less than agreeing on a rare name. (Adjusting the father's, grandfather's, family
// and mother's names too lowered F1 on the generated data: relatives share all of them at once.)
// A missing field weighs 0: absence is not evidence either way. Finally the prior: among the n
// candidates blocking returned, at most one is the person, so −log2(n) is added; the thresholds
// are fitted with it, and it is what keeps them valid from ten thousand people to a million.
//
// m and u are estimated from labelled data (estimateModel), not by EM: the generator in
// bench/names knows which records are the same person, so the counts are direct and the result is
// reproducible; EM on unlabelled real registrations is the way to re-fit once a programme has
// data (the same function takes officers' merge/dismiss decisions as labels). They are counted
// over candidate pairs (what blocking returns), not random pairs, because that is where the model
// works: there brothers and namesakes are common, and their patterns get the weight they deserve.
//
// Fellegi–Sunter assumes fields independent given match status; relatives break that (brothers
// agree on father, grandfather, tribe and mother all at once). So every field but the given and
// father's names has its m and u per stratum — given and father agree ("chain") / only the given
// name agrees / "kin" (given differs while the father agrees) / given differs or missing — a small
// decision tree over the classic model. Among "kin" pairs the family's agreement is what relatives
// have anyway and weighs about nothing; among "chain" pairs it is what tells a duplicate from a
// namesake.
//
// The result is advice for an officer: three zones, and never an automatic merge.

export type Zone = "same-person" | "review" | "different";

export const strata = ["chain", "near", "given", "kin", "differs"] as const;
export type Stratum = (typeof strata)[number];

/** The fields that define the strata: their own rows are counted over all pairs. */
const STRATIFYING = new Set<ComparisonField>(["given", "father"]);

const agrees = (level: string) => level === "exact" || level === "skeleton" || level === "close";

/** Which table weighs the fields other than the given and father's names. */
export function stratumOf(c: Comparison): Stratum {
  // A given name one letter off beside an agreeing father is a typo of the same man, or a brother
  // named like him (Hassan / Hussein are both hsn, but Ali / Alaa, Kadhim / Kadhum are not):
  // among such pairs the family agrees either way, and the year and the given name decide.
  if (c.given === "close" && agrees(c.father)) return "near";
  if (agrees(c.given)) return agrees(c.father) ? "chain" : "given";
  return c.given === "kin" ? "kin" : "differs";
}

type Table = Record<ComparisonField, Record<string, number>>;

export interface MatchModel {
  /** m and u per stratum; the given and father's names' own rows are the same in every stratum. */
  m: Record<Stratum, Table>;
  u: Record<Stratum, Table>;
  /** Fields whose agreement is adjusted for how common the name is. */
  termFrequency: readonly ("given" | "father" | "grandfather" | "family" | "mother")[];
  /** Match weights (bits) at which a pair enters the review zone and the same-person zone. */
  thresholds: { review: number; samePerson: number };
  /** How the numbers were obtained, for the record. */
  source: string;
}

export interface FieldExplanation {
  field: ComparisonField;
  level: string;
  /** Bits of evidence this field adds (negative: against the same person). */
  weight: number;
  /** A sentence for the officer; it names no personal data (the officer sees both records). */
  text: string;
}

export interface MatchResult {
  /** Evidence plus prior, in bits: what the zones are drawn on. */
  weight: number;
  /** Σ of the fields' weights: the evidence from the two records alone. */
  evidence: number;
  /** −log2(candidates): among n look-alike candidates, at most one is the person. */
  prior: number;
  /**
   * Bits taken off because other candidates explain the registration better (scoreCandidates):
   * log2(1 + Σ 2^weight of each stronger candidate). 0 for the best candidate and in scorePair.
   */
  rivals: number;
  zone: Zone;
  comparison: Comparison;
  explanation: FieldExplanation[];
}

// The term-frequency adjustment is bounded: a name seen once must not outweigh the other fields.
const TF_MIN = -4;
const TF_MAX = 6;
const SHRINK = 50;

const LABEL: Record<ComparisonField, string> = {
  given: "given name",
  father: "father's name",
  grandfather: "grandfather's name",
  family: "family or tribe",
  mother: "mother's name",
  birthYear: "year of birth",
  governorate: "governorate",
  nationalId: "national id",
  sex: "sex",
};

const SAYS: Record<string, string> = {
  exact: "same spelling",
  skeleton: "same name, spelt differently or in the other script",
  close: "nearly the same (one letter apart, or an initial that fits)",
  kin: "different, while the father's name agrees: typical of brothers or cousins",
  different: "different",
  missing: "missing on one side: no evidence either way",
  one: "one year apart",
  near: "two or three years apart",
  far: "more than three years apart",
  same: "the same",
};

function levelWeight(model: MatchModel, stratum: Stratum, field: ComparisonField, level: string): number {
  if (level === "missing") return 0;
  const m = model.m[stratum][field][level];
  const u = model.u[stratum][field][level];
  if (m === undefined || u === undefined) throw new Error(`the model has no ${field}/${level} level`);
  return Math.log2(m / u);
}

function weigh(model: MatchModel, c: Comparison, prior: number, frequencies?: TermFrequencies): MatchResult {
  const explanation: FieldExplanation[] = [];
  let total = 0;
  const stratum = stratumOf(c);
  for (const field of comparisonFields) {
    const level = c[field];
    let weight = levelWeight(model, stratum, field, level);
    let text = `${LABEL[field]}: ${SAYS[level] ?? level}`;
    const tfField = model.termFrequency.find((f) => f === field);
    const agreed = tfField === undefined ? undefined : c.agreedOn[tfField];
    if (frequencies && tfField && agreed !== undefined && (level === "exact" || level === "skeleton")) {
      const adjust = frequencies.adjustment(tfField, agreed);
      const bounded = Math.min(TF_MAX, Math.max(TF_MIN, adjust));
      weight += bounded;
      if (bounded <= -1) text += "; a common name, so it counts for less";
      else if (bounded >= 1) text += "; an uncommon name, so it counts for more";
    }
    if (field === "given" && c.swapped) text += " (given and family names entered in each other's place)";
    total += weight;
    explanation.push({ field, level, weight: Math.round(weight * 10) / 10, text });
  }
  const weight = total + prior;
  return {
    weight,
    evidence: total,
    prior,
    rivals: 0,
    zone: zoneOf(model, weight),
    comparison: c,
    explanation,
  };
}

function zoneOf(model: MatchModel, weight: number): Zone {
  return weight >= model.thresholds.samePerson
    ? "same-person"
    : weight >= model.thresholds.review
      ? "review"
      : "different";
}

/**
 * Scores a pair of people: match weight, zone and a per-field explanation. Pass the registry's
 * name frequencies to weigh agreement on common names down and on rare names up, and the number
 * of candidates blocking returned for the new registration: the prior that any one of n
 * candidates is the person is 1/n, so a common name among hundreds of namesakes needs more
 * evidence than a rare one with a single candidate (the thresholds are fitted with it).
 */
export function scorePair(
  a: PreparedPerson,
  b: PreparedPerson,
  model: MatchModel,
  frequencies?: TermFrequencies,
  context: { candidates?: number } = {},
): MatchResult {
  const prior = -Math.log2(Math.max(1, context.candidates ?? 1));
  let best: MatchResult | undefined;
  for (const c of comparePeople(a, b)) {
    const r = weigh(model, c, prior, frequencies);
    if (!best || r.weight > best.weight) best = r;
  }
  return best!;
}

/**
 * Scores every candidate blocking returned for one new registration, together (what the duplicate
 * check and the benchmark use). Each pair is weighed as scorePair does, then a candidate loses
 * what stronger candidates explain: at most one registered person is the new registration, so
 * over the exclusive hypotheses "candidate i is the person" (prior odds 1/n each, weight w_i)
 * and "none is", Bayes gives i the posterior odds 2^w_i / (1 + Σ_j≠i 2^w_j). Only candidates
 * weighing more than i count as its rivals: the best candidate keeps its weight, so two records
 * of one man already in the registry (an undetected duplicate, equal weights) do not hide each
 * other from the officer. What it removes is the typical false match of a large registry: the
 * duplicate of a man also resembles his cousin or a namesake, who scored above the threshold
 * beside him (BENCHMARKS.md, docs/names.md).
 */
export function scoreCandidates(
  person: PreparedPerson,
  candidates: readonly PreparedPerson[],
  model: MatchModel,
  frequencies?: TermFrequencies,
  /**
   * How many people blocking found but set aside unscored (candidate-index.ts, keepCandidate):
   * the prior is over them too, as if they had been scored, so that scoring fewer changes no
   * weight (the thresholds were fitted with the prior over every person in the blocks).
   */
  setAside = 0,
): MatchResult[] {
  const context = { candidates: candidates.length + setAside };
  const results = candidates.map((c) => scorePair(person, c, model, frequencies, context));
  // Strongest first, so each candidate's rivals are the running sum of those before it.
  const weights = results.map((r) => r.weight);
  const order = weights.map((_, i) => i).sort((a, b) => weights[b]! - weights[a]!);
  let stronger = 0;
  let pending = 0;
  for (let k = 0; k < order.length; k++) {
    const w = weights[order[k]!]!;
    // Equal weights are not each other's rivals.
    if (k > 0 && w < weights[order[k - 1]!]!) {
      stronger += pending;
      pending = 0;
    }
    pending += 2 ** w;
    if (stronger > 0) {
      const r = results[order[k]!]!;
      r.rivals = Math.log2(1 + stronger);
      r.weight = w - r.rivals;
      r.zone = zoneOf(model, r.weight);
    }
  }
  return results;
}

/** Probability of the same person from a match weight, given the prior odds of a match. */
export function matchProbability(weight: number, priorMatchShare: number): number {
  const priorBits = Math.log2(priorMatchShare / (1 - priorMatchShare));
  return 1 / (1 + 2 ** -(weight + priorBits));
}

/**
 * m and u counted from labelled comparisons, per stratum, with add-½ smoothing so that a level
 * never seen among matches (a different national id, say) gets a small m instead of a weight of
 * minus infinity. The given name is counted over all pairs (it defines the strata). Thresholds
 * are chosen by the caller on labelled data (bench/names does).
 */
export function estimateModel(
  samples: Iterable<{ comparison: Comparison; match: boolean }>,
  options: {
    thresholds: MatchModel["thresholds"];
    termFrequency: MatchModel["termFrequency"];
    source: string;
  },
): MatchModel {
  const table = (): Table =>
    Object.fromEntries(
      comparisonFields.map((f) => [f, Object.fromEntries(levelsOf[f].map((l) => [l, 0.5]))]),
    ) as Table;
  const counts = (): Record<Stratum, Table> => ({
    chain: table(),
    near: table(),
    given: table(),
    kin: table(),
    differs: table(),
  });
  const m = counts();
  const u = counts();
  for (const { comparison, match } of samples) {
    const side = match ? m : u;
    const stratum = stratumOf(comparison);
    for (const f of comparisonFields)
      if (STRATIFYING.has(f)) for (const s of strata) side[s][f][comparison[f]]! += 1;
      else side[stratum][f][comparison[f]]! += 1;
  }
  // Each stratum's distribution is shrunk towards the pooled one (SHRINK pseudo-pairs), so a
  // stratum with few labelled pairs (true duplicates whose given names differ are rare) falls
  // back on the pooled estimate instead of weighing noise.
  const normalise = (tables: Record<Stratum, Table>) => {
    for (const f of comparisonFields) {
      // "missing" weighs 0 whatever it counts, so it is left out of the distribution.
      const levels = levelsOf[f].filter((l) => l !== "missing");
      const pooled = Object.fromEntries(
        levels.map((l) => [l, strata.reduce((a, s) => a + tables[s][f][l]!, 0)]),
      );
      const pooledSum = levels.reduce((a, l) => a + pooled[l]!, 0);
      for (const s of strata) {
        const t = tables[s][f];
        const sum = levels.reduce((acc, l) => acc + t[l]!, 0);
        for (const l of levels)
          t[l] = Number(((t[l]! + (SHRINK * pooled[l]!) / pooledSum) / (sum + SHRINK)).toPrecision(4));
        t.missing = 1;
      }
    }
    return tables;
  };
  return { m: normalise(m), u: normalise(u), ...options };
}
