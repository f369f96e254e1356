import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PURGED } from "../../src/crypto/field-keys.ts";
import { openPrivatePart } from "../../src/crypto/private-part.ts";
import { loadDemoProgramme } from "../../src/demo/demo-programme.ts";
import { getGroupStatusHistory } from "../../src/queries/pathways.ts";
import { getHandover, listGroups } from "../../src/queries/records.ts";
import * as t from "../../src/store/schema.ts";
import { verifyDatabase } from "../../src/verify/index.ts";
import { freshStore } from "../support/store.ts";
import { everyStoredText, needlesIn } from "./personal-needles.ts";
import { recordPrivateFieldKinds } from "./private-field-kinds.ts";
import { recordSealedKinds } from "./sealed-kinds.ts";

// The rule behind the dump test, for every event type at once: what an event keeps in its private
// part (core eventPrivacy) is never written in plain text by a projection. A projection that
// needs a private value keeps it sealed (crypto/personal-columns.ts), so a dump does not show it
// and the emergency purge reaches it. A new private field copied into a plain column fails here.

const run = promisify(execFile);

/**
 * Shapes that are not anyone's words: ids, dates, numbers, file hashes and codes (an enum value
 * such as "verified" or "mother", a question's id) also fill public columns by design.
 */
const notPersonal = [
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^\d{4}-\d{2}(-\d{2})?([T ][\d:.]+(Z|[+-]\d{2}(:?\d{2})?)?)?$/,
  /^[+-]?\d+([.,]\d+)?$/,
  /^[0-9a-f]{64}$/,
  /^[a-z][a-z0-9_]*$/,
  // A payment's reference: a code the server makes (core paymentReference), the line's row key.
  /^PAY-\d+-\d+-\d+$/,
];

/** Every string (length 4 or more) of a JSON value, the keys' values only. */
function stringsOf(value: unknown, out: Set<string>): Set<string> {
  if (typeof value === "string") {
    if (value.length >= 4 && value !== PURGED && !notPersonal.some((re) => re.test(value))) out.add(value);
  } else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) stringsOf(v, out);
  return out;
}

type Store = Awaited<ReturnType<typeof freshStore>>;

/** Each string value of each event's private part, decrypted, with the event type it came from. */
async function privateValues(store: Store): Promise<Map<string, string>> {
  const keys = await store.personal.keys();
  const types = new Map(
    (await store.db.select({ seq: t.events.seq, type: t.events.type }).from(t.events)).map((e) => [
      e.seq,
      e.type,
    ]),
  );
  const values = new Map<string, string>();
  for (const row of await store.db.select().from(t.eventPrivate)) {
    const part = openPrivatePart(keys, row);
    if (part === PURGED) continue;
    for (const value of stringsOf(JSON.parse(part), new Set())) values.set(value, types.get(row.seq)!);
  }
  return values;
}

/**
 * Staff accounts' names (the tests' own users: "Sealed kinds") are not private parts' words; the
 * access log's purposes are the staff's words about their reads.
 */
const staffColumns = new Set(["users.display_name", "users.username", "access_log.purpose"]);

describe("no event's private value in a plain column", () => {
  let store: Store;
  let values: Map<string, string>;
  beforeAll(async () => {
    store = await freshStore();
    await loadDemoProgramme(store);
    await recordSealedKinds(store);
    await recordPrivateFieldKinds(store);
    values = await privateValues(store);
  }, 120_000);
  afterAll(() => store.dispose());

  it("collects the private values of every kind of event recorded (the check can fail)", () => {
    const types = new Set(values.values());
    for (const type of [
      "person.registered",
      "handover.recorded",
      "group.registered",
      "record.corrected",
      "group.transformed",
      "group.party_recorded",
      "custody.dispatched",
      "custody.received",
      "store.removed",
      "store.returned",
      "stock_check.recorded",
      "disposition.destroyed",
      "disposition.retained",
      "cache.reported",
      "cache.verified",
      "screening.recorded",
      "pathway.offered",
    ])
      expect(types, type).toContain(type);
    expect([...values.keys()]).toEqual(
      expect.arrayContaining(["Liaison Abu Haidar Rubaie", "+964 770 555 0101", "Demo Witness"]),
    );
    expect(needlesIn('[{"name":"Demo Witness"}]', [...values.keys()])).toEqual(["Demo Witness"]);
  });

  it("finds none of them in any column of any table, as stored", async () => {
    const needles = [...values.keys()];
    const found: string[] = [];
    for (const [column, text] of await everyStoredText(store))
      if (!staffColumns.has(column))
        for (const n of needlesIn(text, needles)) found.push(`${column}: ${n} (${values.get(n)})`);
    expect(found).toEqual([]);
  });

  it.skipIf(!process.env.DATABASE_URL)("finds none of them in a pg_dump", async () => {
    const { rows } = (await store.db.execute(sql`select current_database() as name`)) as unknown as {
      rows: { name: string }[];
    };
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${rows[0]!.name}`;
    const { stdout } = await run("pg_dump", ["--no-owner", "--data-only", "--dbname", url.toString()], {
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(stdout).toContain("COPY public.handovers");
    // The staff accounts' rows (the tests' own users) are left out as above.
    const dump = stdout
      .split("\n\\.\n")
      .filter((block) => !/COPY public\.(users|access_log) /.test(block))
      .join("\n");
    expect(needlesIn(dump, [...values.keys()])).toEqual([]);
  });

  it("reads them back opened where the server shows them", async () => {
    const group = (await listGroups(store)).find((g) => g.code === "SHAMS")!;
    expect(group.liaisonOfficers).toEqual([
      { name: "Liaison Umm Zahraa Khafaji", phone: "+964 781 555 0202" },
    ]);
    const history = await getGroupStatusHistory(store, group.id);
    expect(history.history.map((h) => h.reason)).toEqual(["commander-Abu-Haidar-signed-at-Latifiya"]);
    expect(history.partyHistory.map((h) => h.reason)).toEqual(["founders-include-Umm-Zahraa-Khafaji"]);
    const [row] = await store.db
      .select({ id: t.handovers.id })
      .from(t.handovers)
      .where(sql`${t.handovers.groupId} = ${group.id}`);
    const admin = { userId: "test", role: "admin", scope: { sites: "all", governorates: "all" } } as const;
    expect(await getHandover(store, admin as never, row!.id)).toMatchObject({
      representative: "Representative Abbas Fartusi",
      verifyingOfficer: { name: "Observer Salwa Ibrahim Janabi" },
      witnesses: [{ name: "Witness Kadhim Obeidi" }],
    });
  });

  it("still verifies", async () => {
    expect((await verifyDatabase(store)).ok).toBe(true);
  });
});
