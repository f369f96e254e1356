import { Problem } from "../problems.ts";
import { programmeConfig } from "../records/programme.ts";
import { defineCommand } from "./command.ts";

export const configureProgramme = defineCommand({
  type: "programme.configure",
  event: "programme.configured",
  payload: programmeConfig,
  action: "programme.configure",
  target: async () => undefined,
  async decide(payload, view) {
    for (const [i, cap] of payload.caps.entries())
      if (!(await view.findGroup(cap.groupId)))
        throw new Problem("reference.unknown", `Cap ${i + 1} names a group that is not registered.`, [
          { path: `payload.caps.${i}.groupId`, message: "unknown group" },
        ]);
    return {
      type: "programme.configured",
      subjects: [{ kind: "programme", id: "programme" }],
      data: { ...payload },
    };
  },
});
