import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { runWritePathBench } from "./write-path.ts";

// `npm run bench`: runs each benchmark, prints a table and writes bench/results/<name>.json.
const n = Number(process.env.BENCH_N ?? 2000);
const results = [await runWritePathBench({ n, databaseUrl: process.env.DATABASE_URL })];
const machine = {
  cpus: os.cpus().length,
  model: os.cpus()[0]?.model,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
};
console.table(
  results.map((r) => ({
    database: r.database,
    n: r.n,
    "ours /s": r.oursPerSecond.toFixed(0),
    "raw /s": r.rawPerSecond.toFixed(0),
    "ours / raw": r.ratio.toFixed(2),
  })),
);
mkdirSync(new URL("../results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL(`../results/write-path-${results[0]!.database}.json`, import.meta.url),
  `${JSON.stringify({ at: new Date().toISOString(), machine, results }, null, 2)}\n`,
);
