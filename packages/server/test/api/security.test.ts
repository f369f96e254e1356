import { isProblem } from "@armsledger/core";
import fc from "fast-check";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../src/access/accounts.ts";
import { LoginThrottle } from "../../src/access/login-throttle.ts";
import { passwordWeakness } from "../../src/access/password-policy.ts";
import { buildApp } from "../../src/http/app.ts";
import { LOGIN_RATE_PER_MINUTE } from "../../src/http/routes/auth.ts";
import { assertSameSite } from "../../src/http/security.ts";
import { sitePayload } from "../support/fixtures.ts";
import { counts, expectProblem, PASSWORD, startApi } from "./support.ts";

const login = (api: { app: FastifyInstance }, username: string, password: string, headers = {}) =>
  api.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { username, password }, headers });

// One store for the file (migrating a database is the slow part); each limit test builds its own
// app on it, so every rate-limit and lock starts empty.
let api: Awaited<ReturnType<typeof startApi>>;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());

describe("security headers", () => {
  it("sends a strict content security policy and the usual hardening headers", async () => {
    {
      const res = await api.app.inject({ method: "GET", url: "/healthz" });
      const csp = String(res.headers["content-security-policy"]);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).not.toContain("upgrade-insecure-requests");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["strict-transport-security"]).toBeDefined();
      expect(res.headers["referrer-policy"]).toBe("no-referrer");
      // Problems carry the headers too.
      const missing = await api.app.inject({ method: "GET", url: "/nowhere" });
      expect(missing.headers["content-security-policy"]).toBe(csp);
    }
  });
});

describe("cross-site requests", () => {
  it("refuses a cookie-authenticated command sent from another site, recording nothing", async () => {
    {
      const before = await counts(api.store);
      const fromElsewhere = [
        { origin: "https://evil.example" },
        { "sec-fetch-site": "cross-site" },
        { "sec-fetch-site": "same-site" },
        { origin: "null" },
        { origin: "not a url" },
      ];
      for (const headers of fromElsewhere) {
        const res = await api.send("admin", {
          method: "POST",
          url: "/api/v1/commands",
          headers,
          payload: { commandId: crypto.randomUUID(), type: "site.register", payload: sitePayload("X-01") },
        });
        expectProblem(res, "request.cross-site");
      }
      expect(await counts(api.store)).toEqual(before);
      // Nor can another site sign someone in (login CSRF).
      expectProblem(
        await login(api, "admin", PASSWORD, { origin: "https://evil.example" }),
        "request.cross-site",
      );
    }
  });

  it("accepts our own pages, tools without browser headers, and bearer tokens", async () => {
    {
      const send = (headers: Record<string, string>, code: string) =>
        api.send("admin", {
          method: "POST",
          url: "/api/v1/commands",
          headers,
          payload: { commandId: crypto.randomUUID(), type: "site.register", payload: sitePayload(code) },
        });
      expect(
        (await send({ origin: "http://localhost:80", "sec-fetch-site": "same-origin" }, "S-01")).statusCode,
      ).toBe(200);
      expect((await send({}, "S-02")).statusCode).toBe(200);
      const token = await api.send("admin", {
        method: "POST",
        url: "/api/v1/tokens",
        payload: { name: "script" },
      });
      const bearer = await api.app.inject({
        method: "POST",
        url: "/api/v1/commands",
        headers: { authorization: `Bearer ${token.json().token}`, origin: "https://elsewhere.example" },
        payload: { commandId: crypto.randomUUID(), type: "site.register", payload: sitePayload("S-03") },
      });
      expect(bearer.statusCode).toBe(200);
      // Reads are never refused for their origin.
      const read = await api.send("admin", {
        method: "GET",
        url: "/api/v1/me",
        headers: { origin: "https://x.example" },
      });
      expect(read.statusCode).toBe(200);
    }
  });
});

