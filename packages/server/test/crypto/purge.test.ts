import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indexExistingSubjects } from "../../src/crypto/encrypt-existing.ts";
import { subjectIndex } from "../../src/crypto/private-part.ts";
import { purgeAllPersonalData, purgePerson } from "../../src/crypto/purge.ts";
import { loadDemoProgramme } from "../../src/demo/demo-programme.ts";
import * as t from "../../src/store/schema.ts";
import { verifyDatabase } from "../../src/verify/index.ts";
import { type Api, startApi } from "../api/support.ts";
import { freshStore } from "../support/store.ts";

async function sizes(store: Awaited<ReturnType<typeof freshStore>>) {
  const of = async (
    table: typeof t.weaponItems | typeof t.handovers | typeof t.persons | typeof t.eventPrivate,
  ) => (await store.db.select({ n: count() }).from(table))[0]!.n;
  return {
    weapons: await of(t.weaponItems),
    handovers: await of(t.handovers),
    persons: await of(t.persons),
    privateParts: await of(t.eventPrivate),
  };
}

describe("verify after crypto-shredding (the data key destroyed)", () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore();
    await loadDemoProgramme(store);
  }, 60_000);
  afterAll(() => store.dispose());

  it("passes, says how many private parts were purged, and keeps every weapon and handover", async () => {
    const before = await sizes(store);
    expect((await verifyDatabase(store)).purged).toBe(0);
    await store.personal.destroyDataKey();
    const report = await verifyDatabase(store);
    expect(report.ledger).toEqual([]);
    expect(report.projections).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.purged).toBe(before.privateParts);
    // The name keys and blind indexes under the destroyed key are left over, not failures.
    expect(report.purgedLeftovers).toBeGreaterThan(0);
    expect(await sizes(store)).toEqual(before);
  }, 60_000);

  it("still names a real edit: a weapon's serial changed behind the system's back", async () => {
    const [weapon] = await store.db.select({ id: t.weaponItems.id }).from(t.weaponItems).limit(1);
    await store.db.execute(
      `update weapon_items set serial = 'EDITED' where id = '${weapon!.id}'` as unknown as never,
    );
    const report = await verifyDatabase(store);
    expect(report.ok).toBe(false);
    expect(report.projections).toEqual([
      expect.objectContaining({ table: "weapon_items", key: weapon!.id, kind: "changed" }),
    ]);
  }, 60_000);
});

