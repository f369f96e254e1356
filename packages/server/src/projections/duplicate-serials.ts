import { and, eq, ne, or } from "drizzle-orm";
import type { Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { raiseAnomaly } from "./anomalies.ts";

/**
 * The same make + model + serial seen twice is never merged silently: each sighting stays its own
 * item and an anomaly names the others, for a person to look at. Serials of the same make and
 * model that differ only by look-alike characters, spaces or dashes ("1O35-B7" and "1035 87") are
 * likely the same weapon read twice, or two real weapons a worn stamp makes look alike: never
 * merged either; an anomaly names the others for an officer (issue 5). Both are found by one read.
 */
export async function raiseDuplicateSerial(
  tx: Tx,
  seq: number,
  anomalyId: string,
  item: { id: string; serialKey: string; nearSerialKey: string; serial: string },
): Promise<void> {
  const alike = await tx
    .select({
      id: t.weaponItems.id,
      tag: t.weaponItems.tag,
      serial: t.weaponItems.serial,
      serialKey: t.weaponItems.serialKey,
      state: t.weaponItems.state,
    })
    .from(t.weaponItems)
    .where(
      and(
        or(eq(t.weaponItems.nearSerialKey, item.nearSerialKey), eq(t.weaponItems.serialKey, item.serialKey)),
        ne(t.weaponItems.id, item.id),
      ),
    );
  // Exact duplicates are left to the duplicate-serial anomaly.
  const near = alike.filter((o) => o.serialKey !== item.serialKey);
  if (near.length > 0)
    await raiseAnomaly(tx, {
      id: `${anomalyId}:near`,
      kind: "near_duplicate_serial",
      raisedSeq: seq,
      subjectKind: "weapon",
      subjectId: item.id,
      related: near.map(({ id, tag }) => ({ id, tag })),
      detail: `Serial ${item.serial} nearly matches ${near.map((o) => `${o.serial} (${o.tag})`).join(", ")} on the same make and model (look-alike characters, spaces or dashes): check the marking.`,
    });
  const others = alike.filter((o) => o.serialKey === item.serialKey);
  if (others.length === 0) return;
  // A weapon "destroyed" or handed to the state that is seen again has come back into circulation.
  const gone = others.filter((o) => o.state === "destroyed" || o.state === "transferred");
  await raiseAnomaly(tx, {
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
