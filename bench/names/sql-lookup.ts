import {
  checkDuplicates,
  type DuplicateCheck,
  defaultMatchModel,
  givenNameKeys,
  type MatchInput,
  type MatchModel,
  personNameKeys,
  preparePerson,
} from "@armsledger/core";
import { scratchStore, sealRow, sqlRecordView } from "@armsledger/server";
import { sql } from "drizzle-orm";
import { fillNameBlockCounts } from "../src/name-blocks.ts";
import type { Built } from "./evaluate.ts";
import { metricsAt, type PairMetrics, percentile } from "./evaluate.ts";
import type { World } from "./generate.ts";

// The server's duplicate check on PostgreSQL, timed: the write path's own reads
// (`sqlRecordView(tx, keys).findNameCandidates`, one statement: block sizes from
// `person_name_counts`, the blocks' people selected over `person_name_keys` (keepCandidate), read
// from `persons` and their names decrypted, national ids compared by blind index, the given-name
// counts) and core's `checkDuplicates` scoring them, inside a transaction, exactly
// as `person.register` runs it — against a registry bulk-loaded with what the projection would
// have written for every registered person: the persons rows with their personal columns
// encrypted under a data key of this run, and their name keys keyed (HMAC under the name-key
// key, `FieldKeys.nameKey`), not the benchmark's unkeyed in-process hashes.
//
// The load bypasses the ledger (a million `person.register` commands would take hours at the
// write path's ~250 commands/s, BENCHMARKS.md "Sync storm") but writes the same rows: the
// projection's `sealRow` for the persons columns, core's `personNameKeys`/`givenNameKeys` with the
// database's keyed hash for the key tables. The columns the check does not read (screening
// answers, vetting flags, consent) hold one ciphertext of the right size for every row.
// `person_name_keys`' primary key and index are dropped during the load and made again after it
// (the usual bulk load; the same definitions as the migration), then the tables are analysed.

export interface SqlLookupResult {
  registered: number;
  queries: number;
  nameKeys: number;
  loadMs: number;
  indexMs: number;
  p50ms: number;
  p95ms: number;
  p99ms: number;
  maxMs: number;
  /** Duplicates whose true record is among the check's matches (weight ≥ review, best five). */
  foundAtReview: number;
  /** Pairs at the review threshold from the SQL check's matches (at most five a query). */
  atReviewThreshold: PairMetrics;
  /** Queries whose best match (or none) is the in-process check's best match (or none). */
  sameBestAsInProcess: number;
  /** People scored a check (keepCandidate's selection), and people set aside unscored. */
  candidatesPerCheck: number;
  candidatesP99: number;
  setAsidePerCheck: number;
  /**
   * The same check scoring everyone in the usable blocks (`smallBlock` = `maxBlock`: the
   * selection before keepCandidate), interleaved with ours on the same database (order flipped
   * every query): what the selection saves, measured at the same moments.
   */
  allInBlocks: {
    p50ms: number;
    p95ms: number;
    p99ms: number;
    candidatesPerCheck: number;
    candidatesP99: number;
    atReviewThreshold: PairMetrics;
    /** Queries whose best match (or none) is ours. */
    sameBestAsOurs: number;
  };
  /**
   * The raw floor, measured interleaved with the checks (one after each): a transaction of one
   * `select 1` on the same connection, as many statements as the check sends. What any such
   * transaction costs on this machine at that moment (the machine is shared).
   */
  floorP50ms: number;
  floorP95ms: number;
  floorP99ms: number;
}

/**
 * NAMES_SQL_EXPLAIN=N: the check's statement of the first N queries under EXPLAIN (ANALYZE,
 * BUFFERS), before the timed checks: the plan of the first, then the median and p95 execution
 * time and the buffers touched in all (the top node's). The plans name no one (the keys and blind
 * indexes are parameters, which EXPLAIN prints only as hashes and ids).
 */
const explainQueries = Number(process.env.NAMES_SQL_EXPLAIN ?? 0);

type Db = Awaited<ReturnType<typeof scratchStore>>["db"];
type Keys = Parameters<typeof sqlRecordView>[1];

