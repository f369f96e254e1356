import { z } from "zod";
import { governorateCode } from "./geo.ts";
import { arabicName, fileRef, freeText, latinName } from "./text.ts";

/** A name as a chain: given name, father, grandfather, and the family or tribe name. */
const nameChain = <T extends z.ZodType<string>>(part: T) =>
  z.strictObject({
    given: part,
    father: part.optional(),
    grandfather: part.optional(),
    family: part.optional(),
  });

export const personName = z
  .strictObject({ arabic: nameChain(arabicName).optional(), latin: nameChain(latinName).optional() })
  .refine((n) => n.arabic || n.latin, "give the name in Arabic script, in Latin letters, or both");

export const motherName = z
  .strictObject({ arabic: arabicName.optional(), latin: latinName.optional() })
  .refine((n) => n.arabic || n.latin, "give the mother's name in at least one script");

export const birth = z
  .strictObject({
    date: z.iso.date().optional(),
    year: z.int().min(1900).max(2100).optional(),
  })
  .refine((b) => b.date || b.year, "give the date of birth or at least the year")
  .refine((b) => !(b.date && b.year) || Number(b.date.slice(0, 4)) === b.year, "year and date disagree");

export const personKind = z.enum(["combatant", "associated_member"]);

export const person = z.strictObject({
  personId: z.uuid().optional(),
  /** Where the person was registered: scopes who may see and change the record. */
  siteId: z.uuid(),
  kind: personKind,
  name: personName,
  motherName: motherName.optional(),
  birth,
  sex: z.enum(["male", "female"]),
  governorate: governorateCode,
  groupId: z.uuid().optional(),
  role: freeText(100).optional(),
  nationalId: z
    .string()
    .trim()
    .regex(/^[0-9A-Z]{6,20}$/, "must be 6-20 digits or capital letters as printed on the card")
    .optional(),
  photo: fileRef.optional(),
  listedByGroup: z.boolean(),
  screening: z
    .record(z.string().regex(/^[a-z][a-z0-9_]{0,40}$/), z.union([z.boolean(), freeText(500)]))
    .default({}),
  vettingFlags: z
    .array(z.string().regex(/^[a-z][a-z0-9_]{0,40}$/))
    .max(20)
    .default([]),
  consent: z.strictObject({ given: z.boolean(), recordedOn: z.iso.date() }),
});

export type PersonInput = z.infer<typeof person>;

/** Age at a date from a date or year of birth (whole years; a bare year counts from 1 July). */
export function ageOn(birthValue: { date?: string; year?: number }, on: string): number {
  const born = birthValue.date ?? `${birthValue.year}-07-01`;
  const [by, bm, bd] = born.split("-").map(Number) as [number, number, number];
  const [y, m, d] = on.slice(0, 10).split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
