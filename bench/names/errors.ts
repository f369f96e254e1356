import { defaultMatchModel, type MatchModel, stratumOf } from "@armsledger/core";
import { build, checkOne } from "./evaluate.ts";
import { generateWorld } from "./generate.ts";

// `node names/errors.ts` (from bench/): the false positives and false negatives of the duplicate
// check at the review threshold, one line each (level of every field, weight, evidence, prior,
// rivals, people in the blocks, the size of the smallest of the registration's blocks the
// candidate is in), the commonest patterns, and how the candidate pairs spread over block sizes
// per stratum, matches and non-matches apart. NAMES_SEED (default 303, the validation seed: the
// test seed 202 is for the figures only), NAMES_SIZE (default 200000), NAMES_QUERIES (default
// 2000). Prints no name, only levels and counts. BENCHMARKS.md says what it showed.

const seed = Number(process.env.NAMES_SEED ?? 303);
const size = Number(process.env.NAMES_SIZE ?? 200_000);
const queries = Number(process.env.NAMES_QUERIES ?? 2000);
const model: MatchModel = defaultMatchModel;

const world = generateWorld({ seed, registered: size, queries });
const built = build(world);
const short = (l: string) => (l === "missing" ? "-" : l.slice(0, 4));
const errors: string[] = [];
const patterns = new Map<string, number>();
const bins = new Map<string, number>();
world.queries.forEach((q) => {
  const { found, indices, results } = checkOne(built, q.input, model);
  const n = indices.length + found.setAside;
  const truth = indices.findIndex((i) => built.pids[i] === q.pid);
  results.forEach((r, k) => {
    const bin = (x: number) =>
      x <= 1 ? "1" : x <= 3 ? "2-3" : x <= 10 ? "4-10" : x <= 30 ? "11-30" : x <= 100 ? "31-100" : ">100";
    const key = `${built.pids[indices[k]!] === q.pid ? "match" : "non"} ${stratumOf(r.comparison)} ${bin(found.smallest[k]!)}`;
    bins.set(key, (bins.get(key) ?? 0) + 1);
    const match = built.pids[indices[k]!] === q.pid;
    const flagged = r.weight >= model.thresholds.review;
    if (match === flagged) return;
    const c = r.comparison;
    const levels = `g=${short(c.given)} f=${short(c.father)} gf=${short(c.grandfather)} fam=${short(c.family)} m=${short(c.mother)} y=${short(c.birthYear)} gov=${short(c.governorate)} id=${short(c.nationalId)}${c.swapped ? " swapped" : ""}`;
    const kind = match ? `FN dup(${q.perturbations.join("+")})` : `FP ${q.kind}`;
    patterns.set(
      `${match ? "FN" : "FP"} ${levels}`,
      (patterns.get(`${match ? "FN" : "FP"} ${levels}`) ?? 0) + 1,
    );
    errors.push(
      `${kind.padEnd(40)} w=${r.weight.toFixed(1)} ev=${r.evidence.toFixed(1)} prior=${r.prior.toFixed(1)} rivals=${r.rivals.toFixed(1)} n=${n} ${levels} ${
        match ? "" : truth >= 0 ? `truth w=${results[truth]!.weight.toFixed(1)}` : "no truth"
      } tf=${r.explanation[0]!.weight} smallest=${found.smallest[k]}`,
    );
  });
  if (q.kind === "duplicate" && truth < 0)
    errors.push(`FN dup(${q.perturbations.join("+")}) not a candidate`);
});
for (const e of errors.sort()) console.log(e);
const fn = errors.filter((e) => e.startsWith("FN")).length;
const fp = errors.filter((e) => e.startsWith("FP")).length;
const dups = world.queries.filter((q) => q.kind === "duplicate").length;
const tp = dups - fn;
console.log(
  `\nseed ${seed}, ${size} people: TP ${tp} FP ${fp} FN ${fn}, precision ${(tp / (tp + fp)).toFixed(4)} recall ${(tp / dups).toFixed(4)} F1 ${((2 * tp) / (2 * tp + fp + fn)).toFixed(4)}`,
);
console.log("\npatterns:");
for (const [p, c] of [...patterns].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(c, p);
console.log("\nsmallest shared block, by stratum:");
for (const [b, c] of [...bins].sort()) console.log(b, c);
