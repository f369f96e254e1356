import { randomUUID } from "node:crypto";
import type { ProblemCode, Scope } from "@armsledger/core";
import { eq, inArray, sql } from "drizzle-orm";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPrivatePart } from "../src/crypto/private-part.ts";
import * as t from "../src/store/schema.ts";
import { verifyDatabase } from "../src/verify/index.ts";
import { executeCommand } from "../src/write-path/execute.ts";
import {
  type Api,
  countersignedBy,
  counts,
  destructionPayload,
  dispatchPayload,
  expectClientProblem,
  expectProblem,
  receivePayload,
  startApi,
} from "./api/support.ts";
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

// Chain of custody end to end, through the HTTP API (and so the write path): a handover at a
// collection site, a sealed transfer to the depot that arrives short, the onward transfer to the
// destruction site, the destruction before an independent witness, and what the ledger and the
// reports then say. Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.

let api: Api;
const ids = {} as {
  group: string;
  collection: string;
  depot: string;
  destruction: string;
  person: string;
  rifles: string[];
  pistol: string;
  lots: string[];
  weaponTransfer: string;
  ammoTransfer: string;
  onward: string;
  /** KA-91, still at the collection site, and the leaf that recorded it. */
  spare: string;
  spareSeq: number;
};
/** Session cookies of the accounts this file creates. */
const cookie: Record<string, string> = {};
/** Leaf index and hash of each step, as the commands answered them. */
const answers: { step: string; seq: number; leafHash: string }[] = [];

const send = (
  who: string,
  method: "GET" | "POST",
  url: string,
  payload?: object,
): Promise<LightMyRequestResponse> =>
  api.app.inject({
    method,
    url,
    headers: { cookie: cookie[who]! },
    ...(payload === undefined ? {} : { payload }),
  } as InjectOptions);
const post = (who: string, type: string, payload: unknown) =>
  send(who, "POST", "/api/v1/commands", { commandId: randomUUID(), type, payload });
async function ok(who: string, type: string, payload: unknown, step = type) {
  const res = await post(who, type, payload);
  if (res.statusCode !== 200) throw new Error(`${type} as ${who}: ${res.statusCode} ${res.body}`);
  const body = res.json();
  answers.push({ step, seq: body.seq, leafHash: body.leafHash });
  return body as {
    seq: number;
    leafHash: string;
    data: Record<string, unknown>;
    anomalies: { kind: string; subjectId: string; detail: string }[];
  };
}
async function get(who: string, url: string) {
  const res = await send(who, "GET", url);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json();
}
const trail = (kind: "weapon" | "ammunition", id: string, who = "monitor") =>
  get(who, `/api/v1/items/${kind}/${id}/trail`);
const weapons = (...itemIds: string[]) => itemIds.map((id) => ({ kind: "weapon", id }));

/** The names of the people who sign for custody steps: none may reach a leaf. */
const signatories = ["Omar Khalil", "Nadia Salem", "Kareem Aziz", "Mona Haddad", "Faris Naji"];

