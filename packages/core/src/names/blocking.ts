import type { NameText } from "./name-text.ts";
import type { PreparedPerson } from "./person.ts";

// Blocking: which registered people are worth scoring against a new registration. Several keys,
// each built from skeletons (so every spelling and both scripts meet in one block), and the union
// of their blocks is scored; a duplicate is missed only if every key breaks. Each key survives a
// different kind of error:
//   id   national id                               (when present: survives any name error)
//   gfy  given | father | birth year               (truncated chain, missing mother)
//   gfg  given | father | grandfather              (wrong or missing year)
//   gxm  given | family | mother                   (typo in the father's name)
//   fgm  father | grandfather | mother             (typo in the given name)
//   fgy  father | grandfather | birth year         (typo in the given name, no mother)
//   gmy  given | mother | birth year               (typo in father, no family name)
//   gxy  given | family | birth year               (typo in father, no grandfather or mother)
//   fxy  father | family | birth year              (typo in given, no grandfather or mother)
//   fmy  father | mother | birth year              (typo in given, chain truncated, no family)
// At query time the birth year is widened to ±1 and the given/family crosswise reading is added.
// Keys of the index hold skeletons only — no spelling — yet they are personal data all the same:
// a skeleton with a year narrows a registry to a handful of people, so they stay in memory.

function skeletons(texts: readonly NameText[], head = false): string[] {
  return [...new Set(texts.map((t) => (head ? t.head : t.skeleton)))];
}

function cross(parts: string[][]): string[] {
  let out = [""];
  for (const p of parts) {
    if (p.length === 0) return [];
    out = out.flatMap((prefix) => p.map((x) => (prefix === "" ? x : `${prefix}|${x}`)));
  }
  return out;
}

function keysFor(person: PreparedPerson, years: string[], swapped: boolean): string[] {
  const given = skeletons(swapped ? person.family : person.given);
  const family = skeletons(swapped ? person.given : person.family);
  const father = skeletons(person.father);
  const grandfather = skeletons(person.grandfather);
  const mother = skeletons(person.mother, true);
  const tag = (name: string, parts: string[][]) => cross(parts).map((k) => `${name}:${k}`);
  return [
    ...tag("gfy", [given, father, years]),
    ...tag("gfg", [given, father, grandfather]),
    ...tag("gxm", [given, family, mother]),
    ...tag("fgm", [father, grandfather, mother]),
    ...tag("fgy", [father, grandfather, years]),
    ...tag("gmy", [given, mother, years]),
    ...tag("gxy", [given, family, years]),
    ...tag("fxy", [father, family, years]),
    ...tag("fmy", [father, mother, years]),
  ];
}

/** The keys under which a registered person is filed. */
export function indexKeys(person: PreparedPerson): string[] {
  const years = person.birthYear === undefined ? [] : [String(person.birthYear)];
  const keys = keysFor(person, years, false);
  if (person.nationalId) keys.push(`id:${person.nationalId}`);
  return keys;
}

/** The keys looked up for a new registration: the year ±1 and the crosswise reading as well. */
export function queryKeys(person: PreparedPerson): string[] {
  const y = person.birthYear;
  const years = y === undefined ? [] : [String(y - 1), String(y), String(y + 1)];
  const keys = keysFor(person, years, false);
  if (person.family.length > 0) keys.push(...keysFor(person, years, true));
  if (person.nationalId) keys.push(`id:${person.nationalId}`);
  return [...new Set(keys)];
}
