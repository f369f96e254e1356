import type { CollectionProgressView } from "@armsledger/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  groupPayload,
  handoverPayload,
  personPayload,
  programmePayload,
  rifle,
  sitePayload,
} from "../support/fixtures.ts";
import { type Api, expectProblem, startApi } from "./support.ts";

// GET /api/v1/reports/collection-progress: the dashboard's declared-against-collected figures,
// with what was collected counted only within the reader's scope.

let api: Api;
const ids: Record<string, string> = {};

beforeAll(async () => {
  api = await startApi();
  ids.group = (await api.ok("admin", "group.register", groupPayload("G1"))).groupId as string;
  await api.ok("admin", "group.declare", {
    groupId: ids.group,
    asOf: "2026-01-15",
    strength: { men: 100, women: 0, boys: 0, girls: 0 },
    arsenal: [
      { category: "rifle", count: 80 },
      { category: "machine_gun", count: 4 },
    ],
    declaredCaches: 1,
  });
  ids.siteA = (await api.ok("admin", "site.register", sitePayload("BGD-01"))).siteId as string;
  ids.siteB = (
    await api.ok("admin", "site.register", {
      ...sitePayload("BSR-01"),
      governorate: "IQ-BA",
      location: { lat: 30.5, lon: 47.8 },
    })
  ).siteId as string;
  await api.ok("admin", "programme.configure", programmePayload());
  const personA = (await api.ok("admin", "person.register", personPayload(ids.siteA, ids.group)))
    .personId as string;
  const personB = (
    await api.ok("admin", "person.register", { ...personPayload(ids.siteB), governorate: "IQ-BA" })
  ).personId as string;
  // Site A, 1 February: two rifles and a lot of 120 rounds, from a member of the group.
  await api.ok(
    "admin",
    "handover.record",
    handoverPayload(ids.siteA, personA, [rifle("AK-P-1"), rifle("AK-P-2")]),
  );
  // Site B, 3 February: one rifle and a lot, from a man of no group.
  await api.ok("admin", "handover.record", {
    ...handoverPayload(ids.siteB, personB, [rifle("AK-P-3")]),
    handedAt: "2026-02-03T08:00:00Z",
  });
});
afterAll(() => api?.close());

async function progress(headers: Record<string, string>) {
  const res = await api.app.inject({ method: "GET", url: "/api/v1/reports/collection-progress", headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as CollectionProgressView;
}

describe("collection progress", () => {
  it("sets each group's declaration against what was collected, by category and by day", async () => {
    const p = await progress(api.headers("admin"));
    expect(p.wholeProgramme).toBe(true);
    const group = p.byGroup.find((g) => g.group === ids.group)!;
    expect(group.declared).toMatchObject({ version: 1, weapons: { rifle: 80, machine_gun: 4 } });
    expect(group.collected).toEqual({ weapons: { rifle: 2 }, lots: 1, quantity: { rounds: 120 } });
    expect(p.byGroup.find((g) => g.group === "none")).toEqual({
      group: "none",
      declared: null,
      collected: { weapons: { rifle: 1 }, lots: 1, quantity: { rounds: 120 } },
    });
    expect(p.byCategory).toEqual([
      { category: "machine_gun", declared: 4, collected: 0 },
      { category: "rifle", declared: 80, collected: 3 },
    ]);
    expect(p.ammunition).toEqual([{ kind: "cartridge", unit: "rounds", lots: 2, quantity: 240 }]);
    expect(p.byDay).toEqual([
      { day: "2026-02-01", handovers: 1, weapons: 2, lots: 1 },
      { day: "2026-02-03", handovers: 1, weapons: 1, lots: 1 },
    ]);
  });

  it("counts only the reader's sites and governorates: nothing of the others shows, not even in a total", async () => {
    const bySite = await api.addUser("analyst.a", "analyst", { sites: [ids.siteA!], governorates: "all" });
    const p = await progress({ cookie: bySite.cookie });
    expect(p.wholeProgramme).toBe(false);
    expect(p.byCategory.find((c) => c.category === "rifle")).toEqual({
      category: "rifle",
      declared: 80,
      collected: 2,
    });
    expect(p.byGroup.find((g) => g.group === "none")).toBeUndefined();
    expect(p.byDay.map((d) => d.day)).toEqual(["2026-02-01"]);
    expect(p.ammunition).toEqual([{ kind: "cartridge", unit: "rounds", lots: 1, quantity: 120 }]);

    const byGovernorate = await api.addUser("monitor.ba", "monitor", {
      sites: "all",
      governorates: ["IQ-BA"],
    });
    const q = await progress({ cookie: byGovernorate.cookie });
    expect(q.byDay).toEqual([{ day: "2026-02-03", handovers: 1, weapons: 1, lots: 1 }]);
    expect(q.byGroup.find((g) => g.group === ids.group)!.collected).toEqual({
      weapons: {},
      lots: 0,
      quantity: {},
    });
  });

  it("is refused to the roles that do not follow the programme's figures", async () => {
    const registrar = await api.addUser("registrar.x", "registrar");
    const res = await api.app.inject({
      method: "GET",
      url: "/api/v1/reports/collection-progress",
      headers: { cookie: registrar.cookie },
    });
    expectProblem(res, "auth.forbidden");
  });
});