describe("sign-in limits", () => {
  it("locks an account after five wrong passwords, even for the right one, until the lock passes", async () => {
    let now = Date.parse("2026-03-01T10:00:00Z");
    const store = api.store;
    const app = await buildApp({ store, signIn: { throttle: new LoginThrottle({ now: () => now }) } });
    try {
      await createUser(store, {
        username: "keeper",
        displayName: "Keeper",
        password: PASSWORD,
        role: "custodian",
      });
      const api = { app };
      for (let i = 0; i < 5; i++)
        expectProblem(await login(api, "keeper", "wrong password"), "auth.invalid-credentials");
      const locked = await login(api, "Keeper ", PASSWORD);
      const body = expectProblem(locked, "auth.locked");
      expect(body.detail).toMatch(/locked/u);
      expect(Number(locked.headers["retry-after"])).toBe(15 * 60);
      // Another account is not affected.
      await createUser(store, {
        username: "other",
        displayName: "Other",
        password: PASSWORD,
        role: "analyst",
      });
      expect((await login(api, "other", PASSWORD)).statusCode).toBe(200);
      now += 15 * 60_000 + 1;
      expect((await login(api, "keeper", PASSWORD)).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("counts only failures within the window, and a success clears them", () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now, maxFailures: 3, windowMs: 1000, lockMs: 5000 });
    expect(throttle.failed("a")).toBe(false);
    expect(throttle.failed("a")).toBe(false);
    now = 1500; // the first two fall out of the window
    expect(throttle.failed("a")).toBe(false);
    throttle.succeeded("a");
    expect(throttle.failed("a")).toBe(false);
    expect(throttle.failed("a")).toBe(false);
    expect(throttle.failed("a")).toBe(true);
    expect(() => throttle.check("A")).toThrow(/locked/u);
    now += 5001;
    expect(() => throttle.check("a")).not.toThrow();
  });

  it("keeps a locked account locked when a flood of made-up names fills its memory", () => {
    const throttle = new LoginThrottle({ now: () => 0, maxFailures: 2, capacity: 10 });
    throttle.failed("target");
    expect(throttle.failed("target")).toBe(true);
    for (let i = 0; i < 100; i++) throttle.failed(`nobody-${i}`);
    expect(() => throttle.check("target")).toThrow(/locked/u);
  });

  it("limits sign-ins per address, whatever the account", async () => {
    const store = api.store;
    const app = await buildApp({ store });
    try {
      const api = { app };
      for (let i = 0; i < LOGIN_RATE_PER_MINUTE; i++)
        expectProblem(await login(api, `user-${i}`, "whatever it is"), "auth.invalid-credentials");
      const limited = await login(api, "user-x", "whatever it is");
      expectProblem(limited, "request.rate-limited");
      expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});

describe("behind a reverse proxy", () => {
  it("limits each client by its forwarded address when the proxy is trusted, and only then", async () => {
    const store = api.store;
    const trusting = await buildApp({ store, trustProxy: ["127.0.0.1"] });
    const naive = await buildApp({ store });
    try {
      const from = (app: FastifyInstance, client: string) =>
        app.inject({
          method: "POST",
          url: "/api/v1/auth/login",
          payload: { username: "nobody", password: "whatever it is" },
          remoteAddress: "127.0.0.1",
          headers: { "x-forwarded-for": client },
        });
      for (let i = 0; i < LOGIN_RATE_PER_MINUTE; i++) await from(trusting, "10.0.0.1");
      expectProblem(await from(trusting, "10.0.0.1"), "request.rate-limited");
      expectProblem(await from(trusting, "10.0.0.2"), "auth.locked");
      // Not trusted: a client cannot escape the limit by naming another address.
      for (let i = 0; i < LOGIN_RATE_PER_MINUTE; i++) await from(naive, `10.0.1.${i}`);
      expectProblem(await from(naive, "10.0.2.1"), "request.rate-limited");
    } finally {
      await trusting.close();
      await naive.close();
    }
  });
});

describe("passwords and account revocation", () => {
  it("refuses common and guessable passwords, saying why", async () => {
    for (const password of ["Password1234", "qwertyuiop123", "aaaaaaaaaaaaaaaa", "registrar-2026"]) {
      const res = await api.send("admin", {
        method: "POST",
        url: "/api/v1/users",
        payload: { username: "registrar-2026", displayName: "R", password, role: "registrar" },
      });
      const body = expectProblem(res, "request.invalid");
      expect(body.errors?.[0]?.path).toMatch(/password/u);
      expect(body.errors?.[0]?.message).toMatch(/too easy to guess/u);
    }
    expect(passwordWeakness("river lantern quietly orbit", [])).toBeUndefined();
  });

  it("ends every session and token of an account, and a disabled account cannot sign in", async () => {
    {
      const user = await api.addUser("field-officer", "registrar");
      const token = await api.app.inject({
        method: "POST",
        url: "/api/v1/tokens",
        headers: { cookie: user.cookie },
        payload: { name: "tablet" },
      });
      const bearer = { authorization: `Bearer ${token.json().token}` };
      const me = (headers: Record<string, string>) =>
        api.app.inject({ method: "GET", url: "/api/v1/me", headers });
      expect((await me({ cookie: user.cookie })).statusCode).toBe(200);
      expect((await me(bearer)).statusCode).toBe(200);

      const revoked = await api.send("admin", {
        method: "POST",
        url: `/api/v1/users/${user.id}/revoke-access`,
      });
      expect(revoked.json()).toEqual({ sessions: 1, tokens: 1 });
      expectProblem(await me({ cookie: user.cookie }), "auth.required");
      expectProblem(await me(bearer), "auth.required");

      const cookie = await api.login("field-officer");
      expect(
        (await api.send("admin", { method: "POST", url: `/api/v1/users/${user.id}/disable` })).statusCode,
      ).toBe(204);
      expectProblem(await me({ cookie }), "auth.required");
      expectProblem(await login(api, "field-officer", PASSWORD), "auth.invalid-credentials");

      const me_ = await api.send("admin", { method: "GET", url: "/api/v1/me" });
      const self = await api.send("admin", { method: "POST", url: `/api/v1/users/${me_.json().id}/disable` });
      expectProblem(self, "rule.violated");
      expectProblem(
        await api.send("admin", { method: "POST", url: `/api/v1/users/${crypto.randomUUID()}/disable` }),
        "resource.not-found",
      );
      const analyst = await api.addUser("analyst-one", "analyst");
      const asAnalyst = (url: string) =>
        api.app.inject({ method: "POST", url, headers: { cookie: analyst.cookie } });
      expectProblem(await asAnalyst(`/api/v1/users/${user.id}/disable`), "auth.forbidden");
      expectProblem(await asAnalyst(`/api/v1/users/${user.id}/revoke-access`), "auth.forbidden");
      expectProblem(
        await api.send("anonymous", { method: "POST", url: `/api/v1/users/${user.id}/disable` }),
        "auth.required",
      );
    }
  });
});

describe("origin checks on any header a client sends", () => {
  it("only ever accept or refuse with request.cross-site", () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.option(fc.string()), (origin, fetchSite) => {
        const headers: Record<string, string> = {};
        if (origin !== null) headers.origin = origin;
        if (fetchSite !== null) headers["sec-fetch-site"] = fetchSite;
        const request = { method: "POST", headers, host: "ledger.example:8443" } as unknown as FastifyRequest;
        try {
          assertSameSite(request);
        } catch (error) {
          expect(isProblem(error) && error.code).toBe("request.cross-site");
        }
      }),
    );
    const request = (origin: string) =>
      ({ method: "POST", headers: { origin }, host: "ledger.example:8443" }) as unknown as FastifyRequest;
    expect(() => assertSameSite(request("https://ledger.example:8443"))).not.toThrow();
    expect(() => assertSameSite(request("https://ledger.example"))).toThrow();
    expect(() => assertSameSite(request("https://ledger.example.evil:8443"))).toThrow();
  });
});
