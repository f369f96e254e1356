import { Problem } from "../problems.ts";
import { screeningRulesOf } from "../records/programme.ts";
import {
  appealDecision,
  deathRecord,
  eligibilityAppeal,
  eligibilityRevocation,
  screening,
} from "../records/screening.ts";
import { decideScreening } from "../rules/screening.ts";
import { defineCommand, type RecordView } from "./command.ts";

// Screening and eligibility after registration: the screening interview, appeals, revocation and
// the record of a death. Each decides one event about one person; the projections keep
// persons.eligible, eligibility_revoked and deceased_on, which every benefit asks first.

async function getPerson(view: RecordView, personId: string) {
  const person = await view.findPerson(personId);
  if (!person)
    throw new Problem("reference.unknown", "The person is not registered; check the id.", [
      { path: "payload.personId", message: "unknown person" },
    ]);
  return person;
}

const personPlace = async (payload: { personId: string }, view: RecordView) =>
  view.findRecordPlace({ kind: "person", id: payload.personId });

function notFuture(at: string, now: string, path: string) {
  if (Date.parse(at) > Date.parse(now))
    throw new Problem("rule.violated", "The time is in the future; check the device's clock.", [
      { path, message: "in the future" },
    ]);
}

function notDeceased(person: { deceased: boolean }, what: string) {
  if (person.deceased)
    throw new Problem("rule.violated", `The person is recorded as deceased; ${what} cannot be recorded.`, [
      { path: "payload.personId", message: "deceased" },
    ]);
}

/** The public part of a person event: the categories public figures are made of. */
const categories = (person: {
  groupId?: string | undefined;
  governorate: string;
  kind: string;
  sex: string;
  ageGroup: string;
}) => ({
  groupId: person.groupId,
  governorate: person.governorate,
  personKind: person.kind,
  sex: person.sex,
  ageGroup: person.ageGroup,
});

export const recordScreening = defineCommand({
  type: "screening.record",
  event: "screening.recorded",
  payload: screening,
  action: "screening.record",
  target: personPlace,
  async decide(payload, view, env) {
    const person = await getPerson(view, payload.personId);
    notDeceased(person, "a screening");
    if (person.eligibilityRevoked)
      throw new Problem(
        "rule.violated",
        "The person's eligibility was revoked; only an appeal can restore it, not a new screening.",
        [{ path: "payload.personId", message: "eligibility revoked" }],
      );
    const programme = await view.programme();
    if (!programme)
      throw new Problem(
        "rule.violated",
        "Configure the programme before screening anyone: its rules decide.",
      );
    notFuture(payload.screenedAt, env.now, "payload.screenedAt");
    if (payload.screenedAt.slice(0, 10) < person.registeredOn)
      throw new Problem(
        "rule.violated",
        `The person was registered on ${person.registeredOn}; they cannot be screened before.`,
        [{ path: "payload.screenedAt", message: "before the registration" }],
      );

    const rules = screeningRulesOf(programme);
    const seen = new Set<string>();
    for (const [i, a] of payload.answers.entries()) {
      const path = `payload.answers.${i}`;
      const question = rules.questions.find((q) => q.id === a.questionId);
      if (!question)
        throw new Problem(
          "reference.unknown",
          `The programme has no screening question "${a.questionId}"; it asks: ${rules.questions.map((q) => q.id).join(", ") || "none"}.`,
          [{ path: `${path}.questionId`, message: "unknown question" }],
        );
      if (seen.has(a.questionId))
        throw new Problem(
          "rule.violated",
          `The question "${a.questionId}" is answered twice; record one answer.`,
          [{ path: `${path}.questionId`, message: "answered twice" }],
        );
      seen.add(a.questionId);
      if (question.verifiedBy.kind === "officer_judgement" && a.judgement === undefined)
        throw new Problem(
          "rule.violated",
          `The question "${a.questionId}" is left to the officer's judgement: record it (verified or not_verified).`,
          [{ path: `${path}.judgement`, message: "judgement required" }],
        );
      if (question.verifiedBy.kind === "answer" && a.answer === undefined)
        throw new Problem("rule.violated", `Record the person's answer to the question "${a.questionId}".`, [
          { path: `${path}.answer`, message: "answer required" },
        ]);
      if (question.verifiedBy.kind === "answer" && a.judgement !== undefined)
        throw new Problem(
          "rule.violated",
          `The question "${a.questionId}" is verified by its answer, not by the officer's judgement.`,
          [{ path: `${path}.judgement`, message: "not a judgement question" }],
        );
    }
    for (const [i, code] of payload.indications.entries())
      if (!rules.exclusionIndications.includes(code))
        throw new Problem(
          "reference.unknown",
          `"${code}" is not one of the programme's exclusion indications (${rules.exclusionIndications.join(", ") || "none"}).`,
          [{ path: `payload.indications.${i}`, message: "unknown indication" }],
        );

    const facts = await view.findPersonFacts(person.id);
    const counted = person.groupId ? await view.countEligiblePersons(person.groupId) : 0;
    // The cap counts others: a person already eligible is in the count and must not crowd themself out.
    const self = person.eligible && !person.eligibilityRevoked ? 1 : 0;
    const decision = decideScreening({
      programme,
      kind: person.kind,
      registeredOn: person.registeredOn,
      listedByGroup: facts?.listedByGroup ?? false,
      answers: payload.answers,
      indications: payload.indications,
      groupId: person.groupId,
      groupEligibleCount: counted - self,
      ...(await view.personItems(person.id)),
    });
    const screeningId = env.newId();
    return {
      type: "screening.recorded",
      subjects: [{ kind: "person", id: person.id }],
      data: {
        ...payload,
        screeningId,
        ...categories(person),
        decision: { status: decision.status, reasons: decision.reasons },
        verifiedCount: decision.verifiedCount,
        membershipVerified: decision.membershipVerified,
        excluded: decision.excluded,
        recordedBy: env.actor.userId,
      },
    };
  },
});

