import { Problem } from "../problems.ts";
import { deactivation, destruction, type ItemRef, retention, stateTransfer } from "../records/custody.ts";
import { defineCommand, type RecordView } from "./command.ts";
import { assertNotBeforeCustody } from "./custody.ts";
import { assertNoStockCheckUnderWay } from "./stock-check.ts";

const key = (i: ItemRef) => `${i.kind}:${i.id}`;

/**
 * The checks every final disposition shares: the site is registered, the time is not in the
 * future, and every item is recorded, in custody and held at the site. Answers the items found.
 */
export async function checkHeldItems(
  view: RecordView,
  now: string,
  p: { siteId: string; items: readonly ItemRef[]; at: string; atPath: string },
  words: { site: string; verb: string; place: string; time: string },
) {
  const site = await view.findSite(p.siteId);
  if (!site)
    throw new Problem("reference.unknown", `The ${words.site} is not registered.`, [
      { path: "payload.siteId", message: "unknown site" },
    ]);
  if (new Date(p.at) > new Date(now))
    throw new Problem("rule.violated", `The ${words.time} time is in the future.`, [
      { path: p.atPath, message: "in the future" },
    ]);
  const refs = p.items.map((i) => ({ kind: i.kind, id: i.id }));
  const found = new Map((await view.findItems(refs)).map((i) => [key(i), i]));
  for (const [n, ref] of refs.entries()) {
    const item = found.get(key(ref));
    const path = `payload.items.${n}`;
    if (!item)
      throw new Problem("reference.unknown", `Item ${n + 1} is not recorded.`, [
        { path, message: "unknown item" },
      ]);
    if (item.state === "out_of_store")
      throw new Problem(
        "rule.violated",
        `Item ${n + 1} was taken out of the store; log its return before it can be ${words.verb}.`,
        [{ path, message: item.state }],
      );
    if (item.state !== "in_custody")
      throw new Problem(
        "rule.violated",
        `Item ${n + 1} is ${item.state.replaceAll("_", " ")}; only items in custody can be ${words.verb}.`,
        [{ path, message: item.state }],
      );
    if (item.holderSiteId !== p.siteId)
      throw new Problem(
        "rule.violated",
        `Item ${n + 1} is not held at ${words.place}; receive it here first.`,
        [{ path, message: "not held here" }],
      );
  }
  await assertNoStockCheckUnderWay(view, p.siteId, "payload.siteId");
  await assertNotBeforeCustody(view, refs, p.at, p.atPath, words.verb);
  return { site, found };
}

/**
 * A weapon whose key part travels apart may leave the programme's hands only with that part
 * settled: destroyed already, or in the same batch (`together`). Otherwise a "destroyed" rifle's
 * bolt could still be on a shelf, or the state could receive a rifle without its bolt.
 */
export async function assertKeyPartsSettled(
  view: RecordView,
  items: readonly ItemRef[],
  together: readonly ItemRef[],
  verb: string,
) {
  const weapons = items.filter((i) => i.kind === "weapon").map((i) => i.id);
  if (weapons.length === 0) return;
  const inBatch = new Set(together.filter((i) => i.kind === "key_part").map((i) => i.id));
  const parts = await view.findKeyParts(weapons);
  for (const [n, item] of items.entries()) {
    const open = parts.filter(
      (p) =>
        item.kind === "weapon" &&
        p.weaponId === item.id &&
        p.state !== "destroyed" &&
        // A part put back on the weapon goes with it.
        p.state !== "reattached" &&
        !inBatch.has(p.id),
    );
    if (open.length > 0)
      throw new Problem(
        "rule.violated",
        `Item ${n + 1}'s ${open.map((p) => p.part.replaceAll("_", " ")).join(" and ")} travels apart (key part ${open.map((p) => p.id).join(", ")}); the weapon can be ${verb} only with it destroyed first or ${verb === "destroyed" ? "in the same batch" : "destroyed"}.`,
        [{ path: `payload.items.${n}`, message: "key part apart" }],
      );
  }
}

