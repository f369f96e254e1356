import { Problem } from "../problems.ts";
import { armedGroup, groupDeclaration } from "../records/group.ts";
import { defineCommand } from "./command.ts";

export const registerGroup = defineCommand({
  type: "group.register",
  event: "group.registered",
  payload: armedGroup,
  action: "group.register",
  target: async () => undefined,
  async decide(payload, view, env) {
    if (await view.groupCodeInUse(payload.code))
      throw new Problem("rule.violated", `The group code ${payload.code} is taken; choose another.`, [
        { path: "payload.code", message: "code in use" },
      ]);
    if (payload.umbrellaId && !(await view.findGroup(payload.umbrellaId)))
      throw new Problem("reference.unknown", "The umbrella group is not registered; register it first.", [
        { path: "payload.umbrellaId", message: "unknown group" },
      ]);
    const groupId = payload.groupId ?? env.newId();
    if (await view.findGroup(groupId))
      throw new Problem("rule.violated", "A group with this id exists already.", [
        { path: "payload.groupId", message: "id in use" },
      ]);
    return {
      type: "group.registered",
      subjects: [{ kind: "group", id: groupId }],
      data: { ...payload, groupId },
    };
  },
});

export const declareGroup = defineCommand({
  type: "group.declare",
  event: "group.declared",
  payload: groupDeclaration,
  action: "group.declare",
  target: async () => undefined,
  async decide(payload, view) {
    if (!(await view.findGroup(payload.groupId)))
      throw new Problem("reference.unknown", "The group is not registered; register it before declaring.", [
        { path: "payload.groupId", message: "unknown group" },
      ]);
    // Declarations are versioned, never overwritten: a padded roster shows as a new version.
    const version = (await view.latestDeclarationVersion(payload.groupId)) + 1;
    return {
      type: "group.declared",
      subjects: [{ kind: "group", id: payload.groupId }],
      data: { ...payload, version },
    };
  },
});
