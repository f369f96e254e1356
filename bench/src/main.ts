import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { runCustodyReportsBench } from "./custody-reports.ts";
import { runEncryptionBench } from "./encryption/bench.ts";
import { runHttpReadsBench } from "./http-reads.ts";
import { benchInclusionProof } from "./inclusion-proof.ts";
import { runScenarioHttpBench } from "./scenario-http.ts";
import { runScenarioQueriesBench } from "./scenario-queries.ts";
import { runSyncStormBench } from "./sync-storm.ts";
import { benchVerifyLog } from "./verify-log.ts";
import { runWritePathBench } from "./write-path.ts";

// `npm run bench`: runs each benchmark, prints a table and writes bench/results/<name>.json.
// BENCH_N (write path, default 2000), BENCH_SIZES (inclusion proofs, default 1000000,10000000),
// BENCH_VERIFY_N (verify throughput, default 1000000),
// DATABASE_URL (a PostgreSQL server instead of the embedded database).
const databaseUrl = process.env.DATABASE_URL;
const machine = {
  cpus: os.cpus().length,
  model: os.cpus()[0]?.model,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
};
mkdirSync(new URL("../results/", import.meta.url), { recursive: true });
const save = (name: string, results: unknown) =>
  writeFileSync(
    new URL(`../results/${name}.json`, import.meta.url),
    `${JSON.stringify({ at: new Date().toISOString(), machine, results }, null, 2)}\n`,
  );

// BENCH_ONLY=write-path,proofs,verify,custody-reports,sync-storm,http-reads runs a subset.
const only = new Set(
  (process.env.BENCH_ONLY ?? "write-path,proofs,verify,custody-reports,sync-storm,http-reads").split(","),
);

if (only.has("write-path")) {
  const writePath = await runWritePathBench({ n: Number(process.env.BENCH_N ?? 2000), databaseUrl });
  console.table([
    {
      database: writePath.database,
      n: writePath.n,
      "ours /s": writePath.oursPerSecond.toFixed(0),
      "raw /s": writePath.rawPerSecond.toFixed(0),
      "ours / raw": writePath.ratio.toFixed(2),
      "one JSON insert /s": writePath.jsonInsertPerSecond.toFixed(0),
      "ours / JSON insert": writePath.ratioToJsonInsert.toFixed(2),
    },
  ]);
  save(`write-path-${writePath.database}`, [writePath]);
}

if (only.has("proofs")) {
  const sizes = (process.env.BENCH_SIZES ?? "1000000,10000000").split(",").map(Number);
  const proofs = [];
  for (const size of sizes) proofs.push(await benchInclusionProof({ size, requests: 1000, databaseUrl }));
  console.table(
    proofs.map((p) => ({
      database: p.database,
      leaves: p.size,
      "inclusion p50 ms": p.inclusionP50ms.toFixed(2),
      "inclusion p99 ms": p.inclusionP99ms.toFixed(2),
      "consistency (HTTP) p99 ms": p.consistencyHttpP99ms.toFixed(2),
    })),
  );
  save(`inclusion-proof-${proofs[0]?.database}`, proofs);
}

if (only.has("verify")) {
  const verify = await benchVerifyLog({
    n: Number(process.env.BENCH_VERIFY_N ?? 1_000_000),
    entryBytes: 200,
  });
  console.table([
    {
      leaves: verify.n,
      "raw SHA-256 per entry ms": verify.rawPerEntryMs.toFixed(0),
      "verify, 1 thread ms": verify.verifyOneThreadMs.toFixed(0),
      [`verify, ${verify.workers} workers ms`]: verify.verifyWorkersMs.toFixed(0),
      "ratio (1 thread)": verify.ratioOneThreadVsPerEntry.toFixed(2),
      "ratio (workers)": verify.ratioWorkersVsPerEntry.toFixed(2),
    },
  ]);
  save(`verify-log-${verify.n}`, [verify]);
}

// Disposition balance and item trail on a generated scenario: BENCH_SCALE (default 0.1) and
// BENCH_SEED, or BENCH_SCENARIO_DB (postgres://… or an embedded database's directory), a database
// already seeded with `armsledger seed --scenario`.
if (only.has("custody-reports")) {
  const custody = await runCustodyReportsBench({
    databaseUrl,
    scenarioUrl: process.env.BENCH_SCENARIO_DB || undefined,
    scale: Number(process.env.BENCH_SCALE ?? 0.1),
    seed: Number(process.env.BENCH_SEED ?? 1),
    balanceRuns: 30,
    trails: 1000,
  });
  const ms = (x: number) => x.toFixed(1);
  console.log(
    `disposition balance from an empty tally (rebuilt from leaf 0): ${ms(custody.balanceRebuildMs)} ms`,
  );
  console.table([
    {
      database: custody.database,
      weapons: custody.weapons,
      report: "disposition balance",
      "p50 ms": ms(custody.balanceMs.p50),
      "p95 ms": ms(custody.balanceMs.p95),
      "p99 ms": ms(custody.balanceMs.p99),
      "raw p50 ms": ms(custody.balanceRawMs.p50),
      "ours / raw": custody.balanceRatio.toFixed(1),
    },
    {
      database: custody.database,
      weapons: custody.weapons,
      report: "item trail",
      "p50 ms": ms(custody.trailMs.p50),
      "p95 ms": ms(custody.trailMs.p95),
      "p99 ms": ms(custody.trailMs.p99),
      "raw p50 ms": ms(custody.trailRawMs.p50),
      "ours / raw": custody.trailRatio.toFixed(1),
    },
  ]);
  save("custody-reports", [custody]);
}

