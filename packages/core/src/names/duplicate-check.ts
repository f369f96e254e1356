import { Problem } from "../problems.ts";
import { indexKeys, queryKeys } from "./blocking.ts";
import { hashKey, type KeyHash, SMALL_BLOCK } from "./candidate-index.ts";
import type { SameLevel } from "./compare.ts";
import { defaultMatchModel } from "./default-model.ts";
import type { TermFrequencies } from "./frequencies.ts";
import type { FieldExplanation, MatchModel, Zone } from "./model.ts";
import { scoreCandidates } from "./model.ts";
import { type NameText, nameText } from "./name-text.ts";
import { type MatchInput, type PreparedPerson, preparePerson } from "./person.ts";
import { arabicSkeleton, latinSkeleton } from "./skeleton.ts";

// The duplicate check of the write path (issue 5, "Workflow"): a new registration is looked up
// in the registry's key table and scored against what it finds. The server keeps the blocking
// keys of blocking.ts in a table, hashed to integers exactly as the in-memory CandidateIndex
// hashes them (no skeleton, no spelling is stored: docs/names.md, "What the keys reveal"), so
// the check runs inside the command's transaction, sees every registration already recorded
// (offline ones included, whenever they sync), and needs nothing rebuilt at start-up.

/** Blocks larger than this are skipped, as CandidateIndex does ("Mohammed | Ali | 1985"). */
export const MAX_BLOCK = 2000;
/** How many matches a review case keeps for the reviewer (best first). */
export const MAX_MATCHES = 5;

/** What the check asks of the registry (RecordView.findNameCandidates). */
export interface NameCandidateQuery {
  /** Hashed query keys (blocking.ts queryKeys). */
  keys: number[];
  /** Hashed given-name skeletons whose registry counts the term-frequency adjustment needs. */
  givenKeys: number[];
  maxBlock: number;
  /** Who in the usable blocks is scored: candidate-index.ts, keepCandidate. */
  smallBlock: number;
  /**
   * The registration's national id, folded, when it has one: a registry that can compare it
   * without opening each candidate's (the server compares keyed blind indexes) answers `idMatch`.
   */
  nationalId?: string;
  /** The registration's governorate (keepCandidate keeps everyone in its blocks registered there). */
  governorate?: string;
}

/** What the registry answers: the people in the query's blocks, and given-name counts. */
export interface NameCandidates {
  /** People filed under at least one of the keys (merged aliases left out: their earlier record counts). */
  candidates: NameCandidate[];
  /** Keys whose block was larger than maxBlock and was skipped. */
  skippedBlocks: number;
  /** People in the usable blocks that keepCandidate left out (the prior counts them). */
  setAside: number;
  /** Given-name skeleton counts: all people's, Σcount², and the count of each asked key. */
  given: { total: number; squares: number; counts: Record<number, number> };
}

/** A registered person in the registration's blocks, as the registry hands it to scoring. */
export interface NameCandidate {
  id: string;
  /** What matching reads of the person; its nationalId is not read when `idMatch` is given. */
  person: MatchInput;
  /** The national ids compared by the registry (query.nationalId against the person's). */
  idMatch?: SameLevel;
}

/**
 * Stands for a candidate's national id known to differ from the registration's (idMatch
 * "different") without being read: compare.ts only asks whether two ids are equal, and no folded
 * id can equal this one (they are 6-20 digits or capital letters).
 */
const ANOTHER_ID = "\u0000";

/** One registered person a new registration resembles, as the review case keeps it. */
export interface DuplicateMatch {
  personId: string;
  /** Match weight in bits (evidence + prior), rounded to 0.1. */
  weight: number;
  zone: Zone;
  /** Per-field levels and weights; names no personal data. */
  explanation: FieldExplanation[];
}

export interface DuplicateCheck {
  /** The best match is in the same-person zone: the registration goes to review. */
  pending: boolean;
  /** Matches at or above the review threshold, best first, at most MAX_MATCHES. */
  matches: DuplicateMatch[];
}

