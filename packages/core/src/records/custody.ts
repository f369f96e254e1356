import { z } from "zod";
import { code, displayName, fileRef, freeText } from "./text.ts";

/**
 * The kinds of item the custody chain moves, each with its own table and the same custody
 * columns: a weapon item, an ammunition lot, or a weapon's key part (bolt, slide…) separated
 * from it to travel on its own.
 */
export const itemKinds = ["weapon", "ammunition", "key_part"] as const;
export type ItemKind = (typeof itemKinds)[number];

/** An item the custody chain moves, by kind and id. */
export const itemRef = z.strictObject({ kind: z.enum(itemKinds), id: z.uuid() });
export type ItemRef = z.infer<typeof itemRef>;

/** A person who signs for a step: name and affiliation (kept out of the public leaf). */
export const signatory = z.strictObject({ name: displayName, affiliation: displayName });

/** Where an item rests inside a depot. */
export const storeLocation = z.strictObject({
  store: freeText(100),
  container: freeText(100).optional(),
  rack: freeText(100).optional(),
});

/** Each item is in exactly one of these states; the disposition balance adds them up. */
export const itemStates = [
  "in_custody",
  // Taken out of the store under a logged removal (inspection, training…): still the site's, but not
  // on the shelf, so it cannot be counted, dispatched or disposed of until its return is logged.
  "out_of_store",
  "in_transit",
  "destroyed",
  "transferred",
  "deactivated",
  "retained",
  "lost",
  // A loose key part put back on its weapon: no longer an item on its own (it moves and is
  // disposed of with the weapon), but still counted, so the parts separated keep adding up.
  "reattached",
] as const;
export type ItemState = (typeof itemStates)[number];

/**
 * The disposition balance's buckets: the item states, with `lost` split by its loss
 * investigation (the latest one that found the item missing): still being investigated, or
 * closed as confirmed lost or stolen. Each lost item is in exactly one of the three, so the
 * buckets still add up to what was collected. A programme reports "lost, we are looking" and
 * "stolen" very differently: to donors, to the police, to the peace agreement's monitors.
 */
export const lostBuckets = ["lost_under_investigation", "confirmed_lost", "stolen"] as const;
export const balanceBuckets = [
  ...(itemStates.filter((s) => s !== "lost") as Exclude<ItemState, "lost">[]),
  ...lostBuckets,
] as const;
export type BalanceBucket = Exclude<ItemState, "lost"> | (typeof lostBuckets)[number];

/**
 * The key parts of a weapon that may be taken off it and travel apart (DOMAIN.md): the parts
 * without which it does not fire, often serial-marked themselves.
 */
export const keyPartNames = [
  "bolt",
  "bolt_carrier",
  "slide",
  "barrel",
  "cylinder",
  "receiver",
  "firing_pin",
  "other",
] as const;

export const uniqueItems = (items: readonly ItemRef[]) =>
  new Set(items.map((i) => `${i.kind}:${i.id}`)).size === items.length;

export const dispatch = z
  .strictObject({
    transferId: z.uuid().optional(),
    fromSiteId: z.uuid(),
    toSiteId: z.uuid(),
    dispatchedAt: z.iso.datetime({ offset: true }),
    items: z
      .array(itemRef)
      .min(1, "a manifest lists at least one item")
      .max(2000)
      .refine(uniqueItems, "an item is listed twice"),
    /** The count the dispatching officer made, item by item: it must equal the manifest. */
    countAtDispatch: z.int().min(0).max(2000),
    seals: z
      .array(code)
      .min(1, "seal the load: give at least one seal number")
      .max(50)
      .refine((s) => new Set(s).size === s.length, "a seal number is listed twice"),
    vehicle: freeText(100).optional(),
    escort: z.array(signatory).max(20).default([]),
    /** The second party who counted with the dispatching officer and signs the handover declaration. */
    countersignedBy: signatory,
  })
  .refine((d) => d.fromSiteId !== d.toSiteId, {
    path: ["toSiteId"],
    message: "a transfer goes to another place",
  });

