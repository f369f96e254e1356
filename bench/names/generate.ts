import type { MatchInput } from "@armsledger/core";
import {
  families,
  familyTail,
  femaleNames,
  femaleTail,
  governorates,
  maleNames,
  maleTail,
  type Pool,
} from "./pools.ts";
import { mulberry32, pick, type Rng, renderArabic, renderLatin, type Scheme, schemes } from "./render.ts";

// A seeded generator of labelled registrations. The rules (docs/names.md repeats them):
// - People come in clans: a grandfather, 1-4 sons (the fathers, distinct names), each with a wife
//   and 1-5 children (distinct names, born 1-3 years apart, 90% male). A son is named after his
//   paternal grandfather one time in five, so cousins often share given name, grandfather and
//   tribe. A clan has one tribe and one governorate. Names are drawn from skewed pools (pools.ts):
//   a hand-written head (Mohammed alone is one man in twelve) and a generated root-and-pattern tail.
// - A registered person is rendered once: both scripts 65%, Arabic only 20%, Latin only 15%; the
//   grandfather given 90%, the family 85%, the mother 75%, the national id 50%.
// - Queries are new registrations checked against the registry. Half are duplicates: the same
//   person rendered again (new scheme, new Arabic style) with 1-3 perturbations from: article
//   dropped, chain truncated, given and family swapped, a typo, a letter confusion, year ±1,
//   mother's name missing, moved governorate. The other half are not in the registry: siblings
//   and cousins of registered people (hard negatives: same father, grandfather, tribe, mother)
//   and namesakes (fresh people drawn from the same pools).

export interface TruePerson {
  pid: number;
  given: string;
  father: string;
  grandfather: string;
  family: string;
  mother: string;
  motherFather: string;
  year: number;
  sex: "male" | "female";
  governorate: string;
  nationalId: string;
}

export type Perturbation =
  | "article"
  | "truncate"
  | "swap"
  | "typo"
  | "confusion"
  | "year"
  | "mother"
  | "governorate";

export interface Query {
  pid: number;
  kind: "duplicate" | "relative" | "namesake";
  input: MatchInput;
  perturbations: Perturbation[];
}

export interface World {
  registry: { pid: number; input: MatchInput }[];
  queries: Query[];
}

function sampler(pool: Pool): (rng: Rng) => string {
  const total = pool.reduce((s, [, w]) => s + w, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const [, w] of pool) {
    acc += w / total;
    cumulative.push(acc);
  }
  return (rng) => {
    const x = rng();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return pool[lo]![0];
  };
}

/** Head list with probability 1 - tailShare, else the tail with a Zipf-like skew (u² on the rank). */
function withTail(
  head: (rng: Rng) => string,
  names: readonly string[],
  tailShare: number,
): (rng: Rng) => string {
  return (rng) => {
    if (rng() >= tailShare) return head(rng);
    const u = rng();
    return names[Math.floor(u * u * names.length)]!;
  };
}

const male = withTail(sampler(maleNames), maleTail, 0.25);
const female = withTail(sampler(femaleNames), femaleTail, 0.25);
const tribe = withTail(sampler(families), familyTail, 0.5);
const governorate = sampler(governorates);

function distinct(rng: Rng, draw: (rng: Rng) => string, taken: Set<string>): string {
  for (let i = 0; i < 50; i++) {
    const name = draw(rng);
    if (!taken.has(name)) return name;
  }
  return draw(rng);
}

/** One clan's registered-age children, in order. */
function clan(rng: Rng, nextPid: () => number): TruePerson[] {
  const grandfather = male(rng);
  const family = tribe(rng);
  const gov = governorate(rng);
  const people: TruePerson[] = [];
  const fathers = new Set<string>();
  const sons = 1 + Math.floor(rng() * 4);
  for (let s = 0; s < sons; s++) {
    const father = distinct(rng, male, fathers);
    fathers.add(father);
    const mother = female(rng);
    const motherFather = male(rng);
    let year = 1958 + Math.floor(rng() * 40);
    const children = new Set<string>();
    const count = 1 + Math.floor(rng() * 5);
    for (let c = 0; c < count; c++) {
      const sex = rng() < 0.9 ? "male" : "female";
      let given: string;
      if (sex === "male" && rng() < 0.2 && !children.has(grandfather) && grandfather !== father)
        given = grandfather;
      else given = distinct(rng, sex === "male" ? male : female, new Set([...children, father]));
      children.add(given);
      const pid = nextPid();
      people.push({
        pid,
        given,
        father,
        grandfather,
        family,
        mother,
        motherFather,
        year,
        sex,
        governorate: gov,
        nationalId: String(100_000_000_000 + pid * 7919),
      });
      year += 1 + Math.floor(rng() * 3);
    }
  }
  return people;
}

