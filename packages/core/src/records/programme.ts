import { z } from "zod";
import { pathwaySettings } from "./pathway.ts";
import { retentionPolicy } from "./retention.ts";
import { bilingualName, freeText } from "./text.ts";
import { weaponCategory } from "./weapon.ts";

/** What makes a handover eligible (IDDRS 4.10): weapon types, serviceability, ammunition, cut-off, caps. */
export const eligibilityRules = z.strictObject({
  eligibleCategories: z.array(weaponCategory).min(1, "name at least one eligible weapon category"),
  requireServiceable: z.boolean(),
  /** A person with no eligible weapon is still eligible when handing in at least this many rounds (0: never). */
  minimumRounds: z.int().min(0).max(1_000_000),
  /** Registrations after this date are recorded but not eligible (padded rosters arrive late). */
  cutOffDate: z.iso.date(),
});

export const participantCap = z.strictObject({
  groupId: z.uuid(),
  maxParticipants: z.int().min(0).max(10_000_000),
});

/** Codes for screening questions and exclusion indications: short, lower-case, stable. */
export const screeningCode = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,40}$/, "must be 1-41 lower-case letters, digits or _ and start with a letter");

/**
 * A membership verification question (IDDRS 4.20: is this person really a member of the group?).
 * It is verified by the expected answer (compared without regard to case or spacing), or left to
 * the screening officer's judgement where no single answer can be right.
 */
export const screeningQuestion = z.strictObject({
  id: screeningCode,
  text: z.strictObject({ ar: freeText(500), en: freeText(500) }),
  verifiedBy: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("answer"), answer: z.union([z.boolean(), freeText(200)]) }),
    z.strictObject({ kind: z.literal("officer_judgement") }),
  ]),
});

export type ScreeningQuestion = z.infer<typeof screeningQuestion>;

const screeningFields = {
  /**
   * When true, a handover alone never makes a person eligible: their membership must first be
   * verified by a screening. False keeps the older rule (the handover decides) for programmes
   * configured before screening existed.
   */
  required: z.boolean(),
  questions: z.array(screeningQuestion).max(50),
  /** How many questions must be verified for membership to count as verified (0: none asked). */
  minimumVerified: z.int().min(0).max(50),
  /** Indications (e.g. of grave crimes) any one of which excludes the person, pending review on appeal. */
  exclusionIndications: z.array(screeningCode).max(100),
  /** Unarmed associated members (many of them women) may be found eligible without a weapon. */
  associatedMembersWithoutWeapon: z.boolean(),
};

export const defaultScreeningRules = {
  required: false,
  questions: [],
  minimumVerified: 0,
  exclusionIndications: [],
  associatedMembersWithoutWeapon: false,
} satisfies { [K in keyof typeof screeningFields]: z.output<(typeof screeningFields)[K]> };

export const screeningRules = z
  .strictObject(screeningFields)
  .partial()
  .transform((s) => ({ ...defaultScreeningRules, ...s }))
  .pipe(
    z
      .strictObject(screeningFields)
      .refine((s) => s.minimumVerified <= s.questions.length, {
        message: "minimumVerified cannot exceed the number of questions",
        path: ["minimumVerified"],
      })
      .refine((s) => new Set(s.questions.map((q) => q.id)).size === s.questions.length, {
        message: "each question needs its own id",
        path: ["questions"],
      })
      .refine((s) => new Set(s.exclusionIndications).size === s.exclusionIndications.length, {
        message: "each exclusion indication is listed once",
        path: ["exclusionIndications"],
      }),
  );

export type ScreeningRules = z.output<typeof screeningRules>;

/** The programme's screening rules; programmes configured before screening existed get the defaults. */
export function screeningRulesOf(programme: ProgrammeConfig): ScreeningRules {
  return programme.screening ?? defaultScreeningRules;
}

export const programmeConfig = z.strictObject({
  name: bilingualName,
  eligibility: eligibilityRules,
  caps: z.array(participantCap).max(1000),
  legal: z.strictObject({ amnesty: z.boolean(), noForensicUse: z.boolean() }),
  custody: z.strictObject({ allowMixedManifests: z.boolean() }).default({ allowMixedManifests: false }),
  screening: screeningRules.optional(),
  dataOwner: freeText(200),
  /** The default retention period of people's records (`retention` sets each type's own). */
  retentionYears: z.int().min(1).max(100),
  /**
   * Each record type's period in months (records/retention.ts). Optional: programmes configured
   * before it existed, and types left out, keep `retentionYears`.
   */
  retention: retentionPolicy.optional(),
  // pathways: follow-up intervals per pathway kind.
  pathways: pathwaySettings.default({ followUpDays: {} }),
});

export type ProgrammeConfig = z.infer<typeof programmeConfig>;
