import type { NameText } from "./name-text.ts";
import type { PreparedPerson } from "./person.ts";

export type CountedField = "given" | "father" | "grandfather" | "family" | "mother";

/**
 * What scoring reads of the registry's name frequencies (model.ts): NameFrequencies keeps the
 * counts in memory; the server's duplicate check reads them from a table (duplicate-check.ts).
 */
export interface TermFrequencies {
  adjustment(field: CountedField, skeleton: string): number;
}
const FIELDS: readonly CountedField[] = ["given", "father", "grandfather", "family", "mother"];

function skeletonsOf(texts: readonly NameText[], head: boolean): Set<string> {
  return new Set(texts.map((t) => (head ? t.head : t.skeleton)));
}

/**
 * How often each name skeleton occurs per field in the registry, for the term-frequency
 * adjustment of model.ts. Built by the server from its table at start-up, updated as people
 * are registered; pure counts, no names leave it.
 */
export class NameFrequencies implements TermFrequencies {
  readonly #counts = new Map<CountedField, Map<string, number>>(FIELDS.map((f) => [f, new Map()]));
  readonly #totals = new Map<CountedField, number>(FIELDS.map((f) => [f, 0]));
  // Σ count² per field, kept incrementally: Σf² = Σcount² / total².
  readonly #squares = new Map<CountedField, number>(FIELDS.map((f) => [f, 0]));

  add(person: PreparedPerson): void {
    for (const field of FIELDS)
      for (const skeleton of skeletonsOf(person[field], field === "mother")) {
        const counts = this.#counts.get(field)!;
        const before = counts.get(skeleton) ?? 0;
        counts.set(skeleton, before + 1);
        this.#totals.set(field, this.#totals.get(field)! + 1);
        this.#squares.set(field, this.#squares.get(field)! + 2 * before + 1);
      }
  }

  /** Share of the field's values that are this skeleton (at least one occurrence is assumed). */
  share(field: CountedField, skeleton: string): number {
    const total = this.#totals.get(field)!;
    if (total === 0) return 1;
    return Math.max(1, this.#counts.get(field)!.get(skeleton) ?? 0) / total;
  }

  /** log2(Σf² / f): > 0 for names rarer than the typical agreement, < 0 for common ones. */
  adjustment(field: CountedField, skeleton: string): number {
    const total = this.#totals.get(field)!;
    if (total === 0) return 0;
    const meanAgreement = this.#squares.get(field)! / (total * total);
    return Math.log2(meanAgreement / this.share(field, skeleton));
  }
}
