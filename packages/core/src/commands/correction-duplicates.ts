import { hashKey } from "../names/candidate-index.ts";
import { defaultMatchModel } from "../names/default-model.ts";
import {
  checkDuplicates,
  correctedMatchInput,
  type DuplicateCheck,
  type DuplicateMatch,
  matchedPersonFields,
  prepareRegistration,
} from "../names/duplicate-check.ts";
import type { PreparedPerson } from "../names/person.ts";
import type { RecordView } from "./command.ts";

/**
 * The duplicate check against the registry the view reads, with the registry's own hashing of
 * name keys (keyed on the server: docs/names.md), leaving out `exclude`. Registration and
 * correction both check through here.
 */
export function checkAgainstRegistry(
  view: RecordView,
  person: PreparedPerson,
  exclude: readonly string[] = [],
): Promise<DuplicateCheck> {
  return checkDuplicates(
    person,
    (q) => view.findNameCandidates(q),
    defaultMatchModel,
    exclude,
    view.nameKeyHash ? (key) => view.nameKeyHash!(key) : hashKey,
  );
}

/**
 * A correction of a person's names, mother's name, birth, sex, governorate or national id runs
 * the registration's duplicate check again on the record as corrected (issue 5): otherwise a
 * registrar could register "Ali Hassan Kadhim", then correct him into a near-copy of someone
 * already paid, and nothing would stop the second payment. A strong match holds the person for
 * review exactly as a held registration is held (receipts, cards and payments wait), with the
 * corrector in the registrar's place (who may not review it).
 *
 * Not re-checked: an alias (merged, blocked for good) and a person already held (the reviewer
 * sees the record as corrected). A person whose earlier review was dismissed is checked again,
 * leaving out the people that review found to be others. The person itself is never a match.
 */
export async function recheckCorrectedPerson(
  view: RecordView,
  personId: string,
  changes: Record<string, unknown>,
): Promise<{ duplicateReview?: "pending"; duplicateMatches?: DuplicateMatch[] }> {
  if (!matchedPersonFields.some((f) => f in changes)) return {};
  const [person, before] = await Promise.all([
    view.findPerson(personId),
    view.findPersonMatchInput(personId),
  ]);
  if (!person || !before) return {};
  if (person.duplicateReview === "merged" || person.duplicateReview === "pending") return {};
  const dismissed =
    person.duplicateReview === "dismissed" ? ((await view.findDuplicateReview(personId))?.matches ?? []) : [];
  const check = await checkAgainstRegistry(
    view,
    prepareRegistration(correctedMatchInput(before, changes), "payload.changes"),
    [personId, ...dismissed],
  );
  return check.pending ? { duplicateReview: "pending", duplicateMatches: check.matches } : {};
}
