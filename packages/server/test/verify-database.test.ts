import { randomBytes } from "node:crypto";
import { formatCheckpoint, fromHex, generateKey, parseSignerKey, signNote } from "@armsledger/ledger";
import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openPrivatePart, sealPrivatePart } from "../src/crypto/private-part.ts";
import { integrate } from "../src/log/checkpointer.ts";
import * as schema from "../src/store/schema.ts";
import { notProjections, projectionTables } from "../src/verify/compare.ts";
import { verifyDatabase } from "../src/verify/index.ts";
import { executeCommand } from "../src/write-path/execute.ts";
import {
  admin,
  command,
  groupPayload,
  handoverPayload,
  personPayload,
  programmePayload,
  rifle,
  sitePayload,
} from "./support/fixtures.ts";
import { freshStore } from "./support/store.ts";

const origin = "verify.armsledger.local/log";
const keys = generateKey(origin, new Uint8Array(randomBytes(32)));
const signer = parseSignerKey(keys.signerKey);

let store: Awaited<ReturnType<typeof freshStore>>;

// A small programme: 4 setup events, 2 people, 4 handovers (leaves 0..9), checkpointed.
beforeEach(async () => {
  store = await freshStore();
  const siteId = (await executeCommand(store, command("site.register", sitePayload()), admin)).data
    .siteId as string;
  const groupId = (await executeCommand(store, command("group.register", groupPayload()), admin)).data
    .groupId as string;
  await executeCommand(store, command("programme.configure", programmePayload()), admin);
  await executeCommand(
    store,
    command("group.declare", {
      groupId,
      asOf: "2026-01-01",
      strength: { men: 10, women: 1, boys: 0, girls: 0 },
      arsenal: [{ category: "rifle", count: 9 }],
      declaredCaches: 1,
    }),
    admin,
  );
  const people = [];
  for (let i = 0; i < 2; i++)
    people.push(
      (await executeCommand(store, command("person.register", personPayload(siteId, groupId)), admin)).data
        .personId as string,
    );
  for (let i = 0; i < 4; i++)
    await executeCommand(
      store,
      command("handover.record", handoverPayload(siteId, people[i % 2]!, [rifle(`VR-${i}`)])),
      admin,
    );
  await integrate(store, { signer });
});
afterEach(() => store.dispose());

const run = (statement: ReturnType<typeof sql>) => store.db.execute(statement);

