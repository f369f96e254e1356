import type { FastifyInstance, InjectOptions } from "fastify";
import { TOTP, URI } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../src/access/accounts.ts";
import { LoginThrottle } from "../../src/access/login-throttle.ts";
import { buildApp } from "../../src/http/app.ts";
import * as t from "../../src/store/schema.ts";
import { expectProblem, PASSWORD, startApi } from "./support.ts";

// The optional second factor (issue 7): enrolment, confirmation, sign-in with a code, replay,
// lockout, disabling, an administrator's reset and roles that must use it. Through the HTTP API,
// with codes made by the same library an authenticator app would use, on a clock the test moves.

let api: Awaited<ReturnType<typeof startApi>>;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());

const START = Date.parse("2026-03-01T10:00:00Z");

/** An app on the shared store with its own clock and account lock, and helpers to talk to it. */
async function clockedApp() {
  const clock = { now: START };
  const app = await buildApp({
    store: api.store,
    signIn: {
      throttle: new LoginThrottle({ now: () => clock.now }),
      now: () => clock.now,
      ratePerMinute: 10_000,
    },
  });
  const login = (username: string, body: Record<string, unknown> = {}) =>
    app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username, password: PASSWORD, ...body },
    });
  const cookieOf = async (username: string, body: Record<string, unknown> = {}) => {
    const res = await login(username, body);
    expect(res.statusCode, res.body).toBe(200);
    return `al_session=${res.cookies.find((c) => c.name === "al_session")!.value}`;
  };
  const send = (cookie: string, options: InjectOptions) =>
    app.inject({ ...options, headers: { cookie, ...(options.headers ?? {}) } } as InjectOptions);
  return { app, clock, login, cookieOf, send };
}

async function newAccount(username: string, role: "custodian" | "analyst" | "monitor" = "custodian") {
  const account = await createUser(api.store, { username, displayName: username, password: PASSWORD, role });
  return account.id;
}

/** Enrols an account through the API and answers the app-side generator (parsed from the URI). */
async function enrol(c: Awaited<ReturnType<typeof clockedApp>>, cookie: string) {
  const res = await c.send(cookie, { method: "POST", url: "/api/v1/me/totp" });
  expect(res.statusCode, res.body).toBe(201);
  expect(res.headers["cache-control"]).toBe("no-store");
  const { secret, uri } = res.json() as { secret: string; uri: string };
  const totp = URI.parse(uri);
  if (!(totp instanceof TOTP)) throw new Error("not a TOTP URI");
  expect(totp.secret.base32).toBe(secret);
  return { secret, uri, code: (at = c.clock.now) => totp.generate({ timestamp: at }) };
}

