import { count, eq, sql } from "drizzle-orm";
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

/** A purged person as the HTTP API answers them (core `personView`). */
const purgedShape = (id: string) => ({
  id,
  purged: true,
  name: { arabic: null, latin: null },
  motherName: null,
  birthDate: null,
  nationalId: null,
  role: null,
});

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
    // Every person answers the documented purged shape: the flag, every personal field null.
    for (const p of listed as unknown as { id: string }[]) expect(p).toMatchObject(purgedShape(p.id));
    expect(JSON.stringify(listed)).not.toMatch(/"given"|\[purged\]/);
    const one = await get(`/api/v1/persons/${api.seed.personA}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject(purgedShape(api.seed.personA));
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
    // The documented purged shape (core personView): the flag, every personal field null.
    expect(one.json()).toMatchObject(purgedShape(api.seed.personA));
    expect(JSON.stringify(one.json())).not.toContain("[purged]");
    expect(otherBefore.purged).toBe(false);
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

// A purge and its row in the access log commit or roll back together: no purge goes unrecorded,
// and no record claims a purge that did not happen.
describe("a purge and its record in the access log, in one transaction", () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ seed: true });
  }, 60_000);
  afterAll(() => api.close());

  async function refusingTheLog<T>(run: () => Promise<T>) {
    await api.store.db.execute(sql`create function refuse_log() returns trigger language plpgsql as $$
      begin raise exception 'access log refused'; end $$`);
    await api.store.db.execute(
      sql`create trigger refuse_log before insert on access_log for each row execute function refuse_log()`,
    );
    try {
      return await run();
    } finally {
      await api.store.db.execute(sql`drop trigger refuse_log on access_log`);
      await api.store.db.execute(sql`drop function refuse_log()`);
    }
  }
  const by = async () => {
    const [admin] = await api.store.db.select().from(t.users).limit(1);
    return { actor: admin!.id, role: "admin", reason: "consent withdrawn in writing" };
  };
  const read = async (id: string) =>
    (await api.send("admin", { method: "GET", url: `/api/v1/persons/${id}` })).json();
  const purgeRows = async () =>
    (await api.store.db.select().from(t.accessLog)).filter((r) => r.action === "person.purge");

  it("a person's purge whose log row fails leaves the person, their name keys and private parts as they were", async () => {
    const person = await read(api.seed.personA);
    const parts = await api.store.db.select().from(t.eventPrivate).orderBy(t.eventPrivate.seq);
    const nameKeys = await api.store.db
      .select()
      .from(t.personNameKeys)
      .where(eq(t.personNameKeys.personId, api.seed.personA));
    expect(nameKeys.length).toBeGreaterThan(0);
    const who = await by();
    await expect(refusingTheLog(() => purgePerson(api.store, api.seed.personA, who))).rejects.toThrow();
    expect(await read(api.seed.personA)).toEqual(person);
    expect(await api.store.db.select().from(t.eventPrivate).orderBy(t.eventPrivate.seq)).toEqual(parts);
    expect(
      await api.store.db
        .select()
        .from(t.personNameKeys)
        .where(eq(t.personNameKeys.personId, api.seed.personA)),
    ).toEqual(nameKeys);
    expect(await purgeRows()).toEqual([]);
  }, 60_000);

  it("the emergency purge whose log row fails destroys no key", async () => {
    const person = await read(api.seed.personB);
    const who = await by();
    await expect(refusingTheLog(() => purgeAllPersonalData(api.store, who))).rejects.toThrow();
    expect((await api.store.db.select().from(t.dataKeys)).every((k) => k.wrapped !== null)).toBe(true);
    expect(await read(api.seed.personB)).toEqual(person);
    expect(await purgeRows()).toEqual([]);
  }, 60_000);
});
