import { type Actor, inScope, Problem } from "@armsledger/core";
import { and, asc, eq, inArray, isNotNull, lt, type SQL, sql } from "drizzle-orm";
import { followUpKey, openRow } from "../crypto/personal-columns.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

// Reads of pathways and group transformation. A person's pathways and the follow-up lists name
// people (by id): case workers within their scope. The outcome report is aggregates only.

const NO_SITE = "00000000-0000-0000-0000-000000000000";

/** The persons the reader may see: their sites and governorates. */
function personScope(actor: Actor): SQL | undefined {
  const { sites, governorates } = actor.scope;
  return and(
    sites === "all" ? undefined : inArray(t.persons.siteId, sites.length > 0 ? sites : [NO_SITE]),
    governorates === "all"
      ? undefined
      : inArray(t.persons.governorate, governorates.length > 0 ? governorates : ["--"]),
  );
}

/** A group's status over time and the decisions on the party it became, oldest first. */
export async function getGroupStatusHistory(store: Store, groupId: string) {
  const [group] = await store.db.select().from(t.armedGroups).where(eq(t.armedGroups.id, groupId));
  if (!group) throw new Problem("resource.not-found", "There is no group with this id.");
  // The decisions' reasons are sealed (free text, private in their events): opened here.
  const keys = await store.personal.keys();
  const statuses = (
    await store.db
      .select()
      .from(t.groupStatusHistory)
      .where(eq(t.groupStatusHistory.groupId, groupId))
      .orderBy(asc(t.groupStatusHistory.seq))
  ).map((s) => openRow(keys, "group_status_history", s.seq, s));
  const party = (
    await store.db
      .select()
      .from(t.groupPartyHistory)
      .where(eq(t.groupPartyHistory.groupId, groupId))
      .orderBy(asc(t.groupPartyHistory.seq))
  ).map((p) => openRow(keys, "group_party_history", p.seq, p));
  return {
    groupId,
    status: group.status,
    statusDecidedOn: group.statusDecidedOn,
    party: group.partyStatus
      ? {
          status: group.partyStatus,
          on: group.partyStatusOn,
          name:
            group.partyNameAr && group.partyNameEn ? { ar: group.partyNameAr, en: group.partyNameEn } : null,
        }
      : null,
    history: statuses.map(({ groupId: _g, ...s }) => s),
    partyHistory: party.map(({ groupId: _g, ...p }) => ({
      seq: p.seq,
      fromStatus: p.fromStatus,
      status: p.status,
      name: p.nameAr && p.nameEn ? { ar: p.nameAr, en: p.nameEn } : null,
      reference: p.reference,
      decidedBy: p.decidedBy,
      decidedOn: p.decidedOn,
      reason: p.reason,
    })),
  };
}

/** A person's pathways, oldest first, each with its follow-ups. Out of scope answers like absent. */
export async function listPersonPathways(store: Store, actor: Actor, personId: string) {
  const [person] = await store.db
    .select({ siteId: t.persons.siteId, governorate: t.persons.governorate })
    .from(t.persons)
    .where(eq(t.persons.id, personId));
  if (!person || !inScope(actor.scope, person))
    throw new Problem("resource.not-found", "There is no person with this id, or it is outside your scope.");
  const keys = await store.personal.keys();
  const pathways = (
    await store.db
      .select()
      .from(t.pathways)
      .where(eq(t.pathways.personId, personId))
      .orderBy(asc(t.pathways.offeredSeq))
  ).map(({ serviceNumberIndex: _index, ...p }) => openRow(keys, "pathways", p.id, p));
  const sealedFollowUps = pathways.length
    ? await store.db
        .select()
        .from(t.pathwayFollowUps)
        .where(
          inArray(
            t.pathwayFollowUps.pathwayId,
            pathways.map((p) => p.id),
          ),
        )
        .orderBy(asc(t.pathwayFollowUps.seq))
    : [];
  const followUps = sealedFollowUps.map((f) =>
    openRow(keys, "pathway_follow_ups", followUpKey(f.pathwayId, f.seq), f),
  );
  return pathways.map((p) => ({
    ...p,
    offer: p.offer as Record<string, unknown>,
    followUpSchedule: p.followUpSchedule as string[],
    followUps: followUps.filter((f) => f.pathwayId === p.id).map(({ pathwayId: _p, ...f }) => f),
  }));
}

/**
 * Placements with a follow-up still due, soonest first; with `overdue`, only those whose next
 * follow-up day is before `asOf` (YYYY-MM-DD).
 */
