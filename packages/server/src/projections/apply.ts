import type { FieldKeys } from "../crypto/field-keys.ts";
import type { Tx } from "../store/database.ts";
import { type Write, writeTogether } from "../store/write-together.ts";
import { cardIssued, cardReissued, cardRevoked } from "./card.ts";
import { recordCorrected } from "./correction.ts";
import {
  custodyDispatched,
  custodyReceived,
  dispositionDeactivated,
  dispositionDestroyed,
  dispositionRetained,
  dispositionTransferredToState,
} from "./custody.ts";
import { cacheCleared, cacheReported, cacheVerified } from "./custody-cache.ts";
import { discrepancyResolved, investigationClosed, investigationUpdated } from "./custody-investigation.ts";
import { stockCheckRecorded, stockCheckStarted } from "./custody-stock-check.ts";
import { storeRemoved, storeReturned } from "./custody-store.ts";
import { duplicateDismissed, duplicateMerged } from "./duplicate-review.ts";
import { groupDeclared, groupRegistered } from "./group.ts";
import { handoverRecorded } from "./handover.ts";
import { keyPartReattached, keyPartSeparated } from "./key-part.ts";
import {
  groupPartyRecorded,
  groupTransformed,
  pathwayFollowedUp,
  pathwayLeft,
  pathwayOffered,
  pathwayPlaced,
  pathwayResponded,
  pathwayVetted,
} from "./pathway.ts";
import {
  paymentConfirmed,
  paymentListPrepared,
  paymentListSent,
  paymentRecorded,
  paymentScheduleSet,
  payoutAccountSet,
} from "./payment.ts";

import { personRegistered } from "./person.ts";
import { programmeConfigured } from "./programme.ts";
import type { Projector, RecordedEvent, withLeading } from "./recorded-event.ts";
import { rosterSubmitted } from "./roster.ts";
import {
  eligibilityAppealDecided,
  eligibilityAppealed,
  eligibilityRevoked,
  personDeathRecorded,
  screeningRecorded,
} from "./screening.ts";
import { siteRegistered } from "./site.ts";

export type { RecordedEvent } from "./recorded-event.ts";

/** Every event type and the projection it updates. Replaying the ledger through these rebuilds every table. */
const projectors: Record<string, Projector> = {
  "programme.configured": programmeConfigured,
  "group.registered": groupRegistered,
  "group.declared": groupDeclared,
  "site.registered": siteRegistered,
  "person.registered": personRegistered,
  "handover.recorded": handoverRecorded,
  "record.corrected": recordCorrected,
  "custody.dispatched": custodyDispatched,
  "custody.received": custodyReceived,
  "disposition.destroyed": dispositionDestroyed,
  "disposition.transferred_to_state": dispositionTransferredToState,
  "disposition.deactivated": dispositionDeactivated,
  "disposition.retained": dispositionRetained,
  "store.removed": storeRemoved,
  "store.returned": storeReturned,
  "stock_check.started": stockCheckStarted,
  "stock_check.recorded": stockCheckRecorded,
  "investigation.updated": investigationUpdated,
  "investigation.closed": investigationClosed,
  "discrepancy.resolved": discrepancyResolved,
  "cache.reported": cacheReported,
  "cache.verified": cacheVerified,
  "cache.cleared": cacheCleared,
  // payments
  "payment.schedule_set": paymentScheduleSet,
  "payment.account_set": payoutAccountSet,
  "payment.list_prepared": paymentListPrepared,
  "payment.list_sent": paymentListSent,
  "payment.recorded": paymentRecorded,
  "payment.confirmed": paymentConfirmed,
  // Demobilisation cards (cards slice).
  "card.issued": cardIssued,
  "card.reissued": cardReissued,
  "card.revoked": cardRevoked,
  // Screening and eligibility.
  "screening.recorded": screeningRecorded,
  "eligibility.appealed": eligibilityAppealed,
  "eligibility.appeal_decided": eligibilityAppealDecided,
  "eligibility.revoked": eligibilityRevoked,
  "person.death_recorded": personDeathRecorded,
  // Group rosters.
  "roster.submitted": rosterSubmitted,
  // pathways
  "group.transformed": groupTransformed,
  "group.party_recorded": groupPartyRecorded,
  "pathway.offered": pathwayOffered,
  "pathway.responded": pathwayResponded,
  "pathway.vetted": pathwayVetted,
  "pathway.placed": pathwayPlaced,
  "pathway.followed_up": pathwayFollowedUp,
  "pathway.left": pathwayLeft,
  // duplicate review (issue 5)
  "duplicate.merged": duplicateMerged,
  "duplicate.dismissed": duplicateDismissed,
  // Loose key parts (issue 4).
  "weapon.part_separated": keyPartSeparated,
  "weapon.part_reattached": keyPartReattached,
};

/**
 * Projects one event. `leading`: writes to send before the projection's own (the write path's
 * leaf and personal part), in the projection's first statement when it takes them.
 */
export async function applyEvent(
  tx: Tx,
  event: RecordedEvent,
  keys: FieldKeys,
  leading: Write[] = [],
): Promise<void> {
  const projector = projectors[event.type];
  if (!projector) throw new Error(`no projection for event type ${event.type}`);
  const takesLeading = (projector as Partial<ReturnType<typeof withLeading>>).leading;
  if (takesLeading) return takesLeading(tx, event, keys, leading);
  await writeTogether(tx, leading);
  await projector(tx, event, keys);
}