beforeAll(async () => {
  api = await startApi();
  cookie.admin = api.headers("admin").cookie!;
  ids.group = (await ok("admin", "group.register", groupPayload("CUS-G"))).data.groupId as string;
  const site = async (code: string, kind: string) =>
    (await ok("admin", "site.register", sitePayload(code, kind))).data.siteId as string;
  ids.collection = await site("COL-01", "collection");
  ids.depot = await site("DEP-01", "depot");
  ids.destruction = await site("DST-01", "destruction");
  await ok("admin", "programme.configure", programmePayload());
  const scope = (...sites: string[]): Scope => ({ sites, governorates: "all" });
  for (const [name, role, s] of [
    ["registrar", "registrar", scope(ids.collection)],
    // The collection site's custodian sends to the depot; the depot's sends on and receives.
    ["custodian-a", "custodian", scope(ids.collection, ids.depot)],
    ["custodian-b", "custodian", scope(ids.depot, ids.destruction)],
    ["disposal", "disposal_officer", scope(ids.destruction)],
    ["monitor", "monitor", undefined],
  ] as const)
    cookie[name] = (await api.addUser(name, role, s)).cookie;
  ids.person = (await ok("registrar", "person.register", personPayload(ids.collection, ids.group))).data
    .personId as string;
  const handover = await ok("registrar", "handover.record", {
    ...handoverPayload(ids.collection, ids.person, [
      rifle("KA-1"),
      rifle("KA-2"),
      rifle("KA-3"),
      rifle("KA-4"),
      {
        ...rifle("PM-1"),
        category: "pistol",
        type: "pistol",
        make: "Makarov",
        model: "PM",
        calibre: "9x18mm",
      },
    ]),
    ammunition: [
      {
        kind: "cartridge",
        calibreOrType: "7.62x39mm",
        quantity: 300,
        unit: "rounds",
        condition: "stable",
        safeToMove: true,
      },
      {
        kind: "grenade",
        calibreOrType: "F1",
        quantity: 4,
        unit: "items",
        condition: "stable",
        safeToMove: true,
      },
    ],
  });
  const w = (handover.data.weapons as { itemId: string }[]).map((x) => x.itemId);
  ids.rifles = w.slice(0, 4);
  ids.pistol = w[4]!;
  ids.lots = (handover.data.ammunition as { lotId: string }[]).map((x) => x.lotId);
});
afterAll(() => api?.close());

