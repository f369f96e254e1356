import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { logRequestRead } from "../../access/read-audit.ts";
import { rosterComparison, rosterComparisonEntries } from "../../queries/rosters.ts";
import type { Store } from "../../store/database.ts";
import { actorOfRequest } from "../access.ts";

const counts = z.record(z.string(), z.number());

/** A group's roster against its registrations: counts for those who follow it, names for admin. */
export const rosterRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/groups/:id/roster-comparison",
      {
        config: { action: "roster.read" },
        schema: {
          tags: ["reintegration"],
          summary:
            "The group's latest roster against its registrations: share that turned up, registered on no list, entries for review, growth after the cut-off, spikes (counts only)",
          params: z.object({ id: z.uuid() }),
          response: {
            200: z.object({
              groupId: z.string(),
              groupCode: z.string(),
              version: z.number(),
              submittedOn: z.string(),
              entriesHash: z.string(),
              roster: z.object({
                entries: z.number(),
                registered: z.number(),
                review: z.number(),
                notRegistered: z.number(),
                registeredShare: z.number(),
                unreadable: z.number(),
              }),
              registrations: z.object({
                persons: z.number(),
                onList: z.number(),
                review: z.number(),
                notOnList: z.number(),
                notOnListShare: z.number(),
                listedByGroupNotOnList: z.number(),
                notOnListBySex: counts,
                notOnListByAgeGroup: counts,
                notOnListByGovernorate: counts,
                unreadable: z.number(),
              }),
              growth: z.object({
                cutOffDate: z.string().nullable(),
                spikeThreshold: z.number(),
                versions: z.array(
                  z.object({
                    version: z.number(),
                    submittedOn: z.string(),
                    afterCutOff: z.boolean(),
                    entries: z.number(),
                    added: z.number(),
                    removed: z.number(),
                    growth: z.number().nullable(),
                    spike: z.boolean(),
                  }),
                ),
                addedAfterCutOff: z.object({ entries: z.number(), share: z.number() }).nullable(),
                spikes: z.number(),
              }),
            }),
          },
        },
      },
      async (request) => rosterComparison(store, request.params.id),
    );

    app.get(
      "/api/v1/groups/:id/roster-comparison/entries",
      {
        config: { action: "roster.entries.read" },
        schema: {
          tags: ["reintegration"],
          summary:
            "Entry by entry (names): each roster entry's match among the group's registrations, with the name engine's explanation",
          params: z.object({ id: z.uuid() }),
          response: {
            200: z.object({
              groupId: z.string(),
              groupCode: z.string(),
              version: z.number(),
              submittedOn: z.string(),
              items: z.array(
                z.object({
                  position: z.number(),
                  memberNumber: z.string(),
                  name: z.record(z.string(), z.unknown()),
                  motherName: z.record(z.string(), z.unknown()).nullable(),
                  birthYear: z.number().nullable(),
                  sex: z.string().nullable(),
                  governorate: z.string().nullable(),
                  status: z.enum(["registered", "review", "not_registered"]),
                  /** Null when nothing matched, or the person is outside the reader's scope. */
                  personId: z.string().nullable(),
                  weight: z.number().nullable(),
                  explanation: z.array(
                    z.object({ field: z.string(), level: z.string(), weight: z.number(), text: z.string() }),
                  ),
                }),
              ),
              notOnList: z.object({ count: z.number(), personIds: z.array(z.string()) }),
              inReview: z.object({ count: z.number(), personIds: z.array(z.string()) }),
            }),
          },
        },
      },
      async (request) => {
        const answer = await rosterComparisonEntries(store, actorOfRequest(request), request.params.id);
        // The registered people it names (the roster's own entries are the group's list, not records).
        await logRequestRead(store, request, "person", [
          ...answer.items.flatMap((i) => (i.personId ? [i.personId] : [])),
          ...answer.notOnList.personIds,
          ...answer.inReview.personIds,
        ]);
        return answer;
      },
    );
  };
