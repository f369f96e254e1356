import { type Action, authorize, Problem } from "@armsledger/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type Account, actorOf, findAccountBySecret } from "../access/accounts.ts";
import type { Store } from "../store/database.ts";

export const SESSION_COOKIE = "al_session";

declare module "fastify" {
  interface FastifyContextConfig {
    /** What the route does, for the access policy; "public" routes need no sign-in. Required on every route. */
    action?: Action | "public";
  }
  interface FastifyRequest {
    account?: Account;
  }
}

function secretOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice(7).trim();
  return request.cookies?.[SESSION_COOKIE];
}

/** The signed-in account of a request; throws auth.required when there is none. */
export function accountOf(request: FastifyRequest): Account {
  if (!request.account)
    throw new Problem("auth.required", "Sign in, or send an API token in the Authorization header.");
  return request.account;
}

export function actorOfRequest(request: FastifyRequest) {
  return actorOf(accountOf(request));
}

/**
 * Deny by default: a route that names no action fails at start-up, and every request to a
 * non-public route must come from an account whose role the policy allows for that action.
 * Scope (sites, governorates) is checked where the record is known: in the write path and queries.
 */
/** What an account that must, but does not yet, have a second factor may still do. */
const UNTIL_SECOND_FACTOR = new Set<string>(["self.read", "totp.self"]);

export function installAccessControl(app: FastifyInstance, store: Store) {
  app.addHook("onRoute", (route) => {
    const action = (route.config as { action?: string } | undefined)?.action;
    if (!action && !route.url.startsWith("/api/docs") && route.url !== "/api/openapi.json")
      throw new Error(
        `route ${route.method} ${route.url} names no action: add config.action (deny by default)`,
      );
  });
  // onRequest: before the body is read, so an unauthenticated caller learns nothing from validation.
  app.addHook("onRequest", async (request) => {
    const action = request.routeOptions.config.action;
    const secret = secretOf(request);
    if (secret) request.account = await findAccountBySecret(store, secret);
    if (!action || action === "public") return;
    authorize(actorOfRequest(request), action);
    // A role that must use a second factor: until its account confirms one, it may only see
    // itself and set one up (its sessions from before the rule are held to this too).
    if (!UNTIL_SECOND_FACTOR.has(action) && accountOf(request).secondFactorMissing)
      throw new Problem(
        "auth.second-factor-required",
        "Your role must use an authenticator app: set one up (POST /api/v1/me/totp, then confirm it with a code) before going on.",
      );
  });
}