export const destroyItems = defineCommand({
  type: "disposition.destroy",
  event: "disposition.destroyed",
  payload: destruction,
  action: "disposition.destroy",
  target: async (payload) => ({ siteId: payload.siteId }),
  async decide(payload, view, env) {
    const site = await view.findSite(payload.siteId);
    if (site && site.kind !== "destruction")
      throw new Problem(
        "rule.violated",
        "Items are destroyed at a registered destruction site; transfer them there first.",
        [{ path: "payload.siteId", message: `site is a ${site.kind}` }],
      );
    await checkHeldItems(
      view,
      env.now,
      {
        siteId: payload.siteId,
        items: payload.items,
        at: payload.destroyedAt,
        atPath: "payload.destroyedAt",
      },
      { site: "destruction site", verb: "destroyed", place: "this destruction site", time: "destruction" },
    );
    await assertKeyPartsSettled(view, payload.items, payload.items, "destroyed");
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

export const transferToState = defineCommand({
  type: "disposition.transfer_to_state",
  event: "disposition.transferred_to_state",
  payload: stateTransfer,
  action: "disposition.transfer_to_state",
  target: async (payload) => ({ siteId: payload.siteId }),
  async decide(payload, view, env) {
    const { found } = await checkHeldItems(
      view,
      env.now,
      {
        siteId: payload.siteId,
        items: payload.items,
        at: payload.transferredAt,
        atPath: "payload.transferredAt",
      },
      { site: "site", verb: "transferred to the state", place: "this site", time: "transfer" },
    );
    await assertKeyPartsSettled(view, payload.items, [], "transferred to the state");
    for (const [n, i] of payload.items.entries())
      if (found.get(key(i))?.alteredMarks && !i.remarking)
        throw new Problem(
          "rule.violated",
          `Item ${n + 1} has altered or erased markings: altered or erased markings force destruction or re-marking first.`,
          [{ path: `payload.items.${n}.remarking`, message: "altered markings, no re-marking recorded" }],
        );
    const numbers = payload.items.flatMap((i) => (i.registrationNumber ? [i.registrationNumber] : []));
    const taken = new Set(await view.registrationNumbersInUse(numbers));
    for (const [n, i] of payload.items.entries())
      if (i.registrationNumber && taken.has(i.registrationNumber))
        throw new Problem(
          "rule.violated",
          `Registration number ${i.registrationNumber} is already given to another item.`,
          [{ path: `payload.items.${n}.registrationNumber`, message: "already in use" }],
        );
    const batchId = payload.batchId ?? env.newId();
    return {
      type: "disposition.transferred_to_state",
      subjects: [
        { kind: "disposition", id: batchId },
        ...payload.items.map((i) => ({ kind: i.kind, id: i.id })),
      ],
      data: { ...payload, batchId, recordedBy: env.actor.userId },
    };
  },
});

export const deactivateItems = defineCommand({
  type: "disposition.deactivate",
  event: "disposition.deactivated",
  payload: deactivation,
  action: "disposition.deactivate",
  target: async (payload) => ({ siteId: payload.siteId }),
  async decide(payload, view, env) {
    await checkHeldItems(
      view,
      env.now,
      {
        siteId: payload.siteId,
        items: payload.items,
        at: payload.deactivatedAt,
        atPath: "payload.deactivatedAt",
      },
      { site: "site", verb: "deactivated", place: "this site", time: "deactivation" },
    );
    await assertKeyPartsSettled(view, payload.items, [], "deactivated");
    const batchId = payload.batchId ?? env.newId();
    return {
      type: "disposition.deactivated",
      subjects: [
        { kind: "disposition", id: batchId },
        ...payload.items.map((i) => ({ kind: i.kind, id: i.id })),
      ],
      data: { ...payload, batchId, recordedBy: env.actor.userId },
    };
  },
});

export const retainItems = defineCommand({
  type: "disposition.retain",
  event: "disposition.retained",
  payload: retention,
  action: "disposition.retain",
  target: async (payload) => ({ siteId: payload.siteId }),
  async decide(payload, view, env) {
    await checkHeldItems(
      view,
      env.now,
      { siteId: payload.siteId, items: payload.items, at: payload.retainedAt, atPath: "payload.retainedAt" },
      { site: "site", verb: "retained", place: "this site", time: "retention" },
    );
    const batchId = payload.batchId ?? env.newId();
    return {
      type: "disposition.retained",
      subjects: [{ kind: "disposition", id: batchId }, ...payload.items],
      data: { ...payload, batchId, recordedBy: env.actor.userId },
    };
  },
});
