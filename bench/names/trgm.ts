import type { MatchInput } from "@armsledger/core";
import { scratchStore } from "@armsledger/server";
import { sql } from "drizzle-orm";
import { bestThreshold, type PairMetrics, percentile } from "./evaluate.ts";
import type { World } from "./generate.ts";

// The baseline a team reaches for first: PostgreSQL pg_trgm similarity on the full name (every
// name field in both scripts, as one string), GIN index, `%` with similarity_threshold 0.3, best
// 20 by similarity. Run on a scratch database created with ENCODING 'UTF8' and C.UTF-8 collation
// (scratchStore does): under the plain C locale pg_trgm extracts no trigrams from Arabic.

export function fullName(input: MatchInput): string {
  const parts: string[] = [];
  for (const script of ["arabic", "latin"] as const) {
    const c = input.name[script];
    if (c) parts.push(...[c.given, c.father, c.grandfather, c.family].filter((x): x is string => !!x));
  }
  return parts.join(" ");
}

export interface TrgmResult {
  registered: number;
  /** The similarity threshold of the `%` search (0.3 = pg_trgm's default). */
  threshold: number;
  queries: number;
  loadMs: number;
  indexMs: number;
  p50ms: number;
  p95ms: number;
  /** Duplicates whose true record was among the returned rows (similarity ≥ threshold, top 20). */
  pairsCompleteness: number;
  best: PairMetrics;
}

export async function runTrgm(
  world: World,
  databaseUrl: string,
  maxQueries: number,
  threshold = 0.3,
): Promise<TrgmResult> {
  const store = await scratchStore(databaseUrl);
  try {
    const db = store.db;
    await db.execute(sql`create extension if not exists pg_trgm`);
    await db.execute(sql`create table names_trgm (id int primary key, pid int not null, name text not null)`);
    const loadStart = performance.now();
    const batch = 20_000;
    for (let start = 0; start < world.registry.length; start += batch) {
      const rows = world.registry
        .slice(start, start + batch)
        .map((r, k) => ({ id: start + k, pid: r.pid, name: fullName(r.input) }));
      await db.execute(
        sql`insert into names_trgm select * from json_to_recordset(${JSON.stringify(rows)}::json) as x(id int, pid int, name text)`,
      );
    }
    const loadMs = performance.now() - loadStart;
    const indexStart = performance.now();
    await db.execute(sql`create index names_trgm_gin on names_trgm using gin (name gin_trgm_ops)`);
    await db.execute(sql`vacuum analyze names_trgm`);
    const indexMs = performance.now() - indexStart;
    const queries = world.queries.slice(0, maxQueries);
    const latencies: number[] = [];
    const pairs: { match: boolean; weight: number }[] = [];
    let duplicates = 0;
    let found = 0;
    for (const q of queries) {
      const name = fullName(q.input);
      const start = performance.now();
      const rows = await db.transaction(async (tx) => {
        await tx.execute(sql.raw(`set local pg_trgm.similarity_threshold = ${Number(threshold)}`));
        const r = await tx.execute(
          sql`select pid, similarity(name, ${name}) as s from names_trgm where name % ${name} order by s desc limit 20`,
        );
        return (r as unknown as { rows: { pid: number; s: number }[] }).rows;
      });
      latencies.push(performance.now() - start);
      let hit = false;
      for (const row of rows) {
        const match = row.pid === q.pid;
        hit ||= match;
        pairs.push({ match, weight: Number(row.s) });
      }
      if (q.kind === "duplicate") {
        duplicates++;
        if (hit) found++;
      }
    }
    return {
      registered: world.registry.length,
      threshold,
      queries: queries.length,
      loadMs,
      indexMs,
      p50ms: percentile(latencies, 50),
      p95ms: percentile(latencies, 95),
      pairsCompleteness: duplicates === 0 ? 1 : found / duplicates,
      best: bestThreshold(pairs, duplicates),
    };
  } finally {
    await store.dispose();
  }
}
