import type { Actor } from "@armsledger/core";
import { eq } from "drizzle-orm";
import type { LabelsData } from "../receipt/labels-pdf.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { findKeyPartOfWeapon, getItemTrail } from "./custody.ts";

/**
 * What a loose key part's label prints: its derived tag, its name, its weapon's tag, its own
 * serial, and the receipt its weapon came in with. Scoped as the part's trail is (a part never
 * at one of the reader's sites answers 404, like an unknown id). Nothing about the person.
 */
export async function getKeyPartLabelData(store: Store, actor: Actor, id: string): Promise<LabelsData> {
  await getItemTrail(store, actor, "key_part", id);
  const part = (await findKeyPartOfWeapon(store, id))!;
  const [handover] = await store.db
    .select({ receiptNumber: t.handovers.receiptNumber, handedAt: t.handovers.handedAt })
    .from(t.handovers)
    .where(eq(t.handovers.id, part.handoverId));
  return {
    receiptNumber: handover!.receiptNumber,
    handedAt: new Date(handover!.handedAt).toISOString(),
    weapons: [],
    ammunition: [],
    keyParts: [
      { tag: part.tag, part: part.part, weaponTag: part.weaponTag, serial: part.serial ?? undefined },
    ],
  };
}
