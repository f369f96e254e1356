import { z } from "zod";
import { ammunitionLot } from "./ammunition.ts";
import { displayName, fileRef, freeText } from "./text.ts";
import { weaponItem } from "./weapon.ts";

const witness = z.strictObject({ name: displayName, affiliation: displayName });

export const handover = z
  .strictObject({
    handoverId: z.uuid().optional(),
    siteId: z.uuid(),
    /** When the items were handed in (the officer's clock), not when the command reached the server. */
    handedAt: z.iso.datetime({ offset: true }),
    /** The military observer or independent verifier who checked the items. */
    verifyingOfficer: witness,
    witnesses: z.array(witness).max(10).default([]),
    from: z.discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("person"), personId: z.uuid() }),
      // Collective handover of heavy weapons and group assets.
      z.strictObject({ kind: z.literal("group"), groupId: z.uuid(), representative: displayName }),
      // An extraction operation: a verified cache's items taken into custody. Nobody hands them
      // over, so no eligibility is decided; the items record source = cache and the report.
      z.strictObject({ kind: z.literal("cache"), cacheId: z.uuid() }),
    ]),
    weapons: z.array(weaponItem).max(500).default([]),
    ammunition: z.array(ammunitionLot).max(500).default([]),
    photos: z.array(fileRef).max(50).default([]),
    notes: freeText(2000).optional(),
  })
  .refine(
    (h) => h.weapons.length + h.ammunition.length > 0,
    "a handover lists at least one weapon or ammunition lot",
  );

export type HandoverInput = z.infer<typeof handover>;
