import { Problem } from "../problems.ts";
import { destruction, type ItemRef } from "../records/custody.ts";
import { defineCommand } from "./command.ts";

const key = (i: ItemRef) => `${i.kind}:${i.id}`;

export const destroyItems = defineCommand({
  type: "disposition.destroy",
  payload: destruction,
  action: "disposition.destroy",
  target: async (payload) => ({ siteId: payload.siteId }),
  async decide(payload, view, env) {
    const site = await view.findSite(payload.siteId);
    if (!site)
      throw new Problem("reference.unknown", "The destruction site is not registered.", [
        { path: "payload.siteId", message: "unknown site" },
      ]);
    if (site.kind !== "destruction")
      throw new Problem(
        "rule.violated",
        "Items are destroyed at a registered destruction site; transfer them there first.",
        [{ path: "payload.siteId", message: `site is a ${site.kind}` }],
      );
    if (new Date(payload.destroyedAt) > new Date(env.now))
      throw new Problem("rule.violated", "The destruction time is in the future.", [
        { path: "payload.destroyedAt", message: "in the future" },
      ]);
    const found = new Map((await view.findItems(payload.items)).map((i) => [key(i), i]));
    for (const [n, ref] of payload.items.entries()) {
      const item = found.get(key(ref));
      const path = `payload.items.${n}`;
      if (!item)
        throw new Problem("reference.unknown", `Item ${n + 1} is not recorded.`, [
          { path, message: "unknown item" },
        ]);
      if (item.state !== "in_custody")
        throw new Problem(
          "rule.violated",
          `Item ${n + 1} is ${item.state.replace("_", " ")}; only items in custody can be destroyed.`,
          [{ path, message: item.state }],
        );
      if (item.holderSiteId !== payload.siteId)
        throw new Problem(
          "rule.violated",
          `Item ${n + 1} is not held at this destruction site; receive it here first.`,
          [{ path, message: "not held here" }],
        );
    }
    const batchId = payload.batchId ?? env.newId();
    return {
      type: "disposition.destroyed",
      subjects: [{ kind: "disposition", id: batchId }, ...payload.items],
      data: {
        ...payload,
        batchId,
        recordedBy: env.actor.userId,
        independentWitnesses: payload.witnesses.filter((w) => w.independent).length,
      },
    };
  },
});
