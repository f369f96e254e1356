import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import os from "node:os";
import { familyNames, femaleNames, maleNames, writeName } from "armsledger/scenario";

// The sync storm (issue 8): field laptops come back online at once and drain their offline
// queues. The real server (sync-storm-server.ts, its own process: buildApp on a scratch store,
// listening on a port, the checkpointer beside it) and CLIENTS simulated laptops in this process,
// each with COMMANDS queued commands (a person registered with a client-made id, then that
// person's handover, repeated), all starting together. Two runs on two fresh stores, in the same
// run of the benchmark:
// - sync: each laptop sends its queue through POST /api/v1/commands/sync, CHUNK commands a request;
// - single (the baseline): each laptop sends the same kind of queue one POST /api/v1/commands at a time.
// A laptop sends a request again after a network error or a 503 (as the offline queue does);
// anything else that is not "recorded" fails the run. Afterwards: every command acknowledged
// once, the ledger holding exactly one event per command (no duplicates, none lost), and the
// server's peak resident memory (its own, from getrusage).

export interface StormOptions {
  databaseUrl: string | undefined;
  clients: number;
  commands: number;
  chunk: number;
  baseline: boolean;
}

interface Command {
  commandId: string;
  type: string;
  payload: unknown;
}

interface Answer {
  commandId: string;
  seq: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function queueOf(client: number, commands: number, siteId: string): Command[] {
  const queue: Command[] = [];
  for (let i = 0; queue.length < commands; i++) {
    const n = client * 1_000_003 + i;
    const personId = randomUUID();
    // Names spread over the pools (as people are), so the duplicate check meets realistic blocks.
    const chain = {
      female: false,
      given: n % maleNames.length,
      father: Math.floor(n / 7) % maleNames.length,
      grandfather: Math.floor(n / 53) % maleNames.length,
      family: Math.floor(n / 11) % familyNames.length,
      mother: n % femaleNames.length,
    };
    queue.push({
      commandId: randomUUID(),
      type: "person.register",
      payload: {
        siteId,
        personId,
        kind: "combatant",
        ...writeName(chain),
        birth: { year: 1960 + (n % 45) },
        sex: "male",
        governorate: "IQ-BG",
        nationalId: String(300_000_000_000 + client * 100_000 + i),
        listedByGroup: true,
        consent: { given: true, recordedOn: "2026-01-10" },
      },
    });
    if (queue.length >= commands) break;
    queue.push({
      commandId: randomUUID(),
      type: "handover.record",
      payload: {
        siteId,
        handedAt: "2026-02-01T09:30:00Z",
        verifyingOfficer: { name: "Observer One", affiliation: "UN Mission" },
        from: { kind: "person", personId },
        weapons: [
          {
            category: "rifle",
            type: "assault rifle",
            make: "Kalashnikov",
            model: "AKM",
            calibre: "7.62x39mm",
            serial: `ST-${client}-${i}`,
            condition: "good",
            serviceable: true,
          },
        ],
        ammunition: [
          {
            kind: "cartridge",
            calibreOrType: "7.62x39mm",
            quantity: 240,
            unit: "rounds",
            condition: "stable",
            safeToMove: true,
          },
        ],
      },
    });
  }
  return queue;
}

export interface ServerReady {
  port: number;
  token: string;
  adminToken: string;
  siteId: string;
  kind: string;
}
interface ServerCounts {
  events: number;
  commands: number;
  ledger_size: number;
  persons: number;
  handovers: number;
  setupEvents: number;
  peakRssMiB: number;
  analyzedEvery20s: boolean;
}

export function startServer(databaseUrl: string | undefined) {
  return forkServer(new URL("./sync-storm-server.ts", import.meta.url), { DATABASE_URL: databaseUrl ?? "" });
}

/** A benchmark's server in a process of its own (its memory and CPU its own), and its next message. */
export function forkServer(script: URL, env: Record<string, string>) {
  const child = fork(script, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      child.once("message", (m) => resolve(m as T));
      child.once("exit", (code) => reject(new Error(`the benchmark's server exited (${code})`)));
    });
  return { child, next };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function storm(mode: "sync" | "single", options: StormOptions) {
  const server = startServer(options.databaseUrl);
  try {
    return await stormOn(server, mode, options);
  } finally {
    // A failed run must not leave its server behind.
    if (server.child.exitCode === null) server.child.kill();
  }
}

async function stormOn(
  server: ReturnType<typeof startServer>,
  mode: "sync" | "single",
  options: StormOptions,
) {
  const ready = await server.next<ServerReady>();
  const url = `http://127.0.0.1:${ready.port}`;
  const headers = { authorization: `Bearer ${ready.token}`, "content-type": "application/json" };
  const queues = Array.from({ length: options.clients }, (_, k) =>
    queueOf(k, options.commands, ready.siteId),
  );
  const acknowledged = new Map<string, number>();
  let retries = 0;
  let requests = 0;
  const latencies: number[] = [];

  // Sends one request until it is answered 200: again after a network error or a 503.
  async function send(path: string, body: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 50) throw new Error(`${path}: no answer after 50 attempts`);
      const start = performance.now();
      let response: Response;
      try {
        requests++;
        response = await fetch(url + path, { method: "POST", headers, body: JSON.stringify(body) });
      } catch {
        retries++;
        await sleep(100 + Math.random() * 200);
        continue;
      }
      if (response.status === 503) {
        retries++;
        await response.body?.cancel();
        await sleep(200 + Math.random() * 300);
        continue;
      }
      const answer = await response.json();
      latencies.push(performance.now() - start);
      if (response.status !== 200)
        throw new Error(`${path} answered ${response.status}: ${JSON.stringify(answer)}`);
      return answer;
    }
  }
  const acknowledge = (answer: Answer) => {
    if (acknowledged.has(answer.commandId)) throw new Error(`${answer.commandId} acknowledged twice`);
    acknowledged.set(answer.commandId, answer.seq);
  };

  async function laptop(queue: Command[]) {
    if (mode === "single") {
      for (const c of queue) acknowledge((await send("/api/v1/commands", c)) as Answer);
      return;
    }
    for (let start = 0; start < queue.length; start += options.chunk) {
      const { results } = (await send("/api/v1/commands/sync", {
        commands: queue.slice(start, start + options.chunk),
      })) as { results: { outcome: string; answer?: Answer; problem?: unknown }[] };
      for (const r of results) {
        if (r.outcome !== "recorded") throw new Error(`refused: ${JSON.stringify(r.problem)}`);
        acknowledge(r.answer!);
      }
    }
  }

  const loadBefore = os.loadavg()[0]!;
  const t0 = performance.now();
  await Promise.all(queues.map(laptop));
  const seconds = (performance.now() - t0) / 1000;
  const loadAfter = os.loadavg()[0]!;
  server.child.send("finish");
  const counts = await server.next<ServerCounts>();
  await new Promise((resolve) => server.child.once("exit", resolve));

  const total = options.clients * options.commands;
  const seqs = new Set(acknowledged.values());
  const stormEvents = counts.events - counts.setupEvents;
  const exactlyOnce =
    acknowledged.size === total &&
    seqs.size === total &&
    stormEvents === total &&
    counts.commands === counts.events &&
    counts.ledger_size === counts.events &&
    counts.persons === Math.ceil(total / 2) &&
    counts.handovers === Math.floor(total / 2);
  if (!exactlyOnce)
    throw new Error(
      `${mode} storm: not exactly once: ${acknowledged.size} acknowledged, ${seqs.size} distinct leaves, ${JSON.stringify(counts)}`,
    );
  latencies.sort((a, b) => a - b);
  return {
    mode,
    database: ready.kind,
    clients: options.clients,
    commandsPerClient: options.commands,
    commandsPerRequest: mode === "sync" ? options.chunk : 1,
    commands: total,
    requests,
    retries,
    drainSeconds: seconds,
    commandsPerSecond: total / seconds,
    requestP50ms: percentile(latencies, 50),
    requestP99ms: percentile(latencies, 99),
    events: stormEvents,
    distinctCommandIds: counts.commands - counts.setupEvents,
    exactlyOnce,
    serverPeakRssMiB: counts.peakRssMiB,
    analyzedEvery20s: counts.analyzedEvery20s,
    loadAverage: { before: loadBefore, after: loadAfter },
  };
}

export async function runSyncStormBench(options: StormOptions) {
  const sync = await storm("sync", options);
  const single = options.baseline ? await storm("single", options) : undefined;
  return {
    sync,
    single,
    syncOverSingle: single ? sync.commandsPerSecond / single.commandsPerSecond : undefined,
  };
}
