import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as t from "../src/store/schema.ts";
import { verifyDatabase } from "../src/verify/index.ts";
import { type Api, expectProblem, startApi } from "./api/support.ts";
import { groupPayload } from "./support/fixtures.ts";

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
