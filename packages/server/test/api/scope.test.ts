import { randomUUID } from "node:crypto";
import { type Role, roles } from "@armsledger/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handoverPayload, personPayload, rifle } from "../support/fixtures.ts";
import { type Api, registeredRoutes, startApi } from "./support.ts";

// The scope matrix "including counts and errors" (issue 7): a user of any role scoped to site A
// gets lists, counts, totals and reports that include nothing from site B, and errors that do
// not tell B's records from records that do not exist.
//
// Counts: every list, report and search is read by each A-scoped account, then records are added
// at site B only, and everything is read again: an A-scoped answer that moved would be counting
// B. (The same reads by an unscoped administrator must move, or the fixture proved nothing.)

let api: Api;
/** Session cookies of accounts of every role, each scoped to site A alone. */
const scopedToA = new Map<Role, Record<string, string>>();

beforeAll(async () => {
  api = await startApi({ seed: true });
  for (const role of roles) {
    const { cookie } = await api.addUser(`${role}.a`, role, { sites: [api.seed.siteA], governorates: "all" });
    scopedToA.set(role, { cookie });
  }
}, 120_000);
afterAll(() => api?.close());

/**
 * Reads whose answer does not depend on who asks by design: the public ledger and its proofs,
 * public figures, the API's own description, health, the reader's own account. Everything else
 * without a path parameter is a list, report or search.
 */
const notScoped = [
  /^\/api\/docs/u,
  /^\/api\/openapi\.json$/u,
  /^\/healthz$/u,
  /^\/log\//u,
  /^\/api\/v1\/ledger\//u,
  /^\/api\/v1\/public\//u,
  /^\/api\/v1\/me(\/|$)/u,
  /^\/api\/v1\/events$/u,
  /^\*$/u,
  // The disposition balance reconciles the whole ledger with the projections (that is what
  // "balanced" means); its figures are the public handover leaves' (weapons and site are public),
  // which anyone holding the log can count. It is programme-wide by design, and names no one.
  /^\/api\/v1\/reports\/disposition-balance$/u,
];

/** Searches need a query: names at both sites (B's man is Ali al-Basri; A's is Mohammed al-Sudani). */
const queries: Record<string, string[]> = {
  "/api/v1/persons/search": ["?q=Ali", "?q=Mohammed", "?q=%D8%B9%D9%84%D9%8A"],
  "/api/v1/persons": ["", "?limit=1000"],
  "/api/v1/weapons": ["", "?limit=1000"],
};

function listRoutes(): string[] {
  return registeredRoutes(api.app)
    .filter((r) => r.method === "GET" && !r.url.includes(":") && !notScoped.some((p) => p.test(r.url)))
    .flatMap((r) => (queries[r.url] ?? [""]).map((q) => `${r.url}${q}`));
}

async function readAll(headers: Record<string, string>): Promise<Map<string, string>> {
  const answers = new Map<string, string>();
  for (const url of listRoutes()) {
    const res = await api.app.inject({ method: "GET", url, headers });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
    // Refused (the role may not read it) is an answer too, and must not move either. The time
    // of the answer ("asOf": now) moves by itself.
    answers.set(url, `${res.statusCode} ${res.body.replace(/"asOf":"[^"]*"/gu, '"asOf":"…"')}`);
  }
  return answers;
}

