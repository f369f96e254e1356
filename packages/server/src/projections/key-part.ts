import type { ReattachPartInput, SeparatePartInput, WeaponItemInput } from "@armsledger/core";
import { eq } from "drizzle-orm";
import type { Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { raiseAnomaly } from "./anomalies.ts";
import { raiseDuplicatePartSerial } from "./duplicate-serials.ts";
import { type Projector, touch } from "./recorded-event.ts";

/**
 * A key part taken off its weapon: a new item in custody where the weapon is (at the location
 * given, or the weapon's), collected at the weapon's site so scope and trails follow it there.
 */
export const keyPartSeparated: Projector = async (tx, e) => {
  const d = e.data as unknown as SeparatePartInput & { partId: string; siteId: string };
  const [weapon] = await tx
    .select({ siteId: t.weaponItems.siteId, location: t.weaponItems.location })
    .from(t.weaponItems)
    .where(eq(t.weaponItems.id, d.weaponId));
  if (!weapon) throw new Error(`key part ${d.partId}: no weapon ${d.weaponId}`);
  await tx.insert(t.keyParts).values({
    id: d.partId,
    weaponId: d.weaponId,
    part: d.part,
    serial: d.serial ?? null,
    separatedAt: d.separatedAt,
    separatedSeq: e.seq,
    siteId: weapon.siteId,
    state: "in_custody",
    holderSiteId: d.siteId,
    location: d.location ?? weapon.location,
    custodySince: d.separatedAt,
    updatedSeq: e.seq,
  });
  await tx.update(t.weaponItems).set({ updatedSeq: e.seq }).where(eq(t.weaponItems.id, d.weaponId));
  // A part's own serial meets the other parts' as a weapon's meets the weapons'.
  if (d.serial) await raiseDuplicatePartSerial(tx, e.seq, `${e.seq}:p0`, d.partId);
  await touch(tx, e.seq, [
    { kind: "weapon", id: d.weaponId },
    { kind: "key_part", id: d.partId },
  ]);
};

/**
 * A loose key part put back on its weapon: the part's row stays (its trail, and the balance
 * counts it as `reattached`), the weapon carries it from now on.
 */
export const keyPartReattached: Projector = async (tx, e) => {
  const d = e.data as unknown as ReattachPartInput & { weaponId: string };
  await tx
    .update(t.keyParts)
    .set({ state: "reattached", updatedSeq: e.seq })
    .where(eq(t.keyParts.id, d.partId));
  await tx.update(t.weaponItems).set({ updatedSeq: e.seq }).where(eq(t.weaponItems.id, d.weaponId));
  await touch(tx, e.seq, [
    { kind: "weapon", id: d.weaponId },
    { kind: "key_part", id: d.partId },
  ]);
};

/**
 * A weapon handed in with a key part apart (a bolt in another bag): the part is a loose key part
 * from the handover on, held where the weapon is, its trail starting with the handover. A weapon
 * handed in without a key part at all raises an anomaly on the weapon for an officer (the part
 * may still be out there, in working order); it never refuses the handover.
 */
export async function keyPartsHandedInApart(
  tx: Tx,
  seq: number,
  handover: { siteId: string; handedAt: string },
  weapon: Pick<WeaponItemInput, "keyPartsApart" | "keyPartsMissing"> & { itemId: string; tag: string },
  position: number,
): Promise<void> {
  const apart = weapon.keyPartsApart ?? [];
  if (apart.length > 0)
    await tx.insert(t.keyParts).values(
      apart.map((p) => ({
        id: p.partId!,
        weaponId: weapon.itemId,
        part: p.part,
        serial: p.serial ?? null,
        separatedAt: handover.handedAt,
        separatedSeq: seq,
        siteId: handover.siteId,
        state: "in_custody",
        holderSiteId: handover.siteId,
        custodySince: handover.handedAt,
        updatedSeq: seq,
      })),
    );
  for (const [n, p] of apart.entries())
    if (p.serial) await raiseDuplicatePartSerial(tx, seq, `${seq}:w${position}:p${n}`, p.partId!);
  const missing = weapon.keyPartsMissing ?? [];
  if (missing.length > 0)
    await raiseAnomaly(tx, {
      id: `${seq}:w${position}:missing-parts`,
      kind: "weapon_missing_key_part",
      raisedSeq: seq,
      subjectKind: "weapon",
      subjectId: weapon.itemId,
      related: [],
      detail: `Weapon ${weapon.tag} was handed in without its ${missing.map((p) => p.replaceAll("_", " ")).join(", ")}: the part is not in the programme's hands.`,
    });
}
