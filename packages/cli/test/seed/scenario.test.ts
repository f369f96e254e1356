import {
  dispositionBalance,
  ledgerHead,
  openPersonRow,
  scratchStore,
  tables as t,
  verifyDatabase,
} from "@armsledger/server";
import { count, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { ledgerFingerprint } from "../../src/seed/scenario/fingerprint.ts";
import { PERSON_DUPLICATE, PERSON_PADDING } from "../../src/seed/scenario/people.ts";
import { ScenarioPlan } from "../../src/seed/scenario/plan.ts";
import { seedScenario } from "../../src/seed/scenario/run.ts";
import { scenarioSummary } from "../../src/seed/scenario/summary.ts";

// A tiny national scenario (100 people) on PGlite, or on PostgreSQL when DATABASE_URL is set.
const options = { seed: 11, scale: 0.0004 };
const stores: Awaited<ReturnType<typeof scratchStore>>[] = [];
const fresh = async () => {
  const store = await scratchStore(process.env.DATABASE_URL);
  stores.push(store);
  return store;
};
afterAll(async () => {
  for (const store of stores) await store.dispose();
});

describe("seed --scenario iraq-national", () => {
  let whole: Awaited<ReturnType<typeof scratchStore>>;

  it("generates the scenario through the write path, with every seeded fault present", async () => {
    whole = await fresh();
    const report = await seedScenario(whole, options);
    const plan = new ScenarioPlan(options);
    const summary = await scenarioSummary(whole);
    expect(report.interrupted).toBe(false);
    expect(summary.events).toBe(report.recorded);
    expect(summary.persons).toBe(100);
    // Placeholder serials: refused by the rules, then recorded as "no readable serial" with a photo.
    expect(report.refusalsProvoked).toBeGreaterThan(0);
    const [unreadable] = await whole.db
      .select({ n: count() })
      .from(t.weaponItems)
      .where(eq(t.weaponItems.noReadableSerial, true));
    expect(unreadable!.n).toBe(report.refusalsProvoked);
    expect(summary.anomalies.duplicate_serial).toBeGreaterThan(0);
    expect(Object.values(summary.discrepancies).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(summary.weaponStates.destroyed).toBeGreaterThan(0);
    // The scaled 10 million (4,000 here), unless people and caches alone bring more.
    expect(summary.rounds).toBe(plan.rounds);
    expect(plan.rounds).toBeGreaterThanOrEqual(4000);
    // Caches: reported with declared contents, the first verified, extracted (items with
    // source = cache) and cleared the same day.
    expect(Object.values(summary.caches).reduce((a, b) => a + b, 0)).toBe(plan.caches.length);
    expect(summary.caches.cleared).toBeGreaterThan(0);
    expect(summary.weaponsFromCaches).toBe(
      plan.caches.reduce((a, c) => a + (c.extractDay !== undefined ? c.weaponsFound : 0), 0),
    );
    const [fromCache] = await whole.db
      .select({ n: count() })
      .from(t.handovers)
      .where(eq(t.handovers.cacheId, plan.draws.uuid("cache", 0)));
    expect(fromCache!.n).toBe(1);

    // Duplicate people: the same person (same Arabic chain and mother) under another spelling or a shorter chain.
    const keys = await whole.personal.keys();
    const persons = new Map(
      (
        await whole.db
          .select({ id: t.persons.id, name: t.persons.name, motherName: t.persons.motherName })
          .from(t.persons)
      )
        .map((p) => openPersonRow(keys, p))
        .map((p) => [p.id, { id: p.id, name: p.name, mother: p.motherName }]),
    );
    const r = plan.registrations;
    const duplicates = [...r.kind.keys()].filter((k) => r.kind[k] === PERSON_DUPLICATE);
    expect(duplicates.length).toBe(5);
    type Named = { name: { arabic: { given: string } }; mother: { arabic: string } };
    for (const k of duplicates) {
      const copy = persons.get(plan.draws.uuid("person", k)) as unknown as Named;
      const original = persons.get(plan.draws.uuid("person", r.original[k]!)) as unknown as Named;
      expect(copy.name.arabic.given).toBe(original.name.arabic.given);
      expect(copy.mother.arabic).toBe(original.mother.arabic);
      expect(JSON.stringify(copy.name)).not.toBe(JSON.stringify(original.name));
    }
    // The padded roster: a second, larger declaration and registrations in the last days before the cut-off.
    const padded = [...r.kind.keys()].filter((k) => r.kind[k] === PERSON_PADDING);
    expect(padded.length).toBeGreaterThan(0);
    const declarations = await whole.db
      .select()
      .from(t.groupDeclarations)
      .where(eq(t.groupDeclarations.groupId, plan.groupId(0)));
    expect(declarations.map((d) => d.version).sort()).toEqual([1, 2]);
    for (const k of padded) expect(r.dates[r.day[k]!]! >= "2026-06-28").toBe(true);

    const balance = await dispositionBalance(whole);
    expect(balance.imbalances).toEqual([]);
    const verified = await verifyDatabase(whole);
    expect(verified.ledger).toEqual([]);
    expect(verified.projections).toEqual([]);
    expect(verified.ok).toBe(true);
  }, 120_000);

  it("resumes after an interruption and ends with the same ledger as an uninterrupted run", async () => {
    const store = await fresh();
    const abort = new AbortController();
    let chunks = 0;
    const first = await seedScenario(store, options, {
      signal: abort.signal,
      onProgress: (p) => {
        if (!p.skipped && ++chunks === 4) abort.abort();
      },
    });
    expect(first.interrupted).toBe(true);
    const partial = await ledgerFingerprint(store);
    expect(partial.leaves).toBe(first.recorded);

    const second = await seedScenario(store, options);
    expect(second.interrupted).toBe(false);
    expect(second.skippedChunks).toBeGreaterThanOrEqual(4);
    expect(first.recorded + second.recorded).toBe((await ledgerFingerprint(whole)).leaves);
    // Same seed, same scale: the same leaves in the same order (ids and commitments aside, see fingerprint.ts).
    expect(await ledgerFingerprint(store)).toEqual(await ledgerFingerprint(whole));
    // And the same ledger root: the write path's ids and salts come from the seed too, per
    // command, so the interruption does not shift them.
    expect(await ledgerHead(store.db)).toEqual(await ledgerHead(whole.db));

    // A third run finds everything recorded and records nothing.
    const third = await seedScenario(store, options);
    expect(third.recorded).toBe(0);
    expect((await verifyDatabase(store)).ok).toBe(true);
  }, 120_000);

  it("refuses to seed over records that are not the same scenario", async () => {
    await expect(seedScenario(whole, { ...options, seed: 12 })).rejects.toThrow(
      /not the iraq-national scenario/,
    );
  });
});
