import {
  CandidateIndex,
  type Comparison,
  comparePeople,
  type MatchModel,
  NameFrequencies,
  type PreparedPerson,
  preparePerson,
  scoreCandidates,
} from "@armsledger/core";
import type { World } from "./generate.ts";

// The in-process side of the evaluation: build the index over the registry, then check every
// query as a new registration would be checked (prepare, block, score each candidate), timing
// each check, and count pairs against the generator's labels.

export interface Built {
  prepared: PreparedPerson[];
  pids: number[];
  index: CandidateIndex;
  frequencies: NameFrequencies;
  buildMs: number;
}

export function build(world: World): Built {
  const start = performance.now();
  const prepared: PreparedPerson[] = new Array(world.registry.length);
  const pids: number[] = new Array(world.registry.length);
  const index = new CandidateIndex();
  const frequencies = new NameFrequencies();
  world.registry.forEach((r, i) => {
    const p = preparePerson(r.input);
    prepared[i] = p;
    pids[i] = r.pid;
    index.add(String(i), p);
    frequencies.add(p);
  });
  return { prepared, pids, index, frequencies, buildMs: performance.now() - start };
}

export interface ScoredPair {
  query: number;
  match: boolean;
  weight: number;
  comparison: Comparison;
}

export interface CheckRun {
  pairs: ScoredPair[];
  latenciesMs: number[];
  candidatesTotal: number;
  duplicates: number;
  duplicatesFound: number;
  /** Duplicates missed by blocking, by perturbation, to see which key broke. */
  missedBy: Record<string, number>;
  skippedBlocks: number;
  /** Per query, the registry index of its best match at or above the review threshold. */
  bestAtReview: (number | undefined)[];
}

/** One check, as a new registration is checked: prepare, block, score the candidates together. */
export function checkOne(built: Built, input: World["queries"][number]["input"], model: MatchModel) {
  const person = preparePerson(input);
  const found = built.index.query(person);
  const indices = found.ids.map(Number);
  const results = scoreCandidates(
    person,
    indices.map((i) => built.prepared[i]!),
    model,
    built.frequencies,
    found.setAside,
  );
  return { found, indices, results };
}

export function check(world: World, built: Built, model: MatchModel): CheckRun {
  const pairs: ScoredPair[] = [];
  const latenciesMs: number[] = [];
  let candidatesTotal = 0;
  let duplicates = 0;
  let duplicatesFound = 0;
  let skippedBlocks = 0;
  const missedBy: Record<string, number> = {};
  const bestAtReview: (number | undefined)[] = [];
  world.queries.forEach((q, qi) => {
    const start = performance.now();
    const { found, indices, results } = checkOne(built, q.input, model);
    const scored = indices.map((i, k) => ({ i, result: results[k]! }));
    latenciesMs.push(performance.now() - start);
    skippedBlocks += found.skippedBlocks;
    candidatesTotal += scored.length;
    let hit = false;
    let best: { i: number; weight: number } | undefined;
    for (const { i, result } of scored)
      if (result.weight >= model.thresholds.review && (!best || result.weight > best.weight))
        best = { i, weight: result.weight };
    bestAtReview.push(best?.i);
    for (const { i, result } of scored) {
      const match = built.pids[i] === q.pid;
      hit ||= match;
      pairs.push({ query: qi, match, weight: result.weight, comparison: result.comparison });
    }
    if (q.kind === "duplicate") {
      duplicates++;
      if (hit) duplicatesFound++;
      else for (const p of q.perturbations) missedBy[p] = (missedBy[p] ?? 0) + 1;
    }
  });
  return {
    pairs,
    latenciesMs,
    candidatesTotal,
    duplicates,
    duplicatesFound,
    missedBy,
    skippedBlocks,
    bestAtReview,
  };
}

/** Comparisons of every candidate pair, labelled, for estimateModel (scores are not needed). */
export function labelledComparisons(
  world: World,
  built: Built,
): { comparison: Comparison; match: boolean }[] {
  const out: { comparison: Comparison; match: boolean }[] = [];
  for (const q of world.queries) {
    const person = preparePerson(q.input);
    for (const id of built.index.candidates(person)) {
      const i = Number(id);
      // Of the straight and crosswise readings, the one where more names agree (scorePair
      // keeps the heavier one; without a model yet, agreement is the proxy).
      const agreeing = (c: Comparison) =>
        [c.given, c.family].filter((l) => l === "exact" || l === "skeleton" || l === "close").length;
      const options = comparePeople(person, built.prepared[i]!);
      const comparison = options.reduce((a, b) => (agreeing(b) > agreeing(a) ? b : a));
      out.push({ comparison, match: built.pids[i] === q.pid });
    }
  }
  return out;
}

export interface PairMetrics {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

/** Precision/recall/F1 of "weight ≥ threshold" over the candidate pairs, against all true pairs. */
export function metricsAt(
  pairs: readonly { match: boolean; weight: number }[],
  truePairs: number,
  threshold: number,
): PairMetrics {
  let tp = 0;
  let fp = 0;
  for (const p of pairs)
    if (p.weight >= threshold) {
      if (p.match) tp++;
      else fp++;
    }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = truePairs === 0 ? 1 : tp / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    threshold,
    precision,
    recall,
    f1,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: truePairs - tp,
  };
}

/** The threshold with the best F1 among the observed weights. */
export function bestThreshold(
  pairs: readonly { match: boolean; weight: number }[],
  truePairs: number,
): PairMetrics {
  const sorted = [...pairs].sort((a, b) => b.weight - a.weight);
  let tp = 0;
  let fp = 0;
  let best = metricsAt(pairs, truePairs, Number.POSITIVE_INFINITY);
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.match) tp++;
    else fp++;
    if (i + 1 < sorted.length && sorted[i + 1]!.weight === sorted[i]!.weight) continue;
    const precision = tp / (tp + fp);
    const recall = tp / truePairs;
    const f1 = (2 * precision * recall) / (precision + recall || 1);
    if (f1 > best.f1)
      best = {
        threshold: sorted[i]!.weight,
        precision,
        recall,
        f1,
        truePositives: tp,
        falsePositives: fp,
        falseNegatives: truePairs - tp,
      };
  }
  return best;
}

/** The lowest threshold at which precision stays at or above `target`. */
export function thresholdForPrecision(
  pairs: readonly { match: boolean; weight: number }[],
  target: number,
): number {
  const sorted = [...pairs].sort((a, b) => b.weight - a.weight);
  let tp = 0;
  let fp = 0;
  let threshold = sorted[0]?.weight ?? 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.match) tp++;
    else fp++;
    if (i + 1 < sorted.length && sorted[i + 1]!.weight === sorted[i]!.weight) continue;
    if (tp / (tp + fp) >= target) threshold = sorted[i]!.weight;
  }
  return threshold;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
