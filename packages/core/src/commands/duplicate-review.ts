import { z } from "zod";
import { inScope } from "../access/policy.ts";
import { Problem } from "../problems.ts";
import { freeText } from "../records/text.ts";
import { type CommandEnv, defineCommand, type RecordView } from "./command.ts";

// The review of a registration the duplicate check held (person.register, names/duplicate-check.ts):
// an officer decides whether the later registration is the same person as an earlier one
// (merge: the later record becomes an alias of the earlier one and never counts again) or not
// (dismiss: it stands on its own). Each decision is a ledger event with its reason; nothing is
// deleted, and nothing is decided automatically.

export const duplicateMerge = z.strictObject({
  /** The registration under review: the later one, which becomes the alias. */
  personId: z.uuid(),
  /** The earlier registration it duplicates: one of the review's matches. */
  intoPersonId: z.uuid(),
  reason: freeText(2000),
});

export const duplicateDismiss = z.strictObject({
  personId: z.uuid(),
  reason: freeText(2000),
});

async function pendingReview(view: RecordView, personId: string, env: CommandEnv) {
  const review = await view.findDuplicateReview(personId);
  if (!review)
    throw new Problem(
      "reference.unknown",
      (await view.findPerson(personId))
        ? "This registration has no duplicate review: the check found no strong match."
        : "There is no registered person with this id.",
      [{ path: "payload.personId", message: "no review" }],
    );
  if (review.status !== "pending")
    throw new Problem(
      "rule.violated",
      `This duplicate review was already decided (${review.status}); a decision is not taken twice.`,
      [{ path: "payload.personId", message: review.status }],
    );
  // Four eyes: whoever recorded the registration does not judge whether it is a duplicate.
  if (review.registeredBy === env.actor.userId)
    throw new Problem("auth.forbidden", "You recorded this registration; another officer must review it.", [
      { path: "payload.personId", message: "registered by you" },
    ]);
  return review;
}

/** A registrar reviews only when the earlier record is in their scope too (they see both). */
async function assertOtherInScope(view: RecordView, env: CommandEnv, personId: string) {
  const place = await view.findRecordPlace({ kind: "person", id: personId });
  if (place && !inScope(env.actor.scope, place))
    throw new Problem(
      "auth.out-of-scope",
      "The earlier registration belongs to a site or governorate outside your scope; ask an administrator to review.",
    );
}

const target = async (payload: { personId: string }, view: RecordView) =>
  view.findRecordPlace({ kind: "person", id: payload.personId });

export const mergeDuplicate = defineCommand({
  type: "duplicate.merge",
  event: "duplicate.merged",
  payload: duplicateMerge,
  action: "duplicate.merge",
  target,
  async decide(payload, view, env) {
    const review = await pendingReview(view, payload.personId, env);
    if (!review.matches.includes(payload.intoPersonId))
      throw new Problem(
        "rule.violated",
        "Merge into one of the registrations the review found; this one is not among them.",
        [{ path: "payload.intoPersonId", message: "not a match of this review" }],
      );
    const into = await view.findPerson(payload.intoPersonId);
    if (!into)
      throw new Problem("reference.unknown", "There is no registered person with this id.", [
        { path: "payload.intoPersonId", message: "unknown person" },
      ]);
    if (into.duplicateReview === "merged") {
      const chained = await view.findDuplicateReview(payload.intoPersonId);
      throw new Problem(
        "rule.violated",
        `That registration is itself an alias${chained?.mergedInto ? ` of ${chained.mergedInto}` : ""}; merge into the record that counts.`,
        [{ path: "payload.intoPersonId", message: "merged alias" }],
      );
    }
    await assertOtherInScope(view, env, payload.intoPersonId);
    return {
      type: "duplicate.merged",
      subjects: [
        { kind: "person", id: payload.personId },
        { kind: "person", id: payload.intoPersonId },
      ],
      data: { ...payload, decidedBy: env.actor.userId },
    };
  },
});

export const dismissDuplicate = defineCommand({
  type: "duplicate.dismiss",
  event: "duplicate.dismissed",
  payload: duplicateDismiss,
  action: "duplicate.dismiss",
  target,
  async decide(payload, view, env) {
    const review = await pendingReview(view, payload.personId, env);
    for (const other of review.matches) await assertOtherInScope(view, env, other);
    return {
      type: "duplicate.dismissed",
      subjects: [{ kind: "person", id: payload.personId }],
      data: { ...payload, decidedBy: env.actor.userId },
    };
  },
});
