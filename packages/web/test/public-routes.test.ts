import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKey, parseSignerKey } from "@armsledger/ledger";
import { buildApp, executeCommand, integrate, isProblem } from "@armsledger/server";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { suppress, webAppRoutes } from "../../server/src/http/routes/public.ts";
import { contentSecurityPolicy } from "../../server/src/http/security.ts";
import {
  admin,
  command,
  groupPayload,
  handoverPayload,
  personPayload,
  rifle,
  sitePayload,
} from "../../server/test/support/fixtures.ts";
import { freshStore } from "../../server/test/support/store.ts";

// What the web app relies on from the server: the public figures (small cells withheld) and the
// app itself served at / with the API's own paths left alone.

describe("withholding small cells", () => {
  it("withholds counts below 5, and a second cell when one alone would be deduced from the total", () => {
    expect(suppress({ a: 10, b: 7, c: 12 })).toEqual([
      { key: "a", count: 10 },
      { key: "b", count: 7 },
      { key: "c", count: 12 },
    ]);
    expect(suppress({ a: 10, b: 2, c: 12 })).toEqual([
      { key: "a", count: null },
      { key: "b", count: null },
      { key: "c", count: 12 },
    ]);
    expect(suppress({ a: 1, b: 2, c: 12 })).toEqual([
      { key: "a", count: null },
      { key: "b", count: null },
      { key: "c", count: 12 },
    ]);
    expect(suppress({ a: 0, b: 9 })).toEqual([{ key: "b", count: 9 }]);
  });
});

describe("GET /api/v1/public/figures", () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  const signer = parseSignerKey(generateKey("test.example/log", new Uint8Array(randomBytes(32))).signerKey);
  const figures = async () => (await app.inject({ method: "GET", url: "/api/v1/public/figures" })).json();

  beforeAll(async () => {
    store = await freshStore();
    app = await buildApp({ store });
    const siteId = (await executeCommand(store, command("site.register", sitePayload()), admin)).data
      .siteId as string;
    const groupId = (await executeCommand(store, command("group.register", groupPayload()), admin)).data
      .groupId as string;
    for (let i = 0; i < 6; i++) {
      const personId = (
        await executeCommand(store, command("person.register", personPayload(siteId, groupId)), admin)
      ).data.personId as string;
      const weapons = i === 0 ? [{ ...rifle(`P-${i}`), category: "pistol" }] : [rifle(`R-${i}`)];
      await executeCommand(
        store,
        command("handover.record", handoverPayload(siteId, personId, weapons)),
        admin,
      );
    }
  });
  afterAll(async () => {
    await app?.close();
    await store?.dispose();
  });

  it("counts only what a signed checkpoint covers, so anyone can recompute it", async () => {
    const before = await figures();
    expect(before.size).toBe(0);
    expect(before.weapons.total).toBeNull();
    await integrate(store, { signer });
    const after = await figures();
    expect(after.size).toBe(14);
    expect(after.minimumCell).toBe(5);
    expect(after.persons.registered).toBe(6);
    expect(after.handovers.count).toBe(6);
    expect(after.weapons.total).toBe(6);
    expect(after.ammunition.rounds).toBe(720);
    expect(after.handovers.byDay).toEqual([{ key: "2026-02-01", count: 6 }]);
    // One pistol: withheld, and the five rifles with it (6 − 5 would give the pistol away).
    expect(after.weapons.byCategory).toEqual([
      { key: "pistol", count: null },
      { key: "rifle", count: null },
    ]);
  });

  it("reads only the leaves added since the last request", async () => {
    const site = (await executeCommand(store, command("site.register", sitePayload("BGD-02")), admin)).data;
    expect(site.siteId).toBeTruthy();
    await integrate(store, { signer });
    expect((await figures()).size).toBe(15);
    expect((await figures()).persons.registered).toBe(6);
  });
});

describe("the web app at /", () => {
  let root: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "armsledger-web-"));
    mkdirSync(join(root, "assets"));
    writeFileSync(join(root, "index.html"), "<!doctype html><title>app</title>");
    writeFileSync(join(root, "assets", "index-abc123.js"), "console.log(1)");
    writeFileSync(join(root, "sw.js"), "self.addEventListener('fetch', () => {})");
    app = Fastify();
    app.setErrorHandler((error: unknown, _request, reply) =>
      reply
        .code(isProblem(error) ? error.status : 500)
        .send({ code: isProblem(error) ? error.code : "internal" }),
    );
    app.get("/api/v1/ledger/checkpoint", async () => ({ real: true }));
    await app.register(webAppRoutes(root));
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  const get = (url: string) => app.inject({ method: "GET", url });

  it("answers index.html at / and at any screen's path, not cached", async () => {
    for (const url of ["/", "/ledger", "/receipt?n=R-0000003-1", "/deep/link"]) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.headers["content-type"]).toMatch(/^text\/html/u);
      expect(r.headers["cache-control"]).toBe("no-cache");
    }
  });

  it("serves hashed assets for good, and a missing file as 404", async () => {
    const r = await get("/assets/index-abc123.js");
    expect(r.statusCode).toBe(200);
    expect(r.headers["cache-control"]).toContain("immutable");
    expect((await get("/assets/gone.js")).statusCode).toBe(404);
    expect((await get("/../package.json")).statusCode).toBeGreaterThanOrEqual(400);
  });

  it("answers a path no file of the app can have (backslash, NUL, '..') as a 404 problem", async () => {
    // Found by the routes' property test: "/م.\\" reached the file server, whose refusal was a 500.
    for (const url of ["/%D9%85.%5C", "/a%5Cb.js", "/..%5C..%5Cetc.js", "/a%00.js"]) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.json().code, url).toBe("resource.not-found");
    }
  });

  it("leaves API and log paths to the API: a declared route wins, an unknown one is a 404 problem", async () => {
    expect((await get("/api/v1/ledger/checkpoint")).json()).toEqual({ real: true });
    for (const url of ["/api/v1/nothing", "/api", "/log/nothing", "/healthz"]) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.json().code).toBe("resource.not-found");
    }
  });

  it("serves the service worker from / (its scope), checked on every load, and the policy lets it run", async () => {
    const r = await get("/sw.js");
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toMatch(/javascript/u);
    expect(r.headers["cache-control"]).toBe("no-cache");
    expect(contentSecurityPolicy.workerSrc).toContain("'self'");
    expect(contentSecurityPolicy.scriptSrc).toContain("'self'");
  });
});
