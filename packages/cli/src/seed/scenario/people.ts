import type { Draws } from "./draws.ts";
import { duplicateSpelling, faultRates, PADDING_DAYS } from "./faults.ts";
import { groupDefinitions } from "./groups.ts";
import { drawNameChain, signatoryName, writeName } from "./names.ts";
import { lanes } from "./sites.ts";

// Who comes to the 20 collection lanes, and when. A registration (and the handover that may
// follow it) takes a lane 15 to 20 minutes; lanes open 08:00-16:00 Baghdad time, 07:00-19:00 in
// the rush of the last two weeks, and close on Fridays. The calendar is filled backwards from the
// cut-off date, so a small scenario is a short programme ending in the same rush.

export const CUT_OFF = "2026-06-30";
const RUSH_DAYS = 14;
/** People registered at scale 1. */
export const PEOPLE_AT_SCALE_1 = 250_000;

const DAY_MS = 86_400_000;
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
export const atMinute = (date: string, minute: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + minute * 60_000).toISOString();

export const PERSON_BASE = 0;
export const PERSON_DUPLICATE = 1;
export const PERSON_PADDING = 2;

/** Every registration slot in time order: slot k is person number k. */
export interface Registrations {
  count: number;
  /** Collection dates, oldest first; `day[k]` indexes this list. */
  dates: string[];
  day: Int32Array;
  lane: Uint8Array;
  /** Minutes after 00:00 UTC. */
  minute: Int16Array;
  kind: Uint8Array;
  /** For a duplicate: the person it repeats. */
  original: Int32Array;
  paddedGroup: number;
  paddingStartDay: number;
}

function laneSlots(draws: Draws, date: string, rush: boolean): { lane: number; minute: number }[] {
  if (new Date(`${date}T00:00:00Z`).getUTCDay() === 5) return []; // Friday
  const open = rush ? 4 * 60 : 5 * 60;
  const close = rush ? 16 * 60 : 13 * 60;
  const slots: { lane: number; minute: number }[] = [];
  for (const [lane] of lanes.entries()) {
    const s = draws.stream("lane", lane, date);
    for (let t = open, d = s.int(15, 20); t + d <= close; t += d, d = s.int(15, 20))
      slots.push({ lane, minute: t });
  }
  return slots.sort((a, b) => a.minute - b.minute || a.lane - b.lane);
}

export function planRegistrations(draws: Draws, scale: number): Registrations {
  const count = Math.max(20, Math.round(PEOPLE_AT_SCALE_1 * scale));
  // Backwards from the cut-off: the latest slots of the earliest day are the ones used.
  const days: { date: string; slots: { lane: number; minute: number }[] }[] = [];
  for (let back = 0, left = count; left > 0; back++) {
    const date = addDays(CUT_OFF, -back);
    const all = laneSlots(draws, date, back < RUSH_DAYS);
    const taken = all.slice(Math.max(0, all.length - left));
    left -= taken.length;
    days.unshift({ date, slots: taken });
  }
  const r: Registrations = {
    count,
    dates: days.map((d) => d.date),
    day: new Int32Array(count),
    lane: new Uint8Array(count),
    minute: new Int16Array(count),
    kind: new Uint8Array(count),
    original: new Int32Array(count).fill(-1),
    paddedGroup: 0,
    paddingStartDay: 0,
  };
  let k = 0;
  for (const [d, day] of days.entries())
    for (const slot of day.slots) {
      r.day[k] = d;
      r.lane[k] = slot.lane;
      r.minute[k] = slot.minute;
      k++;
    }

  // The padded roster: the largest group's ghosts fill its lanes in the last days before the cut-off.
  const padded = groupDefinitions[r.paddedGroup]!;
  const paddedShare = padded.strength / groupDefinitions.reduce((a, g) => a + g.strength, 0);
  const duplicates = Math.round(count * faultRates.duplicatePeople);
  const padding = Math.round(
    ((count - duplicates) * faultRates.rosterPadding * paddedShare) /
      (1 + faultRates.rosterPadding * paddedShare),
  );
  const paddingFrom = Math.max(0, r.dates.length - PADDING_DAYS);
  const padLanes = new Set(
    [...lanes.entries()].filter(([, l]) => padded.governorates.includes(l.governorate)).map(([i]) => i),
  );
  let placed = 0;
  for (const recentOnly of [true, false])
    for (let j = count - 1; j >= 0 && placed < padding; j--)
      if (
        r.kind[j] === PERSON_BASE &&
        padLanes.has(r.lane[j]!) &&
        (!recentOnly || r.day[j]! >= paddingFrom)
      ) {
        r.kind[j] = PERSON_PADDING;
        placed++;
      }
  r.paddingStartDay = paddingFrom;
  for (let j = 0; j < count; j++)
    if (r.kind[j] === PERSON_PADDING) {
      r.paddingStartDay = Math.min(paddingFrom, r.day[j]!);
      break;
    }

  // Duplicates: later registrations that repeat someone registered earlier.
  const from = Math.max(1, Math.floor(count * 0.1));
  const candidates: { j: number; u: number }[] = [];
  for (let j = from; j < count; j++)
    if (r.kind[j] === PERSON_BASE) candidates.push({ j, u: draws.stream("duplicate", j).next() });
  candidates.sort((a, b) => a.u - b.u);
  for (const { j } of candidates.slice(0, duplicates)) r.kind[j] = PERSON_DUPLICATE;
  for (const { j } of candidates.slice(0, duplicates)) {
    const s = draws.stream("duplicate", j, "original");
    let o = s.int(0, j - 1);
    while (o > 0 && r.kind[o] !== PERSON_BASE) o--;
    r.original[j] = o;
  }
  return r;
}

