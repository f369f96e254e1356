import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

/**
 * Staff passwords guard the records of people whose lives depend on them, so length alone is
 * not enough: "Password1234" is 12 characters. zxcvbn-ts scores a password against lists of
 * common passwords, words and names, keyboard patterns, dates and the user's own name, and
 * estimates the guesses needed. A score of 3 ("safely unguessable: moderate protection from an
 * offline attack") is the floor; the reason shown is zxcvbn's own feedback.
 */
export const MINIMUM_SCORE = 3;

let factory: ZxcvbnFactory | undefined;

// Built on first use: the dictionaries take a moment to index and most processes never set a password.
function checker(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
    // Long random passwords (ours are 20 characters of letters and digits) send the l33t matcher
    // through thousands of substitutions for seconds; a handful finds "p4ssw0rd" all the same.
    l33tMaxSubstitutions: 8,
    maxLength: 64,
  });
  return factory;
}

/** Why a password is too weak to accept, or undefined when it is strong enough. */
export function passwordWeakness(password: string, userInputs: string[]): string | undefined {
  const result = checker().check(password, userInputs);
  if (result.score >= MINIMUM_SCORE) return undefined;
  const why = [result.feedback.warning, ...result.feedback.suggestions]
    .filter((s): s is string => Boolean(s))
    .map((s) => s.replace(/[.\s]+$/u, ""))
    .join(". ");
  return `is too easy to guess${why ? ` (${why})` : ""}: use a longer phrase of unrelated words`;
}
