import { collectionProgressView } from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { collectionProgress } from "../../queries/collection-progress.ts";
import type { Store } from "../../store/database.ts";
import { actorOfRequest } from "../access.ts";

/** The programme dashboard's aggregates (the browser app's /dashboard). */
export const dashboardRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/reports/collection-progress",
      {
        config: { action: "report.collection" },
        schema: {
          tags: ["verification"],
          summary:
            "Declared against collected by group and weapon category, ammunition collected, and collection by day; collected figures within your scope",
          response: { 200: collectionProgressView },
        },
      },
      async (request) => collectionProgress(store, actorOfRequest(request)),
    );
  };
