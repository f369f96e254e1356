import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { and, eq, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptExistingPersonalData, personalTargets } from "../../src/crypto/encrypt-existing.ts";
import {
  blindIndexes,
  openPersonRow,
  openRow,
  type PersonalTable,
  personalColumns,
  personalRowKey,
  serviceNumberIndex,
} from "../../src/crypto/personal-columns.ts";
import { openPrivatePart } from "../../src/crypto/private-part.ts";
import { loadDemoProgramme } from "../../src/demo/demo-programme.ts";
import type { Store } from "../../src/store/database.ts";
import * as t from "../../src/store/schema.ts";
import { verifyDatabase } from "../../src/verify/index.ts";
import { freshStore } from "../support/store.ts";
import { demoPersonalNeedles, everyStoredText, needlesIn } from "./personal-needles.ts";
import { privateFieldSealedNeedles, recordPrivateFieldKinds } from "./private-field-kinds.ts";
import { recordSealedKinds, sealedKindNeedleList, sealedKindNeedles } from "./sealed-kinds.ts";

const run = promisify(execFile);
// The demo people's names and ids, and a value of every other kind of personal text sealed.
const needles = [...demoPersonalNeedles(), ...sealedKindNeedleList()];

/** The demo programme, with a screening, an appeal, a placement… each carrying a needle. */
async function demoStore() {
  const store = await freshStore();
  await loadDemoProgramme(store);
  await recordSealedKinds(store);
  return store;
}

// biome-ignore lint/suspicious/noExplicitAny: rows of any table
type Row = Record<string, any>;

/**
 * Writes every sealed value of `table` back in plain text, as a version before its encryption
 * did (JSON as JSON text in a text column, as JSON in a jsonb one), with no blind index.
 */
async function unseal(store: Store, table: Exclude<PersonalTable, "event_private">) {
  const keys = await store.personal.keys();
  const target = personalTargets[table];
  const columns = target.table as unknown as Record<string, PgColumn>;
  for (const row of (await store.db
    .select()
    .from(target.table as never)
    .where(and(target.only))) as Row[]) {
    const open = openRow(keys, table, personalRowKey[table](row), row);
    const set: Row = {};
    for (const [c, encoding] of Object.entries(personalColumns[table])) {
      if (open[c] === null) continue;
      set[c] = encoding === "json" && columns[c]!.getSQLType() === "text" ? JSON.stringify(open[c]) : open[c];
    }
    if (Object.keys(set).length === 0) continue;
    for (const { index } of blindIndexes[table] ?? []) set[index] = null;
    await store.db.update(target.table).set(set).where(target.where(row));
  }
}

async function plainFound(store: Store, among = needles): Promise<string[]> {
  const found: string[] = [];
  for (const [where, text] of await everyStoredText(store))
    for (const n of needlesIn(text, among)) found.push(`${where}: ${n}`);
  return found;
}

describe("a dump of the embedded database with the demo programme", () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await demoStore();
  }, 60_000);
  afterAll(() => store.dispose());

  it("the needles are there to be found in plain text (the check can fail)", () => {
    expect(needles).toEqual(expect.arrayContaining(["علي", "Ali", "al-Saadi", "زينب"]));
    expect(needlesIn('{"given":"Ali","family":"al-Saadi"}', needles)).toEqual(["Ali", "al-Saadi"]);
    expect(needlesIn("v1:1:xAliQ-Ali_al-Saadi9", needles)).toEqual([]);
  });

  it("holds no demo person's name, mother's name, folded name or national id, nor any screening, appeal, pathway or handover text, in any column", async () => {
    expect(await plainFound(store)).toEqual([]);
  });

  it("still reads the people back decrypted, and verifies", async () => {
    const keys = await store.personal.keys();
    const people = (await store.db.select().from(t.persons)).map((p) => openPersonRow(keys, p));
    expect(people.map((p) => (p.name as { latin: { given: string } }).latin.given).sort()).toEqual(
      ["Ali", "Haidar", "Mohammed", "Omar", "Sealed"].sort(),
    );
    expect(people.every((p) => p.nationalId?.startsWith("1990"))).toBe(true);
    const [pathway] = await store.db
      .select()
      .from(t.pathways)
      .where(eq(t.pathways.serviceNumberIndex, serviceNumberIndex(keys, sealedKindNeedles.serviceNumber)));
    expect(openRow(keys, "pathways", pathway!.id, pathway!)).toMatchObject({
      serviceNumber: sealedKindNeedles.serviceNumber,
      unit: sealedKindNeedles.unit,
      offer: { note: sealedKindNeedles.offerNote },
    });
    expect((await verifyDatabase(store)).ok).toBe(true);
  });
});

