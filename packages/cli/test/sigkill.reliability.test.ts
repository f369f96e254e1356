import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { openStore, type Store, type StoreOptions, tables } from "@armsledger/server";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { command, handoverPayload, personPayload, rifle } from "../../server/test/support/fixtures.ts";
import { armsledger } from "./support/cli.ts";
import { testMasterKey, testMasterKeyText } from "./support/master-key.ts";
import { freePort, prepareStore, type ServerProcess, startServer } from "./support/server-process.ts";
import { tempDir } from "./support/world.ts";

// The server is killed (SIGKILL: no shutdown, no flush) in the middle of a sync storm: field
// clients each sending their queue of commands, one after another, each with its own command id,
// and sending it again after a network error or a 503 until it is acknowledged. After a restart
// the storm must drain, every acknowledged command must be in the ledger exactly once with the
// answer the client got, nothing else may be there, and `armsledger verify --database` must pass.
// Sized by RELIABILITY_CLIENTS and RELIABILITY_COMMANDS (per client, half registrations and half
// handovers): 20 × 30 by default, so that the whole reliability suite stays near a minute.
const CLIENTS = Number(process.env.RELIABILITY_CLIENTS ?? 20);
const PER_CLIENT = Math.max(2, Number(process.env.RELIABILITY_COMMANDS ?? 30));
const TOTAL = CLIENTS * 2 * Math.floor(PER_CLIENT / 2);

interface Answer {
  commandId: string;
  seq: number;
  leafHash: string;
  data: Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Storm {
  readonly acknowledged = new Map<string, Answer>();
  readonly sent = new Map<string, { type: string; payload: unknown }>();
  networkErrors = 0;
  unavailable = 0;
  readonly #url: () => string;
  readonly #token: string;
  readonly #deadline: number;
  constructor(url: () => string, token: string, deadline: number) {
    this.#url = url;
    this.#token = token;
    this.#deadline = deadline;
  }

  /** Sends one command until it is acknowledged; anything but 200, 503 or no answer fails the storm. */
  async deliver(c: { commandId: string; type: string; payload: unknown }): Promise<Answer> {
    this.sent.set(c.commandId, c);
    for (;;) {
      if (Date.now() > this.#deadline) throw new Error(`command ${c.commandId} was never acknowledged`);
      let response: Response;
      try {
        response = await fetch(`${this.#url()}/api/v1/commands`, {
          method: "POST",
          headers: { authorization: `Bearer ${this.#token}`, "content-type": "application/json" },
          body: JSON.stringify(c),
          signal: AbortSignal.timeout(15_000),
        });
      } catch {
        this.networkErrors++;
        await sleep(50 + Math.random() * 150);
        continue;
      }
      if (response.status === 200) {
        const answer = (await response.json()) as Answer;
        this.acknowledged.set(c.commandId, answer);
        return answer;
      }
      if (response.status === 503) {
        this.unavailable++;
        await response.body?.cancel();
        await sleep(100 + Math.random() * 200);
        continue;
      }
      throw new Error(`command ${c.type} ${c.commandId} got ${response.status}: ${await response.text()}`);
    }
  }

  /** One field laptop's queue: a person registered, then that person's handover, and so on. */
  async client(k: number, siteId: string): Promise<void> {
    for (let i = 0; i < Math.floor(PER_CLIENT / 2); i++) {
      const person = {
        ...personPayload(siteId),
        nationalId: `9${String(k).padStart(3, "0")}${String(i).padStart(5, "0")}`,
        birth: { year: 1960 + ((k * 7 + i) % 40) },
      };
      const registered = await this.deliver(command("person.register", person));
      const personId = registered.data.personId as string;
      await this.deliver(
        command("handover.record", handoverPayload(siteId, personId, [rifle(`SK-${k}-${i}`)])),
      );
    }
  }
}

async function checkLedger(store: Store, storm: Storm, setupEvents: number) {
  const events = await store.db
    .select({ seq: tables.events.seq, commandId: tables.events.commandId, leafHash: tables.events.leafHash })
    .from(tables.events);
  const byCommand = new Map(events.map((e) => [e.commandId, e]));
  // One event per command: no command twice, none half-written, nothing that was not sent.
  expect(byCommand.size).toBe(events.length);
  expect(events.length).toBe(setupEvents + TOTAL);
  for (const [id, answer] of storm.acknowledged) {
    const event = byCommand.get(id);
    expect(event, `acknowledged command ${id} is in the ledger`).toBeDefined();
    expect({ seq: event!.seq, leafHash: event!.leafHash }).toEqual({
      seq: answer.seq,
      leafHash: answer.leafHash,
    });
  }
  const stormEvents = events.filter((e) => !storm.sent.has(e.commandId));
  expect(stormEvents.length).toBe(setupEvents);
  expect((await store.db.select({ id: tables.persons.id }).from(tables.persons)).length).toBe(TOTAL / 2);
  expect((await store.db.select({ id: tables.handovers.id }).from(tables.handovers)).length).toBe(TOTAL / 2);
}

async function stormWithKill(env: NodeJS.ProcessEnv, storeOptions: StoreOptions, dir: string) {
  const t0 = Date.now();
  const logKeyFile = join(dir, "log.key");
  const { token, siteId } = await prepareStore(storeOptions, logKeyFile);
  const serverEnv = { ...env, ARMSLEDGER_LOG_KEY_FILE: logKeyFile };
  const port = await freePort();
  const prepared = Date.now() - t0;
  let server: ServerProcess = await startServer(serverEnv, port);
  const started = Date.now();
  const startup = started - t0 - prepared;
  const storm = new Storm(() => server.url, token, Date.now() + 150_000);
  const clients = Promise.all(Array.from({ length: CLIENTS }, (_, k) => storm.client(k, siteId)));
  let failed: unknown;
  clients.catch((error) => {
    failed = error;
  });

  // Kill once a third of the storm is acknowledged, with every client mid-queue.
  while (storm.acknowledged.size < TOTAL / 3 && failed === undefined) await sleep(20);
  const acknowledgedBeforeKill = new Map(storm.acknowledged);
  await server.stop("SIGKILL");
  const killedAt = Date.now();
  server = await startServer(serverEnv, port);
  const downFor = Date.now() - killedAt;
  await clients;
  const drained = Date.now() - started;

  // Sent again after the crash, a command acknowledged before it gets the same answer.
  const sample = [...acknowledgedBeforeKill.keys()].slice(0, 20);
  for (const id of sample) {
    const again = await storm.deliver({ commandId: id, ...storm.sent.get(id)! } as never);
    expect(again).toEqual(acknowledgedBeforeKill.get(id));
  }
  await server.stop("SIGTERM");

  const verifyStart = Date.now();
  const verified = await armsledger(serverEnv, "verify", "--database", "--json");
  expect(verified.code, verified.stderr).toBe(0);
  expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, ledger: [], projections: [] });