const unique = (xs: number[]) => [...new Set(xs)];

function givenKey(skeleton: string, hash: KeyHash): number {
  return hash(`given:${skeleton}`);
}

function wordKey(skeleton: string, hash: KeyHash): number {
  return hash(`w:${skeleton}`);
}

/** Skeletons of each word of a folded name field (for search: "Jasim" finds a father's name). */
function wordSkeletons(text: NameText): string[] {
  return text.norm
    .split(" ")
    .map((w) => (text.script === "arabic" ? arabicSkeleton(w) : latinSkeleton(w)))
    .filter((s) => s.length > 0);
}

function chainWords(person: PreparedPerson): Set<string> {
  const out = new Set<string>();
  for (const field of ["given", "father", "grandfather", "family"] as const)
    for (const text of person[field]) for (const s of wordSkeletons(text)) out.add(s);
  return out;
}

/**
 * The hashed keys a registered person is filed under in the key table: the blocking keys, and one
 * key per word skeleton of the name chain for name search.
 */
export function personNameKeys(person: PreparedPerson, hash: KeyHash = hashKey): number[] {
  return unique([...indexKeys(person).map(hash), ...[...chainWords(person)].map((w) => wordKey(w, hash))]);
}

/** The hashed given-name skeletons a person adds to the registry's counts (each once). */
export function givenNameKeys(person: PreparedPerson, hash: KeyHash = hashKey): number[] {
  return unique(person.given.map((t) => givenKey(t.skeleton, hash)));
}

/**
 * Below this many registrations the counts say nothing about how common a name is (in a registry
 * of three, "Mohammed" is two people in three, and agreeing on it would weigh almost nothing):
 * the term-frequency adjustment waits until the registry holds enough names.
 */
export const MIN_FREQUENCY_SAMPLE = 1000;

/** TermFrequencies over counts read from the registry (NameFrequencies' formula; given name only). */
export function frequenciesFromCounts(
  given: NameCandidates["given"],
  hash: KeyHash = hashKey,
): TermFrequencies {
  return {
    adjustment(field, skeleton) {
      if (field !== "given" || given.total < MIN_FREQUENCY_SAMPLE) return 0;
      const meanAgreement = given.squares / (given.total * given.total);
      const share = Math.max(1, given.counts[givenKey(skeleton, hash)] ?? 0) / given.total;
      return Math.log2(meanAgreement / share);
    },
  };
}

/**
 * Folds a registration for matching; a name matching cannot read is refused on the payload's
 * paths (`at`: where the person's fields sit in the payload, `payload.changes` for a correction).
 */
export function prepareRegistration(input: MatchInput, at = "payload"): PreparedPerson {
  try {
    return preparePerson(input);
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    throw new Problem(
      error.code,
      error.message,
      error.fields.map((f) => ({ ...f, path: `${at}.${f.path}` })),
    );
  }
}

/** The fields of a person record that matching reads: correcting any of them re-runs the check. */
export const matchedPersonFields = [
  "name",
  "motherName",
  "birth",
  "sex",
  "governorate",
  "nationalId",
] as const;

/** What matching reads of a person after a correction's changes (only the fields it names). */
export function correctedMatchInput(before: MatchInput, changes: Record<string, unknown>): MatchInput {
  const after: MatchInput = { ...before };
  if ("name" in changes) after.name = changes.name as MatchInput["name"];
  if ("motherName" in changes) after.motherName = changes.motherName as MatchInput["motherName"];
  if ("birth" in changes) {
    const birth = changes.birth as { date?: string; year?: number } | undefined;
    after.birthYear = birth?.year ?? (birth?.date ? Number(birth.date.slice(0, 4)) : undefined);
  }
  if ("sex" in changes) after.sex = changes.sex as MatchInput["sex"];
  if ("governorate" in changes) after.governorate = changes.governorate as string;
  if ("nationalId" in changes) after.nationalId = (changes.nationalId as string | null) ?? undefined;
  return after;
}

