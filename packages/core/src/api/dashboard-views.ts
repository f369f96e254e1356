import { z } from "zod";

// GET /api/v1/reports/collection-progress: the programme dashboard's figures (aggregates only).
const counts = z.record(z.string(), z.number());

export const collectionProgressView = z.object({
  /** False when the collected figures cover only the reader's sites or governorates. */
  wholeProgramme: z.boolean(),
  /** Each group (and "none": handovers attributed to no group): declared against collected. */
  byGroup: z.array(
    z.object({
      group: z.string(),
      declared: z.object({ version: z.number(), asOf: z.string(), weapons: counts }).nullable(),
      collected: z.object({ weapons: counts, lots: z.number(), quantity: counts }),
    }),
  ),
  /** Weapons by category: declared by every group against collected. */
  byCategory: z.array(z.object({ category: z.string(), declared: z.number(), collected: z.number() })),
  /** Ammunition collected by kind and unit (groups declare no ammunition). */
  ammunition: z.array(
    z.object({ kind: z.string(), unit: z.string(), lots: z.number(), quantity: z.number() }),
  ),
  /** Collection by calendar day of the handover (UTC), oldest first. */
  byDay: z.array(z.object({ day: z.string(), handovers: z.number(), weapons: z.number(), lots: z.number() })),
});
export type CollectionProgressView = z.infer<typeof collectionProgressView>;
