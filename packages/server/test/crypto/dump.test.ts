import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptExistingPersonalData } from "../../src/crypto/encrypt-existing.ts";
import { openPersonRow } from "../../src/crypto/personal-columns.ts";
import { openPrivatePart } from "../../src/crypto/private-part.ts";
import { loadDemoProgramme } from "../../src/demo/demo-programme.ts";
import type { Store } from "../../src/store/database.ts";
import * as t from "../../src/store/schema.ts";
import { verifyDatabase } from "../../src/verify/index.ts";
import { freshStore } from "../support/store.ts";
import { demoPersonalNeedles, needlesIn } from "./personal-needles.ts";

const run = promisify(execFile);
const needles = demoPersonalNeedles();

/** Every text, jsonb and bytea value of every table, as one text per column. */
async function everyStoredText(store: Store): Promise<Map<string, string>> {
  const { rows: columns } = (await store.db.execute(sql`
    select table_schema, table_name, column_name, data_type from information_schema.columns
    where table_schema not in ('pg_catalog', 'information_schema')
      and data_type in ('text', 'jsonb', 'json', 'bytea', 'character varying', 'ARRAY')`)) as unknown as {
    rows: { table_schema: string; table_name: string; column_name: string; data_type: string }[];
  };
  const out = new Map<string, string>();
  for (const c of columns) {
    const column = sql.identifier(c.column_name);
    const value = c.data_type === "bytea" ? sql`encode(${column}, 'escape')` : sql`${column}::text`;
    const { rows } = (await store.db.execute(
      sql`select string_agg(${value}, E'\n') as v from ${sql.identifier(c.table_schema)}.${sql.identifier(c.table_name)}`,
    )) as unknown as { rows: { v: string | null }[] };
    out.set(`${c.table_name}.${c.column_name}`, rows[0]?.v ?? "");
  }
  return out;
}

async function plainFound(store: Store): Promise<string[]> {
  const found: string[] = [];
  for (const [where, text] of await everyStoredText(store))
    for (const n of needlesIn(text, needles)) found.push(`${where}: ${n}`);
  return found;
}

describe("a dump of the embedded database with the demo programme", () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore();
    await loadDemoProgramme(store);
  });
  afterAll(() => store.dispose());

  it("the needles are there to be found in plain text (the check can fail)", () => {
    expect(needles).toEqual(expect.arrayContaining(["علي", "Ali", "al-Saadi", "زينب"]));
    expect(needlesIn('{"given":"Ali","family":"al-Saadi"}', needles)).toEqual(["Ali", "al-Saadi"]);
    expect(needlesIn("v1:1:xAliQ-Ali_al-Saadi9", needles)).toEqual([]);
  });

  it("holds no demo person's name, mother's name, folded name or national id in any column", async () => {
    expect(await plainFound(store)).toEqual([]);
  });

  it("still reads the people back decrypted, and verifies", async () => {
    const keys = await store.personal.keys();
    const people = (await store.db.select().from(t.persons)).map((p) => openPersonRow(keys, p));
    expect(people.map((p) => (p.name as { latin: { given: string } }).latin.given).sort()).toEqual(
      ["Ali", "Haidar", "Mohammed", "Omar"].sort(),
    );
    expect(people.every((p) => p.nationalId?.startsWith("1990"))).toBe(true);
    expect((await verifyDatabase(store)).ok).toBe(true);
  });
});

describe("a database written before field encryption", () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore();
    await loadDemoProgramme(store);
    // Turn it back into what an older version wrote: every personal value in plain text.
    const keys = await store.personal.keys();
    for (const p of await store.db.select().from(t.persons)) {
      const o = openPersonRow(keys, p);
      await store.db.execute(sql`update persons set name = ${JSON.stringify(o.name)},
        mother_name = ${o.motherName === null ? null : JSON.stringify(o.motherName)},
        national_id = ${o.nationalId}, national_id_index = null where id = ${p.id}`);
    }
    for (const e of await store.db.select().from(t.eventPrivate))
      await store.db.execute(
        sql`update event_private set data = ${openPrivatePart(keys, e)} where seq = ${e.seq}`,
      );
  });
  afterAll(() => store.dispose());

  it("is encrypted in place, once: a second run finds nothing, and the ledger still verifies", async () => {
    expect(await plainFound(store)).not.toEqual([]);
    const first = await encryptExistingPersonalData(store);
    expect(first.persons).toBe(4);
    expect(first.event_private).toBeGreaterThan(4);
    expect(await plainFound(store)).toEqual([]);
    const again = await encryptExistingPersonalData(store);
    expect(Object.values(again).every((n) => n === 0)).toBe(true);
    const [ali] = await store.db
      .execute(sql`select national_id_index from persons where national_id_index is null`)
      .then((r) => (r as unknown as { rows: unknown[] }).rows);
    expect(ali).toBeUndefined();
    expect((await verifyDatabase(store)).ok).toBe(true);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("pg_dump of a PostgreSQL database with the demo programme", () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore();
    await loadDemoProgramme(store);
  });
  afterAll(() => store.dispose());

  it("contains no demo person's name (any part, either script, folded) nor national id", async () => {
    const { rows } = (await store.db.execute(sql`select current_database() as name`)) as unknown as {
      rows: { name: string }[];
    };
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${rows[0]!.name}`;
    const { stdout } = await run("pg_dump", ["--no-owner", "--dbname", url.toString()], {
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(stdout).toContain("COPY public.persons");
    expect(needlesIn(stdout, needles)).toEqual([]);
  });
});
