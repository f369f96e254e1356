import { Problem } from "@armsledger/core";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";

/**
 * The browser app is served from this server and loads nothing from elsewhere (no CDN, no map
 * tiles: DESIGN.md), so the policy allows only this origin. Photos taken in the browser are
 * shown from blob: and data: URLs. No page may frame ours (clickjacking of a sign-off).
 */
export const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:", "blob:"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", "blob:"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // Field laptops may reach a site server over plain HTTP on a local network; helmet's default
  // "upgrade-insecure-requests" would then send the app's own scripts to an https that is not there.
  upgradeInsecureRequests: null,
};

// The API documentation page (Swagger UI) needs inline styles and its own initialiser script.
const { upgradeInsecureRequests: _, ...servedPolicy } = contentSecurityPolicy;
const docsPolicy = {
  ...servedPolicy,
  styleSrc: ["'self'", "'unsafe-inline'"],
  scriptSrc: ["'self'", "'unsafe-inline'"],
};

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Cross-site request forgery: a session cookie is sent by the browser whoever made the page, so
 * a state-changing request must come from our own pages. The cookie is SameSite=Strict already;
 * as a second, independent defence (OWASP's "Fetch Metadata" and "verify origin" checks), a
 * request whose Sec-Fetch-Site or Origin names another site is refused. Requests carrying a
 * bearer token are exempt (no ambient authority), and so are clients that send neither header
 * (the CLI, scripts): browsers always send at least one on a cross-site POST.
 */
export function assertSameSite(request: FastifyRequest): void {
  if (!UNSAFE_METHODS.has(request.method)) return;
  if (request.headers.authorization?.startsWith("Bearer ")) return;
  const site = request.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") throw crossSite();
  const origin = request.headers.origin;
  if (origin === undefined) return;
  if (!isOwnOrigin(origin, request.host)) throw crossSite();
}

const DEFAULT_PORTS: Record<string, string> = { "http:": "80", "https:": "443" };

// A browser omits the port from Host when it is the default for the page's scheme, and so does
// the Origin header; "localhost:80" and "http://localhost" are the same place.
function isOwnOrigin(origin: string, host: string): boolean {
  try {
    const from = new URL(origin);
    const to = new URL(`${from.protocol}//${host}`);
    const port = (url: URL) => url.port || DEFAULT_PORTS[url.protocol] || "";
    return from.hostname === to.hostname && port(from) === port(to);
  } catch {
    return false; // "null" (a sandboxed or opaque origin) or garbage
  }
}

const crossSite = () =>
  new Problem(
    "request.cross-site",
    "This request came from a page of another web site, so it was refused. Use ArmsLedger's own pages.",
  );

/** Rate limits per route are declared with config.rateLimit; answers are problem+json with Retry-After. */
export async function installSecurity(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { directives: contentSecurityPolicy },
    // Receipts and certificates open in a new tab from the app; they are same-origin anyway.
    crossOriginEmbedderPolicy: false,
  });
  app.addHook("onRequest", async (request, reply) => {
    if (request.url.startsWith("/api/docs"))
      reply.header(
        "content-security-policy",
        Object.entries(docsPolicy)
          .map(([k, v]) => `${k.replace(/[A-Z]/gu, (c) => `-${c.toLowerCase()}`)} ${v.join(" ")}`)
          .join("; "),
      );
    assertSameSite(request);
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new Problem(
        "request.rate-limited",
        `Too many requests from your address. Wait ${context.after}, then try again.`,
        [],
        context.ttl / 1000,
      ),
  });
}