/** The groups a lane's people belong to: those present in its governorate, by declared strength. */
function groupAt(draws: Draws, k: number, governorate: string): number {
  const present = [...groupDefinitions.entries()].filter(([, g]) => g.governorates.includes(governorate));
  const i = draws.stream("person", k, "group").weighted(present.map(([, g]) => g.strength));
  return present[i]![0];
}

export interface HandoverPlan {
  weapons: number;
  rounds: number;
}

/** What a registered person hands in: about one in five a weapon (some two), a few ammunition only. */
export function handoverPlan(draws: Draws, r: Registrations, k: number): HandoverPlan | undefined {
  if (r.kind[k] !== PERSON_BASE) return undefined;
  const s = draws.stream("person", k, "handover");
  const u = s.next();
  if (u < 0.21) return { weapons: s.chance(0.12) ? 2 : 1, rounds: s.chance(0.6) ? s.int(30, 210) : 0 };
  if (u < 0.24) return { weapons: 0, rounds: s.int(200, 600) };
  return undefined;
}

/** The facts about person k the registration states (a duplicate states its original's, respelled). */
function personFacts(draws: Draws, r: Registrations, k: number) {
  const self = r.kind[k] === PERSON_DUPLICATE ? r.original[k]! : k;
  const s = draws.stream("person", self, "facts");
  const lane = lanes[r.lane[self]!]!;
  const group = r.kind[self] === PERSON_PADDING ? r.paddedGroup : groupAt(draws, self, lane.governorate);
  const armed = handoverPlan(draws, r, self) !== undefined;
  const kind = armed || s.chance(0.35) ? "combatant" : "associated_member";
  const female = s.chance(kind === "combatant" ? 0.03 : 0.2);
  const year = Number(r.dates[r.day[self]!]!.slice(0, 4));
  const child = s.chance(0.01);
  const birthYear = child ? year - s.int(15, 17) : s.int(1960, 2006);
  const birth = s.chance(0.4)
    ? {
        date: `${birthYear}-${String(s.int(1, 12)).padStart(2, "0")}-${String(s.int(1, 28)).padStart(2, "0")}`,
      }
    : { year: birthYear };
  const nationalId = s.chance(0.8)
    ? `19${String((self * 104_729) % 10_000_000_000).padStart(10, "0")}`
    : undefined;
  return {
    self,
    chain: drawNameChain(draws.stream("person", self, "name"), female),
    group,
    kind,
    sex: female ? "female" : "male",
    birth,
    governorate: lane.governorate,
    nationalId,
    role:
      kind === "combatant" ? "fighter" : s.pick(["cook", "driver", "guard", "medic", "clerk", "messenger"]),
    listedByGroup: r.kind[self] === PERSON_PADDING || s.chance(0.85),
    photo: s.chance(0.9),
  };
}

/** The person.register payload for slot k, registered at its lane. */
export function personPayload(
  draws: Draws,
  r: Registrations,
  k: number,
  ids: { site: (lane: number) => string; group: (g: number) => string },
) {
  const f = personFacts(draws, r, k);
  const duplicate = r.kind[k] === PERSON_DUPLICATE;
  const s = draws.stream("person", k, "registration");
  const written = writeName(f.chain, duplicate ? duplicateSpelling(draws, k) : undefined);
  const date = r.dates[r.day[k]!]!;
  return {
    personId: draws.uuid("person", k),
    siteId: ids.site(r.lane[k]!),
    kind: f.kind,
    ...written,
    birth: f.birth,
    sex: f.sex,
    governorate: f.governorate,
    groupId: ids.group(f.group),
    role: f.role,
    // Someone registering twice gives their national id about half the time.
    ...(f.nationalId && (!duplicate || s.chance(0.5)) ? { nationalId: f.nationalId } : {}),
    ...(f.photo ? { photo: draws.fileRef("person", k, "photo") } : {}),
    listedByGroup: f.listedByGroup,
    consent: { given: true, recordedOn: date },
  };
}

/** The verifying officer on a lane that day (an observer of the monitoring mission). */
export function verifyingOfficer(draws: Draws, lane: number, day: number) {
  return { name: signatoryName(draws.stream("officer", lane, day)), affiliation: "Joint verification team" };
}
