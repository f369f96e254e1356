import { accountView, listOf, role, scope } from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { createUser, disableUser, listUsers, revokeAccess } from "../../access/accounts.ts";
import { listTotpRequiredRoles, resetTotp, setTotpRequiredRoles } from "../../access/totp.ts";
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
    app.post(
      "/api/v1/users/:id/totp/reset",
      {
        config: { action: "user.manage" },
        schema: {
          tags: ["access"],
          summary:
            "Remove an account's authenticator app (a lost phone): it signs in with its password alone again",
          params: z.object({ id: z.uuid() }),
          response: { 200: z.object({ removed: z.boolean() }) },
        },
      },
      async (request) => resetTotp(store, request.params.id),
    );
    const requiredRoles = z.object({ roles: z.array(role) });
    app.get(
      "/api/v1/totp/required-roles",
      {
        config: { action: "user.manage" },
        schema: {
          tags: ["access"],
          summary: "The roles whose accounts must use an authenticator app",
          response: { 200: requiredRoles },
        },
      },
      async () => ({ roles: await listTotpRequiredRoles(store) }),
    );
    app.put(
      "/api/v1/totp/required-roles",
      {
        config: { action: "user.manage" },
        schema: {
          tags: ["access"],
          summary: "Set the roles whose accounts must use an authenticator app",
          description:
            "An account of such a role without a confirmed app may then only read its own account and set up an app (`auth.second-factor-required` elsewhere).",
          body: z.strictObject({ roles: z.array(role).max(20) }),
          response: { 200: requiredRoles },
        },
      },
      async (request) => ({
        roles: await setTotpRequiredRoles(store, accountOf(request), request.body.roles),
      }),
    );
  };
