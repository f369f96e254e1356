import { z } from "zod";
import { code, displayName, fileRef, freeText } from "./text.ts";

/** An item the custody chain moves: a weapon item or an ammunition lot, by id. */
export const itemRef = z.strictObject({ kind: z.enum(["weapon", "ammunition"]), id: z.uuid() });
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
  "in_transit",
  "destroyed",
  "transferred",
  "deactivated",
  "retained",
  "lost",
] as const;
export type ItemState = (typeof itemStates)[number];

const uniqueItems = (items: ItemRef[]) =>
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

export const receive = z.strictObject({
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

export type DispatchInput = z.infer<typeof dispatch>;
export type ReceiveInput = z.infer<typeof receive>;
export type DestructionInput = z.infer<typeof destruction>;
