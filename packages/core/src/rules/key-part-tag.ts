/**
 * A loose key part's tag: its weapon's tag and the part's place among the parts ever taken off
 * that weapon ("W0000004-01/P1", then "/P2"…). It is derived, never stored or chosen: the
 * weapon's tag is fixed at handover and the order of separations is the ledger's, so the same
 * part has the same tag on every label, trail and replay, and two parts of one weapon never
 * share one (a part put back and taken off again is a new item with the next number). The tag
 * says which weapon the part belongs to, which is what a custodian holding a loose bolt asks.
 */
export function keyPartTag(weaponTag: string, ordinal: number): string {
  if (!Number.isInteger(ordinal) || ordinal < 1) throw new RangeError(`key part ordinal ${ordinal}`);
  return `${weaponTag}/P${ordinal}`;
}
