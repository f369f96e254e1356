import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as t from "../src/store/schema.ts";
import { verifyDatabase } from "../src/verify/index.ts";
import { executeCommand } from "../src/write-path/execute.ts";
import {
  type Api,
  counts,
  deactivationPayload,
  dispatchPayload,
  expectProblem,
  retentionPayload,
  startApi,
  stateTransferPayload,
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

// The final dispositions other than destruction (issue 4), end to end through the HTTP API and the
// write path: rifles handed to the state force with their national registration numbers, a lot
// by its lot reference, a rifle deactivated, one retained for training; what the balance, the
// trails, the anomalies and the verification then say. Runs on PGlite, and on PostgreSQL when
// DATABASE_URL is set.

let api: Api;
const ids = {} as { collection: string; depot: string; person: string; rifles: string[]; lot: string };
const cookie: Record<string, string> = {};

const send = (who: string, method: "GET" | "POST", url: string, payload?: object) =>
  api.app.inject({
    method,
    url,
    headers: { cookie: cookie[who]! },
    ...(payload === undefined ? {} : { payload }),
  } as InjectOptions);
const post = (who: string, type: string, payload: unknown): Promise<LightMyRequestResponse> =>
  send(who, "POST", "/api/v1/commands", { commandId: randomUUID(), type, payload });
async function ok(who: string, type: string, payload: unknown) {
  const res = await post(who, type, payload);
  if (res.statusCode !== 200) throw new Error(`${type} as ${who}: ${res.statusCode} ${res.body}`);
  return res.json() as {
    seq: number;
    data: Record<string, unknown>;
    anomalies: { kind: string; detail: string }[];
  };
}
async function get(who: string, url: string) {
  const res = await send(who, "GET", url);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json();
}
const trail = (kind: "weapon" | "ammunition", id: string) =>
  get("monitor", `/api/v1/items/${kind}/${id}/trail`);

/** The payload with its first item re-marked in the same command. */
function remarked(payload: ReturnType<typeof stateTransferPayload>) {
  Object.assign(payload.items[0]!, { remarking: { marking: "IQ MOI 2026 0003", markedOn: "2026-02-02" } });
  return payload;
}

/** The people who sign a final disposition: none may reach a public leaf. */
const signatories = ["Lars Berg", "Hadi Jasim", "Rana Aziz"];

beforeAll(async () => {
  api = await startApi();
  cookie.admin = api.headers("admin").cookie!;
  const groupId = (await ok("admin", "group.register", groupPayload("DSP-G"))).data.groupId as string;
  ids.collection = (await ok("admin", "site.register", sitePayload("DSP-01"))).data.siteId as string;
  ids.depot = (await ok("admin", "site.register", sitePayload("DSP-DEP", "depot"))).data.siteId as string;
  await ok("admin", "programme.configure", programmePayload());
  cookie.disposal = (
    await api.addUser("disposal", "disposal_officer", { sites: [ids.collection], governorates: "all" })
  ).cookie;
  cookie.monitor = (await api.addUser("monitor", "monitor")).cookie;
  ids.person = (await ok("admin", "person.register", personPayload(ids.collection, groupId))).data
    .personId as string;
  const handover = await ok(
    "admin",
    "handover.record",
    handoverPayload(ids.collection, ids.person, [
      rifle("ST-1"),
      rifle("ST-2"),
      rifle("DE-1"),
      rifle("RE-1"),
      // A rifle whose markings were ground off: it needs re-marking before it goes to the state.
      Object.assign(rifle("ALT-1"), { alteredMarks: true }),
    ]),
  );
  ids.rifles = (handover.data.weapons as { itemId: string }[]).map((w) => w.itemId);
  ids.lot = (handover.data.ammunition as { lotId: string }[])[0]!.lotId;
});
afterAll(() => api?.close());

describe("final dispositions through the API", () => {
  it("hands rifles and a lot to the state force, each with its registration number or lot reference", async () => {
    const [st1, st2] = ids.rifles as [string, string];
    const payload = stateTransferPayload(ids.collection, [
      { id: st1, registrationNumber: "IQ-FP-0001" },
      { id: st2, registrationNumber: "IQ-FP-0002" },
    ]);
    payload.items.push({ kind: "ammunition", id: ids.lot, lotReference: "LOT 7.62-2026-3" } as never);
    const answer = await ok("disposal", "disposition.transfer_to_state", payload);
    const batchId = answer.data.batchId as string;
    for (const id of [st1, st2]) expect((await trail("weapon", id)).item.state).toBe("transferred");
    const lotTrail = await trail("ammunition", ids.lot);
    expect(lotTrail.item.state).toBe("transferred");
    expect(lotTrail.steps.map((s: { type: string }) => s.type)).toEqual([
      "handover.recorded",
      "disposition.transferred_to_state",
    ]);
    const [batch] = await api.store.db.select().from(t.dispositions).where(eq(t.dispositions.id, batchId));
    expect(batch).toMatchObject({ kind: "transfer_to_state", siteId: ids.collection, itemCount: 3 });
    const numbers = await api.store.db.select().from(t.registrationNumbers);
    expect(numbers.map((n) => [n.number, n.itemId]).sort()).toEqual([
      ["IQ-FP-0001", st1],
      ["IQ-FP-0002", st2],
    ]);
  });

  it("deactivates a rifle through the write path and retains another over HTTP", async () => {
    const [, , de1, re1] = ids.rifles as [string, string, string, string];
    const deactivated = await executeCommand(
      api.store,
      command("disposition.deactivate", deactivationPayload(ids.collection, [de1])),
      admin,
    );
    expect(deactivated.type).toBe("disposition.deactivate");
    await ok("disposal", "disposition.retain", retentionPayload(ids.collection, [re1]));
    const deTrail = await trail("weapon", de1);
    expect(deTrail.item.state).toBe("deactivated");
    expect(deTrail.steps.at(-1)).toMatchObject({ type: "disposition.deactivated" });
    expect(deTrail.steps.at(-1).data.items).toEqual([{ kind: "weapon", id: de1, mark: "IQ-DEACT 2026" }]);
    const reTrail = await trail("weapon", re1);
    expect(reTrail.item.state).toBe("retained");
    expect(reTrail.steps.at(-1).data).toMatchObject({ purpose: "training", reviewOn: "2027-02-03" });
    const kinds = await api.store.db
      .select({ kind: t.dispositions.kind, method: t.dispositions.method })
      .from(t.dispositions)
      .where(inArray(t.dispositions.kind, ["deactivation", "retention"]));
    expect(kinds.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { kind: "deactivation", method: "EU 2018/337" },
      { kind: "retention", method: "training" },
    ]);
  });

  it("refuses, changing nothing: altered markings without re-marking, a reused registration number, a final item moved", async () => {
    const alt = ids.rifles[4]!;
    const before = await counts(api.store);
    const altered = expectProblem(
      await post(
        "disposal",
        "disposition.transfer_to_state",
        stateTransferPayload(ids.collection, [{ id: alt, registrationNumber: "IQ-FP-0003" }]),
      ),
      "rule.violated",
    );
    expect(altered.detail).toMatch(/altered or erased markings force destruction or re-marking first/);
    const reused = expectProblem(
      await post(
        "disposal",
        "disposition.transfer_to_state",
        remarked(stateTransferPayload(ids.collection, [{ id: alt, registrationNumber: "IQ-FP-0001" }])),
      ),
      "rule.violated",
    );
    expect(reused.detail).toMatch(/already given/);
    for (const [n, id] of ids.rifles.slice(0, 4).entries()) {
      const moved = expectProblem(
        await post(
          "admin",
          "custody.dispatch",
          dispatchPayload(ids.collection, ids.depot, [id], [`DSP-${n}`]),
        ),
        "rule.violated",
      );
      expect(moved.detail).toMatch(/can never move again/);
    }
    expect(
      expectProblem(
        await post("admin", "disposition.retain", retentionPayload(ids.collection, [ids.rifles[0]!])),
        "rule.violated",
      ).detail,
    ).toMatch(/only items in custody/);
    expect(await counts(api.store)).toEqual(before);
    // Re-marked in the same command, the rifle may go.
    await ok(
      "disposal",
      "disposition.transfer_to_state",
      remarked(stateTransferPayload(ids.collection, [{ id: alt, registrationNumber: "IQ-FP-0003" }])),
    );
    expect((await trail("weapon", alt)).item.state).toBe("transferred");
  });

  it("raises a recirculation anomaly when a weapon handed to the state is handed in again", async () => {
    const again = await ok(
      "admin",
      "handover.record",
      handoverPayload(ids.collection, ids.person, [rifle("st-1")]),
    );
    expect(again.anomalies.map((a) => a.kind)).toEqual(["recirculation"]);
    expect(again.anomalies[0]!.detail).toMatch(/transferred/);
  });

  it("balances, counting the transferred, deactivated and retained items", async () => {
    const balance = await get("monitor", "/api/v1/reports/disposition-balance");
    expect(balance.balanced).toBe(true);
    expect(balance.imbalances).toEqual([]);
    const rifles = (
      balance.byCategory as { category: string; collected: number; states: Record<string, number> }[]
    ).find((c) => c.category === "rifle")!;
    expect(rifles.collected).toBe(6);
    expect(Object.fromEntries(Object.entries(rifles.states).filter(([, n]) => n > 0))).toEqual({
      transferred: 3,
      deactivated: 1,
      retained: 1,
      in_custody: 1,
    });
  });

  it("keeps the inspectors and the custodian out of the public leaves", async () => {
    const rows = await api.store.db
      .select({ seq: t.events.seq, type: t.events.type, entry: t.events.entry })
      .from(t.events)
      .where(inArray(t.events.type, ["disposition.transferred_to_state", "disposition.retained"]));
    expect(rows.length).toBe(3);
    for (const row of rows) {
      for (const name of signatories) expect(row.entry, `${row.type} at ${row.seq}`).not.toContain(name);
      expect(JSON.parse(row.entry).data).not.toHaveProperty("inspectors");
      expect(JSON.parse(row.entry).data).not.toHaveProperty("custodian");
    }
  });

  it("verifies: replaying the ledger rebuilds the dispositions and registration numbers exactly", async () => {
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, ledger: [], projections: [] });
    await api.store.db.execute(sql`delete from registration_numbers where number = 'IQ-FP-0002'`);
    const tampered = await verifyDatabase(api.store);
    expect(tampered.ok).toBe(false);
    expect(tampered.projections).toEqual([
      { table: "registration_numbers", key: "IQ-FP-0002", kind: "missing from the live tables" },
    ]);
  });
});
