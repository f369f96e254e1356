import { Problem, type ProblemField } from "../problems.ts";
import type { PersonInput } from "../records/person.ts";
import { westernDigits } from "./arabic.ts";
import { type NameText, nameText } from "./name-text.ts";

/** The name chain in one script, as registration takes it (records/person.ts). */
export interface NameChainInput {
  given: string;
  father?: string | undefined;
  grandfather?: string | undefined;
  family?: string | undefined;
}

/** What matching reads of a person: a subset of PersonInput, so a registration can be passed as is. */
export interface MatchInput {
  name: { arabic?: NameChainInput | undefined; latin?: NameChainInput | undefined };
  motherName?: { arabic?: string | undefined; latin?: string | undefined } | undefined;
  birthYear?: number | undefined;
  sex?: "male" | "female" | undefined;
  governorate?: string | undefined;
  nationalId?: string | undefined;
}

export const nameFields = ["given", "father", "grandfather", "family", "mother"] as const;
export type NameField = (typeof nameFields)[number];

/** A person folded for matching: each name field in the scripts it was given in (0-2 texts). */
export interface PreparedPerson {
  given: NameText[];
  father: NameText[];
  grandfather: NameText[];
  family: NameText[];
  mother: NameText[];
  birthYear?: number | undefined;
  sex?: "male" | "female" | undefined;
  governorate?: string | undefined;
  nationalId?: string | undefined;
}

export function matchInputFromPerson(p: PersonInput): MatchInput {
  return {
    name: p.name,
    motherName: p.motherName,
    birthYear: p.birth.year ?? (p.birth.date ? Number(p.birth.date.slice(0, 4)) : undefined),
    sex: p.sex,
    governorate: p.governorate,
    nationalId: p.nationalId,
  };
}

/**
 * Validates and folds every name field. All bad fields are reported at once in one Problem
 * (path and message each), so an officer fixes the form in one go.
 */
export function preparePerson(input: MatchInput): PreparedPerson {
  const issues: ProblemField[] = [];
  const field = (name: "given" | "father" | "grandfather" | "family"): NameText[] => {
    const out: NameText[] = [];
    for (const script of ["arabic", "latin"] as const) {
      const raw = input.name[script]?.[name];
      if (raw === undefined) continue;
      const text = nameText(raw, `name.${script}.${name}`, issues);
      if (text) {
        if (text.script !== script)
          issues.push({
            path: `name.${script}.${name}`,
            message: `is written in ${text.script} letters; put it in the ${text.script} field`,
          });
        else out.push(text);
      }
    }
    return out;
  };
  const prepared: PreparedPerson = {
    given: field("given"),
    father: field("father"),
    grandfather: field("grandfather"),
    family: field("family"),
    mother: [],
  };
  for (const script of ["arabic", "latin"] as const) {
    const raw = input.motherName?.[script];
    if (raw === undefined) continue;
    const text = nameText(raw, `motherName.${script}`, issues);
    if (text) prepared.mother.push(text);
  }
  if (prepared.given.length === 0 && !issues.some((i) => i.path.endsWith(".given")))
    issues.push({ path: "name", message: "give at least the given name, in Arabic or Latin letters" });
  if (input.birthYear !== undefined) {
    if (!Number.isInteger(input.birthYear) || input.birthYear < 1900 || input.birthYear > 2100)
      issues.push({ path: "birthYear", message: "must be a whole year between 1900 and 2100" });
    else prepared.birthYear = input.birthYear;
  }
  if (input.nationalId !== undefined) {
    const id = westernDigits(input.nationalId).replace(/[\s-]/gu, "").toUpperCase();
    if (!/^[0-9A-Z]{6,20}$/u.test(id))
      issues.push({
        path: "nationalId",
        message: "must be 6-20 digits or capital letters as printed on the card",
      });
    else prepared.nationalId = id;
  }
  prepared.sex = input.sex;
  prepared.governorate = input.governorate;
  if (issues.length > 0)
    throw new Problem(
      "request.invalid",
      `The name cannot be matched: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}`,
      issues,
    );
  return prepared;
}