interface RenderPlan {
  arabic: boolean;
  latin: boolean;
  scheme: Scheme;
  grandfather: boolean;
  father: boolean;
  family: boolean;
  article: boolean;
  mother: boolean;
  nationalId: boolean;
  swap: boolean;
}

function plan(rng: Rng): RenderPlan {
  const s = rng();
  return {
    arabic: s < 0.85,
    latin: s < 0.65 || s >= 0.85,
    scheme: pick(rng, schemes),
    father: true,
    grandfather: rng() < 0.9,
    family: rng() < 0.85,
    article: true,
    mother: rng() < 0.75,
    nationalId: rng() < 0.5,
    swap: false,
  };
}

function render(p: TruePerson, rng: Rng, how: RenderPlan, year: number, gov: string): MatchInput {
  const chain = (script: "arabic" | "latin") => {
    const one = (phon: string, article = true) =>
      script === "arabic"
        ? renderArabic(phon, rng, { article })
        : renderLatin(phon, how.scheme, rng, { article });
    const given = one(p.given);
    const family = how.family ? one(p.family, how.article) : undefined;
    return {
      given: how.swap && family ? family : given,
      father: how.father ? one(p.father) : undefined,
      grandfather: how.father && how.grandfather ? one(p.grandfather) : undefined,
      family: how.swap && family ? given : family,
    };
  };
  const mother = (script: "arabic" | "latin") => {
    const one = (phon: string) =>
      script === "arabic" ? renderArabic(phon, rng) : renderLatin(phon, how.scheme, rng);
    return rng() < 0.3 ? `${one(p.mother)} ${one(p.motherFather)}` : one(p.mother);
  };
  return {
    name: { arabic: how.arabic ? chain("arabic") : undefined, latin: how.latin ? chain("latin") : undefined },
    motherName: how.mother
      ? { arabic: how.arabic ? mother("arabic") : undefined, latin: how.latin ? mother("latin") : undefined }
      : undefined,
    birthYear: year,
    sex: p.sex,
    governorate: gov,
    nationalId: how.nationalId ? p.nationalId : undefined,
  };
}

const LATIN_CONFUSIONS: readonly (readonly [string, string])[] = [
  ["q", "g"],
  ["g", "q"],
  ["k", "q"],
  ["j", "g"],
  ["dh", "z"],
  ["z", "dh"],
  ["th", "t"],
  ["e", "i"],
  ["i", "e"],
  ["o", "u"],
  ["u", "o"],
  ["a", "e"],
];
const ARABIC_CONFUSIONS: readonly (readonly [string, string])[] = [
  ["ة", "ه"],
  ["ى", "ي"],
  ["أ", "ا"],
  ["إ", "ا"],
  ["ض", "ظ"],
  ["ظ", "ض"],
  ["ذ", "ز"],
  ["ث", "س"],
  ["ح", "ه"],
];

function confuse(s: string, rng: Rng): string {
  const arabic = /[\u0600-\u06FF]/u.test(s);
  const options = (arabic ? ARABIC_CONFUSIONS : LATIN_CONFUSIONS).filter(([from]) => s.includes(from));
  if (options.length === 0) return s;
  const [from, to] = pick(rng, options);
  return s.replace(from, to);
}

function typo(s: string, rng: Rng): string {
  const letters = [...s];
  const positions = letters.map((c, i) => (/\p{L}/u.test(c) ? i : -1)).filter((i) => i >= 0);
  if (positions.length < 3) return s;
  const i = pick(rng, positions);
  const arabic = /[\u0600-\u06FF]/u.test(s);
  const alphabet = arabic ? [..."ابتثجحخدذرزسشصضطظعغفقكلمنهوي"] : [..."abcdefghijklmnopqrstuvwxyz"];
  const kind = Math.floor(rng() * 4);
  if (kind === 0) letters[i] = pick(rng, alphabet);
  else if (kind === 1) letters.splice(i, 1);
  else if (kind === 2) letters.splice(i, 0, pick(rng, alphabet));
  else if (i + 1 < letters.length && /\p{L}/u.test(letters[i + 1]!))
    [letters[i], letters[i + 1]] = [letters[i + 1]!, letters[i]!];
  else letters.splice(i, 1);
  return letters.join("");
}

