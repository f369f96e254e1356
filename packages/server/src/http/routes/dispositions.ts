import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { renderDestructionCertificate } from "../../documents/destruction-certificate.ts";
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
  };