  const verifying = Date.now() - verifyStart;
  const store = await openStore(storeOptions);
  try {
    // Setup wrote the site and the programme.
    await checkLedger(store, storm, 2);
  } finally {
    await store.close();
  }
  console.log(
    `sync storm (${storeOptions.databaseUrl ? "PostgreSQL" : "embedded"}): ${CLIENTS} clients × ${PER_CLIENT} commands, killed after ${acknowledgedBeforeKill.size} acknowledged, down ${downFor} ms, drained in ${drained} ms; ${storm.networkErrors} network errors and ${storm.unavailable} 503s retried; setup ${prepared} ms, first start ${startup} ms, verify ${verifying} ms`,
  );
  return storm;
}

describe("SIGKILL in the middle of a sync storm", () => {
  const dirs: Awaited<ReturnType<typeof tempDir>>[] = [];
  afterAll(async () => {
    for (const d of dirs) await d.remove();
  });

  it("on the embedded database: the storm drains, every acknowledged command is there once, verify passes", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const data = dir.path("data");
    const storm = await stormWithKill(
      { ...process.env, DATABASE_URL: "", ARMSLEDGER_DATA: data, ARMSLEDGER_MASTER_KEY: testMasterKeyText },
      { dataDir: join(data, "db"), masterKey: testMasterKey },
      dir.path(""),
    );
    expect(storm.acknowledged.size).toBe(TOTAL);
  });

  const serverUrl = process.env.DATABASE_URL;
  it.skipIf(!serverUrl)("on PostgreSQL: the same", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const name = `armsledger_storm_${randomBytes(5).toString("hex")}`;
    const adminSql = async (sql: string) => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await adminSql(
      `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
    );
    try {
      const url = new URL(serverUrl!);
      url.pathname = `/${name}`;
      const storm = await stormWithKill(
        {
          ...process.env,
          DATABASE_URL: url.toString(),
          ARMSLEDGER_DATA: dir.path("data"),
          ARMSLEDGER_MASTER_KEY: testMasterKeyText,
        },
        { databaseUrl: url.toString(), masterKey: testMasterKey },
        dir.path(""),
      );
      expect(storm.acknowledged.size).toBe(TOTAL);
    } finally {
      await adminSql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});
