import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as t from "../src/store/schema.ts";
import { verifyDatabase } from "../src/verify/index.ts";
import { type Api, expectProblem, startApi } from "./api/support.ts";
import { groupPayload, handoverPayload, rifle, sitePayload } from "./support/fixtures.ts";

// Cache reports (issue 4) through the HTTP API: reported → verified → cleared or residue handed
// over; the source and the exact location only for the roles that need them, never in a leaf.
// Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.

let api: Api;
const cookie: Record<string, string> = {};
let groupId: string;
const send = (who: string, method: "GET" | "POST", url: string, payload?: object) =>
  api.app.inject({
    method,
    url,
    headers: { cookie: cookie[who]! },
    ...(payload === undefined ? {} : { payload }),
  } as InjectOptions);
async function ok(type: string, payload: unknown) {
  const res = await send("admin", "POST", "/api/v1/commands", { commandId: randomUUID(), type, payload });
  if (res.statusCode !== 200) throw new Error(`${type}: ${res.statusCode} ${res.body}`);
  return res.json() as { seq: number; data: Record<string, unknown> };
}
const report = (governorate: string, extra: object = {}) => ({
  reportedAt: "2026-02-03T08:00:00Z",
  source: { name: "Abu Karim", affiliation: "Village elder", how: "Met the liaison team" },
  governorate,
  location: { coordinates: { lat: 36.34, lon: 43.13 }, description: "Under the olive press" },
  groupId,
  declaredContents: [{ kind: "weapon", category: "rifle", count: 12 }],
  ...extra,
});

beforeAll(async () => {
  api = await startApi();
  cookie.admin = api.headers("admin").cookie!;
  cookie.monitor = (await api.addUser("monitor", "monitor")).cookie;
  cookie.analyst = (
    await api.addUser("analyst-ni", "analyst", { sites: "all", governorates: ["IQ-NI"] })
  ).cookie;
  groupId = (await ok("group.register", groupPayload("CCH-G"))).data.groupId as string;
});
afterAll(() => api?.close());

describe("cache reports through the API", () => {
  it("follows caches by status and keeps the source to the administrator", async () => {
    const a = (await ok("cache.report", report("IQ-NI"))).data.cacheId as string;
    const b = (await ok("cache.report", report("IQ-BG"))).data.cacheId as string;
    await ok("cache.verify", {
      cacheId: a,
      verifiedAt: "2026-02-04T08:00:00Z",
      findings: "Ten rifles seen.",
    });
    await ok("cache.clear", {
      cacheId: a,
      clearedAt: "2026-02-05T08:00:00Z",
      outcome: "residue_handed_over",
      residueReason: "Two mortar bombs unsafe to move, handed to the army engineers.",
    });
    const list = async (who: string, query = "") =>
      (await send(who, "GET", `/api/v1/caches${query}`)).json().items;
    expect((await list("monitor", "?status=reported")).map((c: { id: string }) => c.id)).toEqual([b]);
    expect(await list("monitor", "?status=residue_handed_over")).toEqual([
      expect.objectContaining({ id: a, governorate: "IQ-NI", groupId, status: "residue_handed_over" }),
    ]);
    // An analyst of Nineveh sees Nineveh's caches only.
    expect((await list("analyst")).map((c: { id: string }) => c.id)).toEqual([a]);
    const everything = JSON.stringify(await list("monitor"));
    expect(everything).not.toContain("Abu Karim");
    expect(everything).not.toContain("olive");
    const source = await send("admin", "GET", `/api/v1/caches/${a}/source`);
    expect(source.json()).toMatchObject({
      source: { name: "Abu Karim" },
      location: { description: "Under the olive press" },
    });
    expectProblem(await send("monitor", "GET", `/api/v1/caches/${a}/source`), "auth.forbidden");
    const leaves = await api.store.db
      .select({ entry: t.events.entry })
      .from(t.events)
      .where(eq(t.events.type, "cache.reported"));
    for (const l of leaves) {
      expect(l.entry).not.toContain("Abu Karim");
      expect(l.entry).not.toContain("olive");
    }
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, projections: [] });
  });
});

