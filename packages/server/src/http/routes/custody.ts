import { discrepancyView, itemKinds, itemTrailView, listOf, transferView } from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  dispositionBalance,
  findItemByTag,
  getItemTrail,
  listDiscrepancies,
  listTransferItems,
  listTransfers,
} from "../../queries/custody.ts";
import type { Store } from "../../store/database.ts";
import { actorOfRequest } from "../access.ts";

const limit = z.coerce.number().int().min(1).max(1000).default(100);
const iso = (s: string | null) => (s ? new Date(s).toISOString() : null);

export const custodyRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/items/:kind/:id/trail",
      {
        config: { action: "item.trail" },
        schema: {
          tags: ["custody"],
          summary:
            "The full trail of a weapon item, ammunition lot or loose key part, from handover to disposition, each step with its ledger leaf",
          params: z.object({ kind: z.enum(itemKinds), id: z.uuid() }),
          response: {
            200: itemTrailView,
          },
        },
      },
      async (request) => getItemTrail(store, actorOfRequest(request), request.params.kind, request.params.id),
    );

    app.get(
      "/api/v1/items",
      {
        config: { action: "item.trail" },
        schema: {
          tags: ["custody"],
          summary:
            "The item a label names: a weapon or lot by its tag, a loose key part by its tag (W0000004-01/P1)",
          description:
            "What a scanner reads off a label (its QR code holds the tag) or an officer types. Scoped as the item's trail: 404 for a tag that names nothing within the reader's scope.",
          querystring: z.object({ tag: z.string().trim().min(1).max(80).toUpperCase() }),
          response: {
            200: z.object({
              kind: z.enum(itemKinds),
              id: z.uuid(),
              tag: z.string(),
              category: z.string(),
              state: z.string(),
              holderSiteId: z.uuid(),
            }),
          },
        },
      },
      async (request) => findItemByTag(store, actorOfRequest(request), request.query.tag),
    );

    const tally = z.record(z.string(), z.number());
    const quantity = z.object({ collected: z.number(), states: tally }).optional();
    app.get(
      "/api/v1/reports/disposition-balance",
      {
        config: { action: "report.balance" },
        schema: {
          tags: ["custody"],
          summary:
            "Collected = in custody + out of store + in transit + destroyed + transferred + deactivated + retained + lost under investigation + confirmed lost + stolen (+ reattached: loose key parts put back on their weapon), by kind (weapons; ammunition lots, with their quantity by unit; loose key parts by name), category, group and governorate",
          response: {
            200: z.object({
              balanced: z.boolean(),
              byCategory: z.array(
                z.object({
                  kind: z.string(),
                  category: z.string(),
                  unit: z.string().optional(),
                  collected: z.number(),
                  states: tally,
                  quantity,
                }),
              ),
              rows: z.array(
                z.object({
                  kind: z.string(),
                  category: z.string(),
                  unit: z.string().optional(),
                  group: z.string(),
                  governorate: z.string(),
                  collected: z.number(),
                  states: tally,
                  quantity,
                }),
              ),
              imbalances: z.array(
                z.object({
                  kind: z.string(),
                  category: z.string(),
                  group: z.string(),
                  governorate: z.string(),
                  collected: z.number(),
                  accountedFor: z.number(),
                  unit: z.string().optional(),
                  quantityCollected: z.number().optional(),
                  quantityAccountedFor: z.number().optional(),
                }),
              ),
            }),
          },
        },
      },
      async () => dispositionBalance(store),
    );

    app.get(
      "/api/v1/transfers",
      {
        config: { action: "transfer.read" },
        schema: {
          tags: ["custody"],
          summary: "Custody transfers, newest first",
          querystring: z.object({
            status: z.enum(["in_transit", "received", "received_with_discrepancies"]).optional(),
            limit,
          }),
          response: {
            200: listOf(transferView),
          },
        },
      },
      async (request) => ({
        items: (
          await listTransfers(store, actorOfRequest(request), request.query.status, request.query.limit)
        ).map((x) => ({
          ...x,
          seals: x.seals as string[],
          dispatchedAt: iso(x.dispatchedAt)!,
          receivedAt: iso(x.receivedAt),
        })),
      }),
    );

    app.get(
      "/api/v1/discrepancies",
      {
        config: { action: "transfer.read" },
        schema: {
          tags: ["custody"],
          summary: "Discrepancies between dispatch and receipt",
          querystring: z.object({ status: z.enum(["open", "resolved"]).optional(), limit }),
          response: {
            200: listOf(discrepancyView),
          },
        },
      },
      async (request) => ({
        items: await listDiscrepancies(
          store,
          actorOfRequest(request),
          request.query.status,
          request.query.limit,
        ),
      }),
    );

    app.get(
      "/api/v1/transfers/:id/items",
      {
        config: { action: "transfer.read" },
        schema: {
          tags: ["custody"],
          summary:
            "The items a transfer's manifest lists (kind, tag, category, serial or lot mark), for the receiving keeper to count against; no person",
          params: z.object({ id: z.uuid() }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  kind: z.enum(itemKinds),
                  id: z.string(),
                  tag: z.string().nullable(),
                  category: z.string(),
                  serial: z.string().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        items: await listTransferItems(store, actorOfRequest(request), request.params.id),
      }),
    );
  };
