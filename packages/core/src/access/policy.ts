import { Problem } from "../problems.ts";
import type { Actor, Role, Scope } from "./roles.ts";

/**
 * Every action the system can take, and the roles that may take it. Deny by default: an action
 * not listed here cannot be taken by anyone, and the HTTP layer refuses to start a route that
 * names no action (see the route-by-role matrix test).
 */
export const policy = {
  // Commands (the write path). `command.submit` opens the door; each command's own action decides.
  "command.submit": { roles: ["admin", "registrar", "custodian", "disposal_officer", "case_worker"] },
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
  // Who read a person's record (the log of reads): those who answer for the data's protection.
  "person.access_history": { roles: ["admin"] },
  // A file of everyone's records (the command line's `export persons`): with a stated purpose, logged.
  "person.export": { roles: ["admin"] },
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
  // payments (issue 9): approved by the administrator alone; lists name people and their
  // accounts; the report is aggregates only.
  "payment.schedule_set": { roles: ["admin"] },
  "payment.account_set": { roles: ["admin"] },
  "payment.list_prepare": { roles: ["admin"] },
  "payment.list_send": { roles: ["admin"] },
  "payment.record": { roles: ["admin"] },
  "payment.confirm": { roles: ["admin"] },
  "payment.read": { roles: ["admin"] },
  "payment.export": { roles: ["admin"] },
  "report.payments": { roles: ["admin", "analyst", "monitor"] },
  // Demobilisation cards (cards slice). Registrars issue, replace and print cards at their sites;
  // only an administrator withdraws one. The status check answers no personal data (docs/
  // reintegration.md): the staff who meet card holders (registrars, case workers) may ask it.
  "card.issue": { roles: ["admin", "registrar"] },
  "card.reissue": { roles: ["admin", "registrar"] },
  "card.revoke": { roles: ["admin"] },
  "card.print": { roles: ["admin", "registrar"] },
  "card.status": { roles: ["admin", "registrar", "case_worker"] },
  // Screening and eligibility. Registrars screen at their sites; an appeal is decided and an
  // eligibility revoked by an administrator, never by those who screened.
  "screening.record": { roles: ["admin", "registrar", "case_worker"] },
  "eligibility.appeal": { roles: ["admin", "registrar", "case_worker"] },
  "eligibility.decide_appeal": { roles: ["admin"] },
  "eligibility.revoke": { roles: ["admin"] },
  "person.record_death": { roles: ["admin", "case_worker"] },
  "report.eligibility": { roles: ["admin", "case_worker", "analyst", "monitor"] },
  // Group rosters: the list is submitted by admin; its comparison with registrations is read as
  // counts by analysts and monitors, entry by entry (names) by admin only.
  "roster.submit": { roles: ["admin"] },
  "roster.read": { roles: ["admin", "analyst", "monitor"] },
  "roster.entries.read": { roles: ["admin"] },
  // pathways: a group's transformation is decided at the top; case workers run pathways and follow-ups
  // with the administrator; analysts and monitors read the outcomes in aggregate (no names, no ids).
  "group.transform": { roles: ["admin"] },
  "group.party": { roles: ["admin"] },
  "pathway.offer": { roles: ["admin", "case_worker"] },
  "pathway.respond": { roles: ["admin", "case_worker"] },
  "pathway.vet": { roles: ["admin", "case_worker"] },
  "pathway.place": { roles: ["admin", "case_worker"] },
  "pathway.follow_up": { roles: ["admin", "case_worker"] },
  "pathway.leave": { roles: ["admin", "case_worker"] },
  "pathway.read": { roles: ["admin", "case_worker"] },
  "report.pathways": { roles: ["admin", "case_worker", "analyst", "monitor"] },
  // duplicate review (issue 5): registrars review within their scope, never their own registration.
  "duplicate.merge": { roles: ["admin", "registrar"] },
  "duplicate.dismiss": { roles: ["admin", "registrar"] },
  "duplicate.read": { roles: ["admin", "registrar"] },
  // totp (issue 7): everyone may protect their own account with a second factor; the log of
  // out-of-scope reads ("break the glass") is watched by those who answer for the data.
  "totp.self": {
    roles: ["admin", "registrar", "custodian", "disposal_officer", "case_worker", "analyst", "monitor"],
  },
  "access.alerts": { roles: ["admin"] },
  // Retention (issue 7): what the programme's policy makes due, in counts, for those who answer
  // for the data's protection (applying it is the command line's, with a reason, logged).
  "retention.read": { roles: ["admin"] },
  // Loose key parts (issue 4): those who keep the weapon take its bolt off, as they move it.
  "weapon.separate_part": { roles: ["admin", "custodian"] },
  // The programme dashboard (issue 6): declared against collected and progress, aggregates only,
  // collected figures within the reader's scope.
  "report.collection": { roles: ["admin", "analyst", "monitor"] },
  // Offline queue and photos (issue 6): whoever may send commands may upload the photos they
  // carry and fetch the key that encrypts their browser's queue; a file is read back by its
  // uploader or an administrator (files/access.ts).
  "file.upload": { roles: ["admin", "registrar", "custodian", "disposal_officer", "case_worker"] },
  "file.read": { roles: ["admin", "registrar", "custodian", "disposal_officer", "case_worker"] },
  "queue.key": { roles: ["admin", "registrar", "custodian", "disposal_officer", "case_worker"] },
  "weapon.reattach_part": { roles: ["admin", "custodian"] },
  // A loose part's label is printed by those who take it off and keep it.
  "key_part.label": { roles: ["admin", "custodian"] },
  // A loose part's name or serial mistyped when it was recorded: corrected (record.correct) by
  // those who record parts (registrars at a handover, custodians at a separation or a receipt).
  "key_part.correct": { roles: ["admin", "registrar", "custodian"] },
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
