import { accountView, listOf, role, scope } from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { createUser, disableUser, listUsers, revokeAccess } from "../../access/accounts.ts";
import type { Store } from "../../store/database.ts";
import { accountOf } from "../access.ts";

export const userRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/users",
      {
        config: { action: "user.manage" },
        schema: { tags: ["access"], summary: "User accounts", response: { 200: listOf(accountView) } },
      },
      async () => ({ items: await listUsers(store) }),
    );
    app.post(
      "/api/v1/users",
      {
        config: { action: "user.manage" },
        schema: {
          tags: ["access"],
          summary: "Create a user account",
          body: z.strictObject({
            username: z.string(),
            displayName: z.string(),
            password: z.string(),
            role,
            scope: scope.optional(),
          }),
          response: { 201: accountView },
        },
      },
      async (request, reply) => reply.code(201).send(await createUser(store, request.body)),
    );
    app.post(
      "/api/v1/users/:id/revoke-access",
      {
        config: { action: "user.manage" },
        schema: {
          tags: ["access"],
          summary: "End every session and API token of an account now (it may sign in again)",
          params: z.object({ id: z.uuid() }),
          response: { 200: z.object({ sessions: z.int(), tokens: z.int() }) },
        },
      },
      async (request) => revokeAccess(store, request.params.id),
    );
    app.post(
      "/api/v1/users/:id/disable",
      {
        config: { action: "user.manage" },
        schema: {
          tags: ["access"],
          summary: "Disable an account: it can no longer sign in, and its sessions and tokens end now",
          params: z.object({ id: z.uuid() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await disableUser(store, accountOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
