import { itemKinds, itemStates } from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  listInvestigations,
  listStockChecks,
  listStoreAccess,
  stockCheckSchedule,
} from "../../queries/custody.ts";
import { listSiteItems } from "../../queries/site-items.ts";
import type { Store } from "../../store/database.ts";
import { actorOfRequest } from "../access.ts";

const limit = z.coerce.number().int().min(1).max(1000).default(100);
const flag = z.enum(["true", "false"]).transform((v) => v === "true");

/** Stores: the access log (removals and returns), stock checks and loss investigations. */
export const custodyStoreRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/store-access",
      {
        config: { action: "store.read" },
        schema: {
          tags: ["custody"],
          summary:
            "The store access log: every removal from a store and its return, newest first (who took the items is personal and not shown)",
          querystring: z.object({ siteId: z.uuid().optional(), open: flag.optional(), limit }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  siteId: z.string(),
                  purpose: z.string(),
                  removedAt: z.string(),
                  dueBack: z.string().nullable(),
                  authorisedBy: z.string(),
                  removedSeq: z.number(),
                  status: z.string(),
                  itemCount: z.number(),
                  returnedCount: z.number(),
                  lastReturnedAt: z.string().nullable(),
                  items: z.array(
                    z.object({
                      kind: z.string(),
                      id: z.string(),
                      returnedAt: z.string().nullable(),
                      returnSeq: z.number().nullable(),
                    }),
                  ),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        items: await listStoreAccess(
          store,
          actorOfRequest(request),
          { siteId: request.query.siteId, open: request.query.open },
          request.query.limit,
        ),
      }),
    );

    app.get(
      "/api/v1/stock-checks",
      {
        config: { action: "stock_check.read" },
        schema: {
          tags: ["custody"],
          summary:
            "Stock checks, newest first: the stock expected, the seed and the sample the system drew, and the findings once recorded",
          querystring: z.object({
            siteId: z.uuid().optional(),
            status: z.enum(["open", "completed"]).optional(),
            limit,
          }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  siteId: z.string(),
                  kind: z.string(),
                  status: z.string(),
                  startedAt: z.string(),
                  startSeq: z.number(),
                  seed: z.string(),
                  expectedCount: z.number(),
                  expectedCounts: z.record(z.string(), z.number()),
                  outOfStore: z.number(),
                  sample: z.array(z.object({ kind: z.string(), id: z.string() })),
                  completedAt: z.string().nullable(),
                  recordSeq: z.number().nullable(),
                  counts: z
                    .array(z.object({ kind: z.string(), category: z.string(), count: z.number() }))
                    .nullable(),
                  findings: z.array(z.record(z.string(), z.unknown())).nullable(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        items: await listStockChecks(
          store,
          actorOfRequest(request),
          { siteId: request.query.siteId, status: request.query.status },
          request.query.limit,
        ),
      }),
    );

    app.get(
      "/api/v1/stock-checks/schedule",
      {
        config: { action: "stock_check.read" },
        schema: {
          tags: ["custody"],
          summary:
            "Each depot's last weekly and full stock checks and when the next are due; overdue=true lists only the depots with a check overdue",
          querystring: z.object({
            overdue: flag.optional(),
            asOf: z.iso.datetime({ offset: true }).optional(),
          }),
          response: {
            200: z.object({
              asOf: z.string(),
              items: z.array(
                z.object({
                  siteId: z.string(),
                  code: z.string(),
                  lastCheck: z.string().nullable(),
                  lastFullCheck: z.string().nullable(),
                  weeklyDue: z.string(),
                  fullDue: z.string(),
                  weeklyOverdue: z.boolean(),
                  fullOverdue: z.boolean(),
                  checkUnderWay: z.string().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const asOf = request.query.asOf ? new Date(request.query.asOf) : new Date();
        const schedule = await stockCheckSchedule(store, actorOfRequest(request), asOf);
        return {
          asOf: asOf.toISOString(),
          items: request.query.overdue ? schedule.filter((s) => s.weeklyOverdue || s.fullOverdue) : schedule,
        };
      },
    );

    app.get(
      "/api/v1/investigations",
      {
        config: { action: "investigation.read" },
        schema: {
          tags: ["custody"],
          summary:
            "Loss investigations opened by stock-check shortfalls, sampled weapons not found and items missing at receipt, with status and outcome",
          querystring: z.object({
            siteId: z.uuid().optional(),
            status: z.enum(["open", "under_investigation", "closed"]).optional(),
            limit,
          }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  siteId: z.string(),
                  origin: z.string(),
                  originId: z.string(),
                  reason: z.string(),
                  itemKind: z.string().nullable(),
                  itemId: z.string().nullable(),
                  category: z.string().nullable(),
                  quantity: z.number().nullable(),
                  status: z.string(),
                  outcome: z.string().nullable(),
                  openedAt: z.string(),
                  openedSeq: z.number(),
                  updatedSeq: z.number(),
                  closedAt: z.string().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        items: await listInvestigations(
          store,
          actorOfRequest(request),
          { siteId: request.query.siteId, status: request.query.status },
          request.query.limit,
        ),
      }),
    );

    app.get(
      "/api/v1/sites/:id/items",
      {
        config: { action: "store.read" },
        schema: {
          tags: ["custody"],
          summary:
            "The items a site holds (in custody on its shelves unless another state is asked for): weapons, ammunition lots and loose key parts, each by tag, for picking a manifest, a batch or a count",
          params: z.object({ id: z.uuid() }),
          querystring: z.object({
            state: z.enum(itemStates).default("in_custody"),
            kind: z.enum(itemKinds).optional(),
            limit: z.coerce.number().int().min(1).max(2000).default(500),
          }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  kind: z.enum(itemKinds),
                  id: z.string(),
                  tag: z.string().nullable(),
                  category: z.string(),
                  serial: z.string().nullable(),
                  state: z.string(),
                  flagged: z.boolean(),
                  location: z.unknown(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        items: await listSiteItems(
          store,
          actorOfRequest(request),
          request.params.id,
          { state: request.query.state, kind: request.query.kind },
          request.query.limit,
        ),
      }),
    );
  };
