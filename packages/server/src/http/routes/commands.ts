import { commandAnswer, commandDefinitions, Problem, syncAnswer } from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Store } from "../../store/database.ts";
import { executeCommand, executeSync } from "../../write-path/execute.ts";
import { parseOrProblem } from "../../write-path/zod-problem.ts";
import { actorOfRequest } from "../access.ts";
import { problemBody, toProblem } from "../problem.ts";

// Documented as one of the known commands; validated once, by the write path (so the API, the
// CLI importer and the offline queue get the same checks and the same messages).
const documentedBody = z.union(
  commandDefinitions.map((d) =>
    z.object({ commandId: z.uuid(), type: z.literal(d.type), payload: d.payload }),
  ) as unknown as [z.ZodType, z.ZodType],
);

/** Commands per sync request: a day or two of one laptop's queue; more go in further requests. */
export const SYNC_MAX_COMMANDS = 500;
/** 500 commands of up to 16 KiB each (a handover of many items); the single-command limit is 512 KiB. */
export const SYNC_BODY_LIMIT = 8 * 1024 * 1024;

// Only the envelope of the batch is checked here: each command is checked by the write path on
// its own, so that one bad command is answered alone and does not refuse the others.
const syncBody = z.object({ commands: z.array(z.unknown()).min(1).max(SYNC_MAX_COMMANDS) });

/** A thrown error that is the command's fault (4xx) is answered for that command; others abort. */
function refusalOf(error: unknown): Problem | undefined {
  const problem = toProblem(error);
  return problem.status < 500 ? problem : undefined;
}

function commandIdOf(raw: unknown): string | null {
  const id = (raw as { commandId?: unknown } | null)?.commandId;
  return typeof id === "string" ? id : null;
}

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

    app.post(
      "/api/v1/commands/sync",
      {
        // The same door as a single command: each command's own action and scope decide.
        config: { action: "command.submit" },
        bodyLimit: SYNC_BODY_LIMIT,
        schema: {
          tags: ["commands"],
          summary: "Send a queue of commands (offline sync)",
          description: `Up to ${SYNC_MAX_COMMANDS} commands, in the order they were made, each answered on its own: \`recorded\` with the command's answer (a command already recorded answers as it did then), or \`refused\` with its problem (the same codes and statuses as POST /api/v1/commands, e.g. 409 for an id used with other content). A refused command does not stop the others: fix it and send it again. Sending the same queue again records nothing new and answers the same. 503/507 for the whole request mean nothing after the last answered command was recorded: send the queue again.`,
          body: z.object({ commands: z.array(documentedBody).max(SYNC_MAX_COMMANDS) }),
          response: { 200: syncAnswer },
        },
        validatorCompiler: () => (data) => ({ value: data }),
      },
      async (request) => {
        const { commands } = parseOrProblem(syncBody, request.body, "", "The sync request");
        const outcomes = await executeSync(store, commands, actorOfRequest(request), {
          refusal: refusalOf,
        });
        return {
          results: outcomes.map((outcome, i) =>
            outcome instanceof Problem
              ? {
                  commandId: commandIdOf(commands[i]),
                  outcome: "refused" as const,
                  problem: problemBody(outcome),
                }
              : { commandId: outcome.commandId, outcome: "recorded" as const, answer: outcome },
          ),
        };
      },
    );
  };