describe("counts and totals of an A-scoped user", () => {
  it("do not move when records are added at site B only", { timeout: 180_000 }, async () => {
    const before = new Map<Role, Map<string, string>>();
    for (const [role, headers] of scopedToA) before.set(role, await readAll(headers));
    const adminBefore = await readAll(api.headers("admin"));

    // Site B only: people (one with A's man's very name, one a woman), their handovers, and a
    // registration held for duplicate review.
    const siteB = api.seed.siteB;
    const asB = (overrides: object) => ({
      ...personPayload(siteB, api.seed.groupId),
      governorate: "IQ-BA",
      ...overrides,
    });
    const people = [
      await api.ok("registrar_b", "person.register", asB({ nationalId: "SCOPEB0001" })),
      await api.ok(
        "registrar_b",
        "person.register",
        asB({
          nationalId: "SCOPEB0002",
          sex: "female",
          kind: "associated_member",
          name: {
            latin: { given: "Zainab", family: "al-Basri" },
            arabic: { given: "زينب", family: "البصري" },
          },
        }),
      ),
    ].map((d) => d.personId as string);
    for (const [i, personId] of people.entries())
      await api.ok(
        "registrar_b",
        "handover.record",
        handoverPayload(siteB, personId, [rifle(`SCOPE-B-${i}-1`), rifle(`SCOPE-B-${i}-2`)]),
      );
    // The same man registered twice at B: held for duplicate review.
    const held = await api.ok("registrar_b", "person.register", asB({ nationalId: "SCOPEB0001" }));
    expect(held.duplicateReview).toBe("pending");

    const moved: string[] = [];
    for (const [role, headers] of scopedToA) {
      const after = await readAll(headers);
      for (const [url, answer] of before.get(role)!)
        if (after.get(url) !== answer)
          moved.push(
            `${role}.a ${url}:\n  before ${answer.slice(0, 300)}\n  after  ${after.get(url)?.slice(0, 300)}`,
          );
    }
    expect(moved).toEqual([]);

    // The unscoped administrator sees B's records: the fixture changed what it should have.
    const adminAfter = await readAll(api.headers("admin"));
    const adminMoved = [...adminBefore]
      .filter(([url, answer]) => adminAfter.get(url) !== answer)
      .map(([url]) => url);
    expect(adminMoved).toEqual(
      expect.arrayContaining([
        "/api/v1/persons",
        "/api/v1/weapons",
        "/api/v1/duplicate-reviews",
        "/api/v1/persons/search?q=Mohammed",
        "/api/v1/reports/eligibility",
      ]),
    );
  });
});

describe("errors an A-scoped user gets for B's records", () => {
  /** B's records by the route that shows them, and the parameters of a record that does not exist. */
  const cases = () => {
    const s = api.seed;
    return [
      ["/api/v1/persons/:id", { id: s.personB }, { id: randomUUID() }],
      ["/api/v1/persons/:id/eligibility", { id: s.personB }, { id: randomUUID() }],
      ["/api/v1/persons/:id/pathways", { id: s.personB }, { id: randomUUID() }],
      ["/api/v1/persons/:id/access-history", { id: s.personB }, { id: randomUUID() }],
      ["/api/v1/persons/:id/cards", { id: s.personB }, { id: randomUUID() }],
      ["/api/v1/handovers/:id", { id: s.handoverB }, { id: randomUUID() }],
      ["/api/v1/handovers/:id/receipt.pdf", { id: s.handoverB }, { id: randomUUID() }],
      ["/api/v1/handovers/:id/labels.pdf", { id: s.handoverB }, { id: randomUUID() }],
      [
        "/api/v1/items/:kind/:id/trail",
        { kind: "weapon", id: s.weaponB },
        { kind: "weapon", id: randomUUID() },
      ],
      ["/api/v1/ledger/leaves/:index/opening", { index: String(s.handoverBSeq) }, { index: "999999" }],
    ] as const;
  };
  const fill = (url: string, params: Record<string, string>) =>
    url.replace(/:(\w+)/gu, (_m, k: string) => params[k]!);

  it("are the errors for records that do not exist, word for word", async () => {
    const routes = new Set(registeredRoutes(api.app).map((r) => r.url));
    const differ: string[] = [];
    for (const [url, b, absent] of cases()) {
      expect(routes.has(url), url).toBe(true);
      for (const [role, headers] of scopedToA) {
        const ofB = await api.app.inject({ method: "GET", url: fill(url, b), headers });
        const none = await api.app.inject({ method: "GET", url: fill(url, absent), headers });
        // The answer names the URL asked for; with that put aside, the two must be the same.
        const norm = (body: string, params: Record<string, string>) =>
          Object.values(params).reduce((text, v) => text.replaceAll(v, "<param>"), body);
        const a = `${ofB.statusCode} ${norm(ofB.body, b)}`;
        const n = `${none.statusCode} ${norm(none.body, absent)}`;
        if (ofB.statusCode < 400) differ.push(`${role}.a ${url}: answered ${ofB.statusCode} for B's record`);
        else if (a !== n)
          differ.push(`${role}.a ${url}:\n  B's:    ${a.slice(0, 300)}\n  absent: ${n.slice(0, 300)}`);
      }
    }
    expect(differ).toEqual([]);
  });

  it("still open the user's own records", async () => {
    const admin = scopedToA.get("admin")!;
    const own = await api.app.inject({
      method: "GET",
      url: `/api/v1/ledger/leaves/${api.seed.handoverASeq}/opening`,
      headers: admin,
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().personal.personId).toBe(api.seed.personA);
    const person = await api.app.inject({
      method: "GET",
      url: `/api/v1/persons/${api.seed.personA}`,
      headers: admin,
    });
    expect(person.statusCode).toBe(200);
  });
});