async function explainChecks(db: Db, keys: Keys, world: World, model: MatchModel, n: number) {
  const times: number[] = [];
  let buffers = 0;
  let first = "";
  for (const q of world.queries.slice(0, n)) {
    const plans: string[] = [];
    await db.transaction(async (tx) => {
      // The record view's one statement, explained instead of run (the check then stops).
      const spy = new Proxy(tx, {
        get(target, prop, receiver) {
          if (prop === "execute")
            return async (statement: Parameters<typeof tx.execute>[0]) => {
              const { rows } = (await target.execute(
                sql`explain (analyze, buffers) ${statement}`,
              )) as unknown as { rows: { "QUERY PLAN": string }[] };
              plans.push(rows.map((r) => r["QUERY PLAN"]).join("\n"));
              throw new Error("explained");
            };
          const value = Reflect.get(target, prop, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const view = sqlRecordView(spy as typeof tx, keys);
      await checkDuplicates(
        preparePerson(q.input),
        (query) => view.findNameCandidates(query),
        model,
        [],
        (key) => view.nameKeyHash!(key),
      ).catch(() => undefined);
    });
    const plan = plans[0] ?? "";
    first ||= plan;
    times.push(Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? Number.NaN));
    const top = /Buffers: shared (?:hit=(\d+))? ?(?:read=(\d+))?/.exec(plan);
    buffers += Number(top?.[1] ?? 0) + Number(top?.[2] ?? 0);
  }
  console.log(`--- the check's statement, first plan:\n${first}`);
  console.log(
    `${n} statements: median execution ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms, buffers (top node) ${Math.round(buffers / n)} a statement`,
  );
}

const personId = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
const indexOfId = (id: string) => Number.parseInt(id.slice(24), 16);

export async function runSqlLookup(
  world: World,
  built: Built,
  inProcessBest: (number | undefined)[],
  databaseUrl: string,
  maxQueries: number,
  model: MatchModel = defaultMatchModel,
): Promise<SqlLookupResult> {
  const store = await scratchStore(databaseUrl);
  try {
    const db = store.db;
    const keys = await store.personal.keys();
    const loadStart = performance.now();
    const { rows: constraint } = (await db.execute(sql`
      select conname, pg_get_constraintdef(oid) as def from pg_constraint
      where conrelid = 'person_name_keys'::regclass and contype = 'p'`)) as unknown as {
      rows: { conname: string; def: string }[];
    };
    const { rows: indexes } = (await db.execute(sql`
      select indexname, indexdef from pg_indexes
      where tablename = 'person_name_keys' and indexname <> ${constraint[0]!.conname}`)) as unknown as {
      rows: { indexname: string; indexdef: string }[];
    };
    await db.execute(sql.raw(`alter table person_name_keys drop constraint ${constraint[0]!.conname}`));
    for (const i of indexes) await db.execute(sql.raw(`drop index ${i.indexname}`));

    const filler = sealRow(keys, "persons", personId(0), {
      screening: {},
      vettingFlags: [],
      consent: { given: true, at: "2026-01-01T00:00:00Z" },
    });
    const siteId = "00000000-0000-4000-8000-ffffffffffff";
    const counts = new Map<number, number>();
    // Word keys ("w:mhmd") repeat across people: each is hashed once. Blocking keys, mostly
    // unique to a person or a family, are not cached (millions of them).
    const words = new Map<string, number>();
    const hash = (key: string) => {
      if (!key.startsWith("w:")) return keys.nameKey(key);
      const known = words.get(key);
      if (known !== undefined) return known;
      const h = keys.nameKey(key);
      words.set(key, h);
      return h;
    };
    let nameKeys = 0;
    const batch = 5000;
    for (let start = 0; start < world.registry.length; start += batch) {
      const persons: Record<string, unknown>[] = [];
      const keyColumn: number[] = [];
      const personColumn: string[] = [];
      for (let i = start; i < Math.min(world.registry.length, start + batch); i++) {
        const input = world.registry[i]!.input;
        const id = personId(i);
        const prepared = built.prepared[i]!;
        persons.push({
          ...sealRow(keys, "persons", id, {
            id,
            name: input.name,
            motherName: input.motherName ?? null,
            nationalId: input.nationalId ?? null,
            birthYear: input.birthYear ?? null,
            sex: input.sex,
            governorate: input.governorate,
            seq: i + 1,
          }),
          screening: filler.screening,
          vettingFlags: filler.vettingFlags,
          consent: filler.consent,
        });
        for (const key of personNameKeys(prepared, hash)) {
          keyColumn.push(key);
          personColumn.push(id);
        }
        for (const key of givenNameKeys(prepared, hash)) counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      nameKeys += keyColumn.length;
      await db.execute(sql`
        insert into persons (id, site_id, kind, name, mother_name, birth_year, sex, governorate,
          national_id, national_id_index, listed_by_group, screening, vetting_flags, consent,
          registered_on, age_group, registered_seq, updated_seq)
        select x.id, ${siteId}::uuid, 'ex_combatant', x.name, x."motherName", x."birthYear", x.sex,
          x.governorate, x."nationalId", x."nationalIdIndex", false, x.screening, x."vettingFlags",
          x.consent, date '2026-01-01', 'adult', x.seq, x.seq
        from json_to_recordset(${JSON.stringify(persons)}::json) as x(id uuid, name text,
          "motherName" text, "birthYear" int, sex text, governorate text, "nationalId" text,
          "nationalIdIndex" text, screening text, "vettingFlags" text, consent text, seq bigint)`);
      await db.execute(sql`
        insert into person_name_keys (key, person_id)
        select distinct * from unnest(${`{${keyColumn.join(",")}}`}::int[], ${`{${personColumn.join(",")}}`}::uuid[])`);
    }
    const countRows = [...counts].map(([key, count]) => ({ key, count }));
    for (let start = 0; start < countRows.length; start += 20_000)
      await db.execute(sql`
        insert into person_name_counts (field, key, count)
        select 'given', x.key, x.count
        from json_to_recordset(${JSON.stringify(countRows.slice(start, start + 20_000))}::json) as x(key int, count int)`);
    await db.execute(fillNameBlockCounts);
    const loadMs = performance.now() - loadStart;

    const indexStart = performance.now();
    await db.execute(
      sql.raw(`alter table person_name_keys add constraint ${constraint[0]!.conname} ${constraint[0]!.def}`),
    );
    for (const i of indexes) await db.execute(sql.raw(i.indexdef));
    await db.execute(sql`vacuum analyze persons`);
    await db.execute(sql`vacuum analyze person_name_keys`);
    await db.execute(sql`vacuum analyze person_name_counts`);
    const indexMs = performance.now() - indexStart;

    if (explainQueries > 0) await explainChecks(db, keys, world, model, explainQueries);

    // The checks, one transaction each, as the write path runs them; beside each, the same check
    // scoring everyone in the blocks, in alternating order.
    const timed = async (input: MatchInput, all: boolean) => {
      let candidates = 0;
      let setAside = 0;
      const start = performance.now();
      const check = await db.transaction(async (tx) => {
        const view = sqlRecordView(tx, keys);
        return checkDuplicates(
          preparePerson(input),
          async (query) => {
            const found = await view.findNameCandidates(
              all ? { ...query, smallBlock: query.maxBlock } : query,
            );
            candidates = found.candidates.length;
            setAside = found.setAside;
            return found;
          },
          model,
          [],
          (key) => view.nameKeyHash!(key),
        );
      });
      return { check, ms: performance.now() - start, candidates, setAside };
    };
    const latencies: number[] = [];
    const latenciesAll: number[] = [];
    const candidates: number[] = [];
    const candidatesAll: number[] = [];
    let setAside = 0;
    const floor: number[] = [];
    const pairs: { match: boolean; weight: number }[] = [];
    const pairsAll: { match: boolean; weight: number }[] = [];
    let duplicates = 0;
    let foundAtReview = 0;
    let sameBest = 0;
    let sameBestAll = 0;
    const bestOf = (check: DuplicateCheck) =>
      check.matches[0] ? indexOfId(check.matches[0].personId) : undefined;
    const pairsOf = (check: DuplicateCheck, pid: number, into: { match: boolean; weight: number }[]) => {
      let found = false;
      for (const m of check.matches) {
        const match = world.registry[indexOfId(m.personId)]!.pid === pid;
        found ||= match;
        into.push({ match, weight: m.weight });
      }
      return found;
    };
    const queries = world.queries.slice(0, maxQueries);
    for (const [qi, q] of queries.entries()) {
      const allFirst = qi % 2 === 1;
      const before = allFirst ? await timed(q.input, true) : undefined;
      const ours = await timed(q.input, false);
      const all = before ?? (await timed(q.input, true));
      latencies.push(ours.ms);
      latenciesAll.push(all.ms);
      candidates.push(ours.candidates);
      candidatesAll.push(all.candidates);
      setAside += ours.setAside;
      const floorStart = performance.now();
      await db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
      });
      floor.push(performance.now() - floorStart);
      const found = pairsOf(ours.check, q.pid, pairs);
      pairsOf(all.check, q.pid, pairsAll);
      if (q.kind === "duplicate") {
        duplicates++;
        if (found) foundAtReview++;
      }
      if (bestOf(ours.check) === inProcessBest[qi]) sameBest++;
      if (bestOf(ours.check) === bestOf(all.check)) sameBestAll++;
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    return {
      registered: world.registry.length,
      queries: queries.length,
      nameKeys,
      loadMs,
      indexMs,
      p50ms: percentile(latencies, 50),
      p95ms: percentile(latencies, 95),
      p99ms: percentile(latencies, 99),
      maxMs: percentile(latencies, 100),
      foundAtReview: foundAtReview / duplicates,
      atReviewThreshold: metricsAt(pairs, duplicates, model.thresholds.review),
      sameBestAsInProcess: sameBest / queries.length,
      candidatesPerCheck: mean(candidates),
      candidatesP99: percentile(candidates, 99),
      setAsidePerCheck: setAside / Math.max(1, queries.length),
      allInBlocks: {
        p50ms: percentile(latenciesAll, 50),
        p95ms: percentile(latenciesAll, 95),
        p99ms: percentile(latenciesAll, 99),
        candidatesPerCheck: mean(candidatesAll),
        candidatesP99: percentile(candidatesAll, 99),
        atReviewThreshold: metricsAt(pairsAll, duplicates, model.thresholds.review),
        sameBestAsOurs: sameBestAll / queries.length,
      },
      floorP50ms: percentile(floor, 50),
      floorP95ms: percentile(floor, 95),
      floorP99ms: percentile(floor, 99),
    };
  } finally {
    await store.dispose();
  }
}
