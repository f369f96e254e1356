import type { Tx } from "../store/database.ts";
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
import { personRegistered } from "./person.ts";
import { programmeConfigured } from "./programme.ts";
import type { Projector, RecordedEvent } from "./recorded-event.ts";
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
  // duplicate review (issue 5)
  "duplicate.merged": duplicateMerged,
  "duplicate.dismissed": duplicateDismissed,
};

export async function applyEvent(tx: Tx, event: RecordedEvent): Promise<void> {
  const projector = projectors[event.type];
  if (!projector) throw new Error(`no projection for event type ${event.type}`);
  await projector(tx, event);
}
