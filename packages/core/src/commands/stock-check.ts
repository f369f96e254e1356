import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { Problem } from "../problems.ts";
import type { ItemRef } from "../records/custody.ts";
import { stockCheckRecord, stockCheckStart } from "../records/custody-store.ts";
import { foldSerial } from "../rules/serial.ts";
import { defineCommand, type RecordView } from "./command.ts";

const key = (i: ItemRef) => `${i.kind}:${i.id}`;

/** The share of a depot's weapons a weekly check serial-checks, at least. */
export const WEEKLY_SAMPLE_SHARE = 0.1;

/**
 * How many weapons (or loose key parts, drawn apart) a check samples: all for a full check, else
 * at least 10% (and at least one).
 */
export function sampleSize(kind: "weekly" | "full", weapons: number): number {
  if (kind === "full") return weapons;
  return weapons === 0 ? 0 : Math.max(1, Math.ceil(weapons * WEEKLY_SAMPLE_SHARE));
}

/**
 * The sample of a stock check, a function of the server's seed and the weapons expected only:
 * each weapon id is ranked by SHA-256 of "<seed>:<id>" (hex, ascending) and the first `size` are
 * taken. The seed and the expected ids are in the check's ledger leaf, so anyone can redraw it;
 * the keeper cannot choose the seed (the server draws it when the check starts).
 */
