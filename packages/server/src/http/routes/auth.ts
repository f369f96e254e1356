import { accountView, isProblem, Problem } from "@armsledger/core";
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
import {
  confirmTotp,
  hasConfirmedFactor,
  removeTotp,
  startTotpEnrolment,
  totpStatus,
  useTotpCode,
} from "../../access/totp.ts";
import type { Store } from "../../store/database.ts";
import { accountOf, SESSION_COOKIE } from "../access.ts";

/** Sign-ins allowed per client address per minute, whatever the account (password spraying). */
export const LOGIN_RATE_PER_MINUTE = 20;

export interface SignInLimits {
  throttle?: LoginThrottle | undefined;
  ratePerMinute?: number | undefined;
  /** The clock one-time codes are checked against (tests pass their own). */
  now?: (() => number) | undefined;
}

/** A one-time code as authenticator apps show it (spaces, as some apps group the digits, allowed). */
const totpCode = z
  .string()
  .transform((s) => s.replace(/\s/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "six digits"));

export const authRoutes =
  (
    store: Store,
    {
      throttle = new LoginThrottle(),
      ratePerMinute = LOGIN_RATE_PER_MINUTE,
      now = Date.now,
    }: SignInLimits = {},
  ): FastifyPluginAsyncZod =>
  async (app) => {
    /**
     * A wrong one-time code counts as a failed sign-in of the account, wherever it is typed
     * (sign-in, confirming, disabling): guessing codes with a stolen password or session meets
     * the same lock as guessing passwords.
     */
    const checkCode = async (
      request: { log: { warn: (o: object, m: string) => void } },
      username: string,
      check: () => Promise<void>,
    ) => {
      throttle.check(username);
      try {
        await check();
      } catch (error) {
        if (isProblem(error) && error.code === "auth.code-invalid" && throttle.failed(username))
          request.log.warn({ event: "account.locked" }, "an account was locked after repeated wrong codes");
        throw error;
      }
    };

    app.post(
      "/api/v1/auth/login",
      {
        config: { action: "public", rateLimit: { max: ratePerMinute, timeWindow: "1 minute" } },
        schema: {
          tags: ["access"],
          summary: "Sign in; sets an HTTP-only session cookie",
          description:
            "An account with an authenticator app (second factor) sends its current six-digit `code` with the password; without it the answer is `auth.code-required`. Wrong codes count towards the account's lock.",
          body: z.strictObject({
            username: z.string().min(1).max(100),
            password: z.string().min(1).max(200),
            code: totpCode.optional(),
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
        if (await hasConfirmedFactor(store, account.id)) {
          const { code } = request.body;
          // The password was right: say a code is needed (not a failure; the client asks for it).
          if (code === undefined)
            throw new Problem(
              "auth.code-required",
              "This account uses an authenticator app: send the six-digit code it shows with the password.",
              [{ path: "code", message: "required" }],
            );
          await checkCode(request, username, () => useTotpCode(store, account.id, code, now()));
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

    const totpStatusView = z.object({ enrolled: z.boolean(), pending: z.boolean(), required: z.boolean() });

    app.get(
      "/api/v1/me/totp",
      {
        config: { action: "totp.self" },
        schema: {
          tags: ["access"],
          summary:
            "Whether your account has an authenticator app (second factor), and whether your role needs one",
          response: { 200: totpStatusView },
        },
      },
      async (request) => totpStatus(store, accountOf(request)),
    );

    app.post(
      "/api/v1/me/totp",
      {
        config: { action: "totp.self" },
        schema: {
          tags: ["access"],
          summary: "Start setting up an authenticator app: answers its secret and otpauth:// URI, this once",
          description:
            "Sign-in asks for codes only after POST /api/v1/me/totp/confirm. Starting again replaces an unconfirmed secret; a confirmed one must be disabled first.",
          response: { 201: z.object({ secret: z.string(), uri: z.string() }) },
        },
      },
      async (request, reply) => {
        reply.header("cache-control", "no-store");
        return reply.code(201).send(await startTotpEnrolment(store, accountOf(request)));
      },
    );

    app.post(
      "/api/v1/me/totp/confirm",
      {
        config: { action: "totp.self" },
        schema: {
          tags: ["access"],
          summary: "Confirm the authenticator app with its current code; from now on sign-in asks for a code",
          body: z.strictObject({ code: totpCode }),
          response: { 200: totpStatusView },
        },
      },
      async (request) => {
        const account = accountOf(request);
        await checkCode(request, account.username, () =>
          confirmTotp(store, account, request.body.code, now()),
        );
        return totpStatus(store, account);
      },
    );

    app.post(
      "/api/v1/me/totp/disable",
      {
        config: { action: "totp.self" },
        schema: {
          tags: ["access"],
          summary: "Remove your authenticator app, with one of its current codes",
          body: z.strictObject({ code: totpCode }),
          response: { 200: totpStatusView },
        },
      },
      async (request) => {
        const account = accountOf(request);
        await checkCode(request, account.username, () =>
          useTotpCode(store, account.id, request.body.code, now()),
        );
        await removeTotp(store, account.id);
        return totpStatus(store, account);
      },
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
