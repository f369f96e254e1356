import {
  accessAlertView,
  accessLogEntryView,
  anomalyView,
  eventView,
  groupView,
  handoverView,
  listOf,
  personView,
  serialKey,
  siteView,
  weaponView,
} from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  accessHistory,
  BREAK_GLASS_HEADER,
  BREAK_GLASS_MIN,
  breakGlassAlerts,
  breakGlassReason,
  checkPurpose,
  logRequestRead,
  refuseReasonInUrl,
} from "../../access/read-audit.ts";
import * as q from "../../queries/records.ts";
import type { Store } from "../../store/database.ts";
import { actorOfRequest } from "../access.ts";

const iso = (s: string) => new Date(s).toISOString();
const limit = z.coerce.number().int().min(1).max(1000).default(100);
const idParam = z.object({ id: z.uuid() });

export const recordRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/programme",
      {
        config: { action: "programme.read" },
        schema: {
          tags: ["records"],
          summary: "The programme's rules",
          response: {
            200: z.object({
              config: z.record(z.string(), z.unknown()).nullable(),
              configuredSeq: z.number().nullable(),
            }),
          },
        },
      },
      async () => (await q.findProgramme(store)) ?? { config: null, configuredSeq: null },
    );

    app.get(
      "/api/v1/sites",
      {
        config: { action: "site.read" },
        schema: {
          tags: ["records"],
          summary: "Collection sites, depots and destruction sites",
          response: { 200: listOf(siteView) },
        },
      },
      async () => ({ items: await q.listSites(store) }),
    );

    app.get(
      "/api/v1/groups",
      {
        config: { action: "group.read" },
        schema: { tags: ["records"], summary: "Armed groups", response: { 200: listOf(groupView) } },
      },
      async () => ({ items: (await q.listGroups(store)) as z.input<typeof groupView>[] }),
    );

    app.get(
      "/api/v1/groups/:id",
      {
        config: { action: "group.read" },
        schema: {
          tags: ["records"],
          summary: "An armed group and its declarations",
          params: idParam,
          response: { 200: groupView },
        },
      },
      async (request) => (await q.getGroup(store, request.params.id)) as z.input<typeof groupView>,
    );

    app.get(
      "/api/v1/persons",
      {
        config: { action: "person.read" },
        schema: {
          tags: ["people"],
          summary: "People registered, within your scope",
          querystring: z.object({ siteId: z.uuid().optional(), after: z.uuid().optional(), limit }),
          response: { 200: listOf(personView) },
        },
      },
      async (request) => {
        const items = await q.listPersons(store, actorOfRequest(request), request.query);
        await logRequestRead(
          store,
          request,
          "person",
          items.map((p) => p.id),
        );
        return { items: items as z.input<typeof personView>[] };
      },
    );

    app.get(
      "/api/v1/persons/:id",
      {
        config: { action: "person.read" },
        schema: {
          tags: ["people"],
          summary: "A person's record",
          description: `A record outside your scope answers 404, unless you break the glass: the header \`${BREAK_GLASS_HEADER}\` states why you must read it (percent-encoded UTF-8, at least ${BREAK_GLASS_MIN} characters once decoded). The read is then logged with the reason and flagged, and the administrators see it in GET /api/v1/access-alerts. A reason in the query string (\`breakGlass\`) is refused (\`request.reason-in-url\`): proxies and access logs keep URLs.`,
          params: idParam,
          // Declared only so a reason sent the old way can be refused by name.
          querystring: z.object({ breakGlass: z.string().optional() }),
          headers: z.object({ [BREAK_GLASS_HEADER]: z.string().max(6000).optional() }),
          response: { 200: personView },
        },
      },
      async (request) => {
        const actor = actorOfRequest(request);
        refuseReasonInUrl(request.query.breakGlass);
        const breakGlass = breakGlassReason(request.headers[BREAK_GLASS_HEADER]);
        if (breakGlass === undefined) {
          const person = await q.getPerson(store, actor, request.params.id);
          await logRequestRead(store, request, "person", [person.id]);
          return person as z.input<typeof personView>;
        }
        // The reason is checked before the record is looked up, so a refusal says nothing of
        // whether the person exists.
        const reason = checkPurpose(breakGlass, "Reading a record outside your scope", {
          min: BREAK_GLASS_MIN,
          path: BREAK_GLASS_HEADER,
        });
        const { person, outsideScope } = await q.getPersonBreakingGlass(store, actor, request.params.id);
        // Within scope no glass is broken: an ordinary read, with the reason given kept as its purpose.
        await logRequestRead(store, request, "person", [person.id], {
          purpose: reason,
          breakGlass: outsideScope,
        });
        if (outsideScope)
          request.log.warn(
            { event: "access.break-glass" },
            "a person's record was read outside the reader's scope",
          );
        return person as z.input<typeof personView>;
      },
    );

    app.get(
      "/api/v1/access-alerts",
      {
        config: { action: "access.alerts" },
        schema: {
          tags: ["people"],
          summary:
            "Reads of people's records outside the reader's scope (break the glass): who, whom, when, why; newest first",
          description:
            "Showing the alerts names the people read, so it is itself logged as a read of each of them.",
          querystring: z.object({ before: z.coerce.number().int().min(1).optional(), limit }),
          response: { 200: listOf(accessAlertView) },
        },
      },
      async (request) => {
        const items = await breakGlassAlerts(store, request.query);
        await logRequestRead(
          store,
          request,
          "person",
          items.filter((a) => a.subjectKind === "person").map((a) => a.subjectId),
        );
        return { items };
      },
    );

    app.get(
      "/api/v1/persons/:id/access-history",
      {
        config: { action: "person.access_history" },
        schema: {
          tags: ["people"],
          summary: "Who read this person's record: every view, print, search result and export, newest first",
          description:
            "Bulk exports of every person (no subject) appear in everyone's history. Reading the history is itself logged.",
          params: idParam,
          querystring: z.object({ before: z.coerce.number().int().min(1).optional(), limit }),
          response: { 200: listOf(accessLogEntryView) },
        },
      },
      async (request) => {
        // The person must exist and be in the reader's scope, like any read of them.
        const person = await q.getPerson(store, actorOfRequest(request), request.params.id);
        const items = await accessHistory(store, "person", person.id, request.query);
        await logRequestRead(store, request, "person", [person.id]);
        return { items };
      },
    );

    app.get(
      "/api/v1/handovers/:id",
      {
        config: { action: "handover.read" },
        schema: {
          tags: ["collection"],
          summary: "A handover and its items",
          params: idParam,
          response: { 200: handoverView },
        },
      },
      async (request) => {
        const h = await q.getHandover(store, actorOfRequest(request), request.params.id);
        return { ...h, handedAt: iso(h.handedAt) };
      },
    );

    app.get(
      "/api/v1/weapons",
      {
        config: { action: "weapon.read" },
        schema: {
          tags: ["collection"],
          summary: "Weapon items, by tag or by make + model + serial",
          querystring: z.object({
            tag: z.string().max(64).optional(),
            make: z.string().max(100).optional(),
            model: z.string().max(100).optional(),
            serial: z.string().max(64).optional(),
            limit,
          }),
          response: { 200: listOf(weaponView) },
        },
      },
      async (request) => {
        const { tag, make, model, serial } = request.query;
        const items = await q.listWeapons(store, actorOfRequest(request), {
          tag,
          serialKey: serial ? serialKey(make, model, serial) : undefined,
          limit: request.query.limit,
        });
        return { items };
      },
    );

    app.get(
      "/api/v1/anomalies",
      {
        config: { action: "anomaly.read" },
        schema: {
          tags: ["verification"],
          summary: "Anomalies to look at",
          querystring: z.object({ limit }),
          response: { 200: listOf(anomalyView) },
        },
      },
      async (request) => ({
        items: await q.listAnomalies(store, actorOfRequest(request), request.query.limit),
      }),
    );

    app.get(
      "/api/v1/events",
      {
        config: { action: "event.read" },
        schema: {
          tags: ["ledger"],
          summary: "Ledger entries (public parts only) after a leaf index",
          querystring: z.object({ after: z.coerce.number().int().min(-1).default(-1), limit }),
          response: { 200: listOf(eventView) },
        },
      },
      async (request) => ({
        items: (await q.listEvents(store, request.query.after, request.query.limit)).map((e) => ({
          ...e,
          recordedAt: iso(e.recordedAt),
        })),
      }),
    );
  };
