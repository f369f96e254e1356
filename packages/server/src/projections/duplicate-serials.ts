import { and, eq, ne } from "drizzle-orm";
import type { Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";

/**
 * The same make + model + serial seen twice is never merged silently: each sighting stays its own
 * item and an anomaly names the others, for a person to look at.
 */
export async function raiseDuplicateSerial(
  tx: Tx,
  seq: number,
  anomalyId: string,
  item: { id: string; serialKey: string; serial: string },
): Promise<void> {
  const others = await tx
    .select({ id: t.weaponItems.id, tag: t.weaponItems.tag, state: t.weaponItems.state })
    .from(t.weaponItems)
    .where(and(eq(t.weaponItems.serialKey, item.serialKey), ne(t.weaponItems.id, item.id)));
  if (others.length === 0) return;
  // A weapon "destroyed" or handed to the state that is seen again has come back into circulation.
  const gone = others.filter((o) => o.state === "destroyed" || o.state === "transferred");
  await tx.insert(t.anomalies).values({
    id: anomalyId,
    kind: gone.length > 0 ? "recirculation" : "duplicate_serial",
    raisedSeq: seq,
    subjectKind: "weapon",
    subjectId: item.id,
    related: others.map(({ id, tag }) => ({ id, tag })),
    detail:
      gone.length > 0
        ? `Serial ${item.serial} (same make and model) was recorded as ${gone.map((o) => `${o.state} (${o.tag})`).join(", ")} and is seen again.`
        : `Serial ${item.serial} (same make and model) is already recorded on ${others.map((o) => o.tag).join(", ")}.`,
  });
}
