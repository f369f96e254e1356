import { type DuplicateMatch, nearDuplicateSerialKey, serialKey } from "@armsledger/core";
import { eq } from "drizzle-orm";
import { sealRow } from "../crypto/personal-columns.ts";
import * as t from "../store/schema.ts";
import { findPersonMatchInput, openDuplicateReview, reindexPersonName } from "./duplicate-review.ts";
import { raiseDuplicatePartSerial, raiseDuplicateSerial } from "./duplicate-serials.ts";
import { sealPersonColumns } from "./person.ts";
import { type Projector, touch } from "./recorded-event.ts";

interface CorrectionData {
  corrects: number;
  subject: { kind: "person" | "weapon" | "ammunition" | "key_part" | "group" | "site"; id: string };
  changes: Record<string, unknown>;
  /** Set when the corrected person strongly matches someone else (commands/correction-duplicates.ts). */
  duplicateReview?: "pending";
  duplicateMatches?: DuplicateMatch[];
}

/** Field names in a correction that are stored differently from how they are sent. */
function columnsFor(
  kind: CorrectionData["subject"]["kind"],
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (key === "name" && (kind === "group" || kind === "site")) {
      const name = value as { ar: string; en: string };
      set.nameAr = name.ar;
      set.nameEn = name.en;
    } else if (key === "birth") {
      const birth = value as { date?: string; year?: number };
      set.birthDate = birth.date ?? null;
      set.birthYear = birth.year ?? (birth.date ? Number(birth.date.slice(0, 4)) : null);
    } else if (key === "location") {
      const location = value as { lat: number; lon: number };
      set.lat = location.lat;
      set.lon = location.lon;
    } else {
      set[key] = value ?? null;
    }
  }
  return set;
}

const tables = {
  person: t.persons,
  weapon: t.weaponItems,
  ammunition: t.ammunitionLots,
  key_part: t.keyParts,
  group: t.armedGroups,
  site: t.sites,
} as const;

export const recordCorrected: Projector = async (tx, e, keys) => {
  const d = e.data as unknown as CorrectionData;
  const isPerson = d.subject.kind === "person";
  // A group's liaison officers are sealed in its row as a person's personal columns are in theirs.
  const set = isPerson
    ? sealPersonColumns(keys, d.subject.id, columnsFor(d.subject.kind, d.changes))
    : d.subject.kind === "group"
      ? sealRow(keys, "armed_groups", d.subject.id, columnsFor(d.subject.kind, d.changes))
      : columnsFor(d.subject.kind, d.changes);
  // The changes are sealed when the event keeps them private: a person's, or a group's liaison
  // officers (core eventPrivacy). The reason, private in every correction, is not kept here.
  const sealedChanges = isPerson || (d.subject.kind === "group" && "liaisonOfficers" in d.changes);
  if (d.subject.kind === "weapon") {
    const [current] = await tx.select().from(t.weaponItems).where(eq(t.weaponItems.id, d.subject.id));
    if (current) {
      if (d.changes.noReadableSerial === true) set.serial = null;
      else if (typeof d.changes.serial === "string") set.noReadableSerial = false;
      const merged = { ...current, ...set } as typeof current;
      set.serialKey = merged.serial
        ? serialKey(merged.make ?? undefined, merged.model ?? undefined, merged.serial)
        : null;
      set.nearSerialKey = merged.serial
        ? nearDuplicateSerialKey(merged.make ?? undefined, merged.model ?? undefined, merged.serial)
        : null;
    }
  }
  // The name keys follow a corrected name, year, governorate or national id (duplicate review).
  const before = isPerson ? await findPersonMatchInput(tx, keys, d.subject.id) : undefined;
  const table = tables[d.subject.kind];
  await tx
    .update(table)
    .set({ ...set, updatedSeq: e.seq } as never)
    .where(eq(table.id, d.subject.id));
  if (before) await reindexPersonName(tx, keys, d.subject.id, before);
  if (d.subject.kind === "person" && d.duplicateReview === "pending")
    await openDuplicateReview(tx, e, d.subject.id, d.duplicateMatches ?? []);
  if (d.subject.kind === "weapon" && typeof set.serialKey === "string")
    await raiseDuplicateSerial(tx, e.seq, `${e.seq}:w0`, {
      id: d.subject.id,
      serialKey: set.serialKey,
      nearSerialKey: set.nearSerialKey as string,
      serial: String(set.serial ?? d.changes.serial),
    });
  // A loose part's corrected serial meets the other parts' as a weapon's meets the weapons'.
  if (d.subject.kind === "key_part" && typeof d.changes.serial === "string")
    await raiseDuplicatePartSerial(tx, e.seq, `${e.seq}:p0`, d.subject.id);
  await tx.insert(t.corrections).values({
    seq: e.seq,
    corrects: d.corrects,
    subjectKind: d.subject.kind,
    subjectId: d.subject.id,
    // Personal corrected values are kept encrypted like the columns they change.
    changes: sealedChanges ? sealRow(keys, "corrections", e.seq, { changes: d.changes }).changes : d.changes,
  });
  await touch(tx, e.seq, [d.subject]);
};
