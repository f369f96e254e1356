import { describe, expect, it } from "vitest";
import { findCommandDefinition } from "../src/commands/registry.ts";
import { splitPersonal } from "../src/events.ts";
import { Problem, type ProblemCode } from "../src/problems.ts";
import {
  cacheClearPayload,
  cacheReportPayload,
  cacheVerifyPayload,
  cartridges,
  handoverPayload,
  ids,
  rifle,
  seededView,
} from "./fixtures.ts";
import { type MemoryView, makeEnv, testUuid } from "./memory-view.ts";

// Cache reports: reported → verified → cleared (or residue handed over), the source and the exact
// location kept out of the public leaf.

let seq = 500;
async function decide(type: string, raw: unknown, view: MemoryView) {
  const def = findCommandDefinition(type)!;
  return def.decide(def.payload.parse(raw), view, makeEnv({ seq, firstId: 0x8000 + seq * 0x10 }));
}
async function record(type: string, raw: unknown, view: MemoryView) {
  const event = await decide(type, raw, view);
  view.apply(seq++, event);
  return event;
}
async function refused(type: string, raw: unknown, view: MemoryView, code: ProblemCode, path?: string) {
  const before = structuredClone([...view.caches]);
  const problem = await decide(type, raw, view).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(problem, `${type} should be refused`).toBeInstanceOf(Problem);
  expect((problem as Problem).code, (problem as Problem).message).toBe(code);
  if (path) expect((problem as Problem).fields.map((f) => f.path)).toContain(path);
  expect(structuredClone([...view.caches])).toEqual(before);
}

describe("cache reports", () => {
  it("goes reported → verified → cleared, the source and exact location private", async () => {
    const view = seededView();
    const reported = await record("cache.report", cacheReportPayload(), view);
    const cacheId = reported.data.cacheId as string;
    const { publicPart, privatePart } = splitPersonal(reported.type, reported.data);
    expect(Object.keys(privatePart).sort()).toEqual(["location", "source"]);
    expect(JSON.stringify(publicPart)).not.toContain("Abu Karim");
    expect(JSON.stringify(publicPart)).not.toContain("olive");
    expect(publicPart).toMatchObject({ governorate: "IQ-NI", groupId: ids.group });
    await refused("cache.clear", cacheClearPayload({ cacheId }), view, "rule.violated", "payload.cacheId");
    await refused(
      "cache.verify",
      cacheVerifyPayload({ cacheId, verifiedAt: "2025-03-01T07:00:00Z" }),
      view,
      "rule.violated",
      "payload.verifiedAt",
    );
    await record("cache.verify", cacheVerifyPayload({ cacheId }), view);
    await refused("cache.verify", cacheVerifyPayload({ cacheId }), view, "rule.violated");
    await record(
      "cache.clear",
      cacheClearPayload({
        cacheId,
        outcome: "residue_handed_over",
        residueReason: "Mortar bombs unsafe to move.",
      }),
      view,
    );
    expect(view.caches.get(cacheId)?.status).toBe("residue_handed_over");
    await refused("cache.clear", cacheClearPayload({ cacheId }), view, "rule.violated");
  });

  it("refuses an unknown group or cache, a future report, a negative count and a residue without reason", async () => {
    const view = seededView();
    await refused(
      "cache.report",
      cacheReportPayload({ groupId: testUuid(0x777) }),
      view,
      "reference.unknown",
    );
    await refused(
      "cache.report",
      cacheReportPayload({ reportedAt: "2099-01-01T00:00:00Z" }),
      view,
      "rule.violated",
      "payload.reportedAt",
    );
    await refused(
      "cache.verify",
      cacheVerifyPayload({ cacheId: testUuid(0x778) }),
      view,
      "reference.unknown",
    );
    const parse = (type: string, raw: unknown) => findCommandDefinition(type)!.payload.safeParse(raw).success;
    expect(
      parse(
        "cache.report",
        cacheReportPayload({ declaredContents: [{ kind: "weapon", category: "rifle", count: -1 }] }),
      ),
    ).toBe(false);
    expect(parse("cache.clear", cacheClearPayload({ outcome: "residue_handed_over" }))).toBe(false);
    await refused(
      "cache.clear",
      cacheClearPayload({ clearedAt: "2025-02-15T00:00:00Z" }),
      view,
      "rule.violated",
      "payload.clearedAt",
    );
  });
});