describe("second factor (TOTP)", () => {
  let c: Awaited<ReturnType<typeof clockedApp>>;
  beforeAll(async () => {
    c = await clockedApp();
  });
  afterAll(() => c.app.close());

  it("enrols with a secret shown once, asks for codes only once confirmed, and refuses a replayed code", async () => {
    await newAccount("otp-keeper");
    const cookie = await c.cookieOf("otp-keeper");
    const app = await enrol(c, cookie);
    expect(app.uri).toMatch(/^otpauth:\/\/totp\/ArmsLedger:otp-keeper\?/u);
    expect(app.uri).toContain(`secret=${app.secret}`);

    // Pending: sign-in does not ask for a code yet, and the status never shows the secret.
    const status = await c.send(cookie, { method: "GET", url: "/api/v1/me/totp" });
    expect(status.json()).toEqual({ enrolled: false, pending: true, required: false });
    expect(status.body).not.toContain(app.secret);
    expect((await c.login("otp-keeper")).statusCode).toBe(200);

    // A wrong first code confirms nothing.
    const wrong = app.code() === "000000" ? "111111" : "000000";
    expectProblem(
      await c.send(cookie, { method: "POST", url: "/api/v1/me/totp/confirm", payload: { code: wrong } }),
      "auth.code-invalid",
    );
    const confirmed = await c.send(cookie, {
      method: "POST",
      url: "/api/v1/me/totp/confirm",
      payload: { code: app.code() },
    });
    expect(confirmed.json()).toEqual({ enrolled: true, pending: false, required: false });

    // A second enrolment cannot swap the factor (nor show the secret again).
    const again = await c.send(cookie, { method: "POST", url: "/api/v1/me/totp" });
    expectProblem(again, "rule.violated");
    expect(again.body).not.toContain(app.secret);

    // Sign-in now needs the code; the code used to confirm cannot be used again.
    expectProblem(await c.login("otp-keeper"), "auth.code-required");
    expectProblem(await c.login("otp-keeper", { code: app.code() }), "auth.code-invalid");
    c.clock.now += 30_000;
    const code = app.code();
    expect((await c.login("otp-keeper", { code: code.replace(/(\d{3})/u, "$1 ") })).statusCode).toBe(200);
    // The same code, still within its 30 seconds: refused.
    expectProblem(await c.login("otp-keeper", { code }), "auth.code-invalid");
    // A wrong password with a right code is still a wrong password.
    c.clock.now += 30_000;
    expectProblem(
      await c.login("otp-keeper", { password: "not the password at all", code: app.code() }),
      "auth.invalid-credentials",
    );
    // A code one step old is accepted (clock drift), once; an older step than one used, never.
    c.clock.now += 30_000;
    const previous = app.code(c.clock.now - 30_000);
    expect((await c.login("otp-keeper", { code: previous })).statusCode).toBe(200);
    expectProblem(await c.login("otp-keeper", { code: previous }), "auth.code-invalid");
    c.clock.now += 30_000;
    expect((await c.login("otp-keeper", { code: app.code() })).statusCode).toBe(200);
    expectProblem(await c.login("otp-keeper", { code: app.code(c.clock.now - 30_000) }), "auth.code-invalid");
    expectProblem(await c.login("otp-keeper", { code: "12345" }), "request.invalid");
    // Nothing about the secret is answered anywhere.
    const me = await c.send(cookie, { method: "GET", url: "/api/v1/me" });
    expect(me.body).not.toContain(app.secret);
    // Stored encrypted under the data key, bound to its account.
    const [stored] = await api.store.db.select().from(t.totpFactors);
    expect(stored?.secret).not.toContain(app.secret);
    expect(stored?.secret).toMatch(/^v1:\d+:/);
    const keys = await api.store.personal.keys();
    expect(
      keys.decrypt(stored!.secret, { table: "totp_factors", column: "secret", row: stored!.userId }),
    ).toBe(app.secret);
  });

  it("locks the account after five wrong codes, even for the right one", async () => {
    const own = await clockedApp();
    try {
      await newAccount("otp-locked");
      const app = await enrol(own, await own.cookieOf("otp-locked"));
      const cookie = await own.cookieOf("otp-locked");
      await own.send(cookie, {
        method: "POST",
        url: "/api/v1/me/totp/confirm",
        payload: { code: app.code() },
      });
      own.clock.now += 30_000;
      const right = app.code();
      const wrong = right === "000000" ? "111111" : "000000";
      for (let i = 0; i < 5; i++)
        expectProblem(await own.login("otp-locked", { code: wrong }), "auth.code-invalid");
      const locked = await own.login("otp-locked", { code: right });
      expectProblem(locked, "auth.locked");
      expect(Number(locked.headers["retry-after"])).toBe(15 * 60);
      // The lock passes; the right code works then.
      own.clock.now += 15 * 60_000 + 1;
      expect((await own.login("otp-locked", { code: app.code() })).statusCode).toBe(200);
    } finally {
      await own.app.close();
    }
  });

  it("is disabled with a current code, or reset by an administrator", async () => {
    const id = await newAccount("otp-lost");
    let cookie = await c.cookieOf("otp-lost");
    let app = await enrol(c, cookie);
    await c.send(cookie, { method: "POST", url: "/api/v1/me/totp/confirm", payload: { code: app.code() } });
    c.clock.now += 30_000;
    // Disabling needs a right code; a wrong one changes nothing.
    const wrong = app.code() === "000000" ? "111111" : "000000";
    expectProblem(
      await c.send(cookie, { method: "POST", url: "/api/v1/me/totp/disable", payload: { code: wrong } }),
      "auth.code-invalid",
    );
    expectProblem(
      await c.send(cookie, { method: "POST", url: "/api/v1/me/totp/disable" }),
      "request.invalid",
    );
    expectProblem(await c.login("otp-lost"), "auth.code-required");
    const disabled = await c.send(cookie, {
      method: "POST",
      url: "/api/v1/me/totp/disable",
      payload: { code: app.code() },
    });
    expect(disabled.json()).toEqual({ enrolled: false, pending: false, required: false });
    expect((await c.login("otp-lost")).statusCode).toBe(200);

    // Enrolled again, then the phone is lost: the administrator resets it.
    app = await enrol(c, cookie);
    c.clock.now += 30_000;
    await c.send(cookie, { method: "POST", url: "/api/v1/me/totp/confirm", payload: { code: app.code() } });
    expectProblem(await c.login("otp-lost"), "auth.code-required");
    const admin = await c.cookieOf("admin");
    const reset = await c.send(admin, { method: "POST", url: `/api/v1/users/${id}/totp/reset` });
    expect(reset.json()).toEqual({ removed: true });
    cookie = await c.cookieOf("otp-lost");
    expect((await c.send(cookie, { method: "GET", url: "/api/v1/me/totp" })).json()).toMatchObject({
      enrolled: false,
    });
    expect((await c.send(admin, { method: "POST", url: `/api/v1/users/${id}/totp/reset` })).json()).toEqual({
      removed: false,
    });
    expectProblem(
      await c.send(admin, { method: "POST", url: `/api/v1/users/${crypto.randomUUID()}/totp/reset` }),
      "resource.not-found",
    );
    // Only an administrator resets someone else's factor.
    expectProblem(
      await c.send(cookie, { method: "POST", url: `/api/v1/users/${id}/totp/reset` }),
      "auth.forbidden",
    );
  });

  it("holds a role that must use it to setting one up, sessions from before included", async () => {
    await newAccount("otp-analyst", "analyst");
    const cookie = await c.cookieOf("otp-analyst");
    expect((await c.send(cookie, { method: "GET", url: "/api/v1/sites" })).statusCode).toBe(200);
    const admin = await c.cookieOf("admin");
    expectProblem(
      await c.send(admin, {
        method: "PUT",
        url: "/api/v1/totp/required-roles",
        payload: { roles: ["wizard"] },
      }),
      "request.invalid",
    );
    const set = await c.send(admin, {
      method: "PUT",
      url: "/api/v1/totp/required-roles",
      payload: { roles: ["analyst", "monitor", "analyst"] },
    });
    expect(set.json()).toEqual({ roles: ["analyst", "monitor"] });
    expect((await c.send(admin, { method: "GET", url: "/api/v1/totp/required-roles" })).json()).toEqual({
      roles: ["analyst", "monitor"],
    });
    try {
      expectProblem(
        await c.send(cookie, { method: "GET", url: "/api/v1/sites" }),
        "auth.second-factor-required",
      );
      // Its own account and the enrolment stay open.
      expect((await c.send(cookie, { method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
      expect((await c.send(cookie, { method: "GET", url: "/api/v1/me/totp" })).json()).toEqual({
        enrolled: false,
        pending: false,
        required: true,
      });
      const app = await enrol(c, cookie);
      // Not until it is confirmed.
      expectProblem(
        await c.send(cookie, { method: "GET", url: "/api/v1/sites" }),
        "auth.second-factor-required",
      );
      c.clock.now += 30_000;
      await c.send(cookie, { method: "POST", url: "/api/v1/me/totp/confirm", payload: { code: app.code() } });
      expect((await c.send(cookie, { method: "GET", url: "/api/v1/sites" })).statusCode).toBe(200);
      // Other roles are not held.
      expect((await c.send(admin, { method: "GET", url: "/api/v1/sites" })).statusCode).toBe(200);
    } finally {
      await c.send(admin, { method: "PUT", url: "/api/v1/totp/required-roles", payload: { roles: [] } });
    }
    expect((await c.send(admin, { method: "GET", url: "/api/v1/totp/required-roles" })).json()).toEqual({
      roles: [],
    });
  });
});

describe("codes", () => {
  it("are six digits and the wrong ones are refused before anything is stored", async () => {
    const c: { app: FastifyInstance } = await clockedApp();
    try {
      const res = await c.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { username: "admin", password: PASSWORD, code: "abcdef" },
      });
      expectProblem(res, "request.invalid");
    } finally {
      await c.app.close();
    }
  });
});