/** Applies `change` to one name string of the record, chosen at random. */
function alterOneName(input: MatchInput, rng: Rng, change: (s: string, rng: Rng) => string): void {
  const slots: [Record<string, string | undefined>, string][] = [];
  for (const script of ["arabic", "latin"] as const) {
    const chain = input.name[script] as Record<string, string | undefined> | undefined;
    if (chain)
      for (const k of ["given", "father", "grandfather", "family"]) if (chain[k]) slots.push([chain, k]);
  }
  if (slots.length === 0) return;
  const [obj, key] = pick(rng, slots);
  obj[key] = change(obj[key]!, rng);
}

const PERTURBATIONS: readonly Perturbation[] = [
  "article",
  "truncate",
  "swap",
  "typo",
  "typo",
  "confusion",
  "confusion",
  "year",
  "year",
  "mother",
  "governorate",
];

function duplicate(p: TruePerson, rng: Rng): Query {
  const how = plan(rng);
  const n = 1 + Math.floor(rng() * 3);
  const chosen = new Set<Perturbation>();
  while (chosen.size < n) chosen.add(pick(rng, PERTURBATIONS));
  if (chosen.has("article")) how.article = false;
  if (chosen.has("truncate")) {
    how.grandfather = false;
    if (rng() < 0.1) how.father = false;
  }
  if (chosen.has("swap")) {
    how.family = true;
    how.swap = true;
  }
  if (chosen.has("mother")) how.mother = false;
  const year = chosen.has("year") ? p.year + (rng() < 0.5 ? -1 : 1) : p.year;
  const gov = chosen.has("governorate") ? governorate(rng) : p.governorate;
  const input = render(p, rng, how, year, gov);
  if (chosen.has("typo")) alterOneName(input, rng, typo);
  if (chosen.has("confusion")) alterOneName(input, rng, confuse);
  return { pid: p.pid, kind: "duplicate", input, perturbations: [...chosen] };
}

/**
 * A registry of `registered` people and `queries` new registrations (half duplicates), from one
 * seed. Memory-aware: people are rendered as they are generated; only inputs are kept.
 */
export function generateWorld(options: { seed: number; registered: number; queries: number }): World {
  const rng = mulberry32(options.seed);
  let pid = 0;
  const nextPid = () => pid++;
  const registry: World["registry"] = [];
  const registered: TruePerson[] = [];
  const relatives: TruePerson[] = [];
  // Enough held-out relatives for the negative half of the queries, at any registry size.
  const holdOut = Math.min(0.3, Math.max(0.002, (0.5 * options.queries) / options.registered));
  while (registry.length < options.registered) {
    for (const person of clan(rng, nextPid)) {
      if (registry.length >= options.registered) break;
      if (rng() < holdOut) {
        relatives.push(person);
        continue;
      }
      registry.push({
        pid: person.pid,
        input: render(person, rng, plan(rng), person.year, person.governorate),
      });
      if (registered.length < 4 * options.queries || rng() < (4 * options.queries) / options.registered)
        registered.push(person);
    }
  }
  const queries: Query[] = [];
  for (let q = 0; q < options.queries; q++) {
    if (q % 2 === 0) queries.push(duplicate(pick(rng, registered), rng));
    else if (q % 6 !== 5 && relatives.length > 0) {
      const p = relatives.pop()!;
      queries.push({
        pid: p.pid,
        kind: "relative",
        input: render(p, rng, plan(rng), p.year, p.governorate),
        perturbations: [],
      });
    } else {
      const p = clan(rng, nextPid)[0]!;
      queries.push({
        pid: p.pid,
        kind: "namesake",
        input: render(p, rng, plan(rng), p.year, p.governorate),
        perturbations: [],
      });
    }
  }
  return { registry, queries };
}
