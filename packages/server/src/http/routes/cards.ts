import { eq } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { logRequestRead } from "../../access/read-audit.ts";
import { renderCard } from "../../card/card-pdf.ts";
import { cardNumberOfParam, getCardPrintData, getCardStatus, listPersonCards } from "../../queries/card.ts";
import type { Store } from "../../store/database.ts";
import * as t from "../../store/schema.ts";
import { actorOfRequest } from "../access.ts";

// The number is checked by the handlers (cardNumberOfParam), so a mistyped one is answered with
// what to do about it rather than a generic validation error.
const params = z.object({ number: z.string().max(40) });

/** Demobilisation cards: the printable card and the status check. */
export const cardRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/cards/:number",
      {
        config: { action: "card.status" },
        schema: {
          tags: ["reintegration"],
          summary:
            "Whether a demobilisation card is valid (active) or void (revoked, replaced), and its dates; no personal data",
          params,
          querystring: z.object({
            check: z
              .string()
              .regex(/^[0-9a-f]{16}$/u, "the check value from the card's QR code: 16 hexadecimal digits")
              .optional()
              .describe("the check value read from the card's QR code, to tell a forged card"),
          }),
          response: {
            200: z.object({
              cardNumber: z.string(),
              status: z.enum(["active", "revoked", "replaced"]),
              valid: z.boolean(),
              issuedOn: z.string(),
              endedOn: z.string().nullable(),
              checkMatches: z.boolean().optional(),
            }),
          },
        },
      },
      async (request) => getCardStatus(store, cardNumberOfParam(request.params.number), request.query.check),
    );

    app.get(
      "/api/v1/cards/:number/pdf",
      {
        config: { action: "card.print" },
        schema: {
          tags: ["reintegration"],
          summary:
            "The printable demobilisation card (PDF, ID-1 size, with a QR code of its number); never the group",
          params,
          produces: ["application/pdf"],
        },
      },
      async (request, reply) => {
        const number = cardNumberOfParam(request.params.number);
        const data = await getCardPrintData(store, actorOfRequest(request), number);
        // The card prints the holder's name: a print of their record.
        const [card] = await store.db
          .select({ personId: t.demobilisationCards.personId })
          .from(t.demobilisationCards)
          .where(eq(t.demobilisationCards.number, data.cardNumber));
        if (card) await logRequestRead(store, request, "person", [card.personId]);
        const pdf = await renderCard(data);
        return reply
          .type("application/pdf")
          .header("content-disposition", `inline; filename="${data.cardNumber}.pdf"`)
          .header("cache-control", "no-store")
          .send(Buffer.from(pdf));
      },
    );

    app.get(
      "/api/v1/persons/:id/cards",
      {
        config: { action: "card.status" },
        schema: {
          tags: ["reintegration"],
          summary:
            "The demobilisation cards issued to a person, newest first: number, status, dates, what each replaced and why; scoped like the person",
          params: z.object({ id: z.uuid() }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  cardNumber: z.string(),
                  status: z.enum(["active", "revoked", "replaced"]),
                  issuedOn: z.string(),
                  endedOn: z.string().nullable(),
                  replaces: z.string().nullable(),
                  reissueReason: z.string().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const items = await listPersonCards(store, actorOfRequest(request), request.params.id);
        // Which cards a person holds is part of their record.
        await logRequestRead(store, request, "person", [request.params.id]);
        return { items };
      },
    );
  };
