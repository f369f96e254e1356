import { z } from "zod";
import { code, fileRef, freeText } from "./text.ts";

export const ammunitionKinds = [
  "cartridge",
  "grenade",
  "mortar_bomb",
  "rocket",
  "missile",
  "explosive",
  "mine",
  "fuze",
  "other",
] as const;

/** Quantities are integers: rounds or items counted, explosives in grams, detonating cord in metres. */
export const quantityUnit = z.enum(["rounds", "items", "grams", "metres"]);

export const ammunitionLot = z.strictObject({
  tag: code.optional(),
  kind: z.enum(ammunitionKinds),
  calibreOrType: freeText(100),
  quantity: z.int().min(1).max(100_000_000),
  unit: quantityUnit,
  lotMark: freeText(100).optional(),
  headstamp: freeText(100).optional(),
  /** UN hazard division, e.g. 1.1 to 1.6. */
  hazardDivision: z.enum(["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]).optional(),
  condition: z.enum(["stable", "unstable", "unknown"]),
  safeToMove: z.boolean(),
  destroyedInSitu: z.boolean().default(false),
  photos: z.array(fileRef).max(20).default([]),
  source: z.enum(["handover", "cache", "seizure", "spontaneous"]).default("handover"),
});

export type AmmunitionLotInput = z.infer<typeof ammunitionLot>;
