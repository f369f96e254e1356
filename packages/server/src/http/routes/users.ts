import { accountView, listOf, role, scope } from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { createUser, listUsers } from "../../access/accounts.ts";
import type { Store } from "../../store/database.ts";

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
  };
