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

const lookup = async (keys: number[], maxBlock: number) => {
  const fieldKeys = await store.personal.keys();
  return store.db.transaction((tx) =>
    sqlRecordView(tx, fieldKeys).findNameCandidates({ keys, givenKeys: [], maxBlock }),
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
});