export const appealEligibility = defineCommand({
  type: "eligibility.appeal",
  event: "eligibility.appealed",
  payload: eligibilityAppeal,
  action: "eligibility.appeal",
  target: personPlace,
  async decide(payload, view, env) {
    const person = await getPerson(view, payload.personId);
    notDeceased(person, "an appeal");
    if (person.eligible && !person.eligibilityRevoked)
      throw new Problem("rule.violated", "The person is eligible; there is no decision to appeal against.", [
        { path: "payload.personId", message: "eligible" },
      ]);
    const open = await view.findOpenAppeal(person.id);
    if (open)
      throw new Problem(
        "rule.violated",
        `The person's appeal lodged at ${open.lodgedAt} awaits a decision; wait for it before lodging another.`,
        [{ path: "payload.personId", message: "appeal pending" }],
      );
    notFuture(payload.lodgedAt, env.now, "payload.lodgedAt");
    const appealId = payload.appealId ?? env.newId();
    if (await view.findAppeal(appealId))
      throw new Problem("rule.violated", "An appeal with this id exists already.", [
        { path: "payload.appealId", message: "id in use" },
      ]);
    return {
      type: "eligibility.appealed",
      subjects: [
        { kind: "appeal", id: appealId },
        { kind: "person", id: person.id },
      ],
      data: {
        ...payload,
        appealId,
        // What is appealed against: a revocation, or a finding of ineligibility.
        against: person.eligibilityRevoked ? "revocation" : "ineligibility",
        ...categories(person),
        recordedBy: env.actor.userId,
      },
    };
  },
});

export const decideAppeal = defineCommand({
  type: "eligibility.decide_appeal",
  event: "eligibility.appeal_decided",
  payload: appealDecision,
  action: "eligibility.decide_appeal",
  target: async (payload, view) => {
    const appeal = await view.findAppeal(payload.appealId);
    return appeal ? view.findRecordPlace({ kind: "person", id: appeal.personId }) : undefined;
  },
  async decide(payload, view, env) {
    const appeal = await view.findAppeal(payload.appealId);
    if (!appeal)
      throw new Problem("reference.unknown", "There is no appeal with this id.", [
        { path: "payload.appealId", message: "unknown appeal" },
      ]);
    if (appeal.status !== "lodged")
      throw new Problem("rule.violated", `This appeal was decided already (${appeal.status}).`, [
        { path: "payload.appealId", message: appeal.status },
      ]);
    notFuture(payload.decidedAt, env.now, "payload.decidedAt");
    if (Date.parse(payload.decidedAt) < Date.parse(appeal.lodgedAt))
      throw new Problem(
        "rule.violated",
        `The appeal was lodged at ${appeal.lodgedAt}; it cannot be decided before.`,
        [{ path: "payload.decidedAt", message: "before the appeal" }],
      );
    const person = await getPerson(view, appeal.personId);
    return {
      type: "eligibility.appeal_decided",
      subjects: [
        { kind: "appeal", id: appeal.id },
        { kind: "person", id: person.id },
      ],
      data: { ...payload, personId: person.id, ...categories(person), decidedBy: env.actor.userId },
    };
  },
});

export const revokeEligibility = defineCommand({
  type: "eligibility.revoke",
  event: "eligibility.revoked",
  payload: eligibilityRevocation,
  action: "eligibility.revoke",
  target: personPlace,
  async decide(payload, view, env) {
    const person = await getPerson(view, payload.personId);
    if (person.eligibilityRevoked)
      throw new Problem("rule.violated", "The person's eligibility was revoked already.", [
        { path: "payload.personId", message: "already revoked" },
      ]);
    if (!person.eligible)
      throw new Problem("rule.violated", "The person was never found eligible; there is nothing to revoke.", [
        { path: "payload.personId", message: "not eligible" },
      ]);
    notFuture(payload.revokedAt, env.now, "payload.revokedAt");
    return {
      type: "eligibility.revoked",
      subjects: [{ kind: "person", id: person.id }],
      data: { ...payload, ...categories(person), revokedBy: env.actor.userId },
    };
  },
});

export const recordDeath = defineCommand({
  type: "person.record_death",
  event: "person.death_recorded",
  payload: deathRecord,
  action: "person.record_death",
  target: personPlace,
  async decide(payload, view, env) {
    const person = await getPerson(view, payload.personId);
    if (person.deceased)
      throw new Problem(
        "rule.violated",
        "The person's death is recorded already; correct that record instead.",
        [{ path: "payload.personId", message: "already deceased" }],
      );
    if (payload.diedOn > env.now.slice(0, 10))
      throw new Problem("rule.violated", "The date of death is in the future; check it.", [
        { path: "payload.diedOn", message: "in the future" },
      ]);
    const facts = await view.findPersonFacts(person.id);
    // A bare year of birth: only a death in an earlier year is certainly before it.
    const born =
      facts?.birthDate ?? (facts?.birthYear !== undefined ? `${facts.birthYear}-01-01` : undefined);
    if (born && payload.diedOn < born)
      throw new Problem(
        "rule.violated",
        `The date of death is before the person's birth (${born.slice(0, facts?.birthDate ? 10 : 4)}).`,
        [{ path: "payload.diedOn", message: "before birth" }],
      );
    return {
      type: "person.death_recorded",
      subjects: [{ kind: "person", id: person.id }],
      data: { ...payload, ...categories(person), recordedBy: env.actor.userId },
    };
  },
});