// The sync storm (issue 8): BENCH_STORM_CLIENTS laptops (default 200) × BENCH_STORM_COMMANDS
// queued commands each (default 500), sent BENCH_STORM_CHUNK to a sync request (default 100),
// then the same load one command per request as the baseline (BENCH_STORM_BASELINE=0 skips it).
if (only.has("sync-storm")) {
  const storm = await runSyncStormBench({
    databaseUrl,
    clients: Number(process.env.BENCH_STORM_CLIENTS ?? 200),
    commands: Number(process.env.BENCH_STORM_COMMANDS ?? 500),
    chunk: Number(process.env.BENCH_STORM_CHUNK ?? 100),
    baseline: process.env.BENCH_STORM_BASELINE !== "0",
  });
  console.table(
    [storm.sync, storm.single].flatMap((r) =>
      r
        ? [
            {
              database: r.database,
              through: r.mode === "sync" ? `sync, ${r.commandsPerRequest}/request` : "one command/request",
              clients: r.clients,
              commands: r.commands,
              "drain s": r.drainSeconds.toFixed(1),
              "commands/s": r.commandsPerSecond.toFixed(0),
              "request p50 ms": r.requestP50ms.toFixed(0),
              "request p99 ms": r.requestP99ms.toFixed(0),
              retries: r.retries,
              "exactly once": r.exactlyOnce,
              "server peak RSS MiB": r.serverPeakRssMiB,
            },
          ]
        : [],
    ),
  );
  if (storm.syncOverSingle) console.log(`sync / single: ${storm.syncOverSingle.toFixed(2)}`);
  // One file for every size and database run, the latest run of each kept.
  const file = new URL("../results/sync-storm.json", import.meta.url);
  const sizeOf = (r: typeof storm.sync) =>
    `${r.database} ${r.clients}x${r.commandsPerClient}/${r.commandsPerRequest}`;
  const earlier = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")).results as { sync: typeof storm.sync }[])
    : [];
  save("sync-storm", [
    ...earlier.filter((r) => sizeOf(r.sync) !== sizeOf(storm.sync)),
    { ...storm, machine, loadAverage: os.loadavg(), at: new Date().toISOString() },
  ]);
}

// HTTP reads under load (autocannon): BENCH_READS_COMMANDS recorded first (default 2000),
// BENCH_READS_CONNECTIONS (default 50) for BENCH_READS_SECONDS (default 10) per endpoint.
if (only.has("http-reads")) {
  const reads = await runHttpReadsBench({
    databaseUrl,
    commands: Number(process.env.BENCH_READS_COMMANDS ?? 2000),
    connections: Number(process.env.BENCH_READS_CONNECTIONS ?? 50),
    seconds: Number(process.env.BENCH_READS_SECONDS ?? 10),
  });
  console.table(
    reads.map((r) => ({
      database: r.database,
      endpoint: r.path,
      "requests/s": r.requestsPerSecond.toFixed(0),
      "p50 ms": r.latencyP50ms,
      "p99 ms": r.latencyP99ms,
      non2xx: r.non2xx,
      errors: r.errors,
    })),
  );
  save(`http-reads-${reads[0]?.database}`, [{ results: reads, loadAverage: os.loadavg() }]);
}