export const receive = z
  .strictObject({
    transferId: z.uuid(),
    receivedAt: z.iso.datetime({ offset: true }),
    /** The manifest items that arrived. */
    items: z.array(itemRef).max(2000).refine(uniqueItems, "an item is listed twice"),
    /** Items that arrived but were not on the manifest (described, since they may be unknown to the system). */
    unexpected: z
      .array(z.strictObject({ description: freeText(200), serial: freeText(64).optional() }))
      .max(200)
      .default([]),
    countAtReceipt: z.int().min(0).max(2000),
    /** The seals found intact; a dispatched seal missing here is recorded as broken. */
    sealsIntact: z.array(code).max(50).default([]),
    location: storeLocation,
    countersignedBy: signatory,
    photos: z.array(fileRef).max(20).default([]),
    /**
     * Key parts found off a weapon that arrived (the bolt in a bag beside its rifle): each becomes a
     * loose key part held where the load lands, its trail starting with the receipt.
     */
    keyPartsApart: z
      .array(
        z.strictObject({
          weaponId: z.uuid(),
          part: z.enum(keyPartNames),
          /** The part's own serial, when it is marked. */
          serial: freeText(64).optional(),
          /** The part's id, made by the client (or by the server when absent). */
          partId: z.uuid().optional(),
        }),
      )
      .max(200)
      .default([]),
    /**
     * Key parts a weapon was dispatched with and arrived without: each becomes a loose key part of
     * its own, lost and flagged, with a `missing_item` discrepancy and its loss investigation.
     */
    keyPartsMissing: z
      .array(
        z.strictObject({
          weaponId: z.uuid(),
          part: z.enum(keyPartNames),
          partId: z.uuid().optional(),
        }),
      )
      .max(200)
      .default([]),
  })
  .superRefine((r, ctx) => {
    // A weapon's named part is apart or missing, never both nor twice (`other` may repeat).
    const named = [...r.keyPartsApart, ...r.keyPartsMissing]
      .filter((p) => p.part !== "other")
      .map((p) => `${p.weaponId}:${p.part}`);
    if (new Set(named).size !== named.length)
      ctx.addIssue({
        code: "custom",
        path: ["keyPartsMissing"],
        message: "a weapon's key part is listed twice (apart, missing, or both)",
      });
    const ids = [...r.keyPartsApart, ...r.keyPartsMissing].flatMap((p) => (p.partId ? [p.partId] : []));
    if (new Set(ids).size !== ids.length)
      ctx.addIssue({ code: "custom", path: ["keyPartsApart"], message: "a part id is listed twice" });
  });

export const destructionMethods = [
  "cutting",
  "crushing",
  "melting",
  "burning",
  "open_detonation",
  "open_burning",
  "other",
] as const;

export const destruction = z.strictObject({
  batchId: z.uuid().optional(),
  siteId: z.uuid(),
  destroyedAt: z.iso.datetime({ offset: true }),
  method: z.enum(destructionMethods),
  items: z.array(itemRef).min(1).max(5000).refine(uniqueItems, "an item is listed twice"),
  operators: z.array(signatory).min(1, "name the operators who destroyed the items").max(20),
  /** Third-party witnesses; at least one must be independent of the commission and the groups. */
  witnesses: z
    .array(signatory.extend({ independent: z.boolean() }))
    .max(20)
    .refine(
      (w) => w.some((x) => x.independent),
      "at least one independent third-party witness must attend the destruction",
    ),
  photos: z.array(fileRef).min(1, "photograph the destruction").max(100),
  notes: freeText(2000).optional(),
});

/** Time of a final disposition, the site it happens at and an optional client-made batch id. */
const dispositionBase = {
  batchId: z.uuid().optional(),
  siteId: z.uuid(),
};

/** A re-marking made before a transfer, for a weapon whose original markings were altered or erased. */
export const remarking = z.strictObject({ marking: freeText(200), markedOn: z.iso.date() });

