import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispositionBalance } from "../src/queries/custody.ts";
import * as t from "../src/store/schema.ts";
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

// The ledger's side of the disposition balance is kept incrementally (queries/ledger-tally.ts).
// These tests hold it to the one thing that matters: after any sequence of handovers and
// corrections, read at any moments, it says what a tally rebuilt from leaf 0 says, and it is
// read from the leaves alone, so an edit of the custody tables shows as an imbalance.

let store: Awaited<ReturnType<typeof freshStore>>;
let siteId: string;
let groupId: string;
const persons: string[] = [];
const handovers: { seq: number; weapons: string[]; lots: string[] }[] = [];

const record = async (type: string, payload: unknown) => executeCommand(store, command(type, payload), admin);

async function handOver(n: number) {
  const personId = (await record("person.register", personPayload(siteId, groupId))).data.personId as string;
  persons.push(personId);
  const weapons = Array.from({ length: n }, (_, i) =>
    rifle(`TL${String(handovers.length).padStart(3, "0")}${String(i).padStart(3, "0")}`),
  );
  const answer = await record("handover.record", handoverPayload(siteId, personId, weapons));
  const h = {
    seq: answer.seq,
    weapons: (answer.data.weapons as { itemId: string }[]).map((w) => w.itemId),
    lots: (answer.data.ammunition as { lotId: string }[]).map((a) => a.lotId),
  };
  handovers.push(h);
  return h;
}

const correct = (kind: "weapon" | "ammunition", id: string, corrects: number, changes: object) =>
  record("record.correct", { kind, id, corrects, changes, reason: "Checked against the photograph." });

const collectedBy = (balance: Awaited<ReturnType<typeof dispositionBalance>>) =>
  balance.byCategory.map((c) => ({
    kind: c.kind,
    category: c.category,
    unit: c.unit,
    collected: c.collected,
    quantity: c.quantity?.collected,
  }));

async function rebuilt() {
  await store.db.delete(t.ledgerTallyItems);
  await store.db.update(t.ledgerTally).set({ throughSeq: -1 });
  return dispositionBalance(store);
}

beforeAll(async () => {
  store = await freshStore();
  groupId = (await record("group.register", groupPayload())).data.groupId as string;
  siteId = (await record("site.register", sitePayload())).data.siteId as string;
  await record("programme.configure", programmePayload());
});
afterAll(() => store.dispose());

describe("the ledger tally", () => {
  it("starts empty and balanced on an empty ledger of items", async () => {
    const balance = await dispositionBalance(store);
    expect(balance).toMatchObject({ balanced: true, rows: [], imbalances: [] });
    const [state] = await store.db.select().from(t.ledgerTally);
    const [ledger] = await store.db.select().from(t.ledgerState);
    expect(state?.throughSeq).toBe(ledger!.size - 1);
  });

  it("reads only new leaves, and agrees with a rebuild after handovers and corrections read at any moment", async () => {
    const first = await handOver(3);
    const afterFirst = await dispositionBalance(store);
    expect(afterFirst.balanced).toBe(true);
    expect(collectedBy(afterFirst).find((c) => c.kind === "weapon")).toMatchObject({ collected: 3 });

    // Corrections of items read in an earlier tally, and of items first seen with them.
    const second = await handOver(2);
    await correct("weapon", first.weapons[0]!, first.seq, { category: "pistol" });
    await correct("weapon", second.weapons[1]!, second.seq, { category: "machine_gun" });
    await correct("weapon", second.weapons[1]!, second.seq, { category: "shotgun" });
    await correct("ammunition", first.lots[0]!, first.seq, { quantity: 90 });
    await correct("weapon", first.weapons[1]!, first.seq, { calibre: "5.45x39mm" });
    const incremental = await dispositionBalance(store);
    expect(incremental.balanced).toBe(true);
    expect(collectedBy(incremental)).toEqual([
      { kind: "ammunition", category: "cartridge", unit: "rounds", collected: 2, quantity: 210 },
      { kind: "weapon", category: "pistol", unit: undefined, collected: 1, quantity: undefined },
      { kind: "weapon", category: "rifle", unit: undefined, collected: 3, quantity: undefined },
      { kind: "weapon", category: "shotgun", unit: undefined, collected: 1, quantity: undefined },
    ]);
    expect(await rebuilt()).toEqual(incremental);
  });

  it("answers the same on a second read with nothing new, and moves its mark past leaves of other kinds", async () => {
    const before = await dispositionBalance(store);
    await record("site.register", sitePayload("BSR-02", "depot"));
    expect(await dispositionBalance(store)).toEqual(before);
    const [state] = await store.db.select().from(t.ledgerTally);
    const [ledger] = await store.db.select().from(t.ledgerState);
    expect(state?.throughSeq).toBe(ledger!.size - 1);
  });

  it("takes many leaves in pages and still agrees with a rebuild", async () => {
    for (let i = 0; i < 6; i++) await handOver(40);
    await correct("weapon", handovers.at(-1)!.weapons[39]!, handovers.at(-1)!.seq, { category: "pistol" });
    const incremental = await dispositionBalance(store);
    expect(incremental.balanced).toBe(true);
    expect(await rebuilt()).toEqual(incremental);
  });

  it("is read from the leaves, not the custody tables: an item deleted from them shows as an imbalance", async () => {
    const gone = handovers[0]!.weapons[2]!;
    await store.db.execute(sql`delete from weapon_items where id = ${gone}`);
    const balance = await dispositionBalance(store);
    expect(balance.balanced).toBe(false);
    expect(balance.imbalances).toEqual([
      expect.objectContaining({ kind: "weapon", category: "rifle", accountedFor: expect.any(Number) }),
    ]);
    const row = balance.imbalances[0]!;
    expect(row.collected - row.accountedFor).toBe(1);
  });

  it("gives concurrent readers the same answer and tallies each leaf once", async () => {
    await store.db.delete(t.ledgerTallyItems);
    await store.db.update(t.ledgerTally).set({ throughSeq: -1 });
    const answers = await Promise.all([1, 2, 3, 4].map(() => dispositionBalance(store)));
    for (const a of answers) expect(a).toEqual(answers[0]);
    const [items] = await store.db.select({ n: sql<number>`count(*)::int` }).from(t.ledgerTallyItems);
    const weapons = handovers.reduce((n, h) => n + h.weapons.length + h.lots.length, 0);
    expect(items!.n).toBe(weapons);
  });
});
