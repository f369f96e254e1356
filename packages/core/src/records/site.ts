import { z } from "zod";
import { coordinates, governorateCode } from "./geo.ts";
import { bilingualName, code } from "./text.ts";

export const siteKinds = ["collection", "mobile_team", "depot", "destruction"] as const;
export const siteKind = z.enum(siteKinds);

export const site = z.strictObject({
  siteId: z.uuid().optional(),
  code,
  kind: siteKind,
  name: bilingualName,
  governorate: governorateCode,
  location: coordinates,
});

export type SiteInput = z.infer<typeof site>;
