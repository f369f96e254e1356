import { randomUUID } from "node:crypto";
import { Problem } from "@armsledger/core";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as t from "../src/store/schema.ts";
import { BatchRefused, executeBatch, executeCommand, executeSync } from "../src/write-path/execute.ts";
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

let store: Awaited<ReturnType<typeof freshStore>>;
let siteId: string;
let groupId: string;
let personId: string;

async function countRows() {
  const tables = [
    t.events,
    t.eventPrivate,
    t.persons,
    t.handovers,
    t.weaponItems,
    t.ammunitionLots,
    t.anomalies,
    t.recordHistory,
  ];
  const counts = [];
  for (const table of tables)
    counts.push((await store.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n);
  return counts;
}

beforeAll(async () => {
  store = await freshStore();
  groupId = (await executeCommand(store, command("group.register", groupPayload()), admin)).data
    .groupId as string;
  siteId = (await executeCommand(store, command("site.register", sitePayload()), admin)).data
    .siteId as string;
  await executeCommand(store, command("programme.configure", programmePayload()), admin);
  personId = (await executeCommand(store, command("person.register", personPayload(siteId, groupId)), admin))
    .data.personId as string;
});
afterAll(() => store.dispose());

describe("the write path", () => {
  it("records a handover with dense leaf indices, a receipt number and tags", async () => {
    const answer = await executeCommand(
      store,
      command("handover.record", handoverPayload(siteId, personId)),
      admin,
    );
    expect(answer.seq).toBe(4);
    expect(answer.data.receiptNumber).toMatch(/^R-0000004-\d$/);
    expect((answer.data.weapons as { tag: string }[])[0]!.tag).toBe("W0000004-01");
    expect((answer.data.eligibility as { status: string }).status).toBe("eligible");
    expect(answer.leafHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keeps personal data out of the leaf", async () => {
    const rows = await store.db.select({ entry: t.events.entry, type: t.events.type }).from(t.events);
    const person = rows.find((r) => r.type === "person.registered")!;
    expect(person.entry).not.toContain("محمد");
    expect(person.entry).not.toContain("Mohammed");
    expect(person.entry).not.toContain("199012345678");
    expect(JSON.parse(person.entry).personal).toMatch(/^[0-9a-f]{64}$/);
  });

  it("records the same command once and answers the same", async () => {
    const c = command("handover.record", handoverPayload(siteId, personId, [rifle("BX-77001")]));
    const first = await executeCommand(store, c, admin);
    const before = await countRows();
    const again = await executeCommand(store, c, admin);
    expect(again).toEqual(first);
    expect(await countRows()).toEqual(before);
  });

  it("refuses a reused command id with different content", async () => {
    const c = command("handover.record", handoverPayload(siteId, personId, [rifle("BX-77002")]));
    await executeCommand(store, c, admin);
    const before = await countRows();
    await expect(
      executeCommand(store, { ...c, payload: handoverPayload(siteId, personId, [rifle("BX-77003")]) }, admin),
    ).rejects.toMatchObject({
      code: "command.conflict",
    });
    expect(await countRows()).toEqual(before);
  });

  it("raises an anomaly for a duplicate serial and never merges", async () => {
    const answer = await executeCommand(
      store,
      command("handover.record", handoverPayload(siteId, personId, [rifle("AK-123 456")])),
      admin,
    );
    expect(answer.anomalies).toHaveLength(1);
    expect(answer.anomalies[0]!.kind).toBe("duplicate_serial");
  });

  it("leaves no trace of a refused command", async () => {
    const before = await countRows();
    await expect(
      executeCommand(
        store,
        command("handover.record", handoverPayload(siteId, personId, [rifle("unknown")])),
        admin,
      ),
    ).rejects.toMatchObject({
      code: "serial.placeholder",
    });
    expect(await countRows()).toEqual(before);
  });

  it("records a sync chunk without savepoints, and again with them when a command fails while writing", async () => {
    // The second handover reuses the first one's handoverId: no rule checks it, the insert into
    // handovers fails (a unique violation, 23505), after the command began writing. The chunk is
    // rolled back and recorded again, each command under its savepoint: that one is refused alone.
    const handoverId = randomUUID();
    const queue = [
      command("handover.record", { ...handoverPayload(siteId, personId, [rifle("SP-1")]), handoverId }),
      command("handover.record", { ...handoverPayload(siteId, personId, [rifle("SP-2")]), handoverId }),
      command("handover.record", handoverPayload(siteId, personId, [rifle("SP-3")])),
    ];
    const uniqueViolation = (error: unknown): Problem | undefined => {
      for (let e = error as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
        if (e.code === "23505") return new Problem("command.conflict", "That handover id is in use.");
      return undefined;
    };
    const before = await countRows();
    const { rows } = (await store.db.execute(sql`select size::int as n from ledger_state`)) as unknown as {
      rows: { n: number }[];
    };
    const size = rows[0]!.n;
    const outcomes = await executeSync(store, queue, admin, { refusal: uniqueViolation });
    expect(outcomes.map((o) => (o instanceof Problem ? o.code : "recorded"))).toEqual([
      "recorded",
      "command.conflict",
      "recorded",
    ]);
    expect(outcomes.flatMap((o) => (o instanceof Problem ? [] : [o.seq]))).toEqual([size, size + 1]);
    const after = await countRows();
    expect(after[0]! - before[0]!).toBe(2);
    expect(after[3]! - before[3]!).toBe(2);
    // The same queue again: the same answers, nothing new.
    expect(await executeSync(store, queue, admin, { refusal: uniqueViolation })).toEqual(outcomes);
    expect(await countRows()).toEqual(after);
  });

  it("reads a chunk's shared records once, and again after a command that changes them", async () => {
    // The site and the group are read once per chunk (ChunkReadCache); a group registered in the
    // chunk is seen by the commands after it, though one before it was refused for its absence.
    const newGroup = randomUUID();
    const queue = [
      command("person.register", personPayload(siteId, newGroup)),
      command("group.register", { ...groupPayload("G-CHUNK"), groupId: newGroup }),
      command("person.register", personPayload(siteId, newGroup)),
      command("person.register", personPayload(siteId, groupId)),
    ];
    const outcomes = await executeSync(store, queue, admin);
    expect(outcomes.map((o) => (o instanceof Problem ? o.code : "recorded"))).toEqual([
      "reference.unknown",
      "recorded",
      "recorded",
      "recorded",
    ]);
  });

  it("refuses UPDATE and DELETE on events", async () => {
    // Drizzle wraps the database's error; the trigger's message is in the cause.
    const cause = (e: unknown) => String((e as { cause?: { message?: string } }).cause?.message);
    for (const statement of [
      sql`update events set type = 'x' where seq = 0`,
      sql`delete from events where seq = 0`,
      sql`truncate events cascade`,
    ]) {
      const error = await store.db.execute(statement).catch((e) => e);
      expect(cause(error)).toMatch(/append-only/);
    }
    expect(await countRows()).toEqual(await countRows());
  });

  it("imports all or nothing", async () => {
    const before = await countRows();
    const good = command("handover.record", handoverPayload(siteId, personId, [rifle("GOOD-1")]));
    const bad = command("handover.record", handoverPayload(siteId, personId, [rifle("xxx")]));
    const error = await executeBatch(store, [good, bad, { commandId: "nope" }], admin).catch((e) => e);
    expect(error).toBeInstanceOf(BatchRefused);
    expect((error as BatchRefused).rejected.map((r) => [r.index, r.problem.code])).toEqual([
      [1, "serial.placeholder"],
      [2, "request.invalid"],
    ]);
    expect(await countRows()).toEqual(before);
    const answers = await executeBatch(store, [good], admin);
    expect(answers).toHaveLength(1);
  });

  it("records a correction that references the corrected event", async () => {
    const h = await executeCommand(
      store,
      command("handover.record", handoverPayload(siteId, personId, [rifle("C-0001")])),
      admin,
    );
    const weaponId = (h.data.weapons as { itemId: string }[])[0]!.itemId;
    const c = await executeCommand(
      store,
      command("record.correct", {
        kind: "weapon",
        id: weaponId,
        corrects: h.seq,
        changes: { serial: "C-0002" },
        reason: "typo",
      }),
      admin,
    );
    expect(c.data.corrects).toBe(h.seq);
    const [row] = await store.db
      .select({ serial: t.weaponItems.serial })
      .from(t.weaponItems)
      .where(sql`id = ${weaponId}`);
    expect(row!.serial).toBe("C-0002");
  });
});
