import { z } from "zod";
import { screeningCode } from "./programme.ts";
import { freeText } from "./text.ts";

/** A time with its UTC offset, as the device recorded it (e.g. +03:00 in Baghdad). */
const instant = z.iso.datetime({ offset: true });

/** References to what backs an answer: an uploaded file's SHA-256, a document's number. */
const evidence = z.array(freeText(200)).max(20).default([]);

export const screeningAnswer = z.strictObject({
  questionId: screeningCode,
  answer: z.union([z.boolean(), freeText(500)]).optional(),
  judgement: z.enum(["verified", "not_verified"]).optional(),
  evidence,
});

/** A screening interview: the answers to the programme's questions and any exclusion indication found. */
export const screening = z.strictObject({
  personId: z.uuid(),
  screenedAt: instant,
  answers: z.array(screeningAnswer).max(50),
  indications: z.array(screeningCode).max(20).default([]),
  notes: freeText(2000).optional(),
});

export type ScreeningPayload = z.infer<typeof screening>;

/** An appeal against being found ineligible (or against a revocation), lodged by the person or for them. */
export const eligibilityAppeal = z.strictObject({
  appealId: z.uuid().optional(),
  personId: z.uuid(),
  lodgedAt: instant,
  lodgedBy: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("person") }),
    z.strictObject({
      kind: z.literal("representative"),
      name: freeText(200),
      relationship: freeText(100).optional(),
    }),
  ]),
  grounds: freeText(4000),
  evidence,
});

/**
 * An appeal's outcome, said of the decision appealed against: `upheld` (the person stays
 * ineligible) or `overturned` (the person is eligible).
 */
export const appealDecision = z.strictObject({
  appealId: z.uuid(),
  outcome: z.enum(["upheld", "overturned"]),
  decidedAt: instant,
  reason: freeText(4000),
});

export const eligibilityRevocation = z.strictObject({
  personId: z.uuid(),
  revokedAt: instant,
  reason: freeText(4000),
});

export const deathRecord = z.strictObject({
  personId: z.uuid(),
  diedOn: z.iso.date(),
  /** How the death became known: a certificate, a family's statement, a hospital. */
  source: freeText(500),
});
