import { z } from "zod";

export const roles = [
  "admin",
  "registrar",
  "custodian",
  "disposal_officer",
  "case_worker",
  "analyst",
  "monitor",
] as const;
export const role = z.enum(roles);
export type Role = z.infer<typeof role>;

/** Where a user may act: "all", or a list. A registrar is normally scoped to the sites they work at. */
export const scope = z.strictObject({
  sites: z.union([z.literal("all"), z.array(z.uuid()).max(500)]),
  governorates: z.union([z.literal("all"), z.array(z.string().regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/)).max(100)]),
});
export type Scope = z.infer<typeof scope>;

export const unlimitedScope: Scope = { sites: "all", governorates: "all" };

export interface Actor {
  userId: string;
  role: Role;
  scope: Scope;
}