// The cost of field encryption (issue 7), encrypted vs the same store with an identity cipher,
// in one run: BENCH_ENCRYPTION_PEOPLE in the registry (default 1000000, bulk-loaded),
// BENCH_ENCRYPTION_REGISTRATIONS through the write path (default 1000) and
// BENCH_ENCRYPTION_CHECKS duplicate checks alone (default 1000), on each store.
// Opt-in (BENCH_ONLY=encryption): a million people take a while to generate and load.
if (only.has("encryption")) {
  const people = Number(process.env.BENCH_ENCRYPTION_PEOPLE ?? 1_000_000);
  const enc = await runEncryptionBench({
    databaseUrl,
    people,
    registrations: Number(process.env.BENCH_ENCRYPTION_REGISTRATIONS ?? 1000),
    checks: Number(process.env.BENCH_ENCRYPTION_CHECKS ?? 1000),
    log: (line) => console.log(`encryption: ${line}`),
  });
  const ms = (x: number) => x.toFixed(2);
  console.table([
    {
      database: enc.database,
      people: enc.people,
      measure: "registration (write path)",
      "encrypted /s": enc.registration.encrypted.perSecond.toFixed(0),
      "plain /s": enc.registration.plain.perSecond.toFixed(0),
      "encrypted p50 / p95 ms": `${ms(enc.registration.encrypted.p50ms)} / ${ms(enc.registration.encrypted.p95ms)}`,
      "plain p50 / p95 ms": `${ms(enc.registration.plain.p50ms)} / ${ms(enc.registration.plain.p95ms)}`,
      "ratio mean": enc.registration.ratioMean.toFixed(2),
      "ratio p50": enc.registration.ratioP50.toFixed(2),
      "ratio p95": enc.registration.ratioP95.toFixed(2),
    },
    {
      database: enc.database,
      people: enc.people,
      measure: "duplicate check",
      "encrypted /s": (1000 / enc.check.encrypted.meanMs).toFixed(0),
      "plain /s": (1000 / enc.check.plain.meanMs).toFixed(0),
      "encrypted p50 / p95 ms": `${ms(enc.check.encrypted.p50ms)} / ${ms(enc.check.encrypted.p95ms)}`,
      "plain p50 / p95 ms": `${ms(enc.check.plain.p50ms)} / ${ms(enc.check.plain.p95ms)}`,
      "ratio mean": enc.check.ratioMean.toFixed(2),
      "ratio p50": enc.check.ratioP50.toFixed(2),
      "ratio p95": enc.check.ratioP95.toFixed(2),
    },
  ]);
  console.log(
    `candidates per check ${enc.check.candidatesPerCheck.toFixed(1)}, one person row opened in ${enc.openPersonRowUs.toFixed(1)} µs, same decisions ${(enc.check.sameDecisions * 100).toFixed(1)}%`,
  );
  save("encryption", [{ ...enc, loadAverage: os.loadavg() }]);
}

// The dashboard and reconciliation queries on a seeded national scenario (issue 8, target
// < 200 ms each): BENCH_ONLY=scenario-queries BENCH_SCENARIO_DB=postgres://… (not in the default
// set: it needs a database seeded beforehand). BENCH_QUERY_RUNS (default 30) per query.
if (only.has("scenario-queries")) {
  const scenarioUrl = process.env.BENCH_SCENARIO_DB;
  if (!scenarioUrl)
    throw new Error(
      "scenario-queries needs BENCH_SCENARIO_DB, a database seeded with `armsledger seed --scenario`",
    );
  const loadBefore = os.loadavg();
  const q = await runScenarioQueriesBench({
    scenarioUrl,
    runs: Number(process.env.BENCH_QUERY_RUNS ?? 30),
    trails: 300,
  });
  console.log(
    `${q.database}: ${q.events} events, ${q.persons} people, ${q.weapons} weapons, ${q.ammunitionLots} lots, ${q.caches} caches`,
  );
  console.table(
    q.queries.map((r) => ({
      query: r.query,
      runs: r.n,
      "p50 ms": r.p50.toFixed(1),
      "p95 ms": r.p95.toFixed(1),
      "p99 ms": r.p99.toFixed(1),
      "< 200 ms (p95)": r.p95 < 200,
    })),
  );
  save(`scenario-queries-${q.database}`, [
    { ...q, loadAverage: { before: loadBefore, after: os.loadavg() } },
  ]);
}

// The server itself on the seeded national scenario (issue 8): the dashboard and reconciliation
// routes through HTTP under load and the server's peak resident memory (target < 1 GB):
// BENCH_ONLY=scenario-http BENCH_SCENARIO_DB=postgres://… (not in the default set),
// BENCH_READS_CONNECTIONS (default 10) for BENCH_READS_SECONDS (default 10) per route.
if (only.has("scenario-http")) {
  const scenarioUrl = process.env.BENCH_SCENARIO_DB;
  if (!scenarioUrl)
    throw new Error(
      "scenario-http needs BENCH_SCENARIO_DB, a database seeded with `armsledger seed --scenario`",
    );
  const loadBefore = os.loadavg();
  const served = await runScenarioHttpBench({
    scenarioUrl,
    connections: Number(process.env.BENCH_READS_CONNECTIONS ?? 10),
    seconds: Number(process.env.BENCH_READS_SECONDS ?? 10),
  });
  console.table(
    served.results.map((r) => ({
      route: r.endpoint,
      "requests/s": r.requestsPerSecond.toFixed(1),
      "p50 ms": r.latencyP50ms,
      "p99 ms": r.latencyP99ms,
      non2xx: r.non2xx,
      errors: r.errors,
    })),
  );
  console.log(`server peak resident memory: ${served.serverPeakRssMiB} MiB`);
  save("scenario-http-server", [{ ...served, loadAverage: { before: loadBefore, after: os.loadavg() } }]);
}
