import { Problem } from "../problems.ts";
import { cacheClearance, cacheReport, cacheVerification } from "../records/custody-cache.ts";
import { defineCommand, type RecordView } from "./command.ts";

function notFuture(at: string, now: string, path: string) {
  if (Date.parse(at) > Date.parse(now))
    throw new Problem("rule.violated", "The time is in the future; check the device's clock.", [
      { path, message: "in the future" },
    ]);
}

async function getCache(view: RecordView, id: string) {
  const cache = await view.findCache(id);
  if (!cache)
    throw new Problem("reference.unknown", "There is no cache report with this id.", [
      { path: "payload.cacheId", message: "unknown cache" },
    ]);
  return cache;
}

export const reportCache = defineCommand({
  type: "cache.report",
  event: "cache.reported",
  payload: cacheReport,
  action: "cache.report",
  target: async (payload) => ({ governorate: payload.governorate }),
  async decide(payload, view, env) {
    notFuture(payload.reportedAt, env.now, "payload.reportedAt");
    if (payload.groupId && !(await view.findGroup(payload.groupId)))
      throw new Problem("reference.unknown", "The group the cache is attributed to is not registered.", [
        { path: "payload.groupId", message: "unknown group" },
      ]);
    const cacheId = payload.cacheId ?? env.newId();
    if (await view.findCache(cacheId))
      throw new Problem("rule.violated", "A cache report with this id exists already.", [
        { path: "payload.cacheId", message: "id in use" },
      ]);
    return {
      type: "cache.reported",
      subjects: [{ kind: "cache", id: cacheId }],
      data: { ...payload, cacheId, reportedBy: env.actor.userId },
    };
  },
});

export const verifyCache = defineCommand({
  type: "cache.verify",
  event: "cache.verified",
  payload: cacheVerification,
  action: "cache.verify",
  target: async (payload, view) => {
    const cache = await view.findCache(payload.cacheId);
    return cache ? { governorate: cache.governorate } : undefined;
  },
  async decide(payload, view, env) {
    const cache = await getCache(view, payload.cacheId);
    if (cache.status !== "reported")
      throw new Problem(
        "rule.violated",
        `This cache is ${cache.status.replaceAll("_", " ")}, not awaiting verification.`,
        [{ path: "payload.cacheId", message: cache.status }],
      );
    notFuture(payload.verifiedAt, env.now, "payload.verifiedAt");
    if (Date.parse(payload.verifiedAt) < Date.parse(cache.reportedAt))
      throw new Problem(
        "rule.violated",
        `The cache was reported at ${cache.reportedAt}; it cannot be verified before.`,
        [{ path: "payload.verifiedAt", message: "before the report" }],
      );
    return {
      type: "cache.verified",
      subjects: [{ kind: "cache", id: cache.id }],
      data: { ...payload, verifiedBy: env.actor.userId },
    };
  },
});

export const clearCache = defineCommand({
  type: "cache.clear",
  event: "cache.cleared",
  payload: cacheClearance,
  action: "cache.clear",
  target: async (payload, view) => {
    const cache = await view.findCache(payload.cacheId);
    return cache ? { governorate: cache.governorate } : undefined;
  },
  async decide(payload, view, env) {
    const cache = await getCache(view, payload.cacheId);
    if (cache.status !== "verified")
      throw new Problem(
        "rule.violated",
        cache.status === "reported"
          ? "Verify the cache before clearing it."
          : "This cache is already cleared or its residue handed over.",
        [{ path: "payload.cacheId", message: cache.status }],
      );
    notFuture(payload.clearedAt, env.now, "payload.clearedAt");
    if (cache.verifiedAt && Date.parse(payload.clearedAt) < Date.parse(cache.verifiedAt))
      throw new Problem(
        "rule.violated",
        `The cache was verified at ${cache.verifiedAt}; it cannot be cleared before.`,
        [{ path: "payload.clearedAt", message: "before the verification" }],
      );
    return {
      type: "cache.cleared",
      subjects: [{ kind: "cache", id: cache.id }],
      data: { ...payload, clearedBy: env.actor.userId },
    };
  },
});
