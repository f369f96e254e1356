import { Problem } from "../problems.ts";
import { site } from "../records/site.ts";
import { defineCommand } from "./command.ts";

export const registerSite = defineCommand({
  type: "site.register",
  event: "site.registered",
  payload: site,
  action: "site.register",
  target: async () => undefined,
  async decide(payload, view, env) {
    if (await view.siteCodeInUse(payload.code))
      throw new Problem("rule.violated", `The site code ${payload.code} is taken; choose another.`, [
        { path: "payload.code", message: "code in use" },
      ]);
    const siteId = payload.siteId ?? env.newId();
    if (await view.findSite(siteId))
      throw new Problem("rule.violated", "A site with this id exists already.", [
        { path: "payload.siteId", message: "id in use" },
      ]);
    return {
      type: "site.registered",
      subjects: [{ kind: "site", id: siteId }],
      data: { ...payload, siteId },
    };
  },
});
