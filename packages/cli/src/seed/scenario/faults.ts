import type { Draws } from "./draws.ts";
import type { Spelling } from "./names.ts";
import type { WeaponFaults, WeaponSource } from "./weapons.ts";
import { placeholderSerials } from "./weapons.ts";

// The faults DOMAIN.md asks the scenario to seed, so that the reports that should find them
// have something to find. Rates are shares of the records concerned.

export const faultRates = {
  /** Share of registrations that are the same person registered again. */
  duplicatePeople: 0.05,
  /** The padded group's roster grows by this share in the last days before the cut-off. */
  rosterPadding: 0.2,
  /** Share of weapons whose officer first typed a placeholder for the serial. */
  placeholderSerials: 0.02,
  /** Share of weapons whose serial (same make and model) was already recorded. */
  duplicateSerials: 0.01,
  /** Share of custody transfers received with a difference from the dispatch. */
  transportDiscrepancies: 0.08,
} as const;

/** Days before the cut-off in which the padded roster registers. */
export const PADDING_DAYS = 3;

// The first weapons people hand in always carry one placeholder and one repeated serial, so that
// even a tiny scenario (a test's) has each fault to find.
const FORCED_PLACEHOLDER = 3;
const FORCED_DUPLICATE = 10;

export function isPlaceholder(draws: Draws, source: WeaponSource, n: number): boolean {
  if (source === "personal" && n === FORCED_PLACEHOLDER) return true;
  return draws.stream("fault", "placeholder", source, n).chance(faultRates.placeholderSerials);
}

export function weaponFaults(draws: Draws, source: WeaponSource, n: number): WeaponFaults {
  const s = draws.stream("fault", "weapon", source, n);
  if (isPlaceholder(draws, source, n)) return { placeholder: s.pick(placeholderSerials) };
  const forced = source === "personal" && n === FORCED_DUPLICATE;
  if (forced || (n >= 10 && s.chance(faultRates.duplicateSerials))) {
    // An earlier weapon that had a readable serial.
    for (let j = forced ? FORCED_PLACEHOLDER - 1 : s.int(0, n - 1); j >= 0; j--)
      if (!isPlaceholder(draws, source, j)) return { duplicateOf: j };
  }
  return {};
}

/** How a duplicate registration respells the person: another transliteration, often a shorter chain. */
export function duplicateSpelling(draws: Draws, k: number): Spelling {
  const s = draws.stream("fault", "spelling", k);
  return { variant: s.int(1, 3), truncated: s.chance(0.5) };
}

export type TransportDiscrepancy = "missing_item" | "broken_seal" | "count_mismatch" | "unexpected_item";

/** The difference a receipt finds, if any. */
export function transportDiscrepancy(draws: Draws, transferId: string): TransportDiscrepancy | undefined {
  const s = draws.stream("fault", "transport", transferId);
  if (!s.chance(faultRates.transportDiscrepancies)) return undefined;
  return s.pick([
    "missing_item",
    "missing_item",
    "broken_seal",
    "count_mismatch",
    "unexpected_item",
  ] as const);
}
