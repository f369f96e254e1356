import { type Store, tables as t } from "@armsledger/server";
import { count, eq, sql, sum } from "drizzle-orm";

/** What the database holds after seeding: the totals to compare with the scenario's targets. */
export async function scenarioSummary(store: Store) {
  const one = async <T>(q: Promise<T[]>) => (await q)[0]!;
  const persons = await one(store.db.select({ n: count() }).from(t.persons));
  const weapons = await one(store.db.select({ n: count() }).from(t.weaponItems));
  const lots = await one(
    store.db
      .select({
        n: count(),
        rounds: sum(
          sql`case when ${t.ammunitionLots.unit} = 'rounds' then ${t.ammunitionLots.quantity} else 0 end`,
        ),
      })
      .from(t.ammunitionLots),
  );
  const handovers = await one(store.db.select({ n: count() }).from(t.handovers));
  const transfers = await one(store.db.select({ n: count() }).from(t.transfers));
  const discrepancies = await store.db
    .select({ kind: t.discrepancies.kind, n: count() })
    .from(t.discrepancies)
    .groupBy(t.discrepancies.kind);
  const anomalies = await store.db
    .select({ kind: t.anomalies.kind, n: count() })
    .from(t.anomalies)
    .groupBy(t.anomalies.kind);
  const states = await store.db
    .select({ state: t.weaponItems.state, n: count() })
    .from(t.weaponItems)
    .groupBy(t.weaponItems.state);
  const caches = await store.db
    .select({ status: t.caches.status, n: count() })
    .from(t.caches)
    .groupBy(t.caches.status);
  const weaponsFromCaches = await one(
    store.db.select({ n: count() }).from(t.weaponItems).where(eq(t.weaponItems.source, "cache")),
  );
  const events = await one(store.db.select({ n: count() }).from(t.events));
  const byKind = (rows: { n: number }[], key: "kind" | "state" | "status") =>
    Object.fromEntries(rows.map((r) => [(r as unknown as Record<string, string>)[key], r.n])) as Record<
      string,
      number
    >;
  return {
    events: events.n,
    persons: persons.n,
    handovers: handovers.n,
    weapons: weapons.n,
    ammunitionLots: lots.n,
    rounds: Number(lots.rounds ?? 0),
    transfers: transfers.n,
    weaponStates: byKind(states, "state"),
    discrepancies: byKind(discrepancies, "kind"),
    anomalies: byKind(anomalies, "kind"),
    caches: byKind(caches, "status"),
    weaponsFromCaches: weaponsFromCaches.n,
  };
}