/** An extraction operation: handover.record from ids.verifiedCache (verified 2025-02-20) at the collection site. */
const extraction = (overrides: Record<string, unknown> = {}) =>
  handoverPayload({ from: { kind: "cache", cacheId: ids.verifiedCache }, ...overrides });

async function extractionRefused(raw: unknown, view: MemoryView, code: ProblemCode, path: string) {
  const before = structuredClone([...view.items]);
  await refused("handover.record", raw, view, code, path);
  expect(structuredClone([...view.items])).toEqual(before);
}

describe("cache extraction operations", () => {
  it("collects a verified cache's items: source = cache, the report's group and governorate, no eligibility", async () => {
    const view = seededView();
    const event = await record(
      "handover.record",
      extraction({ weapons: [rifle({ source: "handover" }), rifle({ serial: "AK-47 777" })] }),
      view,
    );
    expect(event.data).toMatchObject({
      fromKind: "cache",
      cacheId: ids.verifiedCache,
      groupId: ids.group,
      governorate: "IQ-NI",
      eligibility: { status: "not_applicable", reasons: ["cache_extraction"] },
    });
    expect(event.data).not.toHaveProperty("personId");
    const weapons = event.data.weapons as { source: string; itemId: string }[];
    const lots = event.data.ammunition as { source: string }[];
    expect([...weapons, ...lots].map((i) => i.source)).toEqual(["cache", "cache", "cache"]);
    expect(event.subjects).toContainEqual({ kind: "cache", id: ids.verifiedCache });
    expect(view.items.get(`weapon:${weapons[0]!.itemId}`)).toMatchObject({ state: "in_custody" });
    // The cache stays verified: more operations may follow, then it is cleared as before.
    await record("handover.record", extraction({ weapons: [rifle({ serial: "AK-47 778" })] }), view);
    await record("cache.clear", cacheClearPayload({ clearedAt: "2025-03-01T09:45:00Z" }), view);
    await extractionRefused(extraction(), view, "rule.violated", "payload.from.cacheId");
  });

  it("refuses a cache not verified, unknown, cleared or with its residue handed over", async () => {
    const view = seededView();
    await extractionRefused(
      extraction({ from: { kind: "cache", cacheId: ids.cache } }),
      view,
      "rule.violated",
      "payload.from.cacheId",
    );
    await extractionRefused(
      extraction({ from: { kind: "cache", cacheId: testUuid(0x7777) } }),
      view,
      "reference.unknown",
      "payload.from.cacheId",
    );
    await record(
      "cache.clear",
      cacheClearPayload({ outcome: "residue_handed_over", residueReason: "Unsafe to move." }),
      view,
    );
    await extractionRefused(extraction(), view, "rule.violated", "payload.from.cacheId");
  });

  it("refuses an extraction before the verification, in the future, at a destruction site or at an unknown site", async () => {
    const view = seededView();
    await extractionRefused(
      extraction({ handedAt: "2025-02-19T10:00:00Z" }),
      view,
      "rule.violated",
      "payload.handedAt",
    );
    await extractionRefused(
      extraction({ handedAt: "2099-01-01T00:00:00Z" }),
      view,
      "rule.violated",
      "payload.handedAt",
    );
    await extractionRefused(extraction({ siteId: ids.destruction }), view, "rule.violated", "payload.siteId");
    await extractionRefused(
      extraction({ siteId: testUuid(0x7778) }),
      view,
      "reference.unknown",
      "payload.siteId",
    );
    // A depot may take a cache's items straight in (a handover may not).
    await record("handover.record", extraction({ siteId: ids.depot }), view);
    await extractionRefused(handoverPayload({ siteId: ids.depot }), view, "rule.violated", "payload.siteId");
  });

  it("applies the handover's item rules: placeholder serials and reserved tags refused", async () => {
    const view = seededView();
    await extractionRefused(
      extraction({ weapons: [rifle({ serial: "0000" })] }),
      view,
      "serial.placeholder",
      "payload.weapons.0.serial",
    );
    await extractionRefused(
      extraction({ weapons: [rifle({ tag: "W0000100-01" })], ammunition: [cartridges()] }),
      view,
      "tag.in-use",
      "payload.weapons.0.tag",
    );
  });
});
