import { randomUUID } from "node:crypto";
import { type Actor, preparePerson } from "@armsledger/core";
import { executeCommand, openPersonRow, type Store, scratchStore, tables as t } from "@armsledger/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEncryptionBench } from "../src/encryption/bench.ts";
import { plainPersonalData } from "../src/encryption/plain-keys.ts";
import { RegistryLoader } from "../src/encryption/registry-load.ts";

// The encryption benchmark (bench/src/encryption) at a tiny scale, so CI runs its code cheaply:
// the bulk path writes what the write path writes, the stand-in without encryption stores plain
// text, and a run answers sane figures. Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.
const databaseUrl = process.env.DATABASE_URL;
const admin: Actor = { userId: "bench", role: "admin", scope: { sites: "all", governorates: "all" } };

const payload = (siteId: string) => ({
  siteId,
  kind: "combatant" as const,
  name: {
    arabic: { given: "محمد", father: "جاسم", family: "السوداني" },
    latin: { given: "Mohammed", father: "Jasim", family: "al-Sudani" },
  },
  motherName: { latin: "Fatima" },
  birth: { year: 1980 },
  sex: "male" as const,
  governorate: "IQ-BG",
  nationalId: "123456789",
  listedByGroup: false,
  consent: { given: true, recordedOn: "2026-01-01" },
});

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

/** Registers one person through the write path and bulk-loads the same one under another id. */
async function registeredAndLoaded(store: Store) {
  const siteId = await registerSite(store);
  const registered = await executeCommand(
    store,
    { commandId: randomUUID(), type: "person.register", payload: payload(siteId) },
    admin,
  );
  const registeredId = registered.data.personId as string;
  const loadedId = randomUUID();
  const [stored] = await store.db.select().from(t.persons).where(eq(t.persons.id, registeredId));
  const loader = new RegistryLoader(store);
  await loader.begin();
  const data = {
    ...payload(siteId),
    screening: {},
    vettingFlags: [],
    personId: loadedId,
    registeredOn: stored!.registeredOn,
    ageGroup: stored!.ageGroup,
  };
  await loader.add([{ data, prepared: preparePerson({ ...data, birthYear: 1980 }) }]);
  await loader.finish();
  const row = async (id: string) => (await store.db.select().from(t.persons).where(eq(t.persons.id, id)))[0]!;
  const keysOf = async (id: string) =>
    (await store.db.select().from(t.personNameKeys).where(eq(t.personNameKeys.personId, id)))
      .map((k) => k.key)
      .sort();
  return {
    registered: await row(registeredId),
    loaded: await row(loadedId),
    registeredKeys: await keysOf(registeredId),
    loadedKeys: await keysOf(loadedId),
    registeredId,
    loadedId,
  };
}

describe("encryption benchmark: the bulk path and the stand-in without encryption", () => {
  let encrypted: Store & { dispose(): Promise<void> };
  let plain: Store & { dispose(): Promise<void> };
  beforeAll(async () => {
    encrypted = await scratchStore(databaseUrl);
    plain = await scratchStore(databaseUrl, { sharePersonal: plainPersonalData() });
  });
  afterAll(async () => {
    await encrypted?.dispose();
    await plain?.dispose();
  });

  it("loads the row the projection writes, sealed, under the same keyed name keys", async () => {
    const r = await registeredAndLoaded(encrypted);
    expect(String(r.loaded.name)).toMatch(/^v1:/);
    expect(String(r.loaded.nationalId)).toMatch(/^v1:/);
    const keys = await encrypted.personal.keys();
    const { id: _a, registeredSeq: _b, updatedSeq: _c, ...registered } = openPersonRow(keys, r.registered);
    const { id: _d, registeredSeq: _e, updatedSeq: _f, ...loaded } = openPersonRow(keys, r.loaded);
    expect(loaded).toEqual(registered);
    expect(r.loadedKeys.length).toBeGreaterThan(5);
    expect(r.loadedKeys).toEqual(r.registeredKeys);
  });

  it("without encryption, the same write path stores plain text and unkeyed name keys", async () => {
    const r = await registeredAndLoaded(plain);
    for (const row of [r.registered, r.loaded]) {
      expect(JSON.parse(String(row.name)).latin.given).toBe("Mohammed");
      expect(row.nationalId).toBe("123456789");
      expect(row.nationalIdIndex).toBe("123456789");
    }
    expect(r.loadedKeys).toEqual(r.registeredKeys);
    // The stand-in makes no data key, and its name keys are not the keyed ones.
    expect(await plain.db.select().from(t.dataKeys)).toEqual([]);
    const keyed = await encrypted.db.select({ key: t.personNameKeys.key }).from(t.personNameKeys);
    expect(keyed.map((k) => k.key)).not.toContain(r.loadedKeys[0]);
  });
});

describe("encryption benchmark: a small run", () => {
  it("loads both registries, registers and checks on both, and answers sane figures", async () => {
    const result = await runEncryptionBench({ databaseUrl, people: 1000, registrations: 10, checks: 10 });
    expect(result.people).toBe(1000);
    expect(result.load.nameKeys).toBeGreaterThan(1000 * 5);
    expect(result.registration.n).toBeGreaterThan(0);
    expect(result.check.n).toBeGreaterThan(0);
    for (const ratio of [result.registration.ratioMean, result.check.ratioMean, result.check.ratioP95]) {
      expect(Number.isFinite(ratio)).toBe(true);
      expect(ratio).toBeGreaterThan(0);
    }
    // Keyed or not, the name keys make the same blocks: both stores decide alike.
    expect(result.check.sameDecisions).toBe(1);
    expect(result.check.candidatesPerCheck).toBeGreaterThan(0);
    // Ciphertexts take room: the encrypted persons table is the larger.
    expect(result.sizes.encrypted.personsMiB).toBeGreaterThanOrEqual(result.sizes.plain.personsMiB);
  }, 300_000);
});
