import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tables from "../../src/store/schema.ts";
import { personPayload } from "../support/fixtures.ts";
import { type Api, destructionPayload, dispatchPayload, startApi } from "./support.ts";

// The reads the web app's people and custody screens needed (issue 6): a transfer's manifest for
// the receiving keeper, past disposition batches, a person's demobilisation cards.

let api: Api;
/** An administrator scoped to site B alone: none of the seed's custody is theirs. */
let adminB: Record<string, string>;

beforeAll(async () => {
  api = await startApi({ seed: true });
  adminB = {
    cookie: (await api.addUser("admin.b", "admin", { sites: [api.seed.siteB], governorates: "all" })).cookie,
  };
}, 120_000);
afterAll(() => api?.close());

const get = (headers: Record<string, string>, url: string) => api.app.inject({ method: "GET", url, headers });

describe("GET /api/v1/transfers/:id/items", () => {
  it("lists the manifest's items by tag, for the keepers at either end", async () => {
    const { transferId, weaponId } = api.seed.custody.inTransit[0]!;
    const res = await get(api.headers("custodian"), `/api/v1/transfers/${transferId}/items`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([
      { kind: "weapon", id: weaponId, tag: expect.stringMatching(/^W/u), category: "rifle", serial: "CUS-3" },
    ]);
  });

  it("lists every item of a load, and names no person", async () => {
    // Find the seed's short load by its seal.
    const transfers = (await get(api.headers("admin"), "/api/v1/transfers?limit=1000")).json().items as {
      id: string;
      seals: string[];
    }[];
    const short = transfers.find((t) => t.seals.includes("SEED-L1"))!;
    const items = await get(api.headers("admin"), `/api/v1/transfers/${short.id}/items`);
    expect(items.statusCode, items.body).toBe(200);
    expect(items.json().items.map((i: { serial: string }) => i.serial)).toEqual(["LOS-1", "LOS-2"]);
    expect(items.body).not.toContain(api.seed.personA);
  });

  it("names a loose key part by its weapon's tag and place, as its label does", async () => {
    const weaponId = api.seed.custody.atSiteA[0]!;
    const { partId } = await api.ok("admin", "weapon.separate_part", {
      weaponId,
      part: "bolt",
      separatedAt: "2026-03-01T08:00:00Z",
    });
    const load = await api.ok("custodian", "custody.dispatch", {
      ...dispatchPayload(api.seed.siteA, api.seed.depotId, [], ["KP-SEAL-2"]),
      dispatchedAt: "2026-03-02T08:00:00Z",
      items: [{ kind: "key_part", id: partId }],
      countAtDispatch: 1,
    });
    const trail = (await get(api.headers("admin"), `/api/v1/items/weapon/${weaponId}/trail`)).json();
    const res = await get(api.headers("custodian"), `/api/v1/transfers/${load.transferId}/items`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([
      { kind: "key_part", id: partId, tag: `${trail.item.tag}/P1`, category: "bolt", serial: null },
    ]);
  });

  it("answers a transfer outside the reader's sites exactly like one that does not exist", async () => {
    const { transferId } = api.seed.custody.inTransit[0]!;
    const theirs = await get(adminB, `/api/v1/transfers/${transferId}/items`);
    const none = await get(adminB, `/api/v1/transfers/${randomUUID()}/items`);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().code).toBe(none.json().code);
    expect(theirs.json().detail).toBe(none.json().detail);
  });
});

describe("GET /api/v1/dispositions", () => {
  it("lists the batches, newest first, within the reader's sites", async () => {
    const [a, b] = api.seed.custody.atDestruction;
    const one = await api.ok(
      "admin",
      "disposition.destroy",
      destructionPayload(api.seed.destructionId, [a!]),
    );
    const two = await api.ok(
      "admin",
      "disposition.destroy",
      destructionPayload(api.seed.destructionId, [b!]),
    );
    const res = await get(api.headers("admin"), "/api/v1/dispositions");
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { id: string; kind: string; itemCount: number; siteId: string }[];
    expect(items.slice(0, 2).map((d) => d.id)).toEqual([two.batchId, one.batchId]);
    expect(items[0]).toMatchObject({ kind: "destruction", itemCount: 1, siteId: api.seed.destructionId });
    // Witnesses and operators are named in the certificate, not in the list.
    expect(res.body).not.toContain("Mona Haddad");
    expect((await get(adminB, "/api/v1/dispositions")).json().items).toEqual([]);
  });
});

describe("GET /api/v1/persons/:id/cards", () => {
  it("lists a person's cards, the replaced one with its replacement, and logs the read", async () => {
    const personId = (await api.ok("admin", "person.register", personPayload(api.seed.siteA)))
      .personId as string;
    // Setup, not the behaviour under test (cards.test.ts makes people eligible through handovers).
    await api.store.db.execute(sql`update persons set eligible = true where id = ${personId}`);
    const empty = await get(api.headers("registrar"), `/api/v1/persons/${personId}/cards`);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json().items).toEqual([]);
    const first = (await api.ok("admin", "card.issue", { personId })).cardNumber as string;
    const second = (await api.ok("admin", "card.reissue", { cardNumber: first, reason: "lost" }))
      .cardNumber as string;
    const res = await get(api.headers("case_worker"), `/api/v1/persons/${personId}/cards`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toMatchObject([
      { cardNumber: second, status: "active", replaces: first, reissueReason: "lost", endedOn: null },
      { cardNumber: first, status: "replaced", replaces: null },
    ]);
    const log = await api.store.db
      .select()
      .from(tables.accessLog)
      .where(eq(tables.accessLog.subjectId, personId));
    expect(log.map((r) => r.channel)).toContain("GET /api/v1/persons/:id/cards");
  });

  it("answers a person outside the reader's scope exactly like one that does not exist", async () => {
    const theirs = await get(adminB, `/api/v1/persons/${api.seed.personA}/cards`);
    const none = await get(adminB, `/api/v1/persons/${randomUUID()}/cards`);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().detail).toBe(none.json().detail);
  });
});
