import { Problem } from "@armsledger/core";
import cookie from "@fastify/cookie";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { z } from "zod";
import type { Store } from "../store/database.ts";
import { installAccessControl } from "./access.ts";
import { sendProblem, toProblem } from "./problem.ts";
import { authRoutes, type SignInLimits } from "./routes/auth.ts";
import { cardRoutes } from "./routes/cards.ts";
import { commandRoutes } from "./routes/commands.ts";
import { custodyRoutes } from "./routes/custody.ts";
import { cacheRoutes } from "./routes/custody-caches.ts";
import { custodyStoreRoutes } from "./routes/custody-stores.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import { dispositionRoutes } from "./routes/dispositions.ts";
import { duplicateReviewRoutes } from "./routes/duplicate-reviews.ts";
import { eligibilityRoutes } from "./routes/eligibility.ts";
import { fileRoutes } from "./routes/files.ts";
import { type LedgerTrust, logRoutes } from "./routes/log.ts";
import { pathwayRoutes } from "./routes/pathways.ts";
import { paymentRoutes } from "./routes/payments.ts";
import { publicRoutes, webAppRoutes } from "./routes/public.ts";
import { receiptRoutes } from "./routes/receipts.ts";
import { recordRoutes } from "./routes/records.ts";
import { retentionRoutes } from "./routes/retention.ts";
import { rosterRoutes } from "./routes/rosters.ts";
import { userRoutes } from "./routes/users.ts";
import { installSecurity } from "./security.ts";

export interface AppOptions {
  store: Store;
  /** pino options or false; logs never carry request bodies (they hold personal data). */
  logger?: boolean | object;
  /** The log's public key and witness policy, to report whether checkpoints are witnessed. */
  ledger?: LedgerTrust | undefined;
  /** Sign-in limits: the account lock (tests pass their own clock) and sign-ins per address per minute. */
  signIn?: SignInLimits | undefined;
  /** Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For gives the client's address. */
  trustProxy?: string[] | undefined;
}

/** A command carries items and officers, not photos (those are uploaded apart): 512 KiB is ample. */
export const BODY_LIMIT = 512 * 1024;

/** The error's class and codes along its cause chain, and nothing of its content. */
function describeFailure(error: unknown): string[] {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++)
    parts.push(
      `${(e as Error).name ?? "Error"}${(e as { code?: string }).code ? `(${(e as { code?: string }).code})` : ""}`,
    );
  return parts;
}

export async function buildApp({
  store,
  logger = false,
  ledger,
  signIn,
  trustProxy,
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      logger === true
        ? {
            redact: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]'],
            // The path alone: query strings carry names searched for and reasons for breaking the glass.
            serializers: {
              req: (req: { method: string; url: string; ip?: string }) => ({
                method: req.method,
                url: req.url.split("?")[0],
                remoteAddress: req.ip,
              }),
            },
          }
        : logger,
    bodyLimit: BODY_LIMIT,
    ...(trustProxy && trustProxy.length > 0 ? { trustProxy } : {}),
    // Our own catalogue answers every error, including the ones Fastify raises.
    return503OnClosing: true,
    // Errors the router raises before any route runs (a path that does not decode) go around the
    // error handler: answered from the same catalogue, as a problem.
    frameworkErrors: (error, request, reply) => sendProblem(reply, request, toProblem(error)),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    // Never the error's message: a failed query's message carries its parameters, i.e. personal data.
    if (problem.status >= 500) request.log.error({ failure: describeFailure(error) }, "request failed");
    return sendProblem(reply, request, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      request,
      new Problem(
        "resource.not-found",
        `There is nothing at ${request.method} ${request.url.split("?")[0]}.`,
      ),
    ),
  );

  await app.register(cookie);
  await installSecurity(app);
  await app.register(swagger, {
    openapi: {
      info: {
        title: "ArmsLedger API",
        version: "1",
        description:
          "Every change is a command sent to POST /api/v1/commands. Errors are RFC 9457 problem+json with a stable `code`.",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "al_session" },
          token: { type: "http", scheme: "bearer" },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });
  installAccessControl(app, store);

  app.get("/api/openapi.json", { config: { action: "public" }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  app.get(
    "/healthz",
    {
      config: { action: "public" },
      schema: { hide: true, response: { 200: z.object({ status: z.literal("ok"), database: z.string() }) } },
    },
    async () => {
      await store.db.execute("select 1");
      return { status: "ok" as const, database: store.kind };
    },
  );

  await app.register(authRoutes(store, signIn));
  await app.register(commandRoutes(store));
  await app.register(custodyRoutes(store));
  await app.register(custodyStoreRoutes(store));
  await app.register(cacheRoutes(store));
  await app.register(recordRoutes(store));
  await app.register(retentionRoutes(store));
  await app.register(logRoutes(store, ledger));
  await app.register(receiptRoutes(store));
  await app.register(dispositionRoutes(store));
  await app.register(userRoutes(store));
  // Screening and eligibility.
  await app.register(eligibilityRoutes(store));
  await app.register(pathwayRoutes(store));
  await app.register(duplicateReviewRoutes(store));
  await app.register(publicRoutes(store));
  // payments
  await app.register(paymentRoutes(store));
  // Demobilisation cards (cards slice).
  await app.register(cardRoutes(store));
  // Group rosters.
  await app.register(rosterRoutes(store));
  // The programme dashboard (issue 6).
  await app.register(dashboardRoutes(store));
  // Photos and the offline queue's key (issue 6).
  await app.register(fileRoutes(store));
  // Last: the browser app answers only the GET paths no route above claims.
  await app.register(webAppRoutes());
  return app;
}
