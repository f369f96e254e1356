import { defaultMatchModel, preparePerson } from "@armsledger/core";
import { describe, expect, it } from "vitest";
import { bestThreshold, build, check, metricsAt } from "../names/evaluate.ts";
import { generateWorld } from "../names/generate.ts";
import { fullName } from "../names/trgm.ts";

describe("names benchmark: generator and harness", () => {
  const world = generateWorld({ seed: 7, registered: 3000, queries: 400 });

  it("is deterministic for a seed", () => {
    const again = generateWorld({ seed: 7, registered: 3000, queries: 400 });
    expect(again.queries.map((q) => fullName(q.input))).toEqual(world.queries.map((q) => fullName(q.input)));
  });

  it("produces valid registrations: every record passes the matcher's validation", () => {
    for (const r of world.registry) preparePerson(r.input);
    for (const q of world.queries) preparePerson(q.input);
  });

  it("labels half the queries as duplicates of a registered person, the rest as relatives or namesakes", () => {
    const pids = new Set(world.registry.map((r) => r.pid));
    const duplicates = world.queries.filter((q) => q.kind === "duplicate");
    expect(duplicates.length).toBe(200);
    for (const q of duplicates) expect(pids.has(q.pid)).toBe(true);
    for (const q of world.queries.filter((q) => q.kind !== "duplicate")) expect(pids.has(q.pid)).toBe(false);
    expect(world.queries.some((q) => q.kind === "relative")).toBe(true);
  });

  it("the shipped model finds nearly all duplicates and few relatives on a small registry", () => {
    const built = build(world);
    const run = check(world, built, defaultMatchModel);
    expect(run.duplicatesFound / run.duplicates).toBeGreaterThan(0.97);
    const m = metricsAt(run.pairs, run.duplicates, defaultMatchModel.thresholds.review);
    expect(m.f1).toBeGreaterThan(0.9);
    expect(bestThreshold(run.pairs, run.duplicates).f1).toBeGreaterThanOrEqual(m.f1);
  });
});
