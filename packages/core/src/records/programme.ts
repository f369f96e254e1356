import { z } from "zod";
import { pathwaySettings } from "./pathway.ts";
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

export const programmeConfig = z.strictObject({
  name: bilingualName,
  eligibility: eligibilityRules,
  caps: z.array(participantCap).max(1000),
  legal: z.strictObject({ amnesty: z.boolean(), noForensicUse: z.boolean() }),
  custody: z.strictObject({ allowMixedManifests: z.boolean() }).default({ allowMixedManifests: false }),
  dataOwner: freeText(200),
  retentionYears: z.int().min(1).max(100),
  // pathways: follow-up intervals per pathway kind.
  pathways: pathwaySettings.default({ followUpDays: {} }),
});

export type ProgrammeConfig = z.infer<typeof programmeConfig>;
