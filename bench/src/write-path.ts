import { randomBytes, randomUUID } from "node:crypto";
import type { Actor } from "@armsledger/core";
import { canonicalJson, generateKey, parseSignerKey } from "@armsledger/ledger";
import { Checkpointer, executeCommand, latestCheckpoint, type Store, scratchStore } from "@armsledger/server";
import { sql } from "drizzle-orm";

// Ours vs the raw baseline, in one run on one database: N person registrations through the whole
// write path (validation, rules, leaf hashing, commitment, projections, one transaction each) with
// the checkpointer integrating and signing beside it, against THE SAME ROWS inserted raw, one
// transaction per command: every row the write path wrote for a command (events, event_private,
// persons, record_history) is read back, then inserted into copies of those tables made with
// LIKE … INCLUDING ALL (same columns, defaults, checks and indexes), with plain INSERTs and no
// rules, hashing, lock or reads. A lighter baseline (one INSERT of the command's JSON) is kept
// for comparison with earlier runs.

const admin: Actor = { userId: "bench", role: "admin", scope: { sites: "all", governorates: "all" } };

function person(siteId: string, i: number) {
  return {
    siteId,
    kind: "combatant",
    name: {
      arabic: { given: "محمد", father: "جاسم", family: "السوداني" },
      latin: { given: "Mohammed", father: "Jasim", family: `al-Sudani` },
    },
    birth: { year: 1960 + (i % 40) },
    sex: "male",
    governorate: "IQ-BG",
    nationalId: String(100000000 + i),
    listedByGroup: true,
    consent: { given: true, recordedOn: "2026-01-01" },
  };
}

async function timeIt(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function benchWritePath(store: Store, n: number) {
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
  const siteId = site.data.siteId as string;
  await store.db.execute(
    sql`create table if not exists bench_raw (id bigserial primary key, command_id uuid unique, body text)`,
  );
  const payloads = Array.from({ length: n }, (_, i) => person(siteId, i));
  // Checkpointing runs beside the write path, as in production (every second or 256 leaves).
  const signer = parseSignerKey(
    generateKey("bench.armsledger.local/log", new Uint8Array(randomBytes(32))).signerKey,
  );
  const checkpointer = new Checkpointer(store, { signer });
  checkpointer.start();
  const ours = await timeIt(async () => {
    for (const payload of payloads)
      await executeCommand(store, { commandId: randomUUID(), type: "person.register", payload }, admin);
  });
  await checkpointer.stop();
  await checkpointer.runOnce();
  const checkpointed = (await latestCheckpoint(store.db))?.size ?? 0;
  const sameRows = await sameRowsPerCommand(store, Number(site.seq) + 1);
  const raw = await timeIt(async () => {
    for (const rows of sameRows)
      await store.db.transaction(async (tx) => {
        for (const { table, row } of rows)
          await tx.execute(
            sql`insert into ${sql.identifier(`bench_raw_${table}`)} select * from jsonb_populate_record(null::${sql.identifier(`bench_raw_${table}`)}, ${row}::jsonb)`,
          );
      });
  });
  const json = await timeIt(async () => {
    for (const payload of payloads) {
      const body = canonicalJson(payload);
      await store.db.transaction(async (tx) => {
        await tx.execute(sql`insert into bench_raw (command_id, body) values (${randomUUID()}, ${body})`);
      });
    }
  });
  return {
    n,
    oursPerSecond: n / ours,
    rawPerSecond: n / raw,
    ratio: raw / ours,
    rowsPerCommand: sameRows.reduce((sum, rows) => sum + rows.length, 0) / sameRows.length,
    jsonInsertPerSecond: n / json,
    ratioToJsonInsert: json / ours,
    checkpointed,
  };
}

// The tables a person registration writes, and the column that ties each row to its event.
const writtenTables = [
  { table: "events", seqColumn: "seq" },
  { table: "event_private", seqColumn: "seq" },
  { table: "persons", seqColumn: "registered_seq" },
  { table: "record_history", seqColumn: "seq" },
] as const;

/** The rows the write path wrote for each event from `fromSeq` on, as JSON, grouped by event in order. */
async function sameRowsPerCommand(store: Store, fromSeq: number) {
  const byEvent = new Map<number, { table: string; row: string }[]>();
  for (const { table, seqColumn } of writtenTables) {
    await store.db.execute(
      sql`create table ${sql.identifier(`bench_raw_${table}`)} (like ${sql.identifier(table)} including all)`,
    );
    const result = (await store.db.execute(
      sql`select ${sql.identifier(seqColumn)}::int as seq, to_jsonb(r)::text as row from ${sql.identifier(table)} r where ${sql.identifier(seqColumn)} >= ${fromSeq} order by 1`,
    )) as unknown as { rows: { seq: number; row: string }[] };
    for (const { seq, row } of result.rows) {
      const rows = byEvent.get(seq) ?? [];
      rows.push({ table, row });
      byEvent.set(seq, rows);
    }
  }
  return [...byEvent.entries()].sort((a, b) => a[0] - b[0]).map(([, rows]) => rows);
}

export async function runWritePathBench(options: { databaseUrl?: string; n: number }) {
  const store = await scratchStore(options.databaseUrl);
  try {
    return { database: store.kind, ...(await benchWritePath(store, options.n)) };
  } finally {
    await store.dispose();
  }
}
