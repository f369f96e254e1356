import { retentionReportView } from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { retentionDay, retentionReport } from "../../retention/due.ts";
import type { Store } from "../../store/database.ts";

/** What the programme's retention policy makes due (read only; `armsledger retention apply` purges it). */
export const retentionRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/retention",
      {
        config: { action: "retention.read" },
        schema: {
          tags: ["people"],
          summary:
            "The programme's retention policy (months per record type) and how many records of each type are due on a day; counts only",
          description:
            "Retention of people's data (not of weapons: that is a disposition). Read only: nothing is purged. `asOf` defaults to today (UTC). `armsledger retention apply` purges what is due, with a reason, logged (docs/security.md, Retention).",
          querystring: z.object({ asOf: z.string().optional() }),
          response: { 200: retentionReportView },
        },
      },
      async (request) => retentionReport(store, retentionDay(request.query.asOf)),
    );
  };
