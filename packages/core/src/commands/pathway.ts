import { Problem } from "../problems.ts";
import {
  defaultFollowUpDays,
  type PathwayKind,
  pathwayFollowUp,
  pathwayLeaving,
  pathwayOffer,
  pathwayPlacement,
  pathwayResponse,
  pathwayVetting,
} from "../records/pathway.ts";
import { assertGoodStanding } from "../rules/person-standing.ts";
import { defineCommand, type RecordView } from "./command.ts";
import type { PathwayRecord } from "./pathway-view.ts";

// A person's pathway: offered → accepted (or declined) → placed → left, each a separate event
// with its own date, so an offer is never counted as a transition. One active pathway per person
// at a time: a person who declined, left, or was refused at vetting may be offered another.

const words = (s: string) => s.replaceAll("_", " ");

function checkDay(on: string, now: string, after: string | undefined, what: string, path: string) {
  if (on > now.slice(0, 10))
    throw new Problem("rule.violated", `The ${what} date is in the future; check it.`, [
      { path, message: "in the future" },
    ]);
  if (after && on < after)
    throw new Problem("rule.violated", `The ${what} date is before ${after}, the pathway's previous step.`, [
      { path, message: `before ${after}` },
    ]);
}

/** The day `days` days after `on` (both YYYY-MM-DD, UTC). */
export function addDays(on: string, days: number): string {
  return new Date(Date.parse(`${on}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** When follow-ups fall due after a placement: the programme's days for the kind, or the defaults. */
export async function followUpScheduleFor(view: RecordView, kind: PathwayKind, placedOn: string) {
  const programme = await view.programme();
  const days = programme?.pathways?.followUpDays?.[kind] ?? defaultFollowUpDays[kind];
  return days.map((d) => addDays(placedOn, d));
}

async function getPerson(view: RecordView, personId: string, path: string) {
  const person = await view.findPerson(personId);
  if (!person)
    throw new Problem("reference.unknown", "There is no person with this id.", [
      { path, message: "unknown person" },
    ]);
  return person;
}

async function getPathway(view: RecordView, id: string): Promise<PathwayRecord> {
  const pathway = await view.findPathway(id);
  if (!pathway)
    throw new Problem("reference.unknown", "There is no pathway with this id.", [
      { path: "payload.pathwayId", message: "unknown pathway" },
    ]);
  return pathway;
}

function expectState(pathway: PathwayRecord, states: readonly string[], doing: string) {
  if (!pathway.active || !states.includes(pathway.state))
    throw new Problem(
      "rule.violated",
      `This pathway is ${pathway.active ? words(pathway.state) : pathway.vetting === "refused" ? "closed (refused at vetting)" : words(pathway.state)}; ${doing} needs it ${states.map(words).join(" or ")}.`,
      [{ path: "payload.pathwayId", message: pathway.state }],
    );
}

/** A political-party pathway needs the person's group to have become a registered party. */
async function assertPartyRegistered(view: RecordView, groupId: string | undefined, path: string) {
  if (!groupId)
    throw new Problem(
      "rule.violated",
      "The person belongs to no group, so there is no party they could join: offer another pathway.",
      [{ path, message: "no group" }],
    );
  const group = await view.findGroupTransformation(groupId);
  if (group?.party?.status !== "registered")
    throw new Problem(
      "rule.violated",
      `The person's group is not registered as a party (its party is ${group?.party ? words(group.party.status) : "not applied for"}): record the party's registration (group.party) first, or offer another pathway.`,
      [{ path, message: "party not registered" }],
    );
}

/** Scope of a pathway command: the person's registration site and governorate. */
async function placeOfPathway(pathwayId: string, view: RecordView) {
  const pathway = await view.findPathway(pathwayId);
  const person = pathway && (await view.findPerson(pathway.personId));
  return person ? { siteId: person.siteId, governorate: person.governorate } : undefined;
}

const subjectsOf = (pathway: { id: string; personId: string }) => [
  { kind: "pathway" as const, id: pathway.id },
  { kind: "person" as const, id: pathway.personId },
];

export const offerPathway = defineCommand({
  type: "pathway.offer",
  event: "pathway.offered",
  payload: pathwayOffer,
  action: "pathway.offer",
  target: async (payload, view) => {
    const person = await view.findPerson(payload.personId);
    return person ? { siteId: person.siteId, governorate: person.governorate } : undefined;
  },
  async decide(payload, view, env) {
    const person = await getPerson(view, payload.personId, "payload.personId");
    // An offer is already a benefit: the dead, the revoked and the double-registered get none.
    assertGoodStanding(person, "a pathway offer", "payload.personId");
    const active = await view.activePathwayOf(person.id);
    if (active)
      throw new Problem(
        "rule.violated",
        `The person already has a ${words(active.kind)} pathway (${words(active.state)}): one pathway at a time. Record its end (declined or left) before offering another.`,
        [{ path: "payload.personId", message: `active pathway ${active.id}` }],
      );
    // Children are released to civilian life, never recruited into a force (IDDRS 5.30).
    if (payload.kind === "security_forces" && person.ageGroup === "child")
      throw new Problem(
        "rule.violated",
        "The person was registered as a child: children are not integrated into the security forces. Offer a civilian pathway.",
        [{ path: "payload.kind", message: "child" }],
      );
    if (payload.kind === "political_party") await assertPartyRegistered(view, person.groupId, "payload.kind");
    checkDay(payload.offeredOn, env.now, person.registeredOn, "offer", "payload.offeredOn");
    const pathwayId = payload.pathwayId ?? env.newId();
    if (await view.findPathway(pathwayId))
      throw new Problem("rule.violated", "A pathway with this id exists already.", [
        { path: "payload.pathwayId", message: "id in use" },
      ]);
    return {
      type: "pathway.offered",
      subjects: subjectsOf({ id: pathwayId, personId: person.id }),
      data: {
        ...payload,
        pathwayId,
        // Public, for figures by group and governorate; the person stays in the private part.
        groupId: person.groupId,
        governorate: person.governorate,
        vetting: payload.kind === "security_forces" ? "pending" : "not_required",
      },
    };
  },
});

export const respondToPathway = defineCommand({
  type: "pathway.respond",
  event: "pathway.responded",
  payload: pathwayResponse,
  action: "pathway.respond",
  target: async (payload, view) => placeOfPathway(payload.pathwayId, view),
  async decide(payload, view, env) {
    const pathway = await getPathway(view, payload.pathwayId);
    expectState(pathway, ["offered"], "a response");
    checkDay(payload.respondedOn, env.now, pathway.offeredOn, "response", "payload.respondedOn");
    return {
      type: "pathway.responded",
      subjects: subjectsOf(pathway),
      data: { ...payload, personId: pathway.personId, kind: pathway.kind },
    };
  },
});

export const vetPathway = defineCommand({
  type: "pathway.vet",
  event: "pathway.vetted",
  payload: pathwayVetting,
  action: "pathway.vet",
  target: async (payload, view) => placeOfPathway(payload.pathwayId, view),
  async decide(payload, view, env) {
    const pathway = await getPathway(view, payload.pathwayId);
    if (pathway.kind !== "security_forces")
      throw new Problem("rule.violated", `A ${words(pathway.kind)} pathway has no vetting.`, [
        { path: "payload.pathwayId", message: pathway.kind },
      ]);
    expectState(pathway, ["offered", "accepted"], "vetting");
    if (pathway.vetting !== "pending")
      throw new Problem("rule.violated", `The vetting result is already recorded (${pathway.vetting}).`, [
        { path: "payload.pathwayId", message: pathway.vetting },
      ]);
    checkDay(payload.vettedOn, env.now, pathway.offeredOn, "vetting", "payload.vettedOn");
    return {
      type: "pathway.vetted",
      subjects: subjectsOf(pathway),
      data: { ...payload, personId: pathway.personId },
    };
  },
});

export const placeOnPathway = defineCommand({
  type: "pathway.place",
  event: "pathway.placed",
  payload: pathwayPlacement,
  action: "pathway.place",
  target: async (payload, view) => placeOfPathway(payload.pathwayId, view),
  async decide(payload, view, env) {
    const pathway = await getPathway(view, payload.pathwayId);
    expectState(pathway, ["accepted"], "a placement");
    const person = await getPerson(view, pathway.personId, "payload.pathwayId");
    assertGoodStanding(person, "a pathway placement", "payload.pathwayId");
    const misplaced = (field: string, kind: string) =>
      new Problem(
        "rule.violated",
        `A ${words(pathway.kind)} placement has no ${words(field)}; that is for ${kind}.`,
        [{ path: `payload.${field}`, message: "not for this kind" }],
      );
    if (pathway.kind !== "security_forces") {
      if (payload.serviceNumber) throw misplaced("serviceNumber", "the security forces");
      if (payload.unit) throw misplaced("unit", "the security forces");
    }
    if (pathway.kind !== "political_party" && payload.membershipNumber)
      throw misplaced("membershipNumber", "a political party");
    if (pathway.kind === "security_forces") {
      if (pathway.vetting !== "cleared")
        throw new Problem(
          "rule.violated",
          "Vetting has not cleared this person: record the vetting result (pathway.vet, cleared) before the placement.",
          [{ path: "payload.pathwayId", message: `vetting ${pathway.vetting}` }],
        );
      if (!payload.serviceNumber)
        throw new Problem("rule.violated", "Give the service number issued on joining.", [
          { path: "payload.serviceNumber", message: "required for the security forces" },
        ]);
      // A service number drawn twice is how a payroll grows ghosts: one number, one person.
      if (pathway.force && (await view.serviceNumberInUse(pathway.force, payload.serviceNumber)))
        throw new Problem(
          "rule.violated",
          `${pathway.force} already gave service number ${payload.serviceNumber} to someone placed: check the number.`,
          [{ path: "payload.serviceNumber", message: "in use" }],
        );
      if (!payload.unit && !pathway.unit)
        throw new Problem("rule.violated", "Give the unit the person joined.", [
          { path: "payload.unit", message: "required for the security forces" },
        ]);
    }
    if (pathway.kind === "political_party")
      await assertPartyRegistered(view, person.groupId, "payload.pathwayId");
    const previous = [pathway.respondedOn, pathway.vettedOn]
      .filter((d) => d !== undefined)
      .sort()
      .at(-1);
    checkDay(payload.placedOn, env.now, previous, "placement", "payload.placedOn");
    return {
      type: "pathway.placed",
      subjects: subjectsOf(pathway),
      data: {
        ...payload,
        personId: pathway.personId,
        kind: pathway.kind,
        followUpSchedule: await followUpScheduleFor(view, pathway.kind, payload.placedOn),
      },
    };
  },
});

export const followUpPathway = defineCommand({
  type: "pathway.follow_up",
  event: "pathway.followed_up",
  payload: pathwayFollowUp,
  action: "pathway.follow_up",
  target: async (payload, view) => placeOfPathway(payload.pathwayId, view),
  async decide(payload, view, env) {
    const pathway = await getPathway(view, payload.pathwayId);
    expectState(pathway, ["placed"], "a follow-up");
    checkDay(
      payload.followedUpOn,
      env.now,
      pathway.lastFollowUpOn ?? pathway.placedOn,
      "follow-up",
      "payload.followedUpOn",
    );
    return {
      type: "pathway.followed_up",
      subjects: subjectsOf(pathway),
      data: {
        ...payload,
        personId: pathway.personId,
        // Which scheduled follow-up this one answers (null once the schedule is done).
        due: pathway.followUpSchedule[pathway.followUpsDone] ?? null,
      },
    };
  },
});

export const leavePathway = defineCommand({
  type: "pathway.leave",
  event: "pathway.left",
  payload: pathwayLeaving,
  action: "pathway.leave",
  target: async (payload, view) => placeOfPathway(payload.pathwayId, view),
  async decide(payload, view, env) {
    const pathway = await getPathway(view, payload.pathwayId);
    expectState(pathway, ["placed"], "leaving");
    checkDay(payload.leftOn, env.now, pathway.placedOn, "leaving", "payload.leftOn");
    return {
      type: "pathway.left",
      subjects: subjectsOf(pathway),
      data: { ...payload, personId: pathway.personId, kind: pathway.kind },
    };
  },
});
