import { Problem } from "../problems.ts";
import { discrepancyResolve, investigationClose, investigationUpdate } from "../records/custody-store.ts";
import { defineCommand, type RecordView } from "./command.ts";

async function getInvestigation(view: RecordView, id: string) {
  const found = await view.findInvestigation(id);
  if (!found)
    throw new Problem("reference.unknown", "There is no loss investigation with this id.", [
      { path: "payload.investigationId", message: "unknown investigation" },
    ]);
  if (found.status === "closed")
    throw new Problem("rule.violated", "This investigation is closed; a new finding needs a new record.", [
      { path: "payload.investigationId", message: "closed" },
    ]);
  return found;
}

function notFuture(at: string, now: string, path: string) {
  if (Date.parse(at) > Date.parse(now))
    throw new Problem("rule.violated", "The time is in the future; check the device's clock.", [
      { path, message: "in the future" },
    ]);
}

function notBeforeOpening(at: string, openedAt: string, path: string) {
  if (Date.parse(at) < Date.parse(openedAt))
    throw new Problem(
      "rule.violated",
      `The investigation was opened at ${openedAt}; this cannot come before.`,
      [{ path, message: "before the investigation was opened" }],
    );
}

export const updateInvestigation = defineCommand({
  type: "investigation.update",
  event: "investigation.updated",
  payload: investigationUpdate,
  action: "investigation.update",
  target: async (payload, view) => {
    const found = await view.findInvestigation(payload.investigationId);
    return found ? { siteId: found.siteId } : undefined;
  },
  async decide(payload, view, env) {
    const investigation = await getInvestigation(view, payload.investigationId);
    if (investigation.status !== "open")
      throw new Problem("rule.violated", "This investigation is already under way.", [
        { path: "payload.status", message: investigation.status },
      ]);
    notFuture(payload.at, env.now, "payload.at");
    notBeforeOpening(payload.at, investigation.openedAt, "payload.at");
    return {
      type: "investigation.updated",
      subjects: [
        { kind: "investigation", id: investigation.id },
        ...(investigation.item ? [investigation.item] : []),
      ],
      data: { ...payload, updatedBy: env.actor.userId },
    };
  },
});

export const closeInvestigation = defineCommand({
  type: "investigation.close",
  event: "investigation.closed",
  payload: investigationClose,
  action: "investigation.close",
  target: async (payload, view) => {
    const found = await view.findInvestigation(payload.investigationId);
    return found ? { siteId: found.siteId } : undefined;
  },
  async decide(payload, view, env) {
    const investigation = await getInvestigation(view, payload.investigationId);
    notFuture(payload.closedAt, env.now, "payload.closedAt");
    notBeforeOpening(payload.closedAt, investigation.openedAt, "payload.closedAt");
    const [item] = investigation.item ? await view.findItems([investigation.item]) : [];
    // A lost item that turns up (or was never lost) goes back into custody at a named place.
    const returns =
      item?.state === "lost" && (payload.outcome === "found" || payload.outcome === "recording_error");
    if (returns && !payload.foundAt)
      throw new Problem(
        "rule.violated",
        "Say where the item is now (foundAt: the site and the store location): it goes back into custody there.",
        [{ path: "payload.foundAt", message: "required when a lost item is found" }],
      );
    if (!returns && payload.foundAt)
      throw new Problem(
        "rule.violated",
        item?.state === "lost"
          ? "A lost item stays lost with this outcome; leave out foundAt."
          : "Nothing here is lost, so nothing goes back into custody; leave out foundAt.",
        [{ path: "payload.foundAt", message: "not applicable" }],
      );
    if (payload.foundAt && !(await view.findSite(payload.foundAt.siteId)))
      throw new Problem("reference.unknown", "The site where the item was found is not registered.", [
        { path: "payload.foundAt.siteId", message: "unknown site" },
      ]);
    return {
      type: "investigation.closed",
      subjects: [
        { kind: "investigation", id: investigation.id },
        ...(investigation.item ? [investigation.item] : []),
      ],
      data: {
        ...payload,
        ...(investigation.item ? { item: investigation.item } : {}),
        // A missing item's investigation settles the discrepancy that opened it.
        ...(investigation.origin === "discrepancy" ? { discrepancyId: investigation.originId } : {}),
        closedBy: env.actor.userId,
      },
    };
  },
});

export const resolveDiscrepancy = defineCommand({
  type: "discrepancy.resolve",
  event: "discrepancy.resolved",
  payload: discrepancyResolve,
  action: "discrepancy.resolve",
  target: async (payload, view) => {
    const found = await view.findDiscrepancy(payload.discrepancyId);
    return found ? { siteId: found.toSiteId } : undefined;
  },
  async decide(payload, view, env) {
    const discrepancy = await view.findDiscrepancy(payload.discrepancyId);
    if (!discrepancy)
      throw new Problem("reference.unknown", "There is no discrepancy with this id.", [
        { path: "payload.discrepancyId", message: "unknown discrepancy" },
      ]);
    if (discrepancy.status !== "open")
      throw new Problem("rule.violated", "This discrepancy was already resolved.", [
        { path: "payload.discrepancyId", message: discrepancy.status },
      ]);
    if (discrepancy.kind === "missing_item")
      throw new Problem(
        "rule.violated",
        "A missing item is settled by its loss investigation: close the investigation with the same id.",
        [{ path: "payload.discrepancyId", message: "missing item" }],
      );
    notFuture(payload.resolvedAt, env.now, "payload.resolvedAt");
    return {
      type: "discrepancy.resolved",
      subjects: [
        { kind: "discrepancy", id: discrepancy.id },
        { kind: "transfer", id: discrepancy.transferId },
      ],
      data: { ...payload, transferId: discrepancy.transferId, resolvedBy: env.actor.userId },
    };
  },
});
