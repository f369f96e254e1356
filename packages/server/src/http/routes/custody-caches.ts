import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { getCacheSource, listCaches } from "../../queries/custody-caches.ts";
import type { Store } from "../../store/database.ts";
import { actorOfRequest } from "../access.ts";

const limit = z.coerce.number().int().min(1).max(1000).default(100);

/** Cache reports: by status for everyone who follows them; the protected source for the few who need it. */
export const cacheRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/caches",
      {
        config: { action: "cache.read" },
        schema: {
          tags: ["custody"],
          summary:
            "Cache reports by status (reported, verified, cleared, residue_handed_over); no source, no exact location",
          querystring: z.object({
            status: z.enum(["reported", "verified", "cleared", "residue_handed_over"]).optional(),
            governorate: z.string().optional(),
            limit,
          }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  governorate: z.string(),
                  groupId: z.string().nullable(),
                  declaredContents: z.array(
                    z.object({ kind: z.string(), category: z.string(), count: z.number() }),
                  ),
                  status: z.string(),
                  reportedAt: z.string(),
                  reportSeq: z.number(),
                  verifiedAt: z.string().nullable(),
                  clearedAt: z.string().nullable(),
                  residueReason: z.string().nullable(),
                  /** The extraction operations (handover.record from the cache), oldest first. */
                  extractions: z.array(
                    z.object({
                      handoverId: z.string(),
                      reference: z.string(),
                      seq: z.number(),
                      siteId: z.string(),
                      extractedAt: z.string(),
                    }),
                  ),
                  /** Declared against extracted by kind and category (ammunition: lots, quantity by unit). */
                  reconciliation: z.array(
                    z.object({
                      kind: z.string(),
                      category: z.string(),
                      declared: z.number(),
                      extracted: z.number(),
                      difference: z.number(),
                      quantity: z.record(z.string(), z.number()).optional(),
                    }),
                  ),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        items: await listCaches(
          store,
          actorOfRequest(request),
          { status: request.query.status, governorate: request.query.governorate },
          request.query.limit,
        ),
      }),
    );

    app.get(
      "/api/v1/caches/:id/source",
      {
        config: { action: "cache.source.read" },
        schema: {
          tags: ["custody"],
          summary: "The protected part of a cache report: its source and exact location",
          params: z.object({ id: z.uuid() }),
          response: {
            200: z.object({ id: z.string(), source: z.unknown(), location: z.unknown() }),
          },
        },
      },
      async (request) => getCacheSource(store, actorOfRequest(request), request.params.id),
    );
  };
