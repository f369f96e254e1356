import { z } from "zod";
import governorateData from "../reference/iraq-governorates.json" with { type: "json" };

/** ISO 3166-2 subdivision code, e.g. IQ-BG. The reference list ships Iraq's 18 governorates. */
export const governorateCode = z
  .string()
  .regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, "must be an ISO 3166-2 code such as IQ-BG");

export const iraqGovernorates = governorateData.governorates;

export const coordinates = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
