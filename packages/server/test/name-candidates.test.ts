import { checkDuplicates, defaultMatchModel, preparePerson } from "@armsledger/core";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as t from "../src/store/schema.ts";
import { executeCommand } from "../src/write-path/execute.ts";
import { sqlRecordView } from "../src/write-path/record-view.ts";
import { admin, command, personPayload, sitePayload } from "./support/fixtures.ts";
import { freshStore } from "./support/store.ts";

// The duplicate check's lookup in SQL: a block (the people sharing one hashed key) larger than
// maxBlock is skipped and counted, and its size is counted no further than maxBlock + 1, so the
// edges matter: a block of exactly maxBlock is read, one more is skipped.

let store: Awaited<ReturnType<typeof freshStore>>;
let sharedKey: number;
const people: string[] = [];

beforeAll(async () => {
  store = await freshStore();
  const siteId = (await executeCommand(store, command("site.register", sitePayload()), admin)).data
    .siteId as string;
  // Five men with the same name (each his own national id): they share every name key.
  for (let i = 0; i < 5; i++)
    people.push(
      (await executeCommand(store, command("person.register", personPayload(siteId)), admin)).data
        .personId as string,
    );
  const { rows } = (await store.db.execute(sql`
    select key from person_name_keys group by key having count(*) = 5 order by key limit 1`)) as unknown as {
    rows: { key: number }[];
  };
  sharedKey = Number(rows[0]?.key);
});
afterAll(() => store.dispose());

const lookup = async (
  keys: number[],
  maxBlock: number,
  more: { smallBlock?: number; governorate?: string; nationalId?: string } = {},
) => {
  const fieldKeys = await store.personal.keys();
  return store.db.transaction((tx) =>
    sqlRecordView(tx, fieldKeys).findNameCandidates({
      keys,
      givenKeys: [],
      maxBlock,
      smallBlock: more.smallBlock ?? maxBlock,
      ...more,
    }),
  );
};

describe("findNameCandidates in SQL", () => {
  it("reads a block of exactly maxBlock people", async () => {
    expect(Number.isInteger(sharedKey)).toBe(true);
    const found = await lookup([sharedKey], 5);
    expect(found.skippedBlocks).toBe(0);
    expect(found.candidates.map((c) => c.id).sort()).toEqual([...people].sort());
  });

  it("skips and counts a block one larger than maxBlock, and ignores keys nobody has", async () => {
    const [unused] = await store.db
      .select({ n: sql<number>`max(${t.personNameKeys.key}) + 1` })
      .from(t.personNameKeys);
    const found = await lookup([sharedKey, unused!.n], 4);
    expect(found).toMatchObject({ skippedBlocks: 1, candidates: [] });
  });

  it("sets aside, and counts, who shares one key of a block larger than smallBlock in another governorate", async () => {
    const aside = await lookup([sharedKey], 5, { smallBlock: 4, governorate: "IQ-BA" });
    expect(aside).toMatchObject({ skippedBlocks: 0, setAside: 5, candidates: [] });
    const noGovernorate = await lookup([sharedKey], 5, { smallBlock: 4 });
    expect(noGovernorate).toMatchObject({ setAside: 5, candidates: [] });
    const sameGovernorate = await lookup([sharedKey], 5, { smallBlock: 4, governorate: "IQ-BG" });
    expect(sameGovernorate.setAside).toBe(0);
    expect(sameGovernorate.candidates.map((c) => c.id).sort()).toEqual([...people].sort());
  });

  it("compares national ids by their blind index and never opens one", async () => {
    const fieldKeys = await store.personal.keys();
    const ids = await store.db.transaction(async (tx) =>
      Promise.all(
        people.map(async (id) => (await sqlRecordView(tx, fieldKeys).findPersonMatchInput(id))!.nationalId!),
      ),
    );
    const found = await lookup([sharedKey], 5, { nationalId: ids[2]! });
    const byId = new Map(found.candidates.map((c) => [c.id, c]));
    expect(people.map((id) => byId.get(id)!.idMatch)).toEqual([
      "different",
      "different",
      "same",
      "different",
      "different",
    ]);
    for (const c of found.candidates) expect(c.person.nationalId).toBeUndefined();
    const without = await lookup([sharedKey], 5);
    expect(new Set(without.candidates.map((c) => c.idMatch))).toEqual(new Set(["missing"]));
  });

  it("scores the national id the blind indexes agree on: the write path's check end to end", async () => {
    const fieldKeys = await store.personal.keys();
    const check = await store.db.transaction(async (tx) => {
      const view = sqlRecordView(tx, fieldKeys);
      const input = (await view.findPersonMatchInput(people[3]!))!;
      return checkDuplicates(
        preparePerson({ ...input, name: { latin: input.name.latin } }),
        (q) => view.findNameCandidates(q),
        defaultMatchModel,
        [],
        (key) => view.nameKeyHash!(key),
      );
    });
    const idLevel = new Map(
      check.matches.map((m) => [m.personId, m.explanation.find((e) => e.field === "nationalId")?.level]),
    );
    expect(idLevel.get(people[3]!)).toBe("same");
    expect([...idLevel].filter(([id]) => id !== people[3]).map(([, level]) => level)).not.toContain("same");
    expect(check.matches[0]!.personId).toBe(people[3]);
  });
});
