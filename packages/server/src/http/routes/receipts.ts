import { eq } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { logRequestRead } from "../../access/read-audit.ts";
import { getKeyPartLabelData } from "../../queries/key-part-label.ts";
import { getReceiptData } from "../../queries/receipt.ts";
import { getHandover } from "../../queries/records.ts";
import { labelSizes, renderLabelsPdf } from "../../receipt/labels-pdf.ts";
import { renderReceiptPdf } from "../../receipt/receipt-pdf.ts";
import type { Store } from "../../store/database.ts";
import * as t from "../../store/schema.ts";
import { actorOfRequest } from "../access.ts";

/** The label roll to print on (labels-pdf.ts labelSizes). */
const labelSize = z.object({
  size: z
    .enum(Object.keys(labelSizes) as [keyof typeof labelSizes, ...(keyof typeof labelSizes)[]])
    .default("62x29"),
});

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

    app.get(
      "/api/v1/handovers/:id/labels.pdf",
      {
        // Printed at the same table, by the same people, as the receipt.
        config: { action: "receipt.print" },
        schema: {
          tags: ["collection"],
          summary: "Labels for the items of a handover (PDF, one label per page, tag and QR code)",
          description:
            "Sized for common label printers: 62x29 mm (Brother DK-11209, the default), 89x36 mm (Dymo 99012), 101x51 mm (4 x 2 in thermal). The QR code holds the item's tag. Labels name no person.",
          params: z.object({ id: z.uuid() }),
          querystring: labelSize,
          produces: ["application/pdf"],
        },
      },
      async (request, reply) => {
        const h = await getHandover(store, actorOfRequest(request), request.params.id);
        const optional = (s: string | null) => s ?? undefined;
        const pdf = await renderLabelsPdf(
          {
            receiptNumber: h.receiptNumber,
            handedAt: new Date(h.handedAt).toISOString(),
            weapons: h.weapons.map((w) => ({
              tag: w.tag,
              category: w.category,
              make: optional(w.make),
              model: optional(w.model),
              calibre: optional(w.calibre),
              serial: optional(w.serial),
              noReadableSerial: w.noReadableSerial,
            })),
            ammunition: h.ammunition,
          },
          request.query.size,
        );
        return reply
          .type("application/pdf")
          .header("content-disposition", `inline; filename="labels-${h.receiptNumber}.pdf"`)
          .header("cache-control", "no-store")
          .send(Buffer.from(pdf));
      },
    );

    app.get(
      "/api/v1/key-parts/:id/label.pdf",
      {
        config: { action: "key_part.label" },
        schema: {
          tags: ["custody"],
          summary: "The label of a loose key part (PDF: its tag and QR code, its name, its weapon's tag)",
          description:
            "The tag is the weapon's tag and the part's number among the parts taken off it (W0000004-01/P1); the QR code holds it. Same roll sizes as the handover labels. Names no person.",
          params: z.object({ id: z.uuid() }),
          querystring: labelSize,
          produces: ["application/pdf"],
        },
      },
      async (request, reply) => {
        const data = await getKeyPartLabelData(store, actorOfRequest(request), request.params.id);
        const pdf = await renderLabelsPdf(data, request.query.size);
        const file = data.keyParts![0]!.tag.replace("/", "-");
        return reply
          .type("application/pdf")
          .header("content-disposition", `inline; filename="label-${file}.pdf"`)
          .header("cache-control", "no-store")
          .send(Buffer.from(pdf));
      },
    );
  };