describe("armsledger verify --database", () => {
  it("passes on an untouched database", async () => {
    const report = await verifyDatabase(store, { logVerifierKey: keys.verifierKey });
    expect(report).toMatchObject({ ok: true, leaves: 10, checkpoints: 1, ledger: [], projections: [] });
  });

  it("names an edited event (the append-only trigger dropped first)", async () => {
    await run(sql`drop trigger events_append_only on events`);
    await run(sql`update events set entry = replace(entry, '"rifle"', '"pistol"') where seq = 7`);
    const report = await verifyDatabase(store, { logVerifierKey: keys.verifierKey });
    expect(report.ok).toBe(false);
    expect(report.ledger).toContainEqual(expect.objectContaining({ kind: "leaf hash", at: "leaf 7" }));
    expect(report.ledger).toContainEqual(expect.objectContaining({ kind: "checkpoint root", at: "size 10" }));
    expect(report.projections).toContainEqual(
      expect.objectContaining({ table: "weapon_items", kind: "changed", columns: ["category"] }),
    );
  });

  it("names a deleted event", async () => {
    await run(sql`drop trigger events_append_only on events`);
    await run(sql`delete from event_private where seq = 5`);
    await run(sql`delete from events where seq = 5`);
    const report = await verifyDatabase(store);
    expect(report.ledger).toContainEqual(expect.objectContaining({ kind: "gap", at: "leaf 5" }));
    expect(report.projections).toContainEqual(
      expect.objectContaining({ table: "persons", kind: "not explained by the ledger" }),
    );
  });

  it("names two swapped events", async () => {
    await run(sql`drop trigger events_append_only on events`);
    await run(sql`update events set command_id = gen_random_uuid() where seq in (6, 7)`);
    await run(sql`update events e set entry = o.entry, leaf_hash = o.leaf_hash, type = o.type
      from (select seq, entry, leaf_hash, type from events where seq in (6, 7)) o where e.seq in (6, 7) and o.seq = 13 - e.seq`);
    const report = await verifyDatabase(store);
    const located = report.ledger.filter((p) => p.kind === "entry").map((p) => p.at);
    expect(located).toEqual(expect.arrayContaining(["leaf 6", "leaf 7"]));
    expect(report.ledger).toContainEqual(expect.objectContaining({ kind: "checkpoint root" }));
  });

  it("names an edited projection row, a removed one and an invented one", async () => {
    await run(sql`update persons set sex = 'female' where registered_seq = 4`);
    await run(sql`delete from ammunition_lots where seq = 8`);
    await run(
      sql`insert into anomalies (id, kind, raised_seq, subject_kind, subject_id, related, detail) values ('x', 'duplicate_serial', 1, 'weapon', 'w', '[]', 'invented')`,
    );
    const report = await verifyDatabase(store);
    expect(report.ledger).toEqual([]);
    expect(report.projections).toContainEqual(
      expect.objectContaining({ table: "persons", kind: "changed", columns: ["sex"] }),
    );
    expect(report.projections).toContainEqual(
      expect.objectContaining({ table: "ammunition_lots", kind: "missing from the live tables" }),
    );
    expect(report.projections).toContainEqual({
      table: "anomalies",
      key: "x",
      kind: "not explained by the ledger",
    });
  });

  it("names a personal part that no longer opens its commitment", async () => {
    // Someone holding the keys re-encrypts an edited part: it decrypts, but breaks the commitment.
    const fieldKeys = await store.personal.keys();
    const [row] = await store.db.select().from(schema.eventPrivate).where(sql`seq = 4`);
    const edited = openPrivatePart(fieldKeys, row!).replace("محمد", "محمود");
    await run(sql`update event_private set data = ${sealPrivatePart(fieldKeys, 4, edited)} where seq = 4`);
    const report = await verifyDatabase(store);
    expect(report.ledger).toContainEqual(expect.objectContaining({ kind: "personal part", at: "leaf 4" }));
  });

  it("names a personal part whose ciphertext was altered or moved from another event", async () => {
    await run(
      sql`update event_private set data = (select data from event_private where seq = 5) where seq = 4`,
    );
    const report = await verifyDatabase(store);
    expect(report.ledger).toContainEqual({
      kind: "personal part",
      at: "leaf 4",
      detail: "cannot decrypt event_private.data of 4: it was altered, or moved from another field or row",
    });
  });

  it("names a checkpoint re-signed with another key", async () => {
    const other = parseSignerKey(generateKey(origin, new Uint8Array(randomBytes(32))).signerKey);
    const [row] = (
      (await run(sql`select size, root_hash from checkpoints`)) as unknown as {
        rows: { size: string; root_hash: string }[];
      }
    ).rows;
    const forged = new TextDecoder().decode(
      signNote(formatCheckpoint({ origin, size: Number(row!.size), rootHash: fromHex(row!.root_hash) }), [
        other,
      ]),
    );
    await run(sql`drop trigger checkpoints_append_only on checkpoints`);
    await run(sql`update checkpoints set note = ${forged}`);
    const report = await verifyDatabase(store, { logVerifierKey: keys.verifierKey });
    expect(report.ledger).toContainEqual(
      expect.objectContaining({ kind: "checkpoint signature", at: "size 10" }),
    );
  });
});

describe("what verify replays", () => {
  it("covers every table: each is a replayed projection or declared as something else, with a reason", () => {
    const inSchema = Object.values(schema)
      .filter((v) => is(v, PgTable))
      .map((table) => getTableName(table as PgTable))
      .sort();
    const replayed = projectionTables.map((p) => getTableName(p.table));
    const declared = Object.keys(notProjections);
    expect(replayed.filter((n) => declared.includes(n))).toEqual([]);
    expect([...replayed, ...declared].sort()).toEqual(inSchema);
    for (const { name, table } of projectionTables) expect(name).toBe(getTableName(table));
  });
});
