export { type LeafEntry, LeafEntryError, leafEntrySchema, parseLeafEntry } from "./leaf-entry.ts";
export {
  computePublicTotals,
  type Declared,
  NO_GROUP,
  type PublicTotals,
  PublicTotalsAccumulator,
  type Tally,
  type WeaponTally,
} from "./public-totals.ts";