describe("purge --all-personal-data, through the library", () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ seed: true });
  }, 60_000);
  afterAll(() => api.close());

  it("destroys the key, deletes the name keys, logs the purge; reads answer purged, verify passes", async () => {
    const before = await sizes(api.store);
    const [admin] = await api.store.db.select().from(t.users).limit(1);
    const done = await purgeAllPersonalData(api.store, {
      actor: admin!.id,
      role: "admin",
      reason: "the office is about to be overrun",
    });
    expect(done.destroyedKeys).toHaveLength(1);
    expect(done.persons).toBe(before.persons);
    expect(done.nameKeys).toBeGreaterThan(0);
    expect(await api.store.db.select().from(t.personNameKeys)).toEqual([]);
    expect(await api.store.db.select().from(t.personNameCounts)).toEqual([]);
    const [logged] = (await api.store.db.select().from(t.accessLog)).filter(
      (r) => r.action === "person.purge",
    );
    expect(logged).toMatchObject({
      actor: admin!.id,
      subjectId: null,
      records: before.persons,
      purpose: "the office is about to be overrun",
    });

    const report = await verifyDatabase(api.store);
    expect(report).toMatchObject({ ok: true, ledger: [], projections: [], purgedLeftovers: 0 });
    expect(report.purged).toBeGreaterThan(0);
    expect(await sizes(api.store)).toEqual(before);

    // Every read of a person answers purged fields, never a 5xx.
    const get = (url: string) => api.send("admin", { method: "GET", url });
    const list = await get("/api/v1/persons?limit=1000");
    expect(list.statusCode).toBe(200);
    const listed = list.json().items as { name: unknown }[];
    expect(listed.length).toBe(before.persons);
    // The response schema drops the `purged` flag of a name: a purged name answers with no name parts.
    const listedText = JSON.stringify(listed);
    expect(listedText).not.toMatch(/"(arabic|latin|given)"/);
    expect(
      (listed as { nationalId?: string }[]).every(
        (p) => p.nationalId === undefined || p.nationalId === "[purged]",
      ),
    ).toBe(true);
    const one = await get(`/api/v1/persons/${api.seed.personA}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().nationalId ?? "[purged]").toBe("[purged]");
    expect(JSON.stringify(one.json().name)).not.toMatch(/"(arabic|latin|given)"/);
    const receipt = await get(`/api/v1/handovers/${api.seed.handoverA}/receipt.pdf`);
    expect(receipt.statusCode).toBe(200);
    const search = await get("/api/v1/persons/search?q=Haidar%20Kadhim");
    expect(search.statusCode).toBe(200);
    const reviews = await get("/api/v1/duplicate-reviews?status=pending");
    expect(reviews.statusCode).toBe(200);
    const handover = await get(`/api/v1/handovers/${api.seed.handoverA}`);
    expect(handover.statusCode).toBe(200);
  }, 60_000);
});

describe("purge --person, through the library", () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ seed: true });
  }, 60_000);
  afterAll(() => api.close());

  it("finds the events about a person by the keyed subject index, and fills it on old rows", async () => {
    const indexed = await api.store.db.select().from(t.eventPrivate);
    const personA = subjectIndex(await api.store.personal.keys(), api.seed.personA);
    expect(indexed.filter((r) => r.subjectIndex === personA).length).toBeGreaterThanOrEqual(2);
    expect(indexed.every((r) => r.subjectIndex !== null)).toBe(true);
    // No plain person id beside the events.
    expect(JSON.stringify(indexed)).not.toContain(api.seed.personA);
    await api.store.db.update(t.eventPrivate).set({ subjectIndex: null });
    expect(await indexExistingSubjects(api.store)).toBe(indexed.length);
    const refilled = await api.store.db.select().from(t.eventPrivate);
    expect(new Map(refilled.map((r) => [r.seq, r.subjectIndex]))).toEqual(
      new Map(indexed.map((r) => [r.seq, r.subjectIndex])),
    );
    expect(await indexExistingSubjects(api.store)).toBe(0);
  }, 60_000);

  it("purges that person's record, name keys and private parts; everybody else is intact; verify passes", async () => {
    const get = (url: string) => api.send("admin", { method: "GET", url });
    const otherBefore = (await get(`/api/v1/persons/${api.seed.personB}`)).json();
    const before = await sizes(api.store);
    const [admin] = await api.store.db.select().from(t.users).limit(1);
    const done = await purgePerson(api.store, api.seed.personA, {
      actor: admin!.id,
      role: "admin",
      reason: "consent withdrawn in writing",
    });
    expect(done.privateParts).toBeGreaterThanOrEqual(2);

    const one = await get(`/api/v1/persons/${api.seed.personA}`);
    expect(one.statusCode).toBe(200);
    expect(JSON.stringify(one.json().name)).not.toMatch(/"(arabic|latin|given)"/);
    expect((await get(`/api/v1/persons/${api.seed.personB}`)).json()).toEqual(otherBefore);
    expect(
      await api.store.db
        .select()
        .from(t.personNameKeys)
        .where(eq(t.personNameKeys.personId, api.seed.personA)),
    ).toEqual([]);
    const [logged] = (await api.store.db.select().from(t.accessLog)).filter(
      (r) => r.action === "person.purge",
    );
    expect(logged).toMatchObject({
      actor: admin!.id,
      subjectId: api.seed.personA,
      purpose: "consent withdrawn in writing",
    });
    expect((await get(`/api/v1/handovers/${api.seed.handoverA}/receipt.pdf`)).statusCode).toBe(200);

    const report = await verifyDatabase(api.store);
    expect(report).toMatchObject({ ok: true, ledger: [], projections: [], purgedLeftovers: 0 });
    expect(report.purged).toBe(done.privateParts);
    expect(await sizes(api.store)).toEqual(before);
  }, 60_000);
});
