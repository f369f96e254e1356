import { z } from "zod";
import { governorateCode } from "./geo.ts";
import { arabicName, bilingualName, code, displayName, freeText, latinName } from "./text.ts";
import { weaponCategory } from "./weapon.ts";

export const groupAlias = z.discriminatedUnion("script", [
  z.strictObject({ script: z.literal("arabic"), text: arabicName }),
  z.strictObject({ script: z.literal("latin"), text: latinName }),
]);

export const liaisonOfficer = z.strictObject({
  name: displayName,
  phone: z
    .string()
    .regex(/^\+?[0-9 ]{6,20}$/, "must be a phone number of digits and spaces")
    .optional(),
});

export const armedGroup = z.strictObject({
  groupId: z.uuid().optional(),
  code,
  name: bilingualName,
  aliases: z.array(groupAlias).max(50).default([]),
  umbrellaId: z.uuid().optional(),
  governorates: z.array(governorateCode).max(50).default([]),
  units: z.array(displayName).max(500).default([]),
  liaisonOfficers: z.array(liaisonOfficer).max(20).default([]),
});

const headcount = z.int().min(0).max(10_000_000);

/** A versioned declaration of strength and arsenal. Children are counted apart (IDDRS 5.20). */
export const groupDeclaration = z.strictObject({
  groupId: z.uuid(),
  asOf: z.iso.date(),
  strength: z.strictObject({ men: headcount, women: headcount, boys: headcount, girls: headcount }),
  arsenal: z
    .array(z.strictObject({ category: weaponCategory, count: headcount }))
    .max(50)
    .refine((rows) => new Set(rows.map((r) => r.category)).size === rows.length, "each category once"),
  declaredCaches: headcount,
  note: freeText(2000).optional(),
});

export type ArmedGroupInput = z.infer<typeof armedGroup>;
export type GroupDeclarationInput = z.infer<typeof groupDeclaration>;