export async function listFollowUps(
  store: Store,
  actor: Actor,
  options: { overdue: boolean; asOf: string; limit: number },
) {
  const rows = await store.db
    .select({
      pathwayId: t.pathways.id,
      personId: t.pathways.personId,
      kind: t.pathways.kind,
      placedOn: t.pathways.placedOn,
      nextFollowUpDue: t.pathways.nextFollowUpDue,
      followUpsDone: t.pathways.followUpsDone,
      followUpSchedule: t.pathways.followUpSchedule,
      lastFollowUpOn: t.pathways.lastFollowUpOn,
      lastFollowUpStatus: t.pathways.lastFollowUpStatus,
      siteId: t.persons.siteId,
      governorate: t.persons.governorate,
    })
    .from(t.pathways)
    .innerJoin(t.persons, eq(t.persons.id, t.pathways.personId))
    .where(
      and(
        eq(t.pathways.state, "placed"),
        isNotNull(t.pathways.nextFollowUpDue),
        options.overdue ? lt(t.pathways.nextFollowUpDue, options.asOf) : undefined,
        personScope(actor),
      ),
    )
    .orderBy(asc(t.pathways.nextFollowUpDue), asc(t.pathways.id))
    .limit(options.limit);
  return rows.map((r) => {
    const due = r.nextFollowUpDue!;
    const daysOverdue = Math.round((Date.parse(options.asOf) - Date.parse(due)) / 86_400_000);
    return {
      ...r,
      nextFollowUpDue: due,
      placedOn: r.placedOn!,
      followUpsScheduled: (r.followUpSchedule as string[]).length,
      overdue: daysOverdue > 0,
      daysOverdue: Math.max(0, daysOverdue),
    };
  });
}

/**
 * What is counted for pathway outcomes. Placed means a placement was recorded: an offer, or an
 * acceptance, is never counted as a transition.
 */
const outcomeColumns = {
  offered: sql<number>`count(*)::int`,
  accepted: sql<number>`count(*) filter (where ${t.pathways.respondedOn} is not null and ${t.pathways.state} <> 'declined')::int`,
  declined: sql<number>`count(*) filter (where ${t.pathways.state} = 'declined')::int`,
  refusedAtVetting: sql<number>`count(*) filter (where ${t.pathways.vetting} = 'refused')::int`,
  placed: sql<number>`count(*) filter (where ${t.pathways.placedOn} is not null)::int`,
  left: sql<number>`count(*) filter (where ${t.pathways.state} = 'left')::int`,
  stillPlaced: sql<number>`count(*) filter (where ${t.pathways.state} = 'placed')::int`,
  stillPlacedAtLastFollowUp: sql<number>`count(*) filter (where ${t.pathways.state} = 'placed' and ${t.pathways.lastFollowUpStatus} = 'still_placed')::int`,
};

export type PathwayOutcomes = { [K in keyof typeof outcomeColumns]: number };

export const pathwayReportDimensions = ["kind", "group", "governorate", "sex", "ageGroup"] as const;

/**
 * Pathway outcomes in aggregate: in total and broken down by pathway kind, group (its code), the
 * person's governorate, sex and age group. No person appears in it.
 */
export async function pathwayOutcomeReport(store: Store, filter: { kind?: string | undefined } = {}) {
  const keyOf = {
    kind: t.pathways.kind,
    group: sql<string>`coalesce(${t.armedGroups.code}, 'none')`,
    governorate: t.persons.governorate,
    sex: t.persons.sex,
    ageGroup: t.persons.ageGroup,
  } as const;
  const base = () =>
    store.db
      .select({ key: sql<string>`''`, ...outcomeColumns })
      .from(t.pathways)
      .innerJoin(t.persons, eq(t.persons.id, t.pathways.personId))
      .leftJoin(t.armedGroups, eq(t.armedGroups.id, t.persons.groupId))
      .where(filter.kind ? eq(t.pathways.kind, filter.kind) : undefined);
  const [total] = await base();
  const breakdowns = {} as Record<
    (typeof pathwayReportDimensions)[number],
    ({ key: string } & PathwayOutcomes)[]
  >;
  for (const dimension of pathwayReportDimensions) {
    const key = keyOf[dimension];
    breakdowns[dimension] = await store.db
      .select({ key: sql<string>`${key}`, ...outcomeColumns })
      .from(t.pathways)
      .innerJoin(t.persons, eq(t.persons.id, t.pathways.personId))
      .leftJoin(t.armedGroups, eq(t.armedGroups.id, t.persons.groupId))
      .where(filter.kind ? eq(t.pathways.kind, filter.kind) : undefined)
      .groupBy(key)
      .orderBy(key);
  }
  const { key: _k, ...totals } = total ?? { key: "", ...zeroOutcomes() };
  return { totals: totals as PathwayOutcomes, by: breakdowns };
}

function zeroOutcomes(): PathwayOutcomes {
  return Object.fromEntries(Object.keys(outcomeColumns).map((k) => [k, 0])) as PathwayOutcomes;
}
