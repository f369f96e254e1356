import { z } from "zod";
import { itemKinds, itemRef, signatory, storeLocation, uniqueItems } from "./custody.ts";
import { freeText } from "./text.ts";

/** Why items leave the store for a while. */
export const storeAccessPurposes = [
  "inspection",
  "maintenance",
  "training",
  "evidence",
  "photography",
  "other",
] as const;

/** Items taken out of a store: who took them (personal), when, why. They stay the site's. */
export const storeRemoval = z.strictObject({
  accessId: z.uuid().optional(),
  siteId: z.uuid(),
  removedAt: z.iso.datetime({ offset: true }),
  items: z
    .array(itemRef)
    .min(1, "list at least one item taken out")
    .max(500)
    .refine(uniqueItems, "an item is listed twice"),
  /** The person who takes the items out and their affiliation (personal). */
  takenBy: signatory,
  purpose: z.enum(storeAccessPurposes),
  /** Free text, may name people: kept out of the public leaf. */
  note: freeText(500).optional(),
  /** When the items are due back. */
  dueBack: z.iso.datetime({ offset: true }).optional(),
});

/** Items of a removal brought back to the store (all of them, or some: the rest stay out). */
export const storeReturn = z.strictObject({
  accessId: z.uuid(),
  returnedAt: z.iso.datetime({ offset: true }),
  items: z
    .array(itemRef)
    .min(1, "list at least one item brought back")
    .max(500)
    .refine(uniqueItems, "an item is listed twice"),
  /** The person who brings them back (personal). */
  returnedBy: signatory,
  /** Where they are put back; when absent, where they were. */
  location: storeLocation.optional(),
});

export type StoreRemovalInput = z.infer<typeof storeRemoval>;
export type StoreReturnInput = z.infer<typeof storeReturn>;

/**
 * A weekly check counts by type and serial-checks a drawn 10% of the weapons and of the loose key
 * parts; a full one checks them all.
 */
export const stockCheckKinds = ["weekly", "full"] as const;

export const stockCheckStart = z.strictObject({
  checkId: z.uuid().optional(),
  siteId: z.uuid(),
  kind: z.enum(stockCheckKinds),
  startedAt: z.iso.datetime({ offset: true }),
});

/** A category as counted: weapon categories and ammunition kinds are both short codes. */
const stockCategory = z.string().regex(/^[a-z_]{1,40}$/, "a category such as rifle or cartridge");

export const stockCheckRecord = z.strictObject({
  checkId: z.uuid(),
  completedAt: z.iso.datetime({ offset: true }),
  /** What the keeper counted on the shelves, by type (weapons by category, lots by kind). */
  counts: z
    .array(
      z.strictObject({
        kind: z.enum(itemKinds),
        category: stockCategory,
        count: z.int("a count is a whole number").min(0, "a count cannot be negative").max(1_000_000),
      }),
    )
    .max(100)
    .refine(
      (c) => new Set(c.map((x) => `${x.kind}:${x.category}`)).size === c.length,
      "a category is counted twice",
    ),
  /** Each weapon or key part of the drawn sample: found or not, and the tag or serial read off it. */
  sample: z
    .array(
      z
        .strictObject({
          kind: z.enum(["weapon", "key_part"], "the sample is of weapons and loose key parts"),
          id: z.uuid(),
          found: z.boolean(),
          tag: freeText(64).optional(),
          serial: freeText(64).optional(),
        })
        .refine((s) => !s.found || s.tag !== undefined || s.serial !== undefined, {
          path: ["serial"],
          message: "read the tag or the serial of a sampled item that was found",
        }),
    )
    .max(100_000)
    .refine(uniqueItems, "a sampled item is listed twice"),
  /** Who counted (personal). */
  countedBy: z.array(signatory).min(1, "name who counted").max(10),
  notes: freeText(2000).optional(),
});

export type StockCheckStartInput = z.infer<typeof stockCheckStart>;
export type StockCheckRecordInput = z.infer<typeof stockCheckRecord>;

/** How a loss investigation ends. */
export const investigationOutcomes = ["found", "confirmed_lost", "stolen", "recording_error"] as const;

export const investigationUpdate = z.strictObject({
  investigationId: z.string().regex(/^\d+:\d+$/, "an investigation id such as 1234:0"),
  status: z.literal("under_investigation"),
  at: z.iso.datetime({ offset: true }),
  /** Who investigates, what is being done (may name people: personal). */
  note: freeText(2000),
});

export const investigationClose = z.strictObject({
  investigationId: z.string().regex(/^\d+:\d+$/, "an investigation id such as 1234:0"),
  closedAt: z.iso.datetime({ offset: true }),
  outcome: z.enum(investigationOutcomes),
  /** Why, from what evidence (may name people: personal). */
  reason: freeText(2000),
  /** Where a lost item was found and put back into custody. */
  foundAt: z.strictObject({ siteId: z.uuid(), location: storeLocation }).optional(),
});

export const discrepancyResolve = z.strictObject({
  discrepancyId: z.string().regex(/^\d+:\d+$/, "a discrepancy id such as 1234:0"),
  resolvedAt: z.iso.datetime({ offset: true }),
  /** What was found and why the doubt is lifted (may name people: personal). */
  reason: freeText(2000),
});

export type InvestigationUpdateInput = z.infer<typeof investigationUpdate>;
export type InvestigationCloseInput = z.infer<typeof investigationClose>;
export type DiscrepancyResolveInput = z.infer<typeof discrepancyResolve>;
