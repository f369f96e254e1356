import { z } from "zod";
import { westernDigits } from "../names/arabic.ts";
import { governorateCode } from "./geo.ts";
import { motherName, personName } from "./person.ts";

// A group's roster: the list of members it hands the programme. The list is a claim, not proof of
// membership (a person named on it is not eligible by that alone); it is compared with who turned
// up to register. Names are as in a registration (records/person.ts), so the name engine reads both.

/** The group's own member number, folded so "٠١٢" and "012 " are one number. */
export const memberNumber = z
  .string()
  .transform((s) => westernDigits(s.normalize("NFC").trim()).toUpperCase())
  .pipe(
    z
      .string()
      .min(1, "must not be empty; give the group's own number of the member")
      .max(40, "must be at most 40 characters")
      .regex(/^[\p{L}\p{N}][\p{L}\p{N} ./-]*$/u, "may contain letters, digits, spaces and . / - only"),
  );

export const rosterEntry = z.strictObject({
  memberNumber,
  name: personName,
  motherName: motherName.optional(),
  birthYear: z.int().min(1900).max(2100).optional(),
  sex: z.enum(["male", "female"]).optional(),
  governorate: governorateCode.optional(),
});

/** The most entries one version may carry (the largest group in DOMAIN.md's scenario is well below). */
export const MAX_ROSTER_ENTRIES = 100_000;

export const rosterSubmission = z
  .strictObject({
    groupId: z.uuid(),
    /** The day the group handed the list over: what "after the cut-off" is judged on. */
    submittedOn: z.iso.date(),
    entries: z
      .array(rosterEntry)
      .min(1, "a roster needs at least one entry; a group with no members submits no roster")
      .max(MAX_ROSTER_ENTRIES, `a roster may hold at most ${MAX_ROSTER_ENTRIES} entries; split the group`),
  })
  .superRefine((roster, ctx) => {
    // Each member number once per version: it is how versions are compared with one another.
    const first = new Map<string, number>();
    roster.entries.forEach((entry, i) => {
      const earlier = first.get(entry.memberNumber);
      if (earlier === undefined) first.set(entry.memberNumber, i);
      else
        ctx.addIssue({
          code: "custom",
          path: ["entries", i, "memberNumber"],
          message: `member number ${entry.memberNumber} is already on entry ${earlier + 1}; each member once`,
        });
    });
  });

export type RosterEntryInput = z.infer<typeof rosterEntry>;
export type RosterSubmissionInput = z.infer<typeof rosterSubmission>;
