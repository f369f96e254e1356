import { z } from "zod";
import { personView } from "./views.ts";

// duplicate review (issue 5): what the review queue and the name search answer.

const fieldExplanation = z.object({
  field: z.string(),
  level: z.string(),
  weight: z.number(),
  text: z.string(),
});

/** A person's record as the reviewer sees it, with where it stands in duplicate review. */
export const reviewedPersonView = personView.extend({ duplicateReview: z.string() });

/** GET /api/v1/duplicate-reviews: a held registration beside the registrations it resembles. */
export const duplicateReviewView = z.object({
  personId: z.string(),
  status: z.enum(["pending", "merged", "dismissed"]),
  openedSeq: z.number(),
  openedAt: z.string(),
  registeredBy: z.string(),
  /** The registration under review (the later one). */
  person: reviewedPersonView,
  matches: z.array(
    z.object({
      personId: z.string(),
      weight: z.number(),
      zone: z.string(),
      explanation: z.array(fieldExplanation),
      /** The earlier registration; null when it is outside the reader's scope (ask an administrator). */
      person: reviewedPersonView.nullable(),
    }),
  ),
  decidedSeq: z.number().nullable(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  reason: z.string().nullable(),
  mergedInto: z.string().nullable(),
});

/** GET /api/v1/persons/search: people whose name chain shares the query's words, best first. */
export const personSearchHit = z.object({
  /** How many of the query's words the person's name chain has (by skeleton, either script). */
  matchedWords: z.number(),
  person: reviewedPersonView,
});

export type DuplicateReviewView = z.infer<typeof duplicateReviewView>;
export type PersonSearchHit = z.infer<typeof personSearchHit>;
