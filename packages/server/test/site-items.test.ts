import { randomUUID } from "node:crypto";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, dispatchPayload, startApi } from "./api/support.ts";
import {
  groupPayload,
  handoverPayload,
  personPayload,
  programmePayload,
  rifle,
  sitePayload,
} from "./support/fixtures.ts";

// GET /api/v1/sites/:id/items: what a site holds, for a keeper picking a manifest or a batch in
// the browser. Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.

let api: Api;
const ids = {} as { collection: string; depot: string; rifles: string[]; lot: string };
const cookie: Record<string, string> = {};

const get = (who: string, url: string) =>
  api.app.inject({ method: "GET", url, headers: { cookie: cookie[who]! } } as InjectOptions);
async function ok(type: string, payload: unknown, who = "admin") {
  const res = await api.app.inject({
    method: "POST",
    url: "/api/v1/commands",
    headers: { cookie: cookie[who]! },
    payload: { commandId: randomUUID(), type, payload },
  } as InjectOptions);
  if (res.statusCode !== 200) throw new Error(`${type}: ${res.statusCode} ${res.body}`);
  return res.json() as { data: Record<string, unknown> };
}
type Held = { kind: string; id: string; tag: string | null; category: string; state: string };
const items = async (who: string, url: string) => {
  const res = await get(who, url);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Held[] }).items;
};

beforeAll(async () => {
  api = await startApi();
  cookie.admin = api.headers("admin").cookie!;
  const groupId = (await ok("group.register", groupPayload("HLD-G"))).data.groupId as string;
  ids.collection = (await ok("site.register", sitePayload("HLD-01"))).data.siteId as string;
  ids.depot = (await ok("site.register", sitePayload("HLD-DEP", "depot"))).data.siteId as string;
  await ok("programme.configure", programmePayload());
  const scope = (...sites: string[]) => ({ sites, governorates: "all" as const });
  cookie.keeper = (await api.addUser("keeper", "custodian", scope(ids.collection))).cookie;
  cookie.depotKeeper = (await api.addUser("depot-keeper", "custodian", scope(ids.depot))).cookie;
  cookie.registrar = (await api.addUser("registrar", "registrar", scope(ids.collection))).cookie;
  const personId = (await ok("person.register", personPayload(ids.collection, groupId))).data
    .personId as string;
  const handover = await ok(
    "handover.record",
    handoverPayload(ids.collection, personId, [rifle("HLD-1"), rifle("HLD-2")]),
  );
  ids.rifles = (handover.data.weapons as { itemId: string }[]).map((w) => w.itemId);
  ids.lot = (handover.data.ammunition as { lotId: string }[])[0]!.lotId;
  await ok(
    "custody.dispatch",
    dispatchPayload(ids.collection, ids.depot, [ids.rifles[1]!], ["HLD-S1"]),
    "keeper",
  );
});
afterAll(() => api?.close());

describe("GET /api/v1/sites/:id/items", () => {
  it("lists what the site holds on its shelves, weapons first, each with its tag and category", async () => {
    const held = await items("keeper", `/api/v1/sites/${ids.collection}/items`);
    expect(held.map((i) => [i.kind, i.id, i.state])).toEqual([
      ["weapon", ids.rifles[0], "in_custody"],
      ["ammunition", ids.lot, "in_custody"],
    ]);
    expect(held[0]).toMatchObject({ category: "rifle", tag: expect.stringMatching(/^W/u) });
  });

  it("filters by state and kind: the rifle on its way is held by the sender, in transit", async () => {
    const moving = await items("keeper", `/api/v1/sites/${ids.collection}/items?state=in_transit`);
    expect(moving.map((i) => i.id)).toEqual([ids.rifles[1]]);
    const lots = await items("keeper", `/api/v1/sites/${ids.collection}/items?kind=ammunition`);
    expect(lots.map((i) => i.id)).toEqual([ids.lot]);
    expect(await items("depotKeeper", `/api/v1/sites/${ids.depot}/items`)).toEqual([]);
  });

  it("answers a keeper of another site as it answers an unknown site, and refuses a role without store.read", async () => {
    const outside = await get("depotKeeper", `/api/v1/sites/${ids.collection}/items`);
    const unknown = await get("depotKeeper", `/api/v1/sites/${randomUUID()}/items`);
    expect([outside.statusCode, outside.json().code]).toEqual([404, "resource.not-found"]);
    expect(outside.json().detail).toBe(unknown.json().detail);
    expect((await get("registrar", `/api/v1/sites/${ids.collection}/items`)).statusCode).toBe(403);
    expect((await get("keeper", `/api/v1/sites/${ids.collection}/items?state=melted`)).statusCode).toBe(400);
  });
});
