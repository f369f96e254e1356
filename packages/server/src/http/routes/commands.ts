import { commandAnswer, commandDefinitions } from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Store } from "../../store/database.ts";
import { executeCommand } from "../../write-path/execute.ts";
import { actorOfRequest } from "../access.ts";

// Documented as one of the known commands; validated once, by the write path (so the API, the
// CLI importer and the offline queue get the same checks and the same messages).
const documentedBody = z.union(
  commandDefinitions.map((d) =>
    z.object({ commandId: z.uuid(), type: z.literal(d.type), payload: d.payload }),
  ) as unknown as [z.ZodType, z.ZodType],
);

export const commandRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/api/v1/commands",
      {
        config: { action: "command.submit" },
        schema: {
          tags: ["commands"],
          summary: "Submit a command (the one write path)",
          description:
            "Every change to the record is a command with a client-made UUID. Sending the same command again records nothing new and answers the same; the same id with other content is refused with 409.",
          body: documentedBody,
          response: { 200: commandAnswer },
        },
        validatorCompiler: () => (data) => ({ value: data }),
      },
      async (request) => executeCommand(store, request.body, actorOfRequest(request)),
    );
  };