export function drawStockCheckSample(seed: string, weaponIds: readonly string[], size: number): string[] {
  return weaponIds
    .map((id) => ({ id, rank: bytesToHex(sha256(utf8ToBytes(`${seed}:${id}`))) }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
    .slice(0, size)
    .map((x) => x.id)
    .sort();
}

/**
 * No custody change at a site while its stock check is under way: the count is compared with the
 * stock as it stood when the check started, so nothing may arrive, leave or be taken out meanwhile.
 */
export async function assertNoStockCheckUnderWay(view: RecordView, siteId: string, path: string) {
  const open = await view.openStockCheck(siteId);
  if (open)
    throw new Problem(
      "rule.violated",
      `A stock check is under way at this site (started ${open.startedAt}); record its result before moving items in or out.`,
      [{ path, message: "stock check under way" }],
    );
}

export const startStockCheck = defineCommand({
  type: "stock_check.start",
  event: "stock_check.started",
  payload: stockCheckStart,
  action: "stock_check.start",
  target: async (payload) => ({ siteId: payload.siteId }),
  async decide(payload, view, env) {
    const site = await view.findSite(payload.siteId);
    if (!site)
      throw new Problem("reference.unknown", "The site is not registered.", [
        { path: "payload.siteId", message: "unknown site" },
      ]);
    if (site.kind !== "depot")
      throw new Problem("rule.violated", "Stock checks are made at depots.", [
        { path: "payload.siteId", message: `site is a ${site.kind}` },
      ]);
    if (Date.parse(payload.startedAt) > Date.parse(env.now))
      throw new Problem("rule.violated", "The start time is in the future; check the device's clock.", [
        { path: "payload.startedAt", message: "in the future" },
      ]);
    await assertNoStockCheckUnderWay(view, payload.siteId, "payload.siteId");
    const checkId = payload.checkId ?? env.newId();
    if (await view.findStockCheck(checkId))
      throw new Problem("rule.violated", "A stock check with this id exists already.", [
        { path: "payload.checkId", message: "id in use" },
      ]);
    const held = await view.itemsHeldAt(payload.siteId);
    const onShelves = held.filter((i) => i.state === "in_custody");
    const expected = onShelves
      .map((i) => ({ kind: i.kind, id: i.id }))
      .sort((a, b) => (key(a) < key(b) ? -1 : 1));
    const expectedCounts: Record<string, number> = {};
    for (const i of onShelves)
      expectedCounts[`${i.kind}:${i.category}`] = (expectedCounts[`${i.kind}:${i.category}`] ?? 0) + 1;
    // Weapons and loose key parts are each sampled in the same way, apart, so a depot full of
    // bolts does not shrink the share of its rifles checked (nor the other way round).
    const sample = (["weapon", "key_part"] as const).flatMap((kind) => {
      const ids = expected.filter((i) => i.kind === kind).map((i) => i.id);
      return drawStockCheckSample(env.seed, ids, sampleSize(payload.kind, ids.length)).map((id) => ({
        kind,
        id,
      }));
    });
    return {
      type: "stock_check.started",
      subjects: [{ kind: "stock_check", id: checkId }],
      data: {
        ...payload,
        checkId,
        seed: env.seed,
        expected,
        expectedCounts,
        outOfStore: held.length - onShelves.length,
        sample,
        startedBy: env.actor.userId,
      },
    };
  },
});

type Finding =
  | { id: string; kind: "sample_missing" | "marking_mismatch"; item: ItemRef; category?: string }
  | {
      id: string;
      kind: "shortfall" | "surplus";
      itemKind: string;
      category: string;
      expected: number;
      counted: number;
    };

export const recordStockCheck = defineCommand({
  type: "stock_check.record",
  event: "stock_check.recorded",
  payload: stockCheckRecord,
  action: "stock_check.record",
  target: async (payload, view) => {
    const check = await view.findStockCheck(payload.checkId);
    return check ? { siteId: check.siteId } : undefined;
  },
  async decide(payload, view, env) {
    const check = await view.findStockCheck(payload.checkId);
    if (!check)
      throw new Problem("reference.unknown", "There is no stock check with this id.", [
        { path: "payload.checkId", message: "unknown stock check" },
      ]);
    if (check.status !== "open")
      throw new Problem("rule.violated", "This stock check's result was already recorded.", [
        { path: "payload.checkId", message: check.status },
      ]);
    if (Date.parse(payload.completedAt) > Date.parse(env.now))
      throw new Problem("rule.violated", "The completion time is in the future; check the device's clock.", [
        { path: "payload.completedAt", message: "in the future" },
      ]);
    if (Date.parse(payload.completedAt) < Date.parse(check.startedAt))
      throw new Problem("rule.violated", `The check cannot end before it started (${check.startedAt}).`, [
        { path: "payload.completedAt", message: "before the start" },
      ]);
    const drawn = new Set(check.sample.map(key));
    for (const [n, s] of payload.sample.entries())
      if (!drawn.has(key(s)))
        throw new Problem(
          "rule.violated",
          `Sampled item ${n + 1} is not in the sample the system drew; check the items it named when the check started.`,
          [{ path: `payload.sample.${n}`, message: "not in the drawn sample" }],
        );
    if (payload.sample.length < check.sample.length)
      throw new Problem(
        "rule.violated",
        `The sample is incomplete: ${check.sample.length - payload.sample.length} of the ${check.sample.length} items drawn are not reported. Report each as found (with its tag or serial) or not found.`,
        [{ path: "payload.sample", message: "sample incomplete" }],
      );
    const counted = new Map(payload.counts.map((c) => [`${c.kind}:${c.category}`, c.count]));
    for (const k of Object.keys(check.expectedCounts).sort())
      if (!counted.has(k))
        throw new Problem(
          "rule.violated",
          `Count every type expected at the site: ${k.replace(":", " ")} is missing from the counts (count 0 if none is there).`,
          [{ path: "payload.counts", message: `no count for ${k}` }],
        );

    // Compare with what was expected: each finding gets the id its investigation will carry.
    const findings: Finding[] = [];
    const nextId = () => `${env.seq}:${findings.length}`;
    const idsOf = (kind: ItemRef["kind"]) => payload.sample.filter((s) => s.kind === kind).map((s) => s.id);
    const marks = new Map(
      [
        ...(await view.findWeaponMarks(idsOf("weapon"))),
        ...(await view.findKeyPartMarks(idsOf("key_part"))),
      ].map((m) => [m.id, m]),
    );
    const held = new Map(
      (await view.findItems(payload.sample.map((s) => ({ kind: s.kind, id: s.id })))).map((i) => [i.id, i]),
    );
    const missingByCategory = new Map<string, number>();
    for (const s of payload.sample) {
      const item = { kind: s.kind, id: s.id };
      const category = held.get(s.id)?.category ?? "unknown";
      if (!s.found) {
        findings.push({ id: nextId(), kind: "sample_missing", item, category });
        const type = `${s.kind}:${category}`;
        missingByCategory.set(type, (missingByCategory.get(type) ?? 0) + 1);
        continue;
      }
      const m = marks.get(s.id);
      const wrongTag = s.tag !== undefined && s.tag.toUpperCase() !== m?.tag.toUpperCase();
      const wrongSerial =
        s.serial !== undefined && (m?.serial == null || foldSerial(s.serial) !== foldSerial(m.serial));
      if (wrongTag || wrongSerial) findings.push({ id: nextId(), kind: "marking_mismatch", item, category });
    }
    for (const k of [...new Set([...Object.keys(check.expectedCounts), ...counted.keys()])].sort()) {
      const expected = check.expectedCounts[k] ?? 0;
      const count = counted.get(k) ?? 0;
      const [itemKind, category] = k.split(":") as [string, string];
      // A sampled item not found is investigated on its own; the count's shortfall beyond it is not.
      if (count < expected - (missingByCategory.get(k) ?? 0))
        findings.push({ id: nextId(), kind: "shortfall", itemKind, category, expected, counted: count });
      if (count > expected)
        findings.push({ id: nextId(), kind: "surplus", itemKind, category, expected, counted: count });
    }
    return {
      type: "stock_check.recorded",
      subjects: [
        { kind: "stock_check", id: check.id },
        ...findings.flatMap((f) => ("item" in f ? [f.item] : [])),
      ],
      data: { ...payload, siteId: check.siteId, findings, recordedBy: env.actor.userId },
    };
  },
});