export const stateTransfer = z.strictObject({
  ...dispositionBase,
  transferredAt: z.iso.datetime({ offset: true }),
  /** The legal clearance authorising the handover to the state force. */
  legalClearance: freeText(200),
  /** The joint inspection: its date and the inspectors who signed it (personal). */
  inspectedOn: z.iso.date(),
  inspectors: z
    .array(signatory.extend({ receivingForce: z.boolean() }))
    .min(2, "a joint inspection is signed by at least two inspectors")
    .max(20)
    .refine((i) => i.some((x) => x.receivingForce), "one inspector must come from the receiving state force"),
  receivingUnit: freeText(200),
  items: z
    .array(
      z.strictObject({
        kind: z.enum(["weapon", "ammunition"]),
        id: z.uuid(),
        /** The national registration number; an ammunition lot may give a lot reference instead. */
        registrationNumber: code.optional(),
        lotReference: freeText(64).optional(),
        remarking: remarking.optional(),
      }),
    )
    .min(1)
    .max(5000)
    .refine(uniqueItems, "an item is listed twice")
    .refine((items) => {
      const numbers = items.flatMap((i) => (i.registrationNumber ? [i.registrationNumber] : []));
      return new Set(numbers).size === numbers.length;
    }, "a registration number is listed twice")
    .superRefine((items, ctx) => {
      for (const [n, i] of items.entries()) {
        if (i.kind === "weapon" && !i.registrationNumber)
          ctx.addIssue({
            code: "custom",
            path: [n, "registrationNumber"],
            message: "a weapon transferred to the state needs its national registration number",
          });
        if (i.kind === "ammunition" && !i.registrationNumber && !i.lotReference)
          ctx.addIssue({
            code: "custom",
            path: [n, "registrationNumber"],
            message: "give the lot's registration number or its lot reference",
          });
        if (i.kind === "weapon" && i.lotReference)
          ctx.addIssue({
            code: "custom",
            path: [n, "lotReference"],
            message: "only ammunition has a lot reference",
          });
        if (i.kind === "ammunition" && i.remarking)
          ctx.addIssue({ code: "custom", path: [n, "remarking"], message: "only weapons are re-marked" });
      }
    }),
});

export const deactivation = z.strictObject({
  ...dispositionBase,
  deactivatedAt: z.iso.datetime({ offset: true }),
  /** The deactivation certificate's reference. */
  certificate: freeText(100),
  /** The technical standard applied, e.g. "EU 2018/337". */
  standard: freeText(100),
  items: z
    .array(
      z.strictObject({
        kind: z.literal("weapon", "only weapons are deactivated"),
        id: z.uuid(),
        mark: freeText(200),
      }),
    )
    .min(1)
    .max(5000)
    .refine(uniqueItems, "an item is listed twice"),
});

export const retentionPurposes = ["training", "evidence", "museum"] as const;

export const retention = z
  .strictObject({
    ...dispositionBase,
    retainedAt: z.iso.datetime({ offset: true }),
    purpose: z.enum(retentionPurposes),
    justification: freeText(2000),
    /** The person answerable for the retained items (personal). */
    custodian: signatory,
    reviewOn: z.iso.date(),
    items: z.array(itemRef).min(1).max(5000).refine(uniqueItems, "an item is listed twice"),
  })
  .refine((r) => r.reviewOn > r.retainedAt.slice(0, 10), {
    path: ["reviewOn"],
    message: "the review date comes after the retention",
  });

export const separatePart = z.strictObject({
  /** The part's id, made by the client (or by the server when absent). */
  partId: z.uuid().optional(),
  weaponId: z.uuid(),
  part: z.enum(keyPartNames),
  /** The part's own serial, when it is marked. */
  serial: freeText(64).optional(),
  separatedAt: z.iso.datetime({ offset: true }),
  /** Where the part rests from now on; the weapon's place when absent. */
  location: storeLocation.optional(),
  /** Why it was taken off (personal, like other notes). */
  note: freeText(2000).optional(),
});

/** A loose key part put back on the weapon it was taken off (both held at the same place). */
export const reattachPart = z.strictObject({
  partId: z.uuid(),
  reattachedAt: z.iso.datetime({ offset: true }),
  /** Why, and by whom (personal, like other notes). */
  note: freeText(2000).optional(),
});

export type KeyPartName = (typeof keyPartNames)[number];
export type DispatchInput = z.infer<typeof dispatch>;
export type ReattachPartInput = z.infer<typeof reattachPart>;
export type SeparatePartInput = z.infer<typeof separatePart>;
export type ReceiveInput = z.infer<typeof receive>;
export type DestructionInput = z.infer<typeof destruction>;
export type StateTransferInput = z.infer<typeof stateTransfer>;
export type DeactivationInput = z.infer<typeof deactivation>;
export type RetentionInput = z.infer<typeof retention>;
