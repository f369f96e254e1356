import { type DuplicateMatch, matchInputFromPerson, type PersonInput } from "@armsledger/core";
import type { FieldKeys } from "../crypto/field-keys.ts";
import { sealRow } from "../crypto/personal-columns.ts";
import * as t from "../store/schema.ts";
import { writeTogether } from "../store/write-together.ts";
import { nameIndexWrites, openDuplicateReview } from "./duplicate-review.ts";
import { touching, withLeading } from "./recorded-event.ts";

/**
 * A person's columns as stored: the personal ones encrypted, and the blind indexes of the
 * national id and the photo beside them whenever those are written.
 */
export function sealPersonColumns<T extends Record<string, unknown>>(
  keys: FieldKeys,
  personId: string,
  values: T,
): T {
  return sealRow(keys, "persons", personId, values);
}

/** What a person.registered event carries (the payload, and what the write path decided). */
export type PersonRegisteredData = PersonInput & {
  personId: string;
  registeredOn: string;
  ageGroup: string;
  duplicateReview?: "pending";
  duplicateMatches?: DuplicateMatch[];
};

/**
 * The persons row a registration writes, before sealing. Also used by the encryption benchmark's
 * bulk load (bench/src/encryption), so that its million rows are the rows this projection writes.
 */
export function personRowOf(d: PersonRegisteredData, seq: number) {
  return {
    id: d.personId,
    siteId: d.siteId,
    kind: d.kind,
    name: d.name,
    motherName: d.motherName ?? null,
    birthDate: d.birth.date ?? null,
    birthYear: d.birth.year ?? (d.birth.date ? Number(d.birth.date.slice(0, 4)) : null),
    sex: d.sex,
    governorate: d.governorate,
    groupId: d.groupId ?? null,
    role: d.role ?? null,
    nationalId: d.nationalId ?? null,
    photo: d.photo ?? null,
    listedByGroup: d.listedByGroup,
    screening: d.screening ?? {},
    vettingFlags: d.vettingFlags ?? [],
    consent: d.consent,
    registeredOn: d.registeredOn,
    ageGroup: d.ageGroup,
    registeredSeq: seq,
    updatedSeq: seq,
  };
}

export const personRegistered = withLeading(async (tx, e, keys, leading) => {
  const d = e.data as PersonRegisteredData;
  // The leaf, the person, their history and their name keys in one statement
  // (store/write-together.ts): none reads another's rows.
  await writeTogether(tx, [
    ...leading,
    tx.insert(t.persons).values(sealPersonColumns(keys, d.personId, personRowOf(d, e.seq))),
    touching(tx, e.seq, [{ kind: "person", id: d.personId }])!,
    ...nameIndexWrites(keys, d.personId, matchInputFromPerson(d)),
  ]);
  // It updates the person's row: a statement of its own, after the row is there.
  if (d.duplicateReview === "pending") await openDuplicateReview(tx, e, d.personId, d.duplicateMatches ?? []);
});
