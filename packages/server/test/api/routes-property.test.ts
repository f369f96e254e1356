import { randomUUID } from "node:crypto";
import fc from "fast-check";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import { type Api, counts, expectClientProblem, type Route, registeredRoutes, startApi } from "./support.ts";

// Every route of the API, fed random path parameters, query strings, bodies and headers, as an
// administrator and as a registrar scoped to one site: the server answers with a decision, never a
// crash. A refusal is a problem+json and changes nothing stored (every table's row count and the
// ledger's size). property.test.ts goes deeper into POST /api/v1/commands alone.

const api: Api = await startApi({ seed: true });
afterAll(() => api?.close());

/** Who sends: an administrator (sees everything) and a registrar limited to site A. */
const senders = ["admin", "registrar"] as const;

/**
 * Every route but signing out (it would end the shared session the other requests use; the
 * route-by-role matrix in permissions.test.ts calls it with a session of its own).
 */
const routes: Route[] = registeredRoutes(api.app).filter((r) => r.url !== "/api/v1/auth/logout");

const doc = (await api.send("anonymous", { method: "GET", url: "/api/openapi.json" })).json() as {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string }[];
        requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
      }
    >
  >;
};

/** The documented query parameters and body fields of a route, so random values reach its validation. */
function documented(route: Route): { query: string[]; body: string[] } {
  const path = route.url.replace(/:(\w+)/gu, "{$1}");
  const operation = doc.paths[path]?.[(route.method === "HEAD" ? "GET" : route.method).toLowerCase()];
  const query = (operation?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
  const body = Object.keys(operation?.requestBody?.content?.["application/json"]?.schema?.properties ?? {});
  return { query, body };
}

/** Text as people, devices and attackers produce it. */
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({
    unit: fc.constantFrom(
      "م",
      "ـ",
      "\u0651",
      "a",
      "é",
      " ",
      "'",
      '"',
      "\\",
      "%",
      "\u0000",
      "\u202E",
      "\uD800",
      "😀",
      "<",
      "/",
      ".",
      "?",
      "#",
      "&",
      "=",
    ),
    maxLength: 20,
  }),
);

/** Numbers as text: huge, negative, fractional, not quite numbers. */
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.double().map(String),
  fc.constantFrom(
    "0",
    "-1",
    "1e309",
    "-0",
    "9007199254740993",
    "0x10",
    "1_000",
    "NaN",
    "Infinity",
    " 1",
    "1 ",
    "",
  ),
);

const dates = fc.constantFrom(
  "2026-02-30",
  "2026-01-01",
  "1900-01-01T00:00:00Z",
  "9999-12-31",
  "2026-13-01",
  "yesterday",
);

/** Ids the seeded store holds (so some requests reach past "not found"), and ones it does not. */
function idValues() {
  const s = api.seed;
  return fc.oneof(
    fc.constantFrom(
      s.personA,
      s.personB,
      s.handoverA,
      s.handoverB,
      s.groupId,
      s.siteA,
      s.siteB,
      s.weaponA,
      s.weaponB,
    ),
    fc.uuid(),
    fc.constantFrom("weapon", "ammunition", "key_part", "person", "00000000-0000-0000-0000-000000000000"),
  );
}

const value = () =>
  fc.oneof(idValues(), text, numberText, dates, fc.constantFrom("true", "false", "null", "[]", "{}"));

/** A path segment: encoded as a client would, or raw bytes a client should not send but may. */
const segment = () =>
  fc.oneof(
    { weight: 4, arbitrary: value().map(encodeSegment) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("%", "%zz", "%00", "%C0%AE", "..", "%2e%2e", "%E0%A4%A", "%FF%FE", ";", "~"),
    },
  );

function encodeSegment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    // A lone surrogate: send its UTF-8 replacement, percent-encoded.
    return [...Buffer.from(s, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
  }
}

/** A query string: the route's own keys and random ones, single values and repeated (arrays). */
function queryString(keys: string[]) {
  const key = keys.length > 0 ? fc.oneof(fc.constantFrom(...keys), text) : text;
  return fc
    .array(
      fc.tuple(
        key,
        fc.oneof(
          value().map((v) => [v]),
          fc.array(value(), { minLength: 2, maxLength: 3 }),
        ),
      ),
      {
        maxLength: 4,
      },
    )
    .map((pairs) => {
      const params = new URLSearchParams();
      for (const [k, vs] of pairs) for (const v of vs) params.append(k.toWellFormed(), v.toWellFormed());
      return params.toString();
    });
}

/** Any JSON, or an object with the route's own fields holding random values. */
function jsonBody(keys: string[]) {
  const field = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    value(),
    fc.double(),
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((n) => Number(n)),
    fc.array(value(), { maxLength: 3 }),
  );
  return fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    keys.length > 0
      ? fc.dictionary(fc.constantFrom(...keys), field, { maxKeys: keys.length }).map((o) => JSON.stringify(o))
      : fc.constant("{}"),
    fc.string({ maxLength: 40 }),
  );
}

