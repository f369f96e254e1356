import { z } from "zod";
import { clearCache, reportCache, verifyCache } from "./caches.ts";
import { issueCard, reissueCard, revokeCard } from "./cards.ts";
import type { CommandDefinition } from "./command.ts";
import { dispatchTransfer, receiveTransfer } from "./custody.ts";
import { closeInvestigation, resolveDiscrepancy, updateInvestigation } from "./custody-investigation.ts";
import { deactivateItems, destroyItems, retainItems, transferToState } from "./disposition.ts";
import { dismissDuplicate, mergeDuplicate } from "./duplicate-review.ts";
import { declareGroup, registerGroup } from "./group-register.ts";
import { recordGroupParty, transformGroup } from "./group-transform.ts";
import { recordHandover } from "./handover-record.ts";
import { reattachKeyPart, separateKeyPart } from "./key-part.ts";
import {
  followUpPathway,
  leavePathway,
  offerPathway,
  placeOnPathway,
  respondToPathway,
  vetPathway,
} from "./pathway.ts";
import {
  confirmPayments,
  preparePaymentList,
  recordPayment,
  sendPaymentList,
  setPaymentSchedule,
  setPayoutAccount,
} from "./payments.ts";

import { registerPerson } from "./person-register.ts";
import { configureProgramme } from "./programme-configure.ts";
import { correctRecord } from "./record-correct.ts";
import { submitRoster } from "./roster-submit.ts";
import {
  appealEligibility,
  decideAppeal,
  recordDeath,
  recordScreening,
  revokeEligibility,
} from "./screening.ts";
import { registerSite } from "./site-register.ts";
import { recordStockCheck, startStockCheck } from "./stock-check.ts";
import { removeFromStore, returnToStore } from "./stores.ts";

/** Every command the system accepts. The HTTP API, the CLI importer and the offline queue all send these. */
export const commandDefinitions = [
  configureProgramme,
  registerGroup,
  declareGroup,
  registerSite,
  registerPerson,
  recordHandover,
  correctRecord,
  dispatchTransfer,
  receiveTransfer,
  destroyItems,
  transferToState,
  deactivateItems,
  retainItems,
  removeFromStore,
  returnToStore,
  startStockCheck,
  recordStockCheck,
  updateInvestigation,
  closeInvestigation,
  resolveDiscrepancy,
  reportCache,
  verifyCache,
  clearCache,
  // payments
  setPaymentSchedule,
  setPayoutAccount,
  preparePaymentList,
  sendPaymentList,
  recordPayment,
  confirmPayments,
  // Demobilisation cards (cards slice).
  issueCard,
  reissueCard,
  revokeCard,
  // Screening and eligibility.
  recordScreening,
  appealEligibility,
  decideAppeal,
  revokeEligibility,
  recordDeath,
  // Group rosters.
  submitRoster,
  // pathways: group transformation, pathways and their follow-ups
  transformGroup,
  recordGroupParty,
  offerPathway,
  respondToPathway,
  vetPathway,
  placeOnPathway,
  followUpPathway,
  leavePathway,
  // duplicate review (issue 5)
  mergeDuplicate,
  dismissDuplicate,
  // Loose key parts (issue 4).
  separateKeyPart,
  reattachKeyPart,
] as CommandDefinition[];

/** The command that records events of this type. */
export function findCommandDefinitionByEvent(eventType: string): CommandDefinition | undefined {
  return commandDefinitions.find((c) => c.event === eventType);
}

export const commandTypes = commandDefinitions.map((c) => c.type);

export function findCommandDefinition(type: string): CommandDefinition | undefined {
  return commandDefinitions.find((c) => c.type === type);
}

/**
 * The envelope every command travels in. The id is made by the client (offline queues make it
 * before the network exists), so the same command sent twice is recorded once.
 */
export const commandEnvelope = z.strictObject({
  commandId: z.uuid("commandId must be a UUID made by the client"),
  type: z.enum(commandTypes as [string, ...string[]], "type must name a known command"),
  payload: z.unknown(),
});

export type CommandEnvelope = z.infer<typeof commandEnvelope>;
