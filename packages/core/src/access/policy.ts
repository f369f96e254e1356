import { Problem } from "../problems.ts";
import type { Actor, Role, Scope } from "./roles.ts";

/**
 * Every action the system can take, and the roles that may take it. Deny by default: an action
 * not listed here cannot be taken by anyone, and the HTTP layer refuses to start a route that
 * names no action (see the route-by-role matrix test).
 */
export const policy = {
  // Commands (the write path). `command.submit` opens the door; each command's own action decides.
  "command.submit": { roles: ["admin", "registrar", "custodian", "disposal_officer"] },
  "programme.configure": { roles: ["admin"] },
  "group.register": { roles: ["admin"] },
  "group.declare": { roles: ["admin"] },
  "site.register": { roles: ["admin"] },
  "person.register": { roles: ["admin", "registrar"] },
  "handover.record": { roles: ["admin", "registrar"] },
  "record.correct": { roles: ["admin", "registrar"] },
  "custody.dispatch": { roles: ["admin", "custodian"] },
  "custody.receive": { roles: ["admin", "custodian"] },
  "disposition.destroy": { roles: ["admin", "disposal_officer"] },
  "disposition.transfer_to_state": { roles: ["admin", "disposal_officer"] },
  "disposition.deactivate": { roles: ["admin", "disposal_officer"] },
  "disposition.retain": { roles: ["admin", "disposal_officer"] },
  "store.remove": { roles: ["admin", "custodian"] },
  "store.return": { roles: ["admin", "custodian"] },
  "stock_check.start": { roles: ["admin", "custodian"] },
  "stock_check.record": { roles: ["admin", "custodian"] },
  // Those who keep the stores do not close the inquiries into their losses.
  "investigation.update": { roles: ["admin"] },
  "investigation.close": { roles: ["admin"] },
  "discrepancy.resolve": { roles: ["admin"] },
  "cache.report": { roles: ["admin"] },
  "cache.verify": { roles: ["admin"] },
  "cache.clear": { roles: ["admin"] },
  // Reads.
  "programme.read": {
    roles: ["admin", "registrar", "custodian", "disposal_officer", "case_worker", "analyst", "monitor"],
  },
  "group.read": {
    roles: ["admin", "registrar", "custodian", "disposal_officer", "case_worker", "analyst", "monitor"],
  },
  "site.read": {
    roles: ["admin", "registrar", "custodian", "disposal_officer", "case_worker", "analyst", "monitor"],
  },
  "person.read": { roles: ["admin", "registrar", "case_worker"] },
  "handover.read": { roles: ["admin", "registrar", "custodian", "monitor"] },
  "receipt.print": { roles: ["admin", "registrar"] },
  "weapon.read": { roles: ["admin", "registrar", "custodian", "disposal_officer", "analyst", "monitor"] },
  "item.trail": { roles: ["admin", "custodian", "disposal_officer", "analyst", "monitor"] },
  "report.balance": { roles: ["admin", "custodian", "disposal_officer", "analyst", "monitor"] },
  "disposition.certificate": { roles: ["admin", "disposal_officer", "monitor"] },
  "transfer.read": { roles: ["admin", "custodian", "disposal_officer", "monitor"] },
  "store.read": { roles: ["admin", "custodian", "disposal_officer", "monitor"] },
  "stock_check.read": { roles: ["admin", "custodian", "disposal_officer", "analyst", "monitor"] },
  "investigation.read": { roles: ["admin", "custodian", "disposal_officer", "analyst", "monitor"] },
  "cache.read": { roles: ["admin", "custodian", "disposal_officer", "analyst", "monitor"] },
  // Who reported a cache, and where exactly it is: only those who plan the extraction.
  "cache.source.read": { roles: ["admin"] },
  "anomaly.read": { roles: ["admin", "analyst", "monitor"] },
  "event.read": { roles: ["admin", "monitor"] },
  // Opening one leaf's commitment reveals that event's personal part to an auditor.
  "leaf.open": { roles: ["admin"] },
  "user.manage": { roles: ["admin"] },
  "token.manage": {
    roles: ["admin", "registrar", "custodian", "disposal_officer", "case_worker", "analyst", "monitor"],
  },
  "self.read": {
    roles: ["admin", "registrar", "custodian", "disposal_officer", "case_worker", "analyst", "monitor"],
  },
  // duplicate review (issue 5): registrars review within their scope, never their own registration.
  "duplicate.merge": { roles: ["admin", "registrar"] },
  "duplicate.dismiss": { roles: ["admin", "registrar"] },
  "duplicate.read": { roles: ["admin", "registrar"] },
} as const satisfies Record<string, { roles: readonly Role[] }>;

export type Action = keyof typeof policy;
export const actions = Object.keys(policy) as Action[];

export function roleMay(role: Role, action: Action): boolean {
  // Deny by default: an action not listed (or a prototype key such as "toString") allows no one.
  if (!Object.hasOwn(policy, action)) return false;
  return (policy[action].roles as readonly Role[]).includes(role);
}

/** The place a record belongs to, for scope checks. */
export interface ScopeTarget {
  siteId?: string | undefined;
  governorate?: string | undefined;
}

export function inScope(scope: Scope, target: ScopeTarget): boolean {
  if (target.siteId !== undefined && scope.sites !== "all" && !scope.sites.includes(target.siteId))
    return false;
  if (
    target.governorate !== undefined &&
    scope.governorates !== "all" &&
    !scope.governorates.includes(target.governorate)
  )
    return false;
  return true;
}

export function authorize(actor: Actor, action: Action, target?: ScopeTarget): void {
  if (!roleMay(actor.role, action))
    throw new Problem(
      "auth.forbidden",
      `The ${actor.role} role may not ${action.replace(".", " ")}. Ask an administrator.`,
    );
  if (target && !inScope(actor.scope, target))
    throw new Problem(
      "auth.out-of-scope",
      "This record belongs to a site or governorate outside your scope.",
    );
}
