import { Problem } from "../problems.ts";
import { reattachPart, separatePart } from "../records/custody.ts";
import { assertSerialNotPlaceholder } from "../rules/serial.ts";
import { defineCommand } from "./command.ts";
import { assertNotBeforeCustody } from "./custody.ts";
import { checkHeldItems } from "./disposition.ts";
import { assertNoStockCheckUnderWay } from "./stock-check.ts";

/**
 * A weapon's key part (bolt, slide…) taken off it to travel and be kept on its own: a weapon
 * without its bolt cannot fire, so programmes ship and store the two apart. The part becomes an
 * item of kind `key_part` with the same custody life as a weapon or a lot (dispatch, receipt,
 * store access, stock checks, disposition), and the weapon keeps the link to it.
 */
export const separateKeyPart = defineCommand({
  type: "weapon.separate_part",
  event: "weapon.part_separated",
  payload: separatePart,
  action: "weapon.separate_part",
  target: async (payload, view) => {
    const [weapon] = await view.findItems([{ kind: "weapon", id: payload.weaponId }]);
    return weapon ? { siteId: weapon.holderSiteId } : undefined;
  },
  async decide(payload, view, env) {
    // The part's own serial is held to the rule a weapon's is at handover (and a correction's).
    if (payload.serial) assertSerialNotPlaceholder(payload.serial, "payload.serial");
    const weaponRef = { kind: "weapon" as const, id: payload.weaponId };
    const [weapon] = await view.findItems([weaponRef]);
    if (!weapon)
      throw new Problem("reference.unknown", "There is no weapon with this id.", [
        { path: "payload.weaponId", message: "unknown weapon" },
      ]);
    // The weapon must be on the shelf of the site that holds it, as for any step of custody.
    await checkHeldItems(
      view,
      env.now,
      {
        siteId: weapon.holderSiteId,
        items: [weaponRef],
        at: payload.separatedAt,
        atPath: "payload.separatedAt",
      },
      { site: "site", verb: "taken apart", place: "its site", time: "separation" },
    );
    const parts = await view.findKeyParts([payload.weaponId]);
    // A part put back on the weapon may be taken off again (as a new item, with its own trail).
    if (parts.some((p) => p.part === payload.part && p.state !== "reattached" && payload.part !== "other"))
      throw new Problem(
        "rule.violated",
        `This weapon's ${payload.part.replaceAll("_", " ")} was already separated from it; follow that part's own trail.`,
        [{ path: "payload.part", message: "already separated" }],
      );
    const partId = payload.partId ?? env.newId();
    if ((await view.findItems([{ kind: "key_part", id: partId }])).length > 0)
      throw new Problem("rule.violated", "An item with this id exists already.", [
        { path: "payload.partId", message: "id in use" },
      ]);
    return {
      type: "weapon.part_separated",
      subjects: [weaponRef, { kind: "key_part", id: partId }],
      data: {
        ...payload,
        partId,
        // The part is held where the weapon is; the balance counts it under the part's name.
        siteId: weapon.holderSiteId,
        category: payload.part,
        recordedBy: env.actor.userId,
      },
    };
  },
});

/**
 * A loose key part put back on its weapon: both must be on the shelf of the same site (in
 * custody there, not in transit, out of the store, disposed of, or flagged by an open
 * discrepancy or investigation), so the reunion is done by those who hold both, with no stock
 * check under way. The part becomes `reattached`: it no longer moves on its own, the weapon
 * carries it, and the balance still counts it.
 */
export const reattachKeyPart = defineCommand({
  type: "weapon.reattach_part",
  event: "weapon.part_reattached",
  payload: reattachPart,
  action: "weapon.reattach_part",
  target: async (payload, view) => {
    const [part] = await view.findItems([{ kind: "key_part", id: payload.partId }]);
    return part ? { siteId: part.holderSiteId } : undefined;
  },
  async decide(payload, view, env) {
    const partRef = { kind: "key_part" as const, id: payload.partId };
    const [item] = await view.findItems([partRef]);
    const part = item && (await view.findKeyPart(payload.partId));
    if (!item || !part)
      throw new Problem("reference.unknown", "There is no loose key part with this id.", [
        { path: "payload.partId", message: "unknown key part" },
      ]);
    if (part.state === "reattached")
      throw new Problem("rule.violated", "This key part is back on its weapon already.", [
        { path: "payload.partId", message: "reattached" },
      ]);
    const weaponRef = { kind: "weapon" as const, id: part.weaponId };
    const [weapon] = await view.findItems([weaponRef]);
    const siteId = item.holderSiteId;
    for (const [what, x] of [
      ["key part", item],
      ["weapon", weapon],
    ] as const) {
      if (!x) throw new Error(`key part ${part.id}: no weapon ${part.weaponId}`);
      if (x.state !== "in_custody")
        throw new Problem(
          "rule.violated",
          `The ${what} is ${x.state.replaceAll("_", " ")}; a part is put back on its weapon only when both are in custody at the same site.`,
          [{ path: "payload.partId", message: `${what} ${x.state}` }],
        );
      if (x.holderSiteId !== siteId)
        throw new Problem(
          "rule.violated",
          "The weapon is held at another site than its part; bring the two together (dispatch and receipt) first.",
          [{ path: "payload.partId", message: "held apart" }],
        );
      if (x.flagged)
        throw new Problem(
          "rule.violated",
          `The ${what} is flagged by an open discrepancy or investigation; settle it before putting the part back.`,
          [{ path: "payload.partId", message: `${what} flagged` }],
        );
    }
    if (new Date(payload.reattachedAt) > new Date(env.now))
      throw new Problem("rule.violated", "The reattachment time is in the future.", [
        { path: "payload.reattachedAt", message: "in the future" },
      ]);
    await assertNoStockCheckUnderWay(view, siteId, "payload.partId");
    await assertNotBeforeCustody(
      view,
      [weaponRef, partRef],
      payload.reattachedAt,
      "payload.reattachedAt",
      "put back together",
    );
    return {
      type: "weapon.part_reattached",
      subjects: [weaponRef, partRef],
      data: {
        ...payload,
        weaponId: part.weaponId,
        part: part.part,
        siteId,
        recordedBy: env.actor.userId,
      },
    };
  },
});