describe("chain of custody through the API", () => {
  it("dispatches the weapons and, separately, the ammunition, sealed and countersigned", async () => {
    const [r1, r2, r3, r4] = ids.rifles as [string, string, string, string];
    const sent = await ok(
      "custodian-a",
      "custody.dispatch",
      dispatchPayload(ids.collection, ids.depot, [r1, r2, r3, r4, ids.pistol], ["W-1", "W-2"]),
    );
    ids.weaponTransfer = sent.data.transferId as string;
    expect(sent.data).toMatchObject({ manifest: "weapon", countAtDispatch: 5, countersignedBy });
    const ammo = await ok("custodian-a", "custody.dispatch", {
      ...dispatchPayload(ids.collection, ids.depot, [], ["A-1"]),
      items: ids.lots.map((id) => ({ kind: "ammunition", id })),
      countAtDispatch: 2,
    });
    ids.ammoTransfer = ammo.data.transferId as string;
    expect(ammo.data.manifest).toBe("ammunition");

    const travelling = (await get("custodian-a", "/api/v1/transfers?status=in_transit")).items;
    expect(travelling.map((x: { id: string }) => x.id).sort()).toEqual(
      [ids.weaponTransfer, ids.ammoTransfer].sort(),
    );
    expect(travelling.find((x: { id: string }) => x.id === ids.weaponTransfer)).toMatchObject({
      fromSiteId: ids.collection,
      toSiteId: ids.depot,
      manifest: "weapon",
      seals: ["W-1", "W-2"],
      countAtDispatch: 5,
      countAtReceipt: null,
      receivedAt: null,
      status: "in_transit",
      dispatchSeq: sent.seq,
    });
    expect((await trail("weapon", r1)).item).toMatchObject({
      state: "in_transit",
      holderSiteId: ids.collection,
    });
  });

  it("receives at the depot one rifle short with a broken seal: discrepancies open, the rifle lost and flagged", async () => {
    const [r1, r2, r3, r4] = ids.rifles as [string, string, string, string];
    const received = await ok("custodian-b", "custody.receive", {
      ...receivePayload(ids.weaponTransfer, [r1, r2, r3, ids.pistol], ["W-1"]),
      location: { store: "Depot store", container: "C-7", rack: "R1" },
    });
    expect(received.data.discrepancies).toEqual([
      { kind: "missing_item", item: { kind: "weapon", id: r4 } },
      { kind: "broken_seal", seal: "W-2" },
    ]);
    await ok("custodian-b", "custody.receive", {
      ...receivePayload(ids.ammoTransfer, [], ["A-1"]),
      items: ids.lots.map((id) => ({ kind: "ammunition", id })),
      countAtReceipt: 2,
    });

    const open = (await get("monitor", "/api/v1/discrepancies?status=open")).items;
    expect(open).toHaveLength(2);
    expect(open).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          transferId: ids.weaponTransfer,
          kind: "missing_item",
          itemKind: "weapon",
          itemId: r4,
          status: "open",
          openedSeq: received.seq,
        }),
        expect.objectContaining({
          transferId: ids.weaponTransfer,
          kind: "broken_seal",
          itemKind: null,
          itemId: null,
          detail: { kind: "broken_seal", seal: "W-2" },
        }),
      ]),
    );
    expect((await get("monitor", "/api/v1/discrepancies?status=resolved")).items).toEqual([]);
    const transfers = (await get("monitor", "/api/v1/transfers")).items as { id: string; status: string }[];
    expect(Object.fromEntries(transfers.map((x) => [x.id, x.status]))).toEqual({
      [ids.weaponTransfer]: "received_with_discrepancies",
      [ids.ammoTransfer]: "received",
    });

    expect((await trail("weapon", r4)).item).toMatchObject({
      state: "lost",
      flagged: true,
      holderSiteId: ids.collection,
    });
    // What arrived under a broken seal is held at the depot, flagged for a check.
    expect((await trail("weapon", r1)).item).toMatchObject({
      state: "in_custody",
      holderSiteId: ids.depot,
      location: { store: "Depot store", container: "C-7", rack: "R1" },
      flagged: true,
    });
    expect((await trail("ammunition", ids.lots[0]!)).item).toMatchObject({
      state: "in_custody",
      holderSiteId: ids.depot,
      flagged: false,
    });
  });

  it("transfers the rest to the destruction site and destroys it before an independent witness", async () => {
    const [r1, r2, r3] = ids.rifles as [string, string, string];
    const rest = [r1, r2, r3, ids.pistol];
    ids.onward = (
      await ok("custodian-b", "custody.dispatch", {
        ...dispatchPayload(ids.depot, ids.destruction, rest, ["W-3"]),
        // After the receipt at the depot (10:00): nothing moves before it arrived.
        dispatchedAt: "2026-02-02T11:00:00Z",
      })
    ).data.transferId as string;
    const arrived = await ok("custodian-b", "custody.receive", {
      ...receivePayload(ids.onward, rest, ["W-3"]),
      receivedAt: "2026-02-02T12:00:00Z",
    });
    expect(arrived.data.discrepancies).toEqual([]);
    const destroyed = await ok("disposal", "disposition.destroy", {
      ...destructionPayload(ids.destruction, rest),
      witnesses: [
        { name: "Dr. Mona Haddad", affiliation: "Independent observer", independent: true },
        { name: "Col. Faris Naji", affiliation: "Commission", independent: false },
      ],
    });
    expect(destroyed.data).toMatchObject({ independentWitnesses: 1, method: "cutting" });
    for (const id of rest)
      expect((await trail("weapon", id, "disposal")).item).toMatchObject({
        state: "destroyed",
        holderSiteId: ids.destruction,
      });
    const [batch] = await api.store.db.select().from(t.dispositions);
    expect(batch).toMatchObject({
      kind: "destruction",
      siteId: ids.destruction,
      itemCount: 4,
      independentWitnesses: 1,
    });
  });

  it("raises a recirculation anomaly when a destroyed weapon's make, model and serial is seen again", async () => {
    const again = await executeCommand(
      api.store,
      command("handover.record", handoverPayload(ids.collection, ids.person, [rifle("ka-1")])),
      admin,
    );
    const newItem = (again.data.weapons as { itemId: string }[])[0]!.itemId;
    expect(again.anomalies).toEqual([
      expect.objectContaining({ kind: "recirculation", subjectKind: "weapon", subjectId: newItem }),
    ]);
    expect(again.anomalies[0]!.detail).toMatch(/destroyed/);
    // The lost rifle seen again is a duplicate, not a recirculation: it was never destroyed.
    const lost = await ok(
      "registrar",
      "handover.record",
      handoverPayload(ids.collection, ids.person, [rifle("KA-4")]),
    );
    expect(lost.anomalies.map((a) => a.kind)).toEqual(["duplicate_serial"]);
    const anomalies = (await get("monitor", "/api/v1/anomalies")).items as {
      kind: string;
      subjectId: string;
    }[];
    expect(anomalies).toContainEqual(expect.objectContaining({ kind: "recirculation", subjectId: newItem }));
  });

  it("refuses bad custody commands with a problem, changing nothing", async () => {
    const [r1, , , r4] = ids.rifles as [string, string, string, string];
    // A fresh rifle at the collection site, put on the road to have an item in transit.
    const handover = await ok(
      "registrar",
      "handover.record",
      handoverPayload(ids.collection, ids.person, [rifle("KA-90"), rifle("KA-91")]),
    );
    const fresh = (handover.data.weapons as { itemId: string }[]).map((w) => w.itemId) as [string, string];
    const freshLot = (handover.data.ammunition as { lotId: string }[])[0]!.lotId;
    ids.spare = fresh[1];
    ids.spareSeq = handover.seq;
    const road = await ok(
      "custodian-a",
      "custody.dispatch",
      dispatchPayload(ids.collection, ids.depot, [fresh[0]], ["R-1"]),
    );

    const cases: [string, string, string, unknown, ProblemCode][] = [
      [
        "an unknown item",
        "custodian-a",
        "custody.dispatch",
        dispatchPayload(ids.collection, ids.depot, [randomUUID()], ["X-1"]),
        "reference.unknown",
      ],
      [
        "an item already in transit",
        "custodian-a",
        "custody.dispatch",
        dispatchPayload(ids.collection, ids.depot, [fresh[0]], ["X-2"]),
        "rule.violated",
      ],
      [
        "a seal used before",
        "custodian-a",
        "custody.dispatch",
        dispatchPayload(ids.collection, ids.depot, [fresh[1]], ["W-2"]),
        "rule.violated",
      ],
      [
        "a seal used before, in lower case",
        "custodian-a",
        "custody.dispatch",
        dispatchPayload(ids.collection, ids.depot, [fresh[1]], ["r-1"]),
        "rule.violated",
      ],
      [
        "a count that is not the manifest's",
        "custodian-a",
        "custody.dispatch",
        { ...dispatchPayload(ids.collection, ids.depot, [fresh[1]], ["X-3"]), countAtDispatch: 2 },
        "rule.violated",
      ],
      [
        "a negative count",
        "custodian-a",
        "custody.dispatch",
        { ...dispatchPayload(ids.collection, ids.depot, [fresh[1]], ["X-4"]), countAtDispatch: -1 },
        "request.invalid",
      ],
      [
        "the same seal twice",
        "custodian-a",
        "custody.dispatch",
        dispatchPayload(ids.collection, ids.depot, [fresh[1]], ["X-5", "X-5"]),
        "request.invalid",
      ],
      [
        "weapons and ammunition in one load",
        "custodian-a",
        "custody.dispatch",
        {
          ...dispatchPayload(ids.collection, ids.depot, [fresh[1]], ["X-6"]),
          items: [...weapons(fresh[1]), { kind: "ammunition", id: freshLot }],
          countAtDispatch: 2,
        },
        "rule.violated",
      ],
      [
        "a dispatch by a site that does not hold the item",
        "custodian-b",
        "custody.dispatch",
        dispatchPayload(ids.depot, ids.destruction, [fresh[1]], ["X-7"]),
        "rule.violated",
      ],
      [
        "a lost rifle",
        "custodian-a",
        "custody.dispatch",
        dispatchPayload(ids.collection, ids.depot, [r4], ["X-8"]),
        "rule.violated",
      ],
      [
        "a destroyed rifle",
        "custodian-b",
        "custody.dispatch",
        dispatchPayload(ids.destruction, ids.depot, [r1], ["X-9"]),
        "rule.violated",
      ],
      [
        "a transfer received already",
        "custodian-b",
        "custody.receive",
        receivePayload(ids.onward, [r1], ["W-3"]),
        "rule.violated",
      ],
      [
        "an item not on the manifest",
        "custodian-b",
        "custody.receive",
        receivePayload(road.data.transferId as string, [fresh[0], fresh[1]], ["R-1"]),
        "rule.violated",
      ],
      [
        "a seal not put on at dispatch",
        "custodian-b",
        "custody.receive",
        receivePayload(road.data.transferId as string, [fresh[0]], ["W-1"]),
        "rule.violated",
      ],
      [
        "an unknown transfer",
        "admin",
        "custody.receive",
        receivePayload(randomUUID(), [fresh[0]], ["R-1"]),
        "reference.unknown",
      ],
      [
        "a negative count at receipt",
        "custodian-b",
        "custody.receive",
        { ...receivePayload(road.data.transferId as string, [fresh[0]], ["R-1"]), countAtReceipt: -1 },
        "request.invalid",
      ],
      [
        "a destruction without an independent witness",
        "disposal",
        "disposition.destroy",
        {
          ...destructionPayload(ids.destruction, [r1]),
          witnesses: [{ name: "Col. Faris Naji", affiliation: "Commission", independent: false }],
        },
        "request.invalid",
      ],
      [
        "a destruction without a photograph",
        "disposal",
        "disposition.destroy",
        { ...destructionPayload(ids.destruction, [r1]), photos: [] },
        "request.invalid",
      ],
      [
        "destroying a rifle twice",
        "disposal",
        "disposition.destroy",
        destructionPayload(ids.destruction, [r1]),
        "rule.violated",
      ],
      [
        "destroying at the depot",
        "admin",
        "disposition.destroy",
        destructionPayload(ids.depot, [fresh[1]]),
        "rule.violated",
      ],
      [
        "destroying what is not at the destruction site",
        "disposal",
        "disposition.destroy",
        destructionPayload(ids.destruction, [fresh[1]]),
        "rule.violated",
      ],
      [
        "a registrar dispatching",
        "registrar",
        "custody.dispatch",
        dispatchPayload(ids.collection, ids.depot, [fresh[1]], ["X-10"]),
        "auth.forbidden",
      ],
      [
        "a custodian destroying",
        "custodian-b",
        "disposition.destroy",
        destructionPayload(ids.destruction, [fresh[1]]),
        "auth.forbidden",
      ],
      [
        "a disposal officer dispatching",
        "disposal",
        "custody.dispatch",
        dispatchPayload(ids.destruction, ids.depot, [r1], ["X-11"]),
        "auth.forbidden",
      ],
      [
        "a custodian receiving outside its sites",
        "custodian-a",
        "custody.receive",
        receivePayload(ids.onward, [r1], ["W-3"]),
        "auth.out-of-scope",
      ],
    ];
    const failures: string[] = [];
    for (const [label, who, type, payload, code] of cases) {
      const before = await counts(api.store);
      const res: LightMyRequestResponse = await post(who, type, payload);
      const problem = expectClientProblem(res);
      if (problem.code !== code)
        failures.push(`${label}: ${problem.code} (${problem.detail}), expected ${code}`);
      expectProblem(res, problem.code);
      const after = await counts(api.store);
      if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${label}: rows changed`);
    }
    expect(failures).toEqual([]);
    // The refusals changed no item either.
    expect((await trail("weapon", fresh[1])).item).toMatchObject({
      state: "in_custody",
      holderSiteId: ids.collection,
    });
    expect((await trail("weapon", fresh[0])).item).toMatchObject({ state: "in_transit" });
  });

  it("shows an item's trail from handover to destruction, each step with its ledger leaf", async () => {
    const [r1, , , r4] = ids.rifles as [string, string, string, string];
    const { item, steps } = await trail("weapon", r1);
    expect(item).toMatchObject({
      kind: "weapon",
      id: r1,
      state: "destroyed",
      tag: expect.stringMatching(/^W\d{7}-01$/),
    });
    expect(steps.map((s: { type: string }) => s.type)).toEqual([
      "handover.recorded",
      "custody.dispatched",
      "custody.received",
      "custody.dispatched",
      "custody.received",
      "disposition.destroyed",
    ]);
    const leaves = await api.store.db
      .select({ seq: t.events.seq, leafHash: t.events.leafHash })
      .from(t.events)
      .where(
        inArray(
          t.events.seq,
          steps.map((s: { leafIndex: number }) => s.leafIndex),
        ),
      );
    const hashOf = new Map(leaves.map((l) => [l.seq, l.leafHash]));
    let previous = -1;
    for (const step of steps as { leafIndex: number; leafHash: string; type: string; data: unknown }[]) {
      expect(step.leafIndex).toBeGreaterThan(previous);
      previous = step.leafIndex;
      expect(step.leafHash).toMatch(/^[0-9a-f]{64}$/);
      expect(step.leafHash).toBe(hashOf.get(step.leafIndex));
      // The same leaf the command answered when it was recorded.
      expect(answers.find((a) => a.seq === step.leafIndex)?.leafHash).toBe(step.leafHash);
      for (const name of signatories) expect(JSON.stringify(step.data)).not.toContain(name);
      // Lists of items are narrowed to this rifle; their full length stays beside them.
      const data = step.data as Record<string, unknown>;
      for (const [field, value] of Object.entries(data))
        if (`${field}Count` in data)
          for (const entry of value as Record<string, unknown>[])
            expect([entry.itemId, entry.lotId, entry.id]).toContain(r1);
    }
    const handedOver = steps[0] as { data: { weapons: { itemId: string }[]; weaponsCount: number } };
    expect(handedOver.data.weapons.map((w) => w.itemId)).toEqual([r1]);
    expect(handedOver.data.weaponsCount).toBeGreaterThan(1);
    // The lost rifle's trail ends at the receipt that found it missing.
    expect((await trail("weapon", r4)).steps.map((s: { type: string }) => s.type)).toEqual([
      "handover.recorded",
      "custody.dispatched",
      "custody.received",
    ]);
    expect((await trail("ammunition", ids.lots[1]!)).steps.map((s: { type: string }) => s.type)).toEqual([
      "handover.recorded",
      "custody.dispatched",
      "custody.received",
    ]);
    // A keeper follows what passed through their sites, wherever it went since: r1 left
    // custodian-a's collection site and depot for the destruction site.
    expect((await trail("weapon", r1, "custodian-a")).steps).toHaveLength(6);
    // Out of the reader's scope, or no such item: the same answer.
    expectProblem(
      await send("monitor", "GET", `/api/v1/items/weapon/${randomUUID()}/trail`),
      "resource.not-found",
    );
    expectProblem(await send("monitor", "GET", `/api/v1/items/ammunition/${r1}/trail`), "resource.not-found");
  });

  it("balances: by category, the items collected equal the items in each state", async () => {
    const balance = await get("monitor", "/api/v1/reports/disposition-balance");
    expect(balance.balanced).toBe(true);
    expect(balance.imbalances).toEqual([]);
    const sum = (states: Record<string, number>) => Object.values(states).reduce((a, b) => a + b, 0);
    for (const row of [...balance.rows, ...balance.byCategory])
      expect(sum(row.states), JSON.stringify(row)).toBe(row.collected);
    type Total = {
      kind: string;
      category: string;
      unit?: string;
      collected: number;
      states: Record<string, number>;
      quantity?: { collected: number; states: Record<string, number> };
    };
    const nonZero = (states: Record<string, number>) =>
      Object.fromEntries(Object.entries(states).filter(([, n]) => n > 0));
    const byCategory = Object.fromEntries(
      (balance.byCategory as Total[])
        .filter((c) => c.kind === "weapon")
        .map((c) => [c.category, { collected: c.collected, ...nonZero(c.states) }]),
    );
    // Ammunition is in the balance too, by lots and by quantity: the two lots that went to the
    // depot, and one more cartridge lot with each later handover at the collection site.
    const lots = Object.fromEntries(
      (balance.byCategory as Total[])
        .filter((c) => c.kind === "ammunition")
        .map((c) => [
          `${c.category} (${c.unit})`,
          { lots: nonZero(c.states), quantity: nonZero(c.quantity!.states) },
        ]),
    );
    expect(lots["grenade (items)"]).toEqual({ lots: { in_custody: 1 }, quantity: { in_custody: 4 } });
    expect(lots["cartridge (rounds)"]?.quantity.in_custody).toBe(300 + 120 * 3);
    // Rifles: KA-1..4 (three destroyed, one lost), KA-1 and KA-4 seen again, KA-90 on the road, KA-91.
    expect(byCategory).toEqual({
      rifle: { collected: 8, destroyed: 3, lost_under_investigation: 1, in_transit: 1, in_custody: 3 },
      pistol: { collected: 1, destroyed: 1 },
    });
    expect(balance.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ category: "rifle", group: ids.group, governorate: "IQ-BG", collected: 8 }),
      ]),
    );
  });

  it("counts the rifle lost on the road as confirmed lost once its investigation closes so", async () => {
    const rifleStates = async () =>
      (await get("monitor", "/api/v1/reports/disposition-balance")).byCategory.find(
        (c: { kind: string; category: string }) => c.kind === "weapon" && c.category === "rifle",
      ).states;
    expect(await rifleStates()).toMatchObject({ lost_under_investigation: 1, confirmed_lost: 0 });
    const [missing] = (await get("admin", "/api/v1/investigations?status=open")).items.filter(
      (i: { reason: string }) => i.reason === "missing_item",
    );
    await ok("admin", "investigation.close", {
      investigationId: missing.id,
      closedAt: new Date().toISOString(),
      outcome: "confirmed_lost",
      reason: "The search of the route found nothing.",
    });
    expect(await rifleStates()).toMatchObject({ lost_under_investigation: 0, confirmed_lost: 1, stolen: 0 });
    expect((await get("monitor", "/api/v1/reports/disposition-balance")).balanced).toBe(true);
  });

  it("stays balanced when a weapon's category is corrected, counting it under its last category", async () => {
    const correct = (changes: Record<string, unknown>) =>
      ok("registrar", "record.correct", {
        kind: "weapon",
        id: ids.spare,
        corrects: ids.spareSeq,
        changes,
        reason: "Checked against the photograph.",
      });
    await correct({ category: "shotgun" });
    await correct({ category: "pistol" });
    await correct({ calibre: "9x19mm" });
    const balance = await get("monitor", "/api/v1/reports/disposition-balance");
    expect(balance.imbalances).toEqual([]);
    expect(balance.balanced).toBe(true);
    const collected = Object.fromEntries(
      (balance.byCategory as { kind: string; category: string; collected: number }[])
        .filter((c) => c.kind === "weapon")
        .map((c) => [c.category, c.collected]),
    );
    expect(collected).toEqual({ rifle: 7, pistol: 2 });
  });

  it("keeps the escort, countersignatories, operators and witnesses out of the public leaves", async () => {
    const rows = await api.store.db
      .select({ seq: t.events.seq, type: t.events.type, entry: t.events.entry })
      .from(t.events)
      .where(inArray(t.events.type, ["custody.dispatched", "custody.received", "disposition.destroyed"]));
    expect(rows.length).toBe(8);
    for (const row of rows) {
      for (const name of signatories) expect(row.entry, `${row.type} at ${row.seq}`).not.toContain(name);
      const entry = JSON.parse(row.entry);
      expect(entry.personal).toMatch(/^[0-9a-f]{64}$/);
      expect(entry.data).not.toHaveProperty("countersignedBy");
      expect(entry.data).not.toHaveProperty("escort");
      expect(entry.data).not.toHaveProperty("witnesses");
      expect(entry.data).not.toHaveProperty("operators");
    }
    // The names are kept, apart and encrypted, in the committed personal part.
    const destroyed = rows.find((r) => r.type === "disposition.destroyed")!;
    const [personal] = await api.store.db
      .select()
      .from(t.eventPrivate)
      .where(eq(t.eventPrivate.seq, destroyed.seq));
    expect(personal?.data).not.toContain("Mona Haddad");
    const opened = openPrivatePart(await api.store.personal.keys(), personal!);
    expect(opened).toContain("Mona Haddad");
    expect(opened).toContain("Kareem Aziz");
    // The events list shows the public entries only.
    const listed = JSON.stringify((await get("monitor", "/api/v1/events?limit=1000")).items);
    for (const name of signatories) expect(listed).not.toContain(name);
  });

  it("verifies the untouched store, then names a tampered item in the verification and the balance", async () => {
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, ledger: [], projections: [] });
    const [r1, r2] = ids.rifles as [string, string];

    // A destroyed rifle put back in custody: the counts still add up, but the replay sees it.
    await api.store.db.execute(sql`update weapon_items set state = 'in_custody' where id = ${r1}`);
    expect((await get("monitor", "/api/v1/reports/disposition-balance")).balanced).toBe(true);
    const edited = await verifyDatabase(api.store);
    expect(edited.ok).toBe(false);
    expect(edited.projections).toEqual([
      { table: "weapon_items", key: r1, kind: "changed", columns: ["state"] },
    ]);

    // A destroyed rifle's row deleted: the balance no longer adds up, and says where.
    await api.store.db.execute(sql`delete from weapon_items where id = ${r2}`);
    const balance = await get("monitor", "/api/v1/reports/disposition-balance");
    expect(balance.balanced).toBe(false);
    expect(balance.imbalances).toEqual([
      {
        kind: "weapon",
        category: "rifle",
        group: ids.group,
        governorate: "IQ-BG",
        collected: 7,
        accountedFor: 6,
      },
    ]);
    const deleted = await verifyDatabase(api.store);
    expect(deleted.ok).toBe(false);
    expect(deleted.ledger).toEqual([]);
    expect(deleted.projections).toEqual(
      expect.arrayContaining([
        { table: "weapon_items", key: r1, kind: "changed", columns: ["state"] },
        { table: "weapon_items", key: r2, kind: "missing from the live tables" },
      ]),
    );
    expect(deleted.projections).toHaveLength(2);

    // Ten rounds taken from a lot: the lots still add up, the rounds do not, and the balance says so.
    await api.store.db.execute(
      sql`update ammunition_lots set quantity = quantity - 10 where id = ${ids.lots[0]!}`,
    );
    expect((await get("monitor", "/api/v1/reports/disposition-balance")).imbalances).toContainEqual({
      kind: "ammunition",
      category: "cartridge",
      unit: "rounds",
      group: ids.group,
      governorate: "IQ-BG",
      collected: 4,
      accountedFor: 4,
      quantityCollected: 660,
      quantityAccountedFor: 650,
    });
    // Three replays into fresh databases: slow on a busy machine.
  }, 120_000);
});
