import { Problem } from "../problems.ts";
import { type GroupStatus, groupParty, groupTransformation, type PartyStatus } from "../records/pathway.ts";
import { defineCommand, type RecordView } from "./command.ts";

// A group's status over time (armed → disarming → disbanded, integrated or registered as a
// party) and the party it became. Each change is a decision with a reference, who took it and
// the day; the history is kept, never overwritten.

/**
 * The changes of status a decision may make. Going back to arms is possible from any status (it
 * happens), but only with a stated reason. A group becomes a registered party only once the party
 * is registered (group.party); a disbanded group no longer acts as a group, except to re-form as a
 * party or take up arms again.
 */
export const groupTransitions: Record<GroupStatus, readonly GroupStatus[]> = {
  armed: ["disarming", "disbanded", "integrated", "registered_party"],
  disarming: ["armed", "disbanded", "integrated", "registered_party"],
  disbanded: ["armed", "registered_party"],
  integrated: ["armed", "disbanded"],
  registered_party: ["armed", "disbanded"],
};

/** The party registration steps: apply, then registered or refused; a registered party may be dissolved. */
export const partyTransitions: Record<PartyStatus | "none", readonly PartyStatus[]> = {
  none: ["applied"],
  applied: ["registered", "refused"],
  registered: ["dissolved"],
  refused: ["applied"],
  dissolved: ["applied"],
};

const words = (s: string) => s.replaceAll("_", " ");

function checkDay(on: string, now: string, after: string | undefined, what: string, path: string) {
  if (on > now.slice(0, 10))
    throw new Problem("rule.violated", `The ${what} date is in the future; check it.`, [
      { path, message: "in the future" },
    ]);
  if (after && on < after)
    throw new Problem(
      "rule.violated",
      `The ${what} date is before the previous decision (${after}): decisions are recorded in order.`,
      [{ path, message: `before ${after}` }],
    );
}

async function getGroupTransformation(view: RecordView, groupId: string) {
  const group = await view.findGroupTransformation(groupId);
  if (!group)
    throw new Problem("reference.unknown", "The group is not registered.", [
      { path: "payload.groupId", message: "unknown group" },
    ]);
  return group;
}

export const transformGroup = defineCommand({
  type: "group.transform",
  event: "group.transformed",
  payload: groupTransformation,
  action: "group.transform",
  target: async () => undefined,
  async decide(payload, view, env) {
    const group = await getGroupTransformation(view, payload.groupId);
    if (payload.status === group.status)
      throw new Problem("rule.violated", `The group is already ${words(group.status)}.`, [
        { path: "payload.status", message: "unchanged" },
      ]);
    const allowed = groupTransitions[group.status];
    if (!allowed.includes(payload.status))
      throw new Problem(
        "rule.violated",
        `A group that is ${words(group.status)} cannot become ${words(payload.status)}; from ${words(group.status)} it may become ${allowed.map(words).join(", ")}.`,
        [{ path: "payload.status", message: `not from ${group.status}` }],
      );
    if (payload.status === "armed" && !payload.reason)
      throw new Problem(
        "rule.violated",
        "A group going back to arms must have the reason stated: give payload.reason.",
        [{ path: "payload.reason", message: "required when going back to armed" }],
      );
    if (payload.status === "registered_party" && group.party?.status !== "registered")
      throw new Problem(
        "rule.violated",
        `The group's party is ${group.party ? words(group.party.status) : "not yet applied for"}: record its registration (group.party) before the group becomes a registered party.`,
        [{ path: "payload.status", message: "party not registered" }],
      );
    checkDay(payload.decision.decidedOn, env.now, group.decidedOn, "decision", "payload.decision.decidedOn");
    return {
      type: "group.transformed",
      subjects: [{ kind: "group", id: payload.groupId }],
      data: { ...payload, from: group.status },
    };
  },
});

export const recordGroupParty = defineCommand({
  type: "group.party",
  event: "group.party_recorded",
  payload: groupParty,
  action: "group.party",
  target: async () => undefined,
  async decide(payload, view, env) {
    const group = await getGroupTransformation(view, payload.groupId);
    const current = group.party?.status ?? "none";
    const allowed = partyTransitions[current];
    if (!allowed.includes(payload.status))
      throw new Problem(
        "rule.violated",
        current === "none"
          ? "The group has no party yet: record its application (status applied, with the party's name) first."
          : `The party is ${words(current)}; it can next be ${allowed.join(" or ")}, not ${payload.status}.`,
        [{ path: "payload.status", message: `not from ${current}` }],
      );
    if (payload.status === "applied" && !payload.name && !group.party?.name)
      throw new Problem("rule.violated", "Give the party's name (Arabic and English) with its application.", [
        { path: "payload.name", message: "required with the first application" },
      ]);
    if (payload.name && payload.status !== "applied")
      throw new Problem(
        "rule.violated",
        "The party's name is given with an application; a decision on it keeps the name applied for.",
        [{ path: "payload.name", message: "only with status applied" }],
      );
    if (payload.status === "refused" && !payload.reason)
      throw new Problem("rule.violated", "Say why the registration was refused: give payload.reason.", [
        { path: "payload.reason", message: "required with a refusal" },
      ]);
    checkDay(
      payload.decision.decidedOn,
      env.now,
      group.party?.on,
      "party decision",
      "payload.decision.decidedOn",
    );
    return {
      type: "group.party_recorded",
      subjects: [{ kind: "group", id: payload.groupId }],
      data: { ...payload, from: current, name: payload.name ?? group.party?.name },
    };
  },
});
