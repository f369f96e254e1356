import { keyPartTag, lookalikeSerial, nearDuplicateSerialKey, serialKey } from "@armsledger/core";
import { and, eq, ne, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { keyPartOrdinal } from "../queries/key-part-ordinal.ts";
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
  // A weapon "destroyed" or handed to the state that is seen again has come back into circulation.
  await raiseSerialDoubts(tx, seq, anomalyId, {
    subject: { kind: "weapon", id: item.id },
    near: alike.filter((o) => o.serialKey !== item.serialKey),
    same: alike.filter((o) => o.serialKey === item.serialKey),
    gone: (o) => o.state === "destroyed" || o.state === "transferred",
    related: ({ id, tag }) => ({ id, tag }),
    say: {
      near: (near) =>
        `Serial ${item.serial} nearly matches ${near.map((o) => `${o.serial} (${o.tag})`).join(", ")} on the same make and model (look-alike characters, spaces or dashes): check the marking.`,
      gone: (gone) =>
        `Serial ${item.serial} (same make and model) was recorded as ${gone.map((o) => `${o.state} (${o.tag})`).join(", ")} and is seen again.`,
      same: (same) =>
        `Serial ${item.serial} (same make and model) is already recorded on ${same.map((o) => o.tag).join(", ")}.`,
    },
  });
}

/**
 * The anomalies of a serial seen before: look-alike sightings (`near_duplicate_serial`, exact
 * ones left to the next), the same serial (`duplicate_serial`, or `recirculation` when one of
 * those was disposed of for good). Each names the others; nothing is merged.
 */
async function raiseSerialDoubts<T>(
  tx: Tx,
  seq: number,
  anomalyId: string,
  found: {
    subject: { kind: "weapon" | "key_part"; id: string };
    near: T[];
    same: T[];
    gone: (o: T) => boolean;
    related: (o: T) => Record<string, unknown>;
    say: { near: (near: T[]) => string; gone: (gone: T[]) => string; same: (same: T[]) => string };
  },
): Promise<void> {
  const { subject, near, same, say } = found;
  const raised = { raisedSeq: seq, subjectKind: subject.kind, subjectId: subject.id };
  if (near.length > 0)
    await raiseAnomaly(tx, {
      id: `${anomalyId}:near`,
      kind: "near_duplicate_serial",
      ...raised,
      related: near.map(found.related),
      detail: say.near(near),
    });
  if (same.length === 0) return;
  const gone = same.filter(found.gone);
  await raiseAnomaly(tx, {
    id: anomalyId,
    kind: gone.length > 0 ? "recirculation" : "duplicate_serial",
    ...raised,
    related: same.map(found.related),
    detail: gone.length > 0 ? say.gone(gone) : say.same(same),
  });
}

/**
 * A loose key part's serial (a corrected one) checked as a weapon's is: against the other parts
 * of the same name (bolt with bolt) taken off weapons of the same make and model, exact and
 * look-alike (issue 5's folding, `nearDuplicateSerialKey` over the weapons' make and model). A
 * part seen again after one with its serial was destroyed has come back into circulation.
 * Anomalies name the others, never merge. Parts have no stored serial key: the database narrows
 * the candidates by the serial folded in SQL (upper case, no separators, look-alikes as digits),
 * and the core's own keys decide, so a fold the SQL misses can only drop a match, never add one.
 */
export async function raiseDuplicatePartSerial(tx: Tx, seq: number, anomalyId: string, partId: string) {
  const weapon = alias(t.weaponItems, "weapon");
  const withWeapon = {
    id: t.keyParts.id,
    part: t.keyParts.part,
    serial: t.keyParts.serial,
    state: t.keyParts.state,
    make: weapon.make,
    model: weapon.model,
    weaponTag: weapon.tag,
    ordinal: keyPartOrdinal,
  };
  const [item] = await tx
    .select(withWeapon)
    .from(t.keyParts)
    .innerJoin(weapon, eq(weapon.id, t.keyParts.weaponId))
    .where(eq(t.keyParts.id, partId));
  if (!item?.serial) return;
  const keys = (p: { make: string | null; model: string | null; serial: string }) => ({
    exact: serialKey(p.make ?? undefined, p.model ?? undefined, p.serial),
    near: nearDuplicateSerialKey(p.make ?? undefined, p.model ?? undefined, p.serial),
  });
  const mine = keys({ ...item, serial: item.serial });
  const folded = sql`translate(upper(regexp_replace(normalize(${t.keyParts.serial}, NFKC), '[[:space:]_./\\\\-]', '', 'g')),
    'OQILSBZ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹', '001158201234567890123456789')`;
  const alike = (
    await tx
      .select(withWeapon)
      .from(t.keyParts)
      .innerJoin(weapon, eq(weapon.id, t.keyParts.weaponId))
      .where(
        and(
          eq(t.keyParts.part, item.part),
          ne(t.keyParts.id, partId),
          eq(folded, lookalikeSerial(item.serial).normalize("NFKC")),
        ),
      )
  )
    .map((o) => ({ ...o, ...keys({ ...o, serial: o.serial! }) }))
    .filter((o) => o.near === mine.near || o.exact === mine.exact);
  // Each part by the tag on its own label (weapon tag / Pn), as it is scanned and shelved.
  const tag = (o: (typeof alike)[number]) => keyPartTag(o.weaponTag, o.ordinal);
  const named = (o: (typeof alike)[number]) => `${o.serial} (${tag(o)})`;
  await raiseSerialDoubts(tx, seq, anomalyId, {
    subject: { kind: "key_part", id: partId },
    near: alike.filter((o) => o.exact !== mine.exact),
    same: alike.filter((o) => o.exact === mine.exact),
    gone: (o) => o.state === "destroyed",
    related: (o) => ({ id: o.id, kind: "key_part", weaponTag: o.weaponTag, tag: tag(o) }),
    say: {
      near: (near) =>
        `Key part serial ${item.serial} nearly matches ${near.map(named).join(", ")} (look-alike characters, spaces or dashes): check the marking.`,
      gone: (gone) =>
        `Key part serial ${item.serial} was recorded on ${gone.map(named).join(", ")}, destroyed, and is seen again.`,
      same: (same) => `Key part serial ${item.serial} is already recorded on ${same.map(named).join(", ")}.`,
    },
  });
}
