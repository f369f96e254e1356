import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Actor } from "@armsledger/core";
import { executeCommand, executeSync, scratchStore } from "@armsledger/server";
import { sql } from "drizzle-orm";
import pg from "pg";
import { queueOf } from "./sync-storm.ts";

// Where a synced command's time goes (issue 8): the sync storm's queues recorded through
// executeSync in this process, one chunk after another (no HTTP, no concurrency), with every
// statement sent through node-postgres counted and timed. Prints commands/s per 1,000 commands,
// statements per command and the statements that took the most time. Not a benchmark of record
// (it patches the driver); a tool to see what to cut next. Run from the repository root:
//   DATABASE_URL=postgres://… PROFILE_CLIENTS=20 PROFILE_COMMANDS=100 node bench/src/write-path-profile.ts
// (node --cpu-prof for the JavaScript side.) PROFILE_RESET=N forgets the statements of the first
// N commands, to see a grown registry.

const stats = new Map<string, { n: number; ms: number }>();
let statements = 0;
let databaseMs = 0;
type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const query = pg.Client.prototype.query as unknown as Query;
(pg.Client.prototype as unknown as { query: Query }).query = function (this: pg.Client, ...args: unknown[]) {
  const config = args[0] as string | { text?: string } | undefined;
  const text = typeof config === "string" ? config : (config?.text ?? "");
  const key = text.replace(/\$\d+/g, "?").replace(/\s+/g, " ").slice(0, 110);
  const start = performance.now();
  const result = query.apply(this, args) as Promise<unknown> | undefined;
  result?.then?.(
    () => {
      const ms = performance.now() - start;
      statements++;
      databaseMs += ms;
      const s = stats.get(key) ?? { n: 0, ms: 0 };
      s.n++;
      s.ms += ms;
      stats.set(key, s);
    },
    () => {},
  );
  return result;
};

const admin: Actor = { userId: "bench", role: "admin", scope: { sites: "all", governorates: "all" } };
const store = await scratchStore(process.env.DATABASE_URL || undefined);
const command = (type: string, payload: unknown) => ({ commandId: randomUUID(), type, payload });
const site = await executeCommand(
  store,
  command("site.register", {
    code: "PROFILE-01",
    kind: "collection",
    name: { ar: "موقع", en: "Profile site" },
    governorate: "IQ-BG",
    location: { lat: 33.31, lon: 44.36 },
  }),
  admin,
);
await executeCommand(
  store,
  command("programme.configure", {
    name: { ar: "برنامج", en: "Profile programme" },
    eligibility: {
      eligibleCategories: ["rifle", "pistol", "machine_gun"],
      requireServiceable: true,
      minimumRounds: 200,
      cutOffDate: "2030-12-31",
    },
    caps: [],
    legal: { amnesty: true, noForensicUse: true },
    dataOwner: "National DDR Commission",
    retentionYears: 10,
  }),
  admin,
);
const siteId = site.data.siteId as string;
const registrar: Actor = {
  userId: "registrar",
  role: "registrar",
  scope: { sites: [siteId], governorates: "all" },
};
const clients = Number(process.env.PROFILE_CLIENTS ?? 20);
const perClient = Number(process.env.PROFILE_COMMANDS ?? 100);
const chunk = Number(process.env.PROFILE_CHUNK ?? 100);
const reset = Number(process.env.PROFILE_RESET ?? 0);
// The database server's CPU for this database's connections, when it runs on this machine
// (/proc): with the process's own, what a command costs the machine's cores.
async function databaseCpuMs(): Promise<Map<number, number>> {
  const cpu = new Map<number, number>();
  if (store.kind !== "server") return cpu;
  const { rows } = (await store.db.execute(
    sql`select pid from pg_stat_activity where datname = current_database()`,
  )) as unknown as { rows: { pid: number }[] };
  for (const { pid } of rows)
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100); // utime + stime, in ticks of 1/100 s
    } catch {}
  return cpu;
}
let databaseCpuFrom = await databaseCpuMs();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let done = 0;
let windowStart = t0;
let nextReport = 1000;
let cpuFrom = cpu0;
for (let k = 0; k < clients; k++) {
  const queue = queueOf(k, perClient, siteId);
  for (let start = 0; start < queue.length; start += chunk) {
    const outcomes = await executeSync(store, queue.slice(start, start + chunk), registrar);
    for (const o of outcomes) if (!("seq" in o)) throw new Error(`refused: ${o.message}`);
    done += outcomes.length;
    if (reset > 0 && done === reset) {
      stats.clear();
      statements = 0;
      databaseMs = 0;
      cpuFrom = process.cpuUsage();
      databaseCpuFrom = await databaseCpuMs();
    }
    if (done >= nextReport) {
      const now = performance.now();
      console.log(`${done} commands: ${(1000 / ((now - windowStart) / 1000)).toFixed(0)} commands/s`);
      windowStart = now;
      nextReport += 1000;
    }
  }
}
const seconds = (performance.now() - t0) / 1000;
const counted = reset > 0 ? done - reset : done;
// This process's own CPU (the rules, hashing, encryption, drizzle, node-postgres): what a
// command costs the server's JavaScript, whatever the database does.
const cpu = process.cpuUsage(cpuFrom);
let databaseCpu = 0;
for (const [pid, ms] of await databaseCpuMs()) databaseCpu += ms - (databaseCpuFrom.get(pid) ?? 0);
console.log(
  `${done} commands in ${seconds.toFixed(1)} s (${(done / seconds).toFixed(0)}/s); ${(statements / counted).toFixed(1)} statements a command, ${(databaseMs / 1000).toFixed(1)} s waiting for the database, ${((cpu.user + cpu.system) / 1000 / counted).toFixed(2)} ms of this process's CPU a command${databaseCpu > 0 ? `, ${(databaseCpu / counted).toFixed(2)} ms of the database server's` : ""}`,
);
for (const [text, s] of [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30))
  console.log(
    `${String(s.n).padStart(7)} ${s.ms.toFixed(0).padStart(7)} ms ${(s.ms / s.n).toFixed(2).padStart(6)}  ${text}`,
  );
await store.dispose();
