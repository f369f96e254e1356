import { eq } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { logRequestRead } from "../../access/read-audit.ts";
import { getReceiptData } from "../../queries/receipt.ts";
import { renderReceiptPdf } from "../../receipt/receipt-pdf.ts";
import type { Store } from "../../store/database.ts";
import * as t from "../../store/schema.ts";
import { actorOfRequest } from "../access.ts";

export const receiptRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/handovers/:id/receipt.pdf",
      {
        config: { action: "receipt.print" },
        schema: {
          tags: ["collection"],
          summary: "The printable receipt of a handover (PDF, with a QR code of its ledger leaf)",
          params: z.object({ id: z.uuid() }),
          produces: ["application/pdf"],
        },
      },
      async (request, reply) => {
        const data = await getReceiptData(store, actorOfRequest(request), request.params.id);
        // The receipt prints the person's name: a print of their record.
        const [handover] = await store.db
          .select({ personId: t.handovers.personId })
          .from(t.handovers)
          .where(eq(t.handovers.id, request.params.id));
        if (handover?.personId) await logRequestRead(store, request, "person", [handover.personId]);
        const pdf = await renderReceiptPdf(data);
        return reply
          .type("application/pdf")
          .header("content-disposition", `inline; filename="${data.receiptNumber}.pdf"`)
          .header("cache-control", "no-store")
          .send(Buffer.from(pdf));
      },
    );
  };
