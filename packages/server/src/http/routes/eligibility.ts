import { eligibilityHistoryView, eligibilityReportView } from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { logRequestRead } from "../../access/read-audit.ts";
import { eligibilityReport, getEligibilityHistory } from "../../queries/eligibility.ts";
import type { Store } from "../../store/database.ts";
import { actorOfRequest } from "../access.ts";

/** Screening and eligibility: one person's history (scoped, personal) and the aggregate report (counts only). */
export const eligibilityRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/persons/:id/eligibility",
      {
        config: { action: "person.read" },
        schema: {
          tags: ["people"],
          summary:
            "A person's eligibility now and the decisions behind it: handovers, screenings, appeals and revocations",
          params: z.object({ id: z.uuid() }),
          response: { 200: eligibilityHistoryView },
        },
      },
      async (request) => {
        const history = await getEligibilityHistory(store, actorOfRequest(request), request.params.id);
        await logRequestRead(store, request, "person", [request.params.id]);
        return history;
      },
    );

    app.get(
      "/api/v1/reports/eligibility",
      {
        config: { action: "report.eligibility" },
        schema: {
          tags: ["people"],
          summary:
            "Screened, eligible, ineligible by reason, appeals lodged/upheld/overturned and revoked, by group, governorate, sex and age group (counts only)",
          response: { 200: eligibilityReportView },
        },
      },
      async (request) => eligibilityReport(store, actorOfRequest(request)),
    );
  };
