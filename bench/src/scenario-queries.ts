import type { Actor } from "@armsledger/core";
import {
  collectionProgress,
  dispositionBalance,
  eligibilityReport,
  getItemTrail,
  listCaches,
  type Store,
  tables as t,
} from "@armsledger/server";
import { asc, count, sql } from "drizzle-orm";
import { openSeededScenario, sample } from "./custody-reports.ts";

// Issue 8: the dashboard and reconciliation queries on the national scenario (target < 200 ms
// each), as absolute latencies with percentiles after 3 warm-ups, on a database seeded beforehand
// (BENCH_SCENARIO_DB). Each query is the function its route calls, as an administrator (the
// widest scope, so the most rows). Beside them, in the same run, the bare count of events: the
// cheapest full read of the ledger's size, to show what the machine's load does to a trivial query.

const admin: Actor = { userId: "bench", role: "admin", scope: { sites: "all", governorates: "all" } };

export async function benchScenarioQueries(store: Store, options: { runs: number; trails: number }) {
  const all = await store.db
    .select({ id: t.weaponItems.id })
    .from(t.weaponItems)
    .orderBy(asc(t.weaponItems.tag));
  const step = Math.max(1, Math.floor(all.length / options.trails));
  const items = all.filter((_, i) => i % step === 0).slice(0, options.trails);
  const queries: [string, (i: number) => Promise<unknown>][] = [
    [
      "dashboard: collection progress (declared vs collected by group and category, by day)",
      () => collectionProgress(store, admin),
    ],
    ["dashboard: eligibility report", () => eligibilityReport(store, admin)],
    ["dashboard: caches by status (first page)", () => listCaches(store, admin, {}, 100)],
    ["reconciliation: disposition balance (ledger vs custody)", () => dispositionBalance(store)],
    [
      "reconciliation: one weapon's trail",
      (i) =>
        items.length ? getItemTrail(store, admin, "weapon", items[i % items.length]!.id) : Promise.resolve(),
    ],
    ["raw: count of events", () => store.db.select({ n: count() }).from(t.events)],
  ];
  const results = [];
  for (const [name, run] of queries) {
    const runs = name.includes("trail") ? Math.min(options.trails, items.length || 1) : options.runs;
    results.push({ query: name, ...(await sample(runs, run)) });
  }
  return results;
}

export async function runScenarioQueriesBench(options: {
  scenarioUrl: string;
  runs: number;
  trails: number;
}) {
  const store = await openSeededScenario(options.scenarioUrl);
  try {
    if (store.kind === "server") await store.db.execute(sql`analyze`);
    const [events] = await store.db.select({ n: count() }).from(t.events);
    const [persons] = await store.db.select({ n: count() }).from(t.persons);
    const [weapons] = await store.db.select({ n: count() }).from(t.weaponItems);
    const [lots] = await store.db.select({ n: count() }).from(t.ammunitionLots);
    const [caches] = await store.db.select({ n: count() }).from(t.caches);
    return {
      database: store.kind,
      events: events!.n,
      persons: persons!.n,
      weapons: weapons!.n,
      ammunitionLots: lots!.n,
      caches: caches!.n,
      queries: await benchScenarioQueries(store, options),
    };
  } finally {
    await store.close();
  }
}
