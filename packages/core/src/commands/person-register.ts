import { prepareRegistration } from "../names/duplicate-check.ts";
import { matchInputFromPerson } from "../names/person.ts";
import { Problem } from "../problems.ts";
import { ageOn, person } from "../records/person.ts";
import { defineCommand } from "./command.ts";
import { checkAgainstRegistry } from "./correction-duplicates.ts";

export const registerPerson = defineCommand({
  type: "person.register",
  event: "person.registered",
  payload: person,
  action: "person.register",
  target: async (payload) => ({ siteId: payload.siteId }),
  async decide(payload, view, env) {
    const site = await view.findSite(payload.siteId);
    if (!site)
      throw new Problem("reference.unknown", "The registration site is not registered.", [
        { path: "payload.siteId", message: "unknown site" },
      ]);
    if (payload.groupId && !(await view.findGroup(payload.groupId)))
      throw new Problem(
        "reference.unknown",
        "The group is not registered; check the group or leave it empty.",
        [{ path: "payload.groupId", message: "unknown group" }],
      );
    const registeredOn = env.now.slice(0, 10);
    // A bare year ("2026") sorts after every date of an earlier year and before those of its own.
    if ((payload.birth.date ?? String(payload.birth.year)) > registeredOn)
      throw new Problem("rule.violated", "The date of birth is in the future; check it.", [
        { path: `payload.birth.${payload.birth.date ? "date" : "year"}`, message: "in the future" },
      ]);
    const personId = payload.personId ?? env.newId();
    if (await view.findPerson(personId))
      throw new Problem("rule.violated", "A person with this id exists already.", [
        { path: "payload.personId", message: "id in use" },
      ]);
    // Children are counted apart (IDDRS 5.30): the age group is public, the birth date is not.
    const ageGroup = ageOn(payload.birth, registeredOn) < 18 ? "child" : "adult";
    // The duplicate check runs when the server records the registration, offline ones included
    // (they arrive as this same command when the site syncs). A strong match does not refuse the
    // registration (nothing is lost): it is recorded and held for review, and receipts, cards and
    // payments wait for the decision (rules/person-standing.ts, handover-record.ts).
    const check = await checkAgainstRegistry(view, prepareRegistration(matchInputFromPerson(payload)));
    const review = check.pending ? { duplicateReview: "pending", duplicateMatches: check.matches } : {};
    return {
      type: "person.registered",
      subjects: [{ kind: "person", id: personId }],
      data: { ...payload, personId, registeredOn, ageGroup, ...review },
    };
  },
});
