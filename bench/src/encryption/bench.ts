import { randomUUID } from "node:crypto";
import {
  type Actor,
  checkAgainstRegistry,
  type MatchInput,
  type PreparedPerson,
  preparePerson,
  prepareRegistration,
} from "@armsledger/core";
import {
  executeCommand,
  openPersonRow,
  type PersonRegisteredData,
  type Store,
  scratchStore,
  sqlRecordView,
  tables as t,
} from "@armsledger/server";
import { inArray, sql } from "drizzle-orm";
import { percentile } from "../../names/evaluate.ts";
import { generateWorld } from "../../names/generate.ts";
import { plainPersonalData } from "./plain-keys.ts";
import { type LoadedPerson, RegistryLoader } from "./registry-load.ts";

// The cost of field encryption (issue 7): two stores in one run, one with the real keys
// (AES-256-GCM fields, HMAC blind indexes and name keys), one with the identity cipher of
// plain-keys.ts, each holding the same generated registry (bench/names/generate.ts, seeded),
// bulk-loaded as the projections write it (registry-load.ts). Then, alternating between the two
// so that the shared machine's noise falls on both alike:
// - registrations through the whole write path (executeCommand: validation, the duplicate check
//   against the registry, leaf, commitment, projections, one transaction each);
// - the write path's duplicate check alone (checkAgainstRegistry over sqlRecordView, in a
//   transaction), for new registrations that are not recorded.

const admin: Actor = { userId: "bench", role: "admin", scope: { sites: "all", governorates: "all" } };
const REGISTERED_ON = "2026-01-01";

function payloadOf(input: MatchInput, siteId: string) {
  return {
    siteId,
    kind: "combatant" as const,
    name: input.name,
    ...(input.motherName ? { motherName: input.motherName } : {}),
    birth: { year: input.birthYear! },
    sex: input.sex!,
    governorate: input.governorate!,
    ...(input.nationalId ? { nationalId: input.nationalId } : {}),
    listedByGroup: false,
    consent: { given: true, recordedOn: REGISTERED_ON },
  };
}

/** A stable person id per generated person, the same in both stores. */
const personIdOf = (pid: number) => `00000000-0000-4000-8000-${pid.toString(16).padStart(12, "0")}`;

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

interface Latencies {
  p50ms: number;
  p95ms: number;
  meanMs: number;
}

function latencies(ms: number[]): Latencies {
  return {
    p50ms: percentile(ms, 50),
    p95ms: percentile(ms, 95),
    meanMs: ms.reduce((s, x) => s + x, 0) / ms.length,
  };
}

async function registerSite(store: Store): Promise<string> {
  const site = await executeCommand(
    store,
    {
      commandId: randomUUID(),
      type: "site.register",
      payload: {
        code: "B1",
        kind: "collection",
        name: { ar: "موقع", en: "Site" },
        governorate: "IQ-BG",
        location: { lat: 33, lon: 44 },
      },
    },
    admin,
  );
  return site.data.siteId as string;
}

/** The write path's duplicate check of one new registration, in a transaction of its own. */
async function checkOnce(store: Store, person: PreparedPerson) {
  const keys = await store.personal.keys();
  return store.db.transaction((tx) => checkAgainstRegistry(sqlRecordView(tx, keys), person));
}

export interface EncryptionBenchOptions {
  databaseUrl?: string | undefined;
  /** People in the registry (bulk-loaded). */
  people: number;
  /** Registrations through the write path, on each store. */
  registrations: number;
  /** Duplicate checks alone, on each store. */
  checks: number;
  seed?: number;
  log?: (line: string) => void;
}