describe("a database written before field encryption", () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await demoStore();
    // A group's liaison officers and their correction, its handover's people, its decisions' reasons.
    await recordPrivateFieldKinds(store);
    // Turn it back into what an older version wrote: every personal value in plain text.
    const keys = await store.personal.keys();
    for (const e of await store.db.select().from(t.eventPrivate))
      await store.db.execute(
        sql`update event_private set data = ${openPrivatePart(keys, e)} where seq = ${e.seq}`,
      );
    for (const table of [
      "persons",
      "corrections",
      "screenings",
      "eligibility_appeals",
      "eligibility_revocations",
      "pathways",
      "pathway_follow_ups",
      "handovers",
      "armed_groups",
      "group_status_history",
      "group_party_history",
      "duplicate_reviews",
    ] as const)
      await unseal(store, table);
  }, 60_000);
  afterAll(() => store.dispose());

  it("is encrypted in place, once: a second run finds nothing, and the ledger still verifies", async () => {
    const keys = await store.personal.keys();
    // Every kind is there in plain text first, so finding none afterwards means something.
    const all = [...needles, ...privateFieldSealedNeedles];
    const before = new Set((await plainFound(store, all)).map((f) => f.slice(f.indexOf(": ") + 2)));
    expect([...before]).toEqual(
      expect.arrayContaining([...sealedKindNeedleList(), ...privateFieldSealedNeedles]),
    );
    const first = await encryptExistingPersonalData(store);
    expect(first.persons).toBe(5);
    expect(first.event_private).toBeGreaterThan(4);
    expect(first).toMatchObject({
      screenings: 1,
      eligibility_appeals: 1,
      eligibility_revocations: 1,
      pathways: 2,
      pathway_follow_ups: 1,
      // Every handover names its verifying officer.
      handovers: 6,
      // Every group's liaison officers (a list, empty or not).
      armed_groups: 4,
      // The group's correction of its liaison officers (no person's correction here).
      corrections: 1,
      group_status_history: 1,
      group_party_history: 1,
    });
    expect(await plainFound(store, all)).toEqual([]);
    const again = await encryptExistingPersonalData(store);
    expect(Object.values(again).every((n) => n === 0)).toBe(true);
    const [ali] = await store.db
      .execute(sql`select national_id_index from persons where national_id_index is null`)
      .then((r) => (r as unknown as { rows: unknown[] }).rows);
    expect(ali).toBeUndefined();
    // The service number's blind index is rebuilt with it: the in-use check finds it again.
    const [placed] = await store.db
      .select({ id: t.pathways.id })
      .from(t.pathways)
      .where(eq(t.pathways.serviceNumberIndex, serviceNumberIndex(keys, sealedKindNeedles.serviceNumber)));
    expect(placed).toBeDefined();
    expect((await verifyDatabase(store)).ok).toBe(true);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("pg_dump of a PostgreSQL database with the demo programme", () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await demoStore();
  }, 60_000);
  afterAll(() => store.dispose());

  it("contains no demo person's name (any part, either script, folded) nor national id, nor any other sealed text", async () => {
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