const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});

/** Headers a client might add: a content type, an accept, a passphrase, a forwarded-for, junk. */
const extraHeaders = fc.dictionary(
  fc.constantFrom(
    "content-type",
    "accept",
    "accept-language",
    "x-export-passphrase",
    "x-forwarded-for",
    "if-none-match",
    "range",
    "x-request-id",
    "x-random",
    "x-break-glass-reason",
  ),
  fc.oneof(
    headerText,
    fc.constantFrom(
      "application/json",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "*/*",
      "bytes=0-1,5-2",
    ),
  ),
  { maxKeys: 3 },
);

interface Sent {
  who: (typeof senders)[number];
  url: string;
  body?: string | Buffer | undefined;
  headers: Record<string, string>;
}

function requestFor(route: Route) {
  const { query, body } = documented(route);
  const hasBody = !["GET", "HEAD"].includes(route.method);
  const params = [...route.url.matchAll(/:\w+|\*$/gu)];
  return fc
    .record({
      who: fc.constantFrom(...senders),
      segments: fc.tuple(...params.map(() => segment()), fc.constant("")),
      query: fc.option(queryString(query), { nil: undefined }),
      body: hasBody ? fc.option(jsonBody(body), { nil: undefined }) : fc.constant(undefined),
      headers: extraHeaders,
    })
    .map(({ who, segments, query: q, body: b, headers }): Sent => {
      let i = 0;
      // printRoutes shows the web app's "/*" as a bare "*" (its "/" is the shared prefix): without
      // the "/" an empty segment made an empty URL, which light-my-request cannot send.
      const declared = route.url.startsWith("/") ? route.url : `/${route.url}`;
      const path = declared.replace(/:\w+|\*$/gu, () => segments[i++] ?? "x");
      return { who, url: q ? `${path}?${q}` : path, body: b, headers };
    });
}

async function decides(route: Route, sent: Sent): Promise<LightMyRequestResponse> {
  const before = await counts(api.store);
  const request: InjectOptions = {
    method: route.method as never,
    url: sent.url,
    headers: {
      ...(sent.body !== undefined ? { "content-type": "application/json" } : {}),
      ...sent.headers,
    },
    ...(sent.body !== undefined ? { payload: sent.body } : {}),
  };
  const res = await api.send(sent.who, request);
  const label = `${route.method} ${sent.url} as ${sent.who}: ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, label).toBeLessThan(500);
  if (res.statusCode >= 400) {
    if (route.method !== "HEAD") expectClientProblem(res);
    expect(await counts(api.store), label).toEqual(before);
  }
  return res;
}

const RUNS_PER_ROUTE = 6;

describe("random requests to every route", () => {
  it("finds the routes", () => {
    expect(routes.length).toBeGreaterThan(100);
    expect(routes.some((r) => r.method === "PUT")).toBe(true);
  });

  it("sends every route a path from the root, never an empty URL", () => {
    // light-my-request reads an empty URL as none at all and throws before the server sees it.
    for (const route of routes)
      fc.assert(
        fc.property(requestFor(route), (sent) => {
          expect(sent.url, `${route.method} ${route.url}`).toMatch(/^\//u);
        }),
        { numRuns: 200 },
      );
  });

  it.each(routes.map((r) => [`${r.method} ${r.url}`, r] as const))("%s decides", async (_label, route) => {
    await fc.assert(
      fc.asyncProperty(requestFor(route), (sent) => decides(route, sent).then(() => undefined)),
      { numRuns: route.method === "HEAD" ? 1 : RUNS_PER_ROUTE },
    );
  });
});

describe("bodies no client should send, to every route that takes one", () => {
  const withBody = routes.filter((r) => !["GET", "HEAD"].includes(r.method));
  const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
  const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
  const bodies: [string, string | Buffer, string][] = [
    ["deeply nested arrays", nested(20_000), "application/json"],
    ["deeply nested objects", nestedObject(5_000), "application/json"],
    ["a huge string", JSON.stringify({ name: "x".repeat(2_000_000) }), "application/json"],
    ["a huge number", `{"limit": 1${"0".repeat(400)}, "amount": -1e400}`, "application/json"],
    [
      "a prototype pollution attempt",
      '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}',
      "application/json",
    ],
    ["truncated JSON", '{"commandId": "', "application/json"],
    ["JSON sent as text", '{"a":1}', "text/plain"],
    ["a form", "a=1&b=2", "application/x-www-form-urlencoded"],
    [
      "invalid UTF-8",
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
      "application/json; charset=utf-8",
    ],
  ];

  it.each(withBody.map((r) => [`${r.method} ${r.url}`, r] as const))("%s decides", async (_label, route) => {
    for (const who of senders)
      for (const [, body, type] of bodies) {
        const url = route.url.replace(/:\w+/gu, () => randomUUID()).replace(/\*$/u, "x");
        await decides(route, { who, url, body, headers: { "content-type": type } });
      }
  });
});