/**
 * Looks a new registration up in the registry and scores every candidate. Pure apart from the
 * lookup it is given. A stored person whose names no longer fold (rules changed since) is
 * skipped rather than blocking the registration.
 */
export async function checkDuplicates(
  person: PreparedPerson,
  lookup: (query: NameCandidateQuery) => Promise<NameCandidates>,
  model: MatchModel = defaultMatchModel,
  /** People not to match against: the corrected person itself, and those a review set apart. */
  exclude: readonly string[] = [],
  hash: KeyHash = hashKey,
): Promise<DuplicateCheck> {
  const swappedGiven = person.family.map((t) => t.skeleton);
  const found = await lookup({
    keys: unique(queryKeys(person).map(hash)),
    givenKeys: unique(
      [...person.given.map((t) => t.skeleton), ...swappedGiven].map((s) => givenKey(s, hash)),
    ),
    maxBlock: MAX_BLOCK,
    smallBlock: SMALL_BLOCK,
    ...(person.nationalId ? { nationalId: person.nationalId } : {}),
    ...(person.governorate ? { governorate: person.governorate } : {}),
  });
  const frequencies = frequenciesFromCounts(found.given, hash);
  const candidates: { id: string; person: PreparedPerson }[] = [];
  for (const candidate of found.candidates) {
    if (exclude.includes(candidate.id)) continue;
    try {
      const prepared = preparePerson(candidate.person);
      if (candidate.idMatch !== undefined)
        prepared.nationalId =
          candidate.idMatch === "same"
            ? person.nationalId
            : candidate.idMatch === "different"
              ? ANOTHER_ID
              : undefined;
      candidates.push({ id: candidate.id, person: prepared });
    } catch {}
  }
  const results = scoreCandidates(
    person,
    candidates.map((c) => c.person),
    model,
    frequencies,
    found.setAside,
  );
  const matches: DuplicateMatch[] = [];
  results.forEach((r, i) => {
    if (r.zone === "different") return;
    matches.push({
      personId: candidates[i]!.id,
      weight: Math.round(r.weight * 10) / 10,
      zone: r.zone,
      explanation: r.explanation,
    });
  });
  matches.sort((a, b) => b.weight - a.weight || a.personId.localeCompare(b.personId));
  const kept = matches.slice(0, MAX_MATCHES);
  return { pending: kept[0]?.zone === "same-person", matches: kept };
}

/** A name search, folded: the query's word skeletons and their hashed keys. */
export interface NameSearch {
  /** Word skeletons, in the query's order (each word is matched once). */
  words: string[][];
  keys: number[];
  /** Fewest words a person must share with the query to be listed. */
  minWords: number;
}

/**
 * Folds a free-text name search ("محمد جاسم السوداني", "Mohammed Jasim al-Sudani", "Sudany")
 * into word skeletons, with the same rules as registration: one script, letters, at most 120
 * characters. Each word is also read as a family name (a glued article, "Alsudani").
 */
export function prepareNameSearch(q: string, path = "q", hash: KeyHash = hashKey): NameSearch {
  const plain = nameText(q, path)!;
  const family = nameText(q, `${path}.family`)!;
  const a = wordSkeletons(plain);
  const b = wordSkeletons(family);
  const words = a.map((s, i) => unique2([s, ...(a.length === b.length ? [b[i]!] : [])]));
  if (words.length === 0)
    throw new Problem("request.invalid", `${path} has no letters to search for; type a name.`, [
      { path, message: "no letters" },
    ]);
  return {
    words,
    keys: unique(words.flat().map((w) => wordKey(w, hash))),
    minWords: Math.min(words.length, 2),
  };
}

function unique2(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** How many of the search's words a registered person's name chain has (0 when too few). */
export function searchScore(search: NameSearch, person: MatchInput): number {
  let prepared: PreparedPerson;
  try {
    prepared = preparePerson(person);
  } catch {
    return 0;
  }
  const have = chainWords(prepared);
  const hits = search.words.filter((alternatives) => alternatives.some((s) => have.has(s))).length;
  return hits >= search.minWords ? hits : 0;
}
