import { duplicateReviewView, listOf, personSearchHit } from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { logRequestRead } from "../../access/read-audit.ts";
import { listDuplicateReviews, searchPersons } from "../../queries/duplicate-reviews.ts";
import type { Store } from "../../store/database.ts";
import { actorOfRequest } from "../access.ts";

const limit = z.coerce.number().int().min(1).max(1000).default(100);

/** duplicate review (issue 5): the review queue and name search. Decisions are commands. */
export const duplicateReviewRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/duplicate-reviews",
      {
        config: { action: "duplicate.read" },
        schema: {
          tags: ["people"],
          summary:
            "Registrations held for duplicate review, each beside the registrations it resembles, with the per-field explanation (decide with duplicate.merge or duplicate.dismiss)",
          querystring: z.object({ status: z.enum(["pending", "merged", "dismissed"]).optional(), limit }),
          response: { 200: listOf(duplicateReviewView) },
        },
      },
      async (request) => {
        const items = await listDuplicateReviews(store, actorOfRequest(request), request.query);
        // Both records of each review are shown side by side: a read of each.
        await logRequestRead(
          store,
          request,
          "person",
          items.flatMap((i) => [i.personId, ...i.matches.flatMap((m) => (m.person ? [m.person.id] : []))]),
        );
        return { items };
      },
    );

    app.get(
      "/api/v1/persons/search",
      {
        config: { action: "person.read" },
        schema: {
          tags: ["people"],
          summary:
            "People by name, in any spelling and either script (Arabic or Latin letters), within your scope",
          querystring: z.object({
            q: z.string().min(1, "give a name to search for").max(200, "must be at most 200 characters"),
            limit: z.coerce.number().int().min(1).max(100).default(20),
          }),
          response: { 200: listOf(personSearchHit) },
        },
      },
      async (request) => {
        const items = await searchPersons(
          store,
          actorOfRequest(request),
          request.query.q,
          request.query.limit,
        );
        // Every person a search shows is logged as read (the query itself is a name: not kept).
        await logRequestRead(
          store,
          request,
          "person",
          items.map((i) => i.person.id),
        );
        return { items };
      },
    );
  };
