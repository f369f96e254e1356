import { CandidateIndex } from "../names/candidate-index.ts";
import { defaultMatchModel } from "../names/default-model.ts";
import { NameFrequencies } from "../names/frequencies.ts";
import { type MatchModel, type MatchResult, scoreCandidates, type Zone } from "../names/model.ts";
import { type MatchInput, type PreparedPerson, preparePerson } from "../names/person.ts";
import { Problem } from "../problems.ts";
import type { RosterEntryInput } from "../records/roster.ts";

// A roster against the group's registrations, with the name engine (names/*), in memory for one
// group: the group's registered people are filed in a CandidateIndex, each roster entry looks up
// its candidates by the engine's blocking keys and is scored with its Fellegi–Sunter model. One
// entry is one person at most: same-person pairs are taken heaviest first, so a name listed twice
// or two brothers with one spelling do not both count as "turned up"; what is left over with a
// same-person or review pair goes to an officer. Pure: no I/O, and nothing merged or decided.

export function matchInputFromRosterEntry(entry: RosterEntryInput): MatchInput {
  return {
    name: entry.name,
    motherName: entry.motherName,
    birthYear: entry.birthYear,
    sex: entry.sex,
    governorate: entry.governorate,
  };
}

export interface RegisteredMember {
  id: string;
  match: MatchInput;
}

export type EntryStatus = "registered" | "review" | "not_registered";
export type RegisteredStatus = "on_list" | "review" | "not_on_list";

export interface EntryMatch {
  /** Position in the roster version (0-based). */
  index: number;
  status: EntryStatus;
  /** The registered person the entry was matched to (same person), or the best review candidate. */
  personId?: string | undefined;
  weight?: number | undefined;
  zone?: Zone | undefined;
  explanation?: MatchResult["explanation"] | undefined;
}

export interface RosterMatch {
  entries: EntryMatch[];
  persons: { id: string; status: RegisteredStatus }[];
  /** Registered people whose stored names the engine cannot read (counted, never matched). */
  unreadablePersons: number;
  /** Entries whose names the engine cannot read (a purged person's): counted, never matched. */
  unreadableEntries: number;
  /** Blocks skipped as too large (see CandidateIndex): a sign the keys are too coarse for this group. */
  skippedBlocks: number;
}

interface Pair {
  entry: number;
  person: string;
  result: MatchResult;
}

export function matchRoster(
  entries: readonly RosterEntryInput[],
  registered: readonly RegisteredMember[],
  model: MatchModel = defaultMatchModel,
): RosterMatch {
  const index = new CandidateIndex();
  const frequencies = new NameFrequencies();
  const prepared = new Map<string, PreparedPerson>();
  let unreadablePersons = 0;
  for (const person of registered) {
    const p = readable(person.match);
    if (!p) {
      unreadablePersons++;
      continue;
    }
    prepared.set(person.id, p);
    index.add(person.id, p);
    frequencies.add(p);
  }

  const pairs: Pair[] = [];
  let skippedBlocks = 0;
  let unreadableEntries = 0;
  entries.forEach((entry, i) => {
    // Entries were checked with the same engine when the roster was submitted; a purged one no
    // longer reads (it stays "not registered", as no one can tell whose it was).
    const e = readable(matchInputFromRosterEntry(entry));
    if (!e) {
      unreadableEntries++;
      return;
    }
    const found = index.query(e);
    skippedBlocks += found.skippedBlocks;
    // Scored together, as the duplicate check scores them (the thresholds are fitted that way).
    const results = scoreCandidates(
      e,
      found.ids.map((id) => prepared.get(id)!),
      model,
      frequencies,
      found.setAside,
    );
    found.ids.forEach((id, k) => {
      const result = results[k]!;
      if (result.zone !== "different") pairs.push({ entry: i, person: id, result });
    });
  });

  pairs.sort((a, b) => b.result.weight - a.result.weight || a.entry - b.entry);
  const entryOf = new Map<number, Pair>();
  const personTaken = new Set<string>();
  for (const pair of pairs)
    if (pair.result.zone === "same-person" && !entryOf.has(pair.entry) && !personTaken.has(pair.person)) {
      entryOf.set(pair.entry, pair);
      personTaken.add(pair.person);
    }
  // Heaviest remaining pair of each entry (pairs are sorted): what an officer looks at first.
  const bestOpen = new Map<number, Pair>();
  const personInReview = new Set<string>();
  for (const pair of pairs) {
    if (entryOf.has(pair.entry)) continue;
    if (!bestOpen.has(pair.entry)) bestOpen.set(pair.entry, pair);
    if (!personTaken.has(pair.person)) personInReview.add(pair.person);
  }

  return {
    entries: entries.map((_, i) => {
      const pair = entryOf.get(i) ?? bestOpen.get(i);
      const status: EntryStatus = entryOf.has(i) ? "registered" : pair ? "review" : "not_registered";
      return pair
        ? {
            index: i,
            status,
            personId: pair.person,
            weight: Math.round(pair.result.weight * 10) / 10,
            zone: pair.result.zone,
            explanation: pair.result.explanation,
          }
        : { index: i, status };
    }),
    persons: registered.map((p) => ({
      id: p.id,
      status: personTaken.has(p.id) ? "on_list" : personInReview.has(p.id) ? "review" : "not_on_list",
    })),
    unreadablePersons,
    unreadableEntries,
    skippedBlocks,
  };
}

function readable(input: MatchInput): PreparedPerson | undefined {
  try {
    return preparePerson(input);
  } catch (error) {
    if (error instanceof Problem) return undefined;
    throw error;
  }
}