describe("cache extraction operations through the API", () => {
  it("collects a verified cache's items into custody, reconciled against the report, balanced and replayable", async () => {
    const siteId = (await ok("site.register", sitePayload("CCH-COL", "collection"))).data.siteId as string;
    const cacheId = (
      await ok(
        "cache.report",
        report("IQ-NI", {
          declaredContents: [
            { kind: "weapon", category: "rifle", count: 3 },
            { kind: "ammunition", category: "cartridge", count: 2 },
          ],
        }),
      )
    ).data.cacheId as string;
    const extract = (weapons: object[], extra: object = {}) => ({
      commandId: randomUUID(),
      type: "handover.record",
      payload: {
        ...handoverPayload(siteId, randomUUID(), weapons as ReturnType<typeof rifle>[]),
        handedAt: "2026-02-04T10:00:00Z",
        from: { kind: "cache", cacheId },
        ...extra,
      },
    });
    // Not verified yet: refused, nothing recorded.
    const events = async () => (await api.store.db.select({ seq: t.events.seq }).from(t.events)).length;
    const before = await events();
    expectProblem(
      await send("admin", "POST", "/api/v1/commands", extract([rifle("CCH-1")])),
      "rule.violated",
    );
    expect(await events()).toBe(before);
    await ok("cache.verify", { cacheId, verifiedAt: "2026-02-04T08:00:00Z", findings: "Rifles seen." });

    const first = await send("admin", "POST", "/api/v1/commands", extract([rifle("CCH-1"), rifle("CCH-2")]));
    expect(first.statusCode, first.body).toBe(200);
    const firstData = first.json().data as {
      handoverId: string;
      receiptNumber: string;
      weapons: { itemId: string }[];
    };
    const second = await send(
      "admin",
      "POST",
      "/api/v1/commands",
      extract([{ ...rifle("CCH-3"), category: "pistol", type: "pistol" }], { ammunition: [] }),
    );
    expect(second.statusCode, second.body).toBe(200);

    const [item] = await api.store.db
      .select({
        source: t.weaponItems.source,
        holder: t.weaponItems.holderSiteId,
        state: t.weaponItems.state,
      })
      .from(t.weaponItems)
      .where(eq(t.weaponItems.id, firstData.weapons[0]!.itemId));
    expect(item).toEqual({ source: "cache", holder: siteId, state: "in_custody" });
    const [h] = await api.store.db.select().from(t.handovers).where(eq(t.handovers.id, firstData.handoverId));
    expect(h).toMatchObject({ fromKind: "cache", cacheId, groupId, governorate: "IQ-NI", personId: null });

    const [listed] = (await send("monitor", "GET", "/api/v1/caches?status=verified"))
      .json()
      .items.filter((c: { id: string }) => c.id === cacheId);
    expect(listed.extractions.map((x: { handoverId: string }) => x.handoverId)).toEqual([
      firstData.handoverId,
      second.json().data.handoverId,
    ]);
    expect(listed.reconciliation).toEqual([
      { kind: "weapon", category: "rifle", declared: 3, extracted: 2, difference: -1 },
      {
        kind: "ammunition",
        category: "cartridge",
        declared: 2,
        extracted: 1,
        difference: -1,
        quantity: { rounds: 120 },
      },
      { kind: "weapon", category: "pistol", declared: 0, extracted: 1, difference: 1 },
    ]);

    // The trail starts with the extraction; nobody is given a receipt.
    const trail = (
      await send("monitor", "GET", `/api/v1/items/weapon/${firstData.weapons[0]!.itemId}/trail`)
    ).json();
    expect(trail.steps[0]).toMatchObject({ type: "handover.recorded", data: { fromKind: "cache", cacheId } });
    expectProblem(
      await send("admin", "GET", `/api/v1/handovers/${firstData.handoverId}/receipt.pdf`),
      "rule.violated",
    );

    const balance = (await send("monitor", "GET", "/api/v1/reports/disposition-balance")).json();
    expect(balance.imbalances).toEqual([]);
    const rifles = balance.rows.find(
      (r: { kind: string; category: string; group: string; governorate: string }) =>
        r.kind === "weapon" && r.category === "rifle" && r.group === groupId && r.governorate === "IQ-NI",
    );
    expect(rifles).toMatchObject({ collected: 2, states: expect.objectContaining({ in_custody: 2 }) });

    // Clearing after extraction works as before; nothing more can be extracted then.
    await ok("cache.clear", { cacheId, clearedAt: "2026-02-05T08:00:00Z", outcome: "cleared" });
    const cleared = await events();
    expectProblem(
      await send("admin", "POST", "/api/v1/commands", extract([rifle("CCH-4")])),
      "rule.violated",
    );
    expect(await events()).toBe(cleared);
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, projections: [] });
  });
});
