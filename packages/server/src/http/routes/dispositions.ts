import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { renderDestructionCertificate } from "../../documents/destruction-certificate.ts";
import { listDispositions } from "../../queries/custody.ts";
import { getDestructionCertificateData } from "../../queries/disposition-certificate.ts";
import type { Store } from "../../store/database.ts";
import { actorOfRequest } from "../access.ts";

export const dispositionRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/dispositions/:id/certificate.pdf",
      {
        config: { action: "disposition.certificate" },
        schema: {
          tags: ["custody"],
          summary:
            "The item-level certificate of a destruction batch (PDF, with a QR code of its ledger leaf)",
          params: z.object({ id: z.uuid() }),
          produces: ["application/pdf"],
        },
      },
      async (request, reply) => {
        const data = await getDestructionCertificateData(store, actorOfRequest(request), request.params.id);
        const pdf = await renderDestructionCertificate(data);
        return reply
          .type("application/pdf")
          .header("content-disposition", `inline; filename="destruction-certificate-${data.batchId}.pdf"`)
          .header("cache-control", "no-store")
          .send(Buffer.from(pdf));
      },
    );

    app.get(
      "/api/v1/dispositions",
      {
        config: { action: "disposition.certificate" },
        schema: {
          tags: ["custody"],
          summary:
            "Disposition batches at your sites, newest first: kind, site, method (or standard, or purpose), when, how many items, independent witnesses, ledger leaf; no one named",
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(1000).default(100),
          }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  kind: z.string(),
                  siteId: z.string(),
                  method: z.string().nullable(),
                  at: z.string(),
                  itemCount: z.number(),
                  independentWitnesses: z.number(),
                  seq: z.number(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        items: await listDispositions(store, actorOfRequest(request), request.query.limit),
      }),
    );
  };
