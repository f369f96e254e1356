import { Problem } from "../problems.ts";
import type { ItemRef } from "../records/custody.ts";
import { storeRemoval, storeReturn } from "../records/custody-store.ts";
import { defineCommand } from "./command.ts";
import { checkHeldItems } from "./disposition.ts";
import { assertNoStockCheckUnderWay } from "./stock-check.ts";

const key = (i: ItemRef) => `${i.kind}:${i.id}`;

/** Items taken out of a store for a while: they stay the site's but are `out_of_store` until returned. */
export const removeFromStore = defineCommand({
  type: "store.remove",
  event: "store.removed",
  payload: storeRemoval,
  action: "store.remove",
  target: async (payload) => ({ siteId: payload.siteId }),
  async decide(payload, view, env) {
    await checkHeldItems(
      view,
      env.now,
      { siteId: payload.siteId, items: payload.items, at: payload.removedAt, atPath: "payload.removedAt" },
      { site: "site", verb: "taken out of the store", place: "this site", time: "removal" },
    );
    if (payload.dueBack && Date.parse(payload.dueBack) <= Date.parse(payload.removedAt))
      throw new Problem("rule.violated", "The items are due back after they were taken out.", [
        { path: "payload.dueBack", message: "not after the removal" },
      ]);
    const accessId = payload.accessId ?? env.newId();
    if (await view.findStoreAccess(accessId))
      throw new Problem("rule.violated", "A store removal with this id exists already.", [
        { path: "payload.accessId", message: "id in use" },
      ]);
    return {
      type: "store.removed",
      subjects: [{ kind: "store_access", id: accessId }, ...payload.items],
      data: { ...payload, accessId, authorisedBy: env.actor.userId },
    };
  },
});

/** Items of a removal brought back: in custody again, at the site they were taken from. */
export const returnToStore = defineCommand({
  type: "store.return",
  event: "store.returned",
  payload: storeReturn,
  action: "store.return",
  target: async (payload, view) => {
    const access = await view.findStoreAccess(payload.accessId);
    return access ? { siteId: access.siteId } : undefined;
  },
  async decide(payload, view, env) {
    const access = await view.findStoreAccess(payload.accessId);
    if (!access)
      throw new Problem("reference.unknown", "There is no store removal with this id.", [
        { path: "payload.accessId", message: "unknown removal" },
      ]);
    if (Date.parse(payload.returnedAt) > Date.parse(env.now))
      throw new Problem("rule.violated", "The return time is in the future; check the device's clock.", [
        { path: "payload.returnedAt", message: "in the future" },
      ]);
    if (Date.parse(payload.returnedAt) < Date.parse(access.removedAt))
      throw new Problem(
        "rule.violated",
        `The return time is before the items were taken out (${access.removedAt}).`,
        [{ path: "payload.returnedAt", message: "before the removal" }],
      );
    await assertNoStockCheckUnderWay(view, access.siteId, "payload.accessId");
    const out = new Map(access.items.map((i) => [key(i), i]));
    for (const [n, ref] of payload.items.entries()) {
      const logged = out.get(key(ref));
      const path = `payload.items.${n}`;
      if (!logged)
        throw new Problem("rule.violated", `Item ${n + 1} was not taken out under this removal.`, [
          { path, message: "not on the removal" },
        ]);
      if (logged.returned)
        throw new Problem("rule.violated", `Item ${n + 1} was already returned.`, [
          { path, message: "already returned" },
        ]);
    }
    return {
      type: "store.returned",
      subjects: [{ kind: "store_access", id: access.id }, ...payload.items],
      data: { ...payload, siteId: access.siteId, receivedBy: env.actor.userId },
    };
  },
});
