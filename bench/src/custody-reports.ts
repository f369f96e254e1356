import type { Actor } from "@armsledger/core";
import {
  dispositionBalance,
  findMasterKey,
  getItemTrail,
  openStore,
  type Store,
  scratchStore,
  tables as t,
} from "@armsledger/server";
import { scenarioSummary, seedScenario } from "armsledger/scenario";
import { asc, count, eq, sql } from "drizzle-orm";
import { autovacuumIsOff } from "./autovacuum.ts";

// Issue 4's benchmark: the disposition balance (target < 500 ms) and one item's trail (target
// < 20 ms) on the generated national scenario, with percentiles. Each is set beside a raw
// baseline measured in the same run on the same data: the balance beside the bare count of
// weapons by category and state, the trail beside the bare index lookup of the item's events.

const reader: Actor = { userId: "bench", role: "admin", scope: { sites: "all", governorates: "all" } };

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), n: sorted.length };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function sample(runs: number, work: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(3, runs); i++) await work(i); // warm caches and plans
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await timed(() => work(i)));
  return percentiles(samples);
}

export async function benchCustodyReports(store: Store, options: { balanceRuns: number; trails: number }) {
  const [weapons] = await store.db.select({ n: count() }).from(t.weaponItems);
  // Items spread evenly over the tag order (oldest to newest), the same ones on every run.
  const all = await store.db
    .select({ id: t.weaponItems.id })
    .from(t.weaponItems)
    .orderBy(asc(t.weaponItems.tag));
  const step = Math.max(1, Math.floor(all.length / options.trails));
  const items = all
    .filter((_, i) => i % step === 0)
    .slice(0, options.trails)
    .map((r) => r.id);

  // Once from an empty tally: the ledger side rebuilt from leaf 0 (a new server, or after the
  // cache was emptied). Every later read parses only the leaves appended since the one before.
  await store.db.delete(t.ledgerTallyItems);
  await store.db.update(t.ledgerTally).set({ throughSeq: -1 });
  const balanceRebuildMs = await timed(() => dispositionBalance(store));
  const balance = await sample(options.balanceRuns, () => dispositionBalance(store));
  const balanceRaw = await sample(options.balanceRuns, () =>
    store.db
      .select({ category: t.weaponItems.category, state: t.weaponItems.state, n: count() })
      .from(t.weaponItems)
      .groupBy(t.weaponItems.category, t.weaponItems.state),
  );
  const trail = await sample(items.length, (i) =>
    getItemTrail(store, reader, "weapon", items[i % items.length]!),
  );
  const trailRaw = await sample(items.length, (i) =>
    store.db
      .select({ seq: t.recordHistory.seq })
      .from(t.recordHistory)
      .where(sql`${t.recordHistory.kind} = 'weapon' and ${t.recordHistory.id} = ${items[i % items.length]!}`),
  );
  const result = await dispositionBalance(store);
  const [destroyed] = await store.db
    .select({ n: count() })
    .from(t.weaponItems)
    .where(eq(t.weaponItems.state, "destroyed"));
  return {
    weapons: weapons!.n,
    destroyed: destroyed!.n,
    balanced: result.balanced,
    balanceRebuildMs,
    balanceMs: balance,
    balanceRawMs: balanceRaw,
    balanceRatio: balance.p50 / balanceRaw.p50,
    trailMs: trail,
    trailRawMs: trailRaw,
    trailRatio: trail.p50 / trailRaw.p50,
  };
}

/**
 * A database seeded beforehand with `armsledger seed --scenario`: a postgres:// URL, or the
 * directory of an embedded database such as <ARMSLEDGER_DATA>/db, opened with the master key the
 * CLI that seeded it was given (ARMSLEDGER_MASTER_KEY or ARMSLEDGER_MASTER_KEY_FILE).
 */
export async function openSeededScenario(url: string): Promise<Store> {
  const store = await openStore({
    ...(/^postgres(ql)?:/.test(url) ? { databaseUrl: url } : { dataDir: url }),
    masterKey: findMasterKey({
      text: process.env.ARMSLEDGER_MASTER_KEY,
      file: process.env.ARMSLEDGER_MASTER_KEY_FILE,
    }),
  });
  if (store.kind === "embedded") await store.migrate();
  // A seeded database on a server without autovacuum has never been vacuumed: the rows the
  // scenario updated (custody moves, destruction) stay dead in the tables and every scan reads
  // them (at scale 0.1, a bare count of the events took 7.2 ms at p50 before, 2.6 ms after, in
  // consecutive runs). Do once what autovacuum would have done on an operator's server.
  if (await autovacuumIsOff(store)) {
    const started = performance.now();
    await store.db.execute(sql`vacuum (analyze)`);
    console.error(
      `autovacuum is off: ran VACUUM (ANALYZE) first, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  return store;
}

/**
 * On a database already seeded (BENCH_SCENARIO_DB: a postgres:// URL, or the directory of an
 * embedded database such as <ARMSLEDGER_DATA>/db; its rows left as they are), or on a scratch one seeded
 * here at BENCH_SCALE (dropped afterwards).
 */
export async function runCustodyReportsBench(options: {
  databaseUrl?: string | undefined;
  scenarioUrl?: string | undefined;
  scale: number;
  seed: number;
  balanceRuns: number;
  trails: number;
}) {
  const seeded = options.scenarioUrl ? await openSeededScenario(options.scenarioUrl) : undefined;
  const store = seeded ?? (await scratchStore(options.databaseUrl));
  try {
    let seeding: { seconds: number; commandsPerSecond: number } | undefined;
    if (!seeded) {
      const report = await seedScenario(store, { seed: options.seed, scale: options.scale });
      seeding = { seconds: report.seconds, commandsPerSecond: report.recorded / report.seconds };
    }
    if (store.kind === "server") await store.db.execute(sql`analyze`);
    const summary = await scenarioSummary(store);
    const measured = await benchCustodyReports(store, options);
    return {
      database: store.kind,
      scenario: seeded
        ? "a database seeded beforehand (BENCH_SCENARIO_DB)"
        : `iraq-national, seed ${options.seed}, scale ${options.scale}`,
      seeding,
      events: summary.events,
      persons: summary.persons,
      ammunitionLots: summary.ammunitionLots,
      rounds: summary.rounds,
      ...measured,
    };
  } finally {
    if (seeded) await seeded.close();
    else await (store as Awaited<ReturnType<typeof scratchStore>>).dispose();
  }
}
