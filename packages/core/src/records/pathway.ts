import { z } from "zod";
import { bilingualName, displayName, freeText } from "./text.ts";

// Reintegration pathways and group transformation (DOMAIN.md: Pathway; issue 9). Past programmes
// counted "offered a job" as "transitioned": here offered, accepted, placed and left are separate
// events, each with its own date, and reports count placements.

/** An armed group's status over time. A group starts armed (its registration). */
export const groupStatuses = ["armed", "disarming", "disbanded", "integrated", "registered_party"] as const;
export type GroupStatus = (typeof groupStatuses)[number];

/** The registration of the party a group became, as the registering authority decides it. */
export const partyStatuses = ["applied", "registered", "refused", "dissolved"] as const;
export type PartyStatus = (typeof partyStatuses)[number];

export const pathwayKinds = ["security_forces", "political_party", "civilian"] as const;
export type PathwayKind = (typeof pathwayKinds)[number];

/** Where a pathway stands. `declined` and `left` are ends; a vetting refusal ends one too. */
export const pathwayStates = ["offered", "accepted", "declined", "placed", "left"] as const;
export type PathwayState = (typeof pathwayStates)[number];

export const vettingResults = ["pending", "cleared", "refused"] as const;
export type VettingResult = (typeof vettingResults)[number];

export const followUpStatuses = ["still_placed", "left", "unreachable"] as const;
export type FollowUpStatus = (typeof followUpStatuses)[number];

/** Why someone left a placement: a category, public in aggregate; the details go in a private note. */
export const leavingReasons = [
  "resigned",
  "dismissed",
  "completed",
  "moved_away",
  "deceased",
  "rearmed",
  "other",
] as const;

/**
 * Days after placement when a case worker follows the person up, by pathway kind, unless the
 * programme sets its own (programme.pathways.followUpDays).
 */
export const defaultFollowUpDays: Record<PathwayKind, number[]> = {
  security_forces: [30, 90, 180],
  political_party: [90, 180],
  civilian: [30, 90, 180],
};

const day = z.iso.date();
const followUpDays = z
  .array(z.int().min(1).max(3650))
  .min(1)
  .max(20)
  .refine((d) => d.every((n, i) => i === 0 || n > d[i - 1]!), "list the days in increasing order");

/** The programme's follow-up schedule per pathway kind (absent kinds use defaultFollowUpDays). */
export const pathwaySettings = z.strictObject({
  followUpDays: z
    .strictObject({
      security_forces: followUpDays.optional(),
      political_party: followUpDays.optional(),
      civilian: followUpDays.optional(),
    })
    .default({}),
});

/** Who decided, under which reference, on what day: the trace of a decision about a group. */
export const groupDecision = z.strictObject({
  reference: freeText(100),
  decidedBy: displayName,
  decidedOn: day,
});

export const groupTransformation = z.strictObject({
  groupId: z.uuid(),
  status: z.enum(groupStatuses),
  decision: groupDecision,
  /** Required when a group goes back to arms; otherwise a note on the decision. */
  reason: freeText(1000).optional(),
});

export const groupParty = z.strictObject({
  groupId: z.uuid(),
  status: z.enum(partyStatuses),
  /** The party's name; required with the first application, may change with a new one. */
  name: bilingualName.optional(),
  decision: groupDecision,
  reason: freeText(1000).optional(),
});

const common = {
  pathwayId: z.uuid().optional(),
  personId: z.uuid(),
  offeredOn: day,
  /** A case worker's note on the offer (personal). */
  note: freeText(2000).optional(),
};

/** An offer of a pathway. The details depend on the kind; the party is always the person's group's. */
export const pathwayOffer = z.discriminatedUnion("kind", [
  z.strictObject({
    ...common,
    kind: z.literal("security_forces"),
    /** The force or service, e.g. "Iraqi Army", "Federal Police". */
    force: displayName,
    /** The unit the person would join (personal: where someone serves). */
    unit: displayName.optional(),
  }),
  z.strictObject({ ...common, kind: z.literal("political_party") }),
  z
    .strictObject({
      ...common,
      kind: z.literal("civilian"),
      trainingCourse: freeText(200).optional(),
      jobPlacement: freeText(200).optional(),
      referrals: z.array(freeText(200)).max(20).default([]),
    })
    .refine((o) => o.trainingCourse || o.jobPlacement || o.referrals.length > 0, {
      path: ["trainingCourse"],
      message: "name a training course, a job placement or at least one referral",
    }),
]);

export const pathwayResponse = z
  .strictObject({
    pathwayId: z.uuid(),
    response: z.enum(["accept", "decline"]),
    respondedOn: day,
    /** Why the person declined, in their words (personal). */
    reason: freeText(1000).optional(),
  })
  .refine((r) => r.response === "accept" || r.reason !== undefined, {
    path: ["reason"],
    message: "say why the offer was declined",
  });

export const pathwayVetting = z.strictObject({
  pathwayId: z.uuid(),
  result: z.enum(["cleared", "refused"]),
  vettedOn: day,
  /** The vetting authority's reference. */
  reference: freeText(100),
  /** Grounds of a refusal (personal). */
  note: freeText(1000).optional(),
});

export const pathwayPlacement = z.strictObject({
  pathwayId: z.uuid(),
  placedOn: day,
  /** Security forces: the service number given (personal). */
  serviceNumber: z
    .string()
    .trim()
    .regex(/^[0-9A-Z-]{3,30}$/, "must be 3-30 digits, capital letters or dashes as issued")
    .optional(),
  /** Security forces: the unit joined, when not given with the offer (personal). */
  unit: displayName.optional(),
  /** Political party: the membership number (personal). */
  membershipNumber: z
    .string()
    .trim()
    .regex(/^[0-9A-Z-]{1,30}$/, "must be 1-30 digits, capital letters or dashes")
    .optional(),
  /** Civilian: the course or employer the person started with. */
  placement: freeText(200).optional(),
  note: freeText(2000).optional(),
});

export const pathwayLeaving = z.strictObject({
  pathwayId: z.uuid(),
  leftOn: day,
  reason: z.enum(leavingReasons),
  /** The circumstances (personal). */
  note: freeText(2000).optional(),
});

export const pathwayFollowUp = z.strictObject({
  pathwayId: z.uuid(),
  followedUpOn: day,
  status: z.enum(followUpStatuses),
  /** What the case worker found (personal). */
  note: freeText(2000).optional(),
});

export type GroupTransformationInput = z.infer<typeof groupTransformation>;
export type GroupPartyInput = z.infer<typeof groupParty>;
export type PathwayOfferInput = z.infer<typeof pathwayOffer>;
export type PathwayResponseInput = z.infer<typeof pathwayResponse>;
export type PathwayVettingInput = z.infer<typeof pathwayVetting>;
export type PathwayPlacementInput = z.infer<typeof pathwayPlacement>;
export type PathwayLeavingInput = z.infer<typeof pathwayLeaving>;
export type PathwayFollowUpInput = z.infer<typeof pathwayFollowUp>;
