import { type SQL, sql } from "drizzle-orm";
import type { Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { writeTogetherReading } from "../store/write-together.ts";
import { raiseAnomaly } from "./anomalies.ts";

/** A weapon whose serial is the same as, or looks like, another's. */
export interface AlikeSerial {
  id: string;
  tag: string;
  serial: string | null;
  serialKey: string | null;
  state: string;
}

/**
 * The other weapons of the same make and model with the same serial or a look-alike one: one read,
 * which needs no row of the weapon itself (so it may go in the statement that writes it).
 */
export function alikeSerials(item: { id: string; serialKey: string; nearSerialKey: string }): SQL {
  const w = t.weaponItems;
  return sql`select ${w.id} as "id", ${w.tag} as "tag", ${w.serial} as "serial", ${w.serialKey} as "serialKey", ${w.state} as "state"
    from ${w}
    where (${w.nearSerialKey} = ${item.nearSerialKey} or ${w.serialKey} = ${item.serialKey}) and ${w.id} <> ${item.id}`;
}

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
  /** What alikeSerials(item) read, when it was sent with the weapon's write (handover.ts). */
  read?: AlikeSerial[],
): Promise<void> {
  const alike = read ?? (await writeTogetherReading<AlikeSerial>(tx, [], alikeSerials(item)));
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
