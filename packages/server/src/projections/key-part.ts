import type { ReattachPartInput, SeparatePartInput } from "@armsledger/core";
import { eq } from "drizzle-orm";
import * as t from "../store/schema.ts";
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
