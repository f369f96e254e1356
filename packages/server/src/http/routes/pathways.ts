import { pathwayKinds } from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { logRequestRead } from "../../access/read-audit.ts";
import {
  getGroupStatusHistory,
  listFollowUps,
  listPersonPathways,
  pathwayOutcomeReport,
} from "../../queries/pathways.ts";
import type { Store } from "../../store/database.ts";
import { actorOfRequest } from "../access.ts";

const limit = z.coerce.number().int().min(1).max(1000).default(100);
const flag = z.enum(["true", "false"]).transform((v) => v === "true");
const idParam = z.object({ id: z.uuid() });
const day = z.string();
const nullableDay = z.string().nullable();

const outcomes = z.object({
  offered: z.number(),
  accepted: z.number(),
  declined: z.number(),
  refusedAtVetting: z.number(),
  placed: z.number().describe("placements recorded: an offer or an acceptance is not a placement"),
  left: z.number(),
  stillPlaced: z.number(),
  stillPlacedAtLastFollowUp: z.number(),
});

const breakdown = z.array(outcomes.extend({ key: z.string() }));

const decision = {
  seq: z.number(),
  fromStatus: z.string(),
  status: z.string(),
  reference: z.string(),
  decidedBy: z.string(),
  decidedOn: day,
  reason: z.string().nullable(),
};
const bilingual = z.object({ ar: z.string(), en: z.string() });

/** Pathways per person, follow-ups due, the outcome report and a group's status history. */
export const pathwayRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/persons/:id/pathways",
      {
        config: { action: "pathway.read" },
        schema: {
          tags: ["people"],
          summary: "A person's pathways (offered, accepted, placed, left: each with its day) and follow-ups",
          params: idParam,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  personId: z.string(),
                  kind: z.string(),
                  state: z.string(),
                  active: z.boolean(),
                  groupId: z.string().nullable(),
                  offer: z.record(z.string(), z.unknown()),
                  force: z.string().nullable(),
                  unit: z.string().nullable(),
                  vetting: z.string(),
                  vettingReference: z.string().nullable(),
                  vettedOn: nullableDay,
                  offeredOn: day,
                  respondedOn: nullableDay,
                  declineReason: z.string().nullable(),
                  placedOn: nullableDay,
                  serviceNumber: z.string().nullable(),
                  membershipNumber: z.string().nullable(),
                  placement: z.string().nullable(),
                  leftOn: nullableDay,
                  leftReason: z.string().nullable(),
                  followUpSchedule: z.array(day),
                  followUpsDone: z.number(),
                  nextFollowUpDue: nullableDay,
                  lastFollowUpOn: nullableDay,
                  lastFollowUpStatus: z.string().nullable(),
                  offeredSeq: z.number(),
                  updatedSeq: z.number(),
                  followUps: z.array(
                    z.object({
                      seq: z.number(),
                      followedUpOn: day,
                      due: nullableDay,
                      status: z.string(),
                      note: z.string().nullable(),
                    }),
                  ),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const items = await listPersonPathways(store, actorOfRequest(request), request.params.id);
        await logRequestRead(store, request, "person", [request.params.id]);
        return { items };
      },
    );

    app.get(
      "/api/v1/pathways/follow-ups",
      {
        config: { action: "pathway.read" },
        schema: {
          tags: ["people"],
          summary:
            "Placements with a follow-up due, soonest first, within your scope; overdue=true lists only those past their day",
          querystring: z.object({
            overdue: flag.optional(),
            asOf: z.iso.date().optional(),
            limit,
          }),
          response: {
            200: z.object({
              asOf: day,
              items: z.array(
                z.object({
                  pathwayId: z.string(),
                  personId: z.string(),
                  kind: z.string(),
                  siteId: z.string(),
                  governorate: z.string(),
                  placedOn: day,
                  nextFollowUpDue: day,
                  followUpsDone: z.number(),
                  followUpsScheduled: z.number(),
                  lastFollowUpOn: nullableDay,
                  lastFollowUpStatus: z.string().nullable(),
                  overdue: z.boolean(),
                  daysOverdue: z.number(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const asOf = request.query.asOf ?? new Date().toISOString().slice(0, 10);
        const items = await listFollowUps(store, actorOfRequest(request), {
          overdue: request.query.overdue ?? false,
          asOf,
          limit: request.query.limit,
        });
        await logRequestRead(
          store,
          request,
          "person",
          items.map((i) => i.personId),
        );
        return { asOf, items: items.map(({ followUpSchedule: _s, ...i }) => i) };
      },
    );

    app.get(
      "/api/v1/reports/pathways",
      {
        config: { action: "report.pathways" },
        schema: {
          tags: ["reports"],
          summary:
            "Pathway outcomes in aggregate (offered, accepted, declined, placed, left, still placed at the last follow-up) by kind, group, governorate, sex and age group",
          querystring: z.object({ kind: z.enum(pathwayKinds).optional() }),
          response: {
            200: z.object({
              totals: outcomes,
              by: z.object({
                kind: breakdown,
                group: breakdown,
                governorate: breakdown,
                sex: breakdown,
                ageGroup: breakdown,
              }),
            }),
          },
        },
      },
      async (request) => pathwayOutcomeReport(store, { kind: request.query.kind }),
    );

    app.get(
      "/api/v1/groups/:id/status-history",
      {
        config: { action: "group.read" },
        schema: {
          tags: ["records"],
          summary: "A group's status over time and the decisions on the party it became",
          params: idParam,
          response: {
            200: z.object({
              groupId: z.string(),
              status: z.string(),
              statusDecidedOn: nullableDay,
              party: z.object({ status: z.string(), on: nullableDay, name: bilingual.nullable() }).nullable(),
              history: z.array(z.object(decision)),
              partyHistory: z.array(z.object({ ...decision, name: bilingual.nullable() })),
            }),
          },
        },
      },
      async (request) => getGroupStatusHistory(store, request.params.id),
    );
  };
