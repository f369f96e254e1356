import { accountView, isProblem } from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  authenticate,
  closeSession,
  createApiToken,
  openSession,
  revokeApiToken,
  SESSION_HOURS,
} from "../../access/accounts.ts";
import { LoginThrottle } from "../../access/login-throttle.ts";
import type { Store } from "../../store/database.ts";
import { accountOf, SESSION_COOKIE } from "../access.ts";

/** Sign-ins allowed per client address per minute, whatever the account (password spraying). */
export const LOGIN_RATE_PER_MINUTE = 20;

export interface SignInLimits {
  throttle?: LoginThrottle | undefined;
  ratePerMinute?: number | undefined;
}

export const authRoutes =
  (
    store: Store,
    { throttle = new LoginThrottle(), ratePerMinute = LOGIN_RATE_PER_MINUTE }: SignInLimits = {},
  ): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/api/v1/auth/login",
      {
        config: { action: "public", rateLimit: { max: ratePerMinute, timeWindow: "1 minute" } },
        schema: {
          tags: ["access"],
          summary: "Sign in; sets an HTTP-only session cookie",
          body: z.strictObject({
            username: z.string().min(1).max(100),
            password: z.string().min(1).max(200),
          }),
          response: { 200: z.object({ account: accountView, expiresAt: z.string() }) },
        },
      },
      async (request, reply) => {
        const { username, password } = request.body;
        throttle.check(username);
        let account: Awaited<ReturnType<typeof authenticate>>;
        try {
          account = await authenticate(store, username, password);
        } catch (error) {
          if (isProblem(error) && error.code === "auth.invalid-credentials" && throttle.failed(username))
            request.log.warn(
              { event: "account.locked" },
              "an account was locked after repeated wrong passwords",
            );
          throw error;
        }
        throttle.succeeded(username);
        const session = await openSession(store, account);
        reply.setCookie(SESSION_COOKIE, session.token, {
          httpOnly: true,
          sameSite: "strict",
          secure: request.protocol === "https",
          path: "/",
          maxAge: SESSION_HOURS * 3600,
        });
        return { account, expiresAt: session.expiresAt };
      },
    );

    app.post(
      "/api/v1/auth/logout",
      {
        config: { action: "public" },
        schema: { tags: ["access"], summary: "Sign out", response: { 204: z.null() } },
      },
      async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token) await closeSession(store, token);
        reply.clearCookie(SESSION_COOKIE, { path: "/" });
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/v1/me",
      {
        config: { action: "self.read" },
        schema: { tags: ["access"], summary: "The signed-in account", response: { 200: accountView } },
      },
      async (request) => accountOf(request),
    );

    app.post(
      "/api/v1/tokens",
      {
        config: { action: "token.manage" },
        schema: {
          tags: ["access"],
          summary: "Create an API token for the signed-in account (shown once)",
          body: z.strictObject({
            name: z.string().trim().min(1).max(100),
            expiresInDays: z.int().min(1).max(3650).optional(),
          }),
          response: { 201: z.object({ id: z.string(), token: z.string() }) },
        },
      },
      async (request, reply) => {
        const created = await createApiToken(
          store,
          accountOf(request),
          request.body.name,
          request.body.expiresInDays,
        );
        return reply.code(201).send(created);
      },
    );

    app.delete(
      "/api/v1/tokens/:id",
      {
        config: { action: "token.manage" },
        schema: {
          tags: ["access"],
          summary: "Revoke one of your API tokens",
          params: z.object({ id: z.uuid() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await revokeApiToken(store, accountOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
