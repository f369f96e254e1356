import {
  type AmmunitionLotInput,
  nearDuplicateSerialKey,
  serialKey,
  type WeaponItemInput,
} from "@armsledger/core";
import { eq, sql } from "drizzle-orm";
import { sealRow } from "../crypto/personal-columns.ts";
import * as t from "../store/schema.ts";
import { type Write, writeTogether, writeTogetherReading } from "../store/write-together.ts";
import { raiseHandoverUnderReview } from "./duplicate-review.ts";
import { type AlikeSerial, alikeSerials, raiseDuplicateSerial } from "./duplicate-serials.ts";
import { keyPartsHandedInApart } from "./key-part.ts";
import { touching, withLeading } from "./recorded-event.ts";

interface HandoverData {
  handoverId: string;
  receiptNumber: string;
  siteId: string;
  handedAt: string;
  fromKind: "person" | "group" | "cache";
  personId?: string;
  cacheId?: string;
  groupId?: string;
  governorate: string;
  representative?: string;
  receivingOfficer: string;
  verifyingOfficer: unknown;
  witnesses?: unknown[];
  photos?: string[];
  notes?: string;
  weapons: (WeaponItemInput & { itemId: string; tag: string })[];
  ammunition: (AmmunitionLotInput & { lotId: string; tag: string })[];
  eligibility: { status: string; reasons: string[] };
}

export const handoverRecorded = withLeading(async (tx, e, keys, leading) => {
  const d = e.data as unknown as HandoverData;
  // Writes that nothing reads in between go to the database together (store/write-together.ts):
  // the leaf and the handover with its first weapon, then the lots, the person's eligibility and
  // the history.
  let pending: Write[] = [...leading];
  pending.push(
    tx.insert(t.handovers).values(
      sealRow(keys, "handovers", d.handoverId, {
        id: d.handoverId,
        seq: e.seq,
        receiptNumber: d.receiptNumber,
        siteId: d.siteId,
        handedAt: d.handedAt,
        fromKind: d.fromKind,
        personId: d.personId ?? null,
        cacheId: d.cacheId ?? null,
        groupId: d.groupId ?? null,
        governorate: d.governorate,
        representative: d.representative ?? null,
        receivingOfficer: d.receivingOfficer,
        verifyingOfficer: d.verifyingOfficer,
        witnesses: d.witnesses ?? [],
        photos: d.photos ?? [],
        notes: d.notes ?? null,
        eligibilityStatus: d.eligibility.status,
        eligibilityReasons: d.eligibility.reasons,
      }),
    ),
  );
  for (const [position, w] of d.weapons.entries()) {
    const key = w.serial ? serialKey(w.make, w.model, w.serial) : null;
    const nearKey = w.serial ? nearDuplicateSerialKey(w.make, w.model, w.serial) : null;
    pending.push(
      tx.insert(t.weaponItems).values({
        id: w.itemId,
        tag: w.tag,
        handoverId: d.handoverId,
        seq: e.seq,
        position,
        category: w.category,
        type: w.type,
        make: w.make ?? null,
        model: w.model ?? null,
        calibre: w.calibre ?? null,
        serial: w.serial ?? null,
        serialKey: key,
        nearSerialKey: nearKey,
        noReadableSerial: w.noReadableSerial,
        componentSerials: w.componentSerials ?? [],
        countryOfManufacture: w.countryOfManufacture ?? null,
        yearOfManufacture: w.yearOfManufacture ?? null,
        markings: w.markings ?? [],
        alteredMarks: w.alteredMarks,
        condition: w.condition,
        serviceable: w.serviceable,
        photos: w.photos ?? [],
        source: w.source,
        listCheck: w.listCheck,
        siteId: d.siteId,
        holderSiteId: d.siteId,
        custodySince: d.handedAt,
        updatedSeq: e.seq,
      }),
    );
    // The duplicate-serial check reads the other weapons recorded so far (this handover's earlier
    // ones included: written by the statements before), in the statement that writes this one.
    if (key && w.serial) {
      const item = { id: w.itemId, serialKey: key, nearSerialKey: nearKey!, serial: w.serial };
      const alike = await writeTogetherReading<AlikeSerial>(tx, pending, alikeSerials(item));
      await raiseDuplicateSerial(tx, e.seq, `${e.seq}:w${position}`, item, alike);
    } else await writeTogether(tx, pending);
    pending = [];
    await keyPartsHandedInApart(tx, e.seq, d, w, position);
  }
  if (d.ammunition.length > 0)
    pending.push(
      tx.insert(t.ammunitionLots).values(
        d.ammunition.map((a, position) => ({
          id: a.lotId,
          tag: a.tag,
          handoverId: d.handoverId,
          seq: e.seq,
          position,
          kind: a.kind,
          calibreOrType: a.calibreOrType,
          quantity: a.quantity,
          unit: a.unit,
          lotMark: a.lotMark ?? null,
          headstamp: a.headstamp ?? null,
          hazardDivision: a.hazardDivision ?? null,
          condition: a.condition,
          safeToMove: a.safeToMove,
          destroyedInSitu: a.destroyedInSitu,
          photos: a.photos ?? [],
          source: a.source,
          siteId: d.siteId,
          holderSiteId: d.siteId,
          custodySince: d.handedAt,
          updatedSeq: e.seq,
        })),
      ),
    );
  if (d.personId && d.eligibility.status === "eligible")
    pending.push(
      tx.update(t.persons).set({ eligible: true, updatedSeq: e.seq }).where(eq(t.persons.id, d.personId)),
    );
  const history = touching(tx, e.seq, [
    { kind: "handover", id: d.handoverId },
    ...d.weapons.map((w) => ({ kind: "weapon", id: w.itemId })),
    ...d.ammunition.map((a) => ({ kind: "ammunition", id: a.lotId })),
    ...d.weapons.flatMap((w) => (w.keyPartsApart ?? []).map((p) => ({ kind: "key_part", id: p.partId! }))),
    ...(d.personId ? [{ kind: "person", id: d.personId }] : []),
    // The cache report's history lists its extraction operations.
    ...(d.cacheId ? [{ kind: "cache", id: d.cacheId }] : []),
  ]);
  if (history) pending.push(history);
  if (!d.personId) return writeTogether(tx, pending);
  // The person's review state (which none of these writes changes) read in the same statement.
  const [review] = await writeTogetherReading<{ duplicateReview: string }>(
    tx,
    pending,
    sql`select ${t.persons.duplicateReview} as "duplicateReview" from ${t.persons} where ${t.persons.id} = ${d.personId}`,
  );
  await raiseHandoverUnderReview(tx, e.seq, d.handoverId, d.receiptNumber, d.personId, review);
});