export async function runEncryptionBench(options: EncryptionBenchOptions) {
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 7;
  const warmup = Math.min(20, Math.floor(options.checks / 5), Math.floor(options.registrations / 5));
  let start = process.hrtime.bigint();
  const world = generateWorld({
    seed,
    registered: options.people,
    queries: options.registrations + options.checks,
  });
  const generateSeconds = seconds(start);
  log(`generated ${world.registry.length} people in ${generateSeconds.toFixed(0)} s`);
  const encrypted = await scratchStore(options.databaseUrl);
  const plain = await scratchStore(options.databaseUrl, { sharePersonal: plainPersonalData() });
  try {
    const stores = [
      { name: "encrypted", store: encrypted, siteId: await registerSite(encrypted) },
      { name: "plain", store: plain, siteId: await registerSite(plain) },
    ] as const;

    // The registry, in both stores, each person folded once.
    const loaders = stores.map((s) => new RegistryLoader(s.store));
    for (const loader of loaders) await loader.begin();
    start = process.hrtime.bigint();
    const BATCH = 5000;
    for (let i = 0; i < world.registry.length; i += BATCH) {
      const batch = world.registry.slice(i, i + BATCH);
      const prepared = batch.map((r) => {
        try {
          return preparePerson(r.input);
        } catch {
          return undefined;
        }
      });
      for (const [k, loader] of loaders.entries()) {
        const people: LoadedPerson[] = batch.map((r, j) => ({
          data: {
            ...payloadOf(r.input, stores[k]!.siteId),
            screening: {},
            vettingFlags: [],
            personId: personIdOf(r.pid),
            registeredOn: REGISTERED_ON,
            ageGroup: "adult",
          } satisfies PersonRegisteredData,
          prepared: prepared[j],
        }));
        await loader.add(people);
      }
      if ((i / BATCH) % 20 === 19) log(`loaded ${i + batch.length} people (${seconds(start).toFixed(0)} s)`);
    }
    for (const loader of loaders) await loader.finish();
    const loadSeconds = seconds(start);
    const split = loaders
      .map(
        (l, k) =>
          `${stores[k]!.name}: seal ${l.sealSeconds.toFixed(0)} s, write ${l.writeSeconds.toFixed(0)} s`,
      )
      .join("; ");
    log(`loaded both registries in ${loadSeconds.toFixed(0)} s (${split})`);

    // Registrations through the write path, in alternating blocks (the order flips each block).
    const toRegister = world.queries.slice(0, options.registrations);
    const registrationMs: [number[], number[]] = [[], []];
    const BLOCK = 10;
    for (let b = 0; b * BLOCK < toRegister.length; b++) {
      const block = toRegister.slice(b * BLOCK, (b + 1) * BLOCK);
      for (const k of b % 2 === 0 ? [0, 1] : [1, 0]) {
        const { store, siteId } = stores[k]!;
        for (const [j, q] of block.entries()) {
          const t0 = process.hrtime.bigint();
          await executeCommand(
            store,
            { commandId: randomUUID(), type: "person.register", payload: payloadOf(q.input, siteId) },
            admin,
          );
          if (b * BLOCK + j >= warmup) registrationMs[k]!.push(seconds(t0) * 1000);
        }
      }
    }
    log(`registered ${toRegister.length} people in each store`);

    // The duplicate check alone, alternating check by check.
    const toCheck = world.queries.slice(options.registrations);
    const checkMs: [number[], number[]] = [[], []];
    let candidates = 0;
    let sameDecisions = 0;
    for (const [i, q] of toCheck.entries()) {
      const person = prepareRegistration(q.input);
      const answers: Awaited<ReturnType<typeof checkOnce>>[] = [];
      for (const k of i % 2 === 0 ? [0, 1] : [1, 0]) {
        const t0 = process.hrtime.bigint();
        answers[k] = await checkOnce(stores[k]!.store, person);
        if (i >= warmup) checkMs[k]!.push(seconds(t0) * 1000);
      }
      const [a, b] = answers as [
        Awaited<ReturnType<typeof checkOnce>>,
        Awaited<ReturnType<typeof checkOnce>>,
      ];
      if (a.pending === b.pending && a.matches.length === b.matches.length) sameDecisions++;
    }
    log(`checked ${toCheck.length} registrations on each store`);

    // What decrypting a candidate costs: the columns findNameCandidates opens (the names; the
    // national id is compared by its blind index), timed alone.
    const sample = await encrypted.db
      .select({
        id: t.persons.id,
        name: t.persons.name,
        motherName: t.persons.motherName,
      })
      .from(t.persons)
      .where(
        inArray(
          t.persons.id,
          world.registry.slice(0, 2000).map((r) => personIdOf(r.pid)),
        ),
      );
    const keys = await encrypted.personal.keys();
    start = process.hrtime.bigint();
    for (let round = 0; round < 5; round++) for (const row of sample) openPersonRow(keys, row);
    const openRowUs = (seconds(start) * 1e6) / (5 * sample.length);
    for (const q of toCheck.slice(0, 200)) {
      const person = prepareRegistration(q.input);
      candidates += await candidatesOf(plain, person);
    }

    const registration = {
      n: registrationMs[0].length,
      encrypted: { ...latencies(registrationMs[0]), perSecond: 0 },
      plain: { ...latencies(registrationMs[1]), perSecond: 0 },
      ratioMean: 0,
      ratioP50: 0,
      ratioP95: 0,
    };
    registration.encrypted.perSecond = 1000 / registration.encrypted.meanMs;
    registration.plain.perSecond = 1000 / registration.plain.meanMs;
    registration.ratioMean = registration.encrypted.meanMs / registration.plain.meanMs;
    registration.ratioP50 = registration.encrypted.p50ms / registration.plain.p50ms;
    registration.ratioP95 = registration.encrypted.p95ms / registration.plain.p95ms;
    const encryptedCheck = latencies(checkMs[0]);
    const plainCheck = latencies(checkMs[1]);
    const sizes = await tableSizes(encrypted, plain);
    return {
      database: encrypted.kind,
      people: world.registry.length,
      seed,
      load: {
        seconds: loadSeconds,
        encrypted: { sealSeconds: loaders[0]!.sealSeconds, writeSeconds: loaders[0]!.writeSeconds },
        plain: { sealSeconds: loaders[1]!.sealSeconds, writeSeconds: loaders[1]!.writeSeconds },
        nameKeys: loaders[0]!.nameKeys,
      },
      sizes,
      registration,
      check: {
        n: checkMs[0].length,
        encrypted: encryptedCheck,
        plain: plainCheck,
        ratioMean: encryptedCheck.meanMs / plainCheck.meanMs,
        ratioP50: encryptedCheck.p50ms / plainCheck.p50ms,
        ratioP95: encryptedCheck.p95ms / plainCheck.p95ms,
        candidatesPerCheck: candidates / Math.min(200, toCheck.length),
        sameDecisions: sameDecisions / toCheck.length,
      },
      openPersonRowUs: openRowUs,
    };
  } finally {
    await encrypted.dispose();
    await plain.dispose();
  }
}

/** How many people the check reads for a registration (the blocks it looks in). */
async function candidatesOf(store: Store, person: PreparedPerson): Promise<number> {
  let n = 0;
  await store.db.transaction(async (tx) => {
    const view = sqlRecordView(tx, await store.personal.keys());
    await checkAgainstRegistry(
      {
        ...view,
        async findNameCandidates(query) {
          const found = await view.findNameCandidates(query);
          n = found.candidates.length;
          return found;
        },
      },
      person,
    );
  });
  return n;
}

/** On-disk size of the tables the check reads, in MiB, per store. */
async function tableSizes(encrypted: Store, plain: Store) {
  const size = async (store: Store) => {
    const { rows } = (await store.db.execute(
      sql`select pg_total_relation_size('persons') as persons, pg_total_relation_size('person_name_keys') as keys`,
    )) as unknown as { rows: { persons: string; keys: string }[] };
    const mib = (x: string) => Math.round(Number(x) / 2 ** 20);
    return { personsMiB: mib(rows[0]!.persons), nameKeysMiB: mib(rows[0]!.keys) };
  };
  return { encrypted: await size(encrypted), plain: await size(plain) };
}
