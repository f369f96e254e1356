import { z } from "zod";
import { signatory } from "./custody.ts";
import { coordinates, governorateCode } from "./geo.ts";
import { freeText } from "./text.ts";

/** Where a cache stands: reported → verified → cleared, or its residue handed over. */
export const cacheStatuses = ["reported", "verified", "cleared", "residue_handed_over"] as const;

/**
 * A reported arms cache. The source is protected (it may cost someone their life), and so is the
 * exact location while weapons may still be there: both stay out of the public leaf, which keeps
 * the governorate, the attributed group and the declared contents (the figures others check).
 */
export const cacheReport = z.strictObject({
  cacheId: z.uuid().optional(),
  reportedAt: z.iso.datetime({ offset: true }),
  source: signatory.extend({ how: freeText(500).optional() }),
  governorate: governorateCode,
  location: z.strictObject({ coordinates: coordinates.optional(), description: freeText(500) }),
  /** The armed group the cache is attributed to, if any. */
  groupId: z.uuid().optional(),
  declaredContents: z
    .array(
      z.strictObject({
        kind: z.enum(["weapon", "ammunition"]),
        category: z.string().regex(/^[a-z_]{1,40}$/, "a category such as rifle or cartridge"),
        count: z.int().min(0, "a count cannot be negative").max(1_000_000),
      }),
    )
    .max(50),
});

export const cacheVerification = z.strictObject({
  cacheId: z.uuid(),
  verifiedAt: z.iso.datetime({ offset: true }),
  /** What the verification team saw (may name people: personal). */
  findings: freeText(2000),
});

export const cacheClearance = z
  .strictObject({
    cacheId: z.uuid(),
    clearedAt: z.iso.datetime({ offset: true }),
    outcome: z.enum(["cleared", "residue_handed_over"]),
    /** Why a residue was handed over rather than cleared (unsafe to move, handed to the army…). */
    residueReason: freeText(1000).optional(),
  })
  .refine((c) => c.outcome !== "residue_handed_over" || c.residueReason !== undefined, {
    path: ["residueReason"],
    message: "say why the residue was handed over",
  });

export type CacheReportInput = z.infer<typeof cacheReport>;
export type CacheVerificationInput = z.infer<typeof cacheVerification>;
export type CacheClearanceInput = z.infer<typeof cacheClearance>;
