import { Problem } from "../problems.ts";
import { separatePart } from "../records/custody.ts";
import { defineCommand } from "./command.ts";
import { checkHeldItems } from "./disposition.ts";

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
    if (parts.some((p) => p.part === payload.part && payload.part !== "other"))
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
