import { personNameKeys, preparePerson } from "@armsledger/core";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reindexNames } from "../../src/crypto/encrypt-existing.ts";
import { demoPeople, loadDemoProgramme } from "../../src/demo/demo-programme.ts";
import { searchPersons } from "../../src/queries/duplicate-reviews.ts";
import * as t from "../../src/store/schema.ts";
import { verifyDatabase } from "../../src/verify/index.ts";
import { admin } from "../support/fixtures.ts";
import { freshStore } from "../support/store.ts";

const ali = demoPeople[0];
const aliPrepared = preparePerson({
  name: {
    arabic: { given: ali.ar[0], father: ali.ar[1], grandfather: ali.ar[2], family: ali.ar[3] },
    latin: { given: ali.la[0], father: ali.la[1], grandfather: ali.la[2], family: ali.la[3] },
  },
  motherName: { arabic: ali.mother },
  birthYear: ali.year,
  sex: "male",
  governorate: "IQ-BG",
  nationalId: "1990100000",
});

let store: Awaited<ReturnType<typeof freshStore>>;
const storedKeys = async () =>
  (await store.db.select({ key: t.personNameKeys.key }).from(t.personNameKeys)).map((r) => r.key);

beforeAll(async () => {
  store = await freshStore();
  await loadDemoProgramme(store);
});
afterAll(() => store.dispose());

describe("the duplicate check's name keys", () => {
  it("are keyed: a dictionary of names hashed without the data key finds none of them", async () => {
    const keys = await store.personal.keys();
    const stored = new Set(await storedKeys());
    const keyed = personNameKeys(aliPrepared, (k) => keys.nameKey(k));
    expect(keyed.every((k) => stored.has(k))).toBe(true);
    // What an attacker with a dump computes from a list of names: the unkeyed hashes.
    expect(personNameKeys(aliPrepared).filter((k) => stored.has(k))).toEqual([]);
    expect(keyed.every((k) => Number.isInteger(k) && k >= 0 && k < 2 ** 30)).toBe(true);
  });

  it("are rebuilt keyed from the decrypted people for a database that had unkeyed ones", async () => {
    const before = (await storedKeys()).sort();
    const counts = await store.db.select().from(t.personNameCounts);
    // As an older version stored them: unkeyed hashes (and for one person, none at all).
    await store.db.execute(sql`delete from person_name_keys`);
    await store.db.execute(sql`delete from person_name_counts`);
    for (const key of personNameKeys(aliPrepared))
      await store.db.execute(
        sql`insert into person_name_keys (key, person_id) select ${key}, id from persons limit 1`,
      );
    expect(await searchPersons(store, admin, "Ali Hussein", 10)).toEqual([]);
    expect(await reindexNames(store)).toBe(demoPeople.length);
    expect((await storedKeys()).sort()).toEqual(before);
    expect(await store.db.select().from(t.personNameCounts)).toEqual(expect.arrayContaining(counts));
    const hits = await searchPersons(store, admin, "Ali Hussein", 10);
    expect(hits.map((h) => (h.person.name as { latin: { given: string } }).latin.given)).toEqual(["Ali"]);
    expect((await verifyDatabase(store)).ok).toBe(true);
  });
});
