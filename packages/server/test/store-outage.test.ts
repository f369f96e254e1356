import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, createUser } from "../src/access/accounts.ts";
import { ephemeralMasterKey } from "../src/crypto/master-key.ts";
import { buildApp } from "../src/http/app.ts";
import { openStore } from "../src/store/database.ts";
import { tables } from "../src/store/index.ts";
import { verifyDatabase } from "../src/verify/index.ts";
import { executeCommand } from "../src/write-path/execute.ts";
import { admin, command, groupPayload, personPayload, sitePayload } from "./support/fixtures.ts";
import { freshStore } from "./support/store.ts";

/** What every answer during an outage must be: 503 problem+json, store.unavailable, Retry-After. */
function expectUnavailable(response: {
  statusCode: number;
  headers: Record<string, unknown>;
  json(): unknown;
}) {
  expect(response.statusCode).toBe(503);
  expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(Number(response.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  expect(response.json()).toMatchObject({ status: 503, code: "store.unavailable" });
}

describe("a database that cannot be reached", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    // Nothing listens on port 1: every connection is refused.
    const store = await openStore({
      databaseUrl: "postgres://postgres@127.0.0.1:1/armsledger",
      masterKey: ephemeralMasterKey(),
    });
    app = await buildApp({ store });
  });
  afterAll(() => app.close());

  it("answers 503 with Retry-After, to the health check, a signed-in request and a command", async () => {
    expectUnavailable(await app.inject({ method: "GET", url: "/healthz" }));
    expectUnavailable(
      await app.inject({
        method: "POST",
        url: "/api/v1/commands",
        headers: { authorization: "Bearer alt_nothing" },
        payload: command("group.register", groupPayload("G9")),
      }),
    );
    expectUnavailable(
      await app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { username: "someone", password: "something long enough" },
      }),
    );
  });
});

const serverUrl = process.env.DATABASE_URL;

describe.skipIf(!serverUrl)("the connection to PostgreSQL dropped mid-request", () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: FastifyInstance;
  let token: string;
  let siteId: string;
  let database: string;

  beforeAll(async () => {
    store = await freshStore();
    const account = await createUser(store, {
      username: "registrar.one",
      displayName: "Registrar One",
      password: "correct horse battery staple",
      role: "admin",
      scope: { sites: "all", governorates: "all" },
    });
    token = (await createApiToken(store, account, "outage test")).token;
    siteId = (await executeCommand(store, command("site.register", sitePayload("BGD-01")), admin)).data
      .siteId as string;
    app = await buildApp({ store });
    const result = (await store.db.execute("select current_database() as name")) as unknown as {
      rows: { name: string }[];
    };
    database = result.rows[0]!.name;
  });
  let disposed = false;
  afterAll(async () => {
    await app.close();
    if (!disposed) await store.dispose();
  });

  /** Ends every session of the test's database but the caller's, as an administrator or a failover would. */
  async function terminateBackends(): Promise<number> {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      const { rowCount } = await client.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [database],
      );
      return rowCount ?? 0;
    } finally {
      await client.end();
    }
  }

  const send = (body: unknown) =>
    app.inject({
      method: "POST",
      url: "/api/v1/commands",
      headers: { authorization: `Bearer ${token}` },
      payload: body as object,
    });

  it("answers 503 with Retry-After or records the command whole, and resumes by itself", async () => {
    const commands: ReturnType<typeof command>[] = [];
    let refused = 0;
    let killed = 0;
    // Waves of commands in flight while every session is killed, three times a wave. More waves
    // than the pool has connections: a connection lost and never given back would empty it.
    for (let wave = 0; wave < 4; wave++) {
      const sent = Array.from({ length: 20 }, (_, i) =>
        i % 3 === 0
          ? command("group.register", groupPayload(`G${wave}-${i}`))
          : command("person.register", personPayload(siteId)),
      );
      commands.push(...sent);
      const inFlight = sent.map((c, i) => new Promise((r) => setTimeout(r, i * 3)).then(() => send(c)));
      for (let round = 0; round < 3; round++) {
        await new Promise((r) => setTimeout(r, 25));
        killed += await terminateBackends();
      }
      const answers = await Promise.all(inFlight);
      for (const a of answers) if (a.statusCode !== 200) expectUnavailable(a);
      refused += answers.filter((a) => a.statusCode === 503).length;

      // The clients send what was refused again, with the same command ids, until it is recorded.
      const pending = new Map(
        sent.filter((_, i) => answers[i]!.statusCode !== 200).map((c) => [c.commandId, c]),
      );
      for (let attempt = 0; attempt < 20 && pending.size > 0; attempt++) {
        for (const [id, c] of pending) {
          const again = await send(c);
          if (again.statusCode === 200) pending.delete(id);
          else expectUnavailable(again);
        }
      }
      expect(pending.size).toBe(0);
    }
    expect(killed).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);

    // Every command once, no half-written one: the ledger and every projection agree.
    const events = await store.db.select({ commandId: tables.events.commandId }).from(tables.events);
    const ids = new Set(events.map((e) => e.commandId));
    for (const c of commands) expect(ids.has(c.commandId)).toBe(true);
    expect(events.length).toBe(ids.size);
    expect(events.length).toBe(commands.length + 1);
    expect((await verifyDatabase(store)).ok).toBe(true);
    // And the service is back for reads as well.
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });

  it("a repeated command after an outage answers the same as the first time", async () => {
    const c = command("group.register", groupPayload(`R-${randomUUID().slice(0, 8)}`));
    const first = await send(c);
    expect(first.statusCode).toBe(200);
    await terminateBackends();
    // The first requests after the drop may meet dead pooled connections: 503, until a retry answers.
    let settled = await send(c);
    for (let attempt = 0; attempt < 10 && settled.statusCode !== 200; attempt++) {
      expectUnavailable(settled);
      settled = await send(c);
    }
    expect(settled.statusCode).toBe(200);
    expect(settled.json()).toEqual(first.json());
  });

  it("has given every connection back: the store closes promptly after the outages", async () => {
    // A client lost at BEGIN and never released would make the pool wait for it for ever.
    await app.close();
    const closed = store.dispose().then(() => "closed");
    const late = new Promise((r) => setTimeout(() => r("still waiting for lent connections"), 15_000));
    expect(await Promise.race([closed, late])).toBe("closed");
    disposed = true;
  });
});
