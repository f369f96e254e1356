import {
  type Actor,
  inScope,
  type MatchInput,
  matchRoster,
  Problem,
  type ProgrammeConfig,
  type RosterEntryInput,
  type RosterMatch,
  rosterGrowth,
} from "@armsledger/core";
import { asc, count, eq, max, sql } from "drizzle-orm";
import { openPersonRow, openRow, rosterEntryKey } from "../crypto/personal-columns.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

// A group's latest roster against the people registered under the group, with the core name
// engine (rosters/match.ts), and the roster's growth over its versions (rosters/growth.ts). Worked
// out on each read, in memory for one group: versions and registrations change, and nothing of
// the comparison is a record of its own (it decides nothing).

/** A roster entry's row (opened) as the entry the group submitted. */
export function rosterEntryInput(e: typeof t.groupRosterEntries.$inferSelect): RosterEntryInput {
  return {
    memberNumber: e.memberNumber,
    name: e.name as RosterEntryInput["name"],
    motherName: (e.motherName ?? undefined) as RosterEntryInput["motherName"],
    birthYear: e.birthYear ?? undefined,
    sex: (e.sex ?? undefined) as RosterEntryInput["sex"],
    governorate: e.governorate ?? undefined,
  };
}

const share = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 10_000) / 10_000);

async function groupOrNotFound(store: Store, groupId: string) {
  const [group] = await store.db
    .select({ id: t.armedGroups.id, code: t.armedGroups.code })
    .from(t.armedGroups)
    .where(eq(t.armedGroups.id, groupId));
  if (!group) throw new Problem("resource.not-found", "There is no group with this id.");
  return group;
}

type Comparison = Awaited<ReturnType<typeof computeComparison>>;

// The last comparison of each group, per store, with the state it was worked out from: a group of
// tens of thousands takes seconds to match, and analysts read the same answer many times. Any new
// roster version, registration or correction of the group's people, or programme change (the
// cut-off) makes a new key. Held in memory only, like the engine's candidate index.
const cache = new WeakMap<Store, Map<string, { key: string; value: Comparison }>>();

/** Everything the comparison reads, and the match itself (cached while nothing it read changed). */
async function compare(store: Store, groupId: string): Promise<Comparison> {
  const [roster] = await store.db
    .select({ seq: max(t.groupRosters.seq) })
    .from(t.groupRosters)
    .where(eq(t.groupRosters.groupId, groupId));
  // A person's purge changes no seq (it is not an event) but rewrites their sealed name, so the
  // names' ciphertexts are part of the key: a purge, even by another process (the CLI), leaves no
  // purged name in the cached comparison.
  const [people] = await store.db
    .select({
      seq: max(t.persons.updatedSeq),
      n: count(),
      names: sql<string>`md5(string_agg(${t.persons.name}, '' order by ${t.persons.id}))`,
    })
    .from(t.persons)
    .where(eq(t.persons.groupId, groupId));
  const [programme] = await store.db.select({ seq: t.programme.configuredSeq }).from(t.programme);
  const key = `${roster?.seq ?? "-"}|${people?.seq ?? "-"}|${people?.n ?? 0}|${people?.names ?? "-"}|${programme?.seq ?? "-"}`;
  const byGroup = cache.get(store) ?? new Map<string, { key: string; value: Comparison }>();
  cache.set(store, byGroup);
  const hit = byGroup.get(groupId);
  if (hit && hit.key === key) return hit.value;
  const value = await computeComparison(store, groupId);
  byGroup.set(groupId, { key, value });
  return value;
}

async function computeComparison(store: Store, groupId: string) {
  const group = await groupOrNotFound(store, groupId);
  const versions = await store.db
    .select()
    .from(t.groupRosters)
    .where(eq(t.groupRosters.groupId, groupId))
    .orderBy(asc(t.groupRosters.version));
  const latest = versions.at(-1);
  if (!latest)
    throw new Problem(
      "resource.not-found",
      `Group ${group.code} has submitted no roster yet; record one with roster.submit (or armsledger import roster).`,
    );
  const keys = await store.personal.keys();
  const entryRows = (
    await store.db
      .select()
      .from(t.groupRosterEntries)
      .where(eq(t.groupRosterEntries.groupId, groupId))
      .orderBy(asc(t.groupRosterEntries.version), asc(t.groupRosterEntries.position))
  ).map((e) => openRow(keys, "group_roster_entries", rosterEntryKey(e.groupId, e.version, e.position), e));
  const entries = entryRows.filter((e) => e.version === latest.version);
  const sealedPersons = await store.db
    .select({
      id: t.persons.id,
      siteId: t.persons.siteId,
      name: t.persons.name,
      motherName: t.persons.motherName,
      birthYear: t.persons.birthYear,
      sex: t.persons.sex,
      governorate: t.persons.governorate,
      nationalId: t.persons.nationalId,
      ageGroup: t.persons.ageGroup,
      listedByGroup: t.persons.listedByGroup,
    })
    .from(t.persons)
    .where(eq(t.persons.groupId, groupId))
    .orderBy(asc(t.persons.id));
  const persons = sealedPersons.map((p) => openPersonRow(keys, p));
  const [programme] = await store.db.select({ config: t.programme.config }).from(t.programme);
  const cutOffDate = (programme?.config as ProgrammeConfig | undefined)?.eligibility.cutOffDate;

  const match: RosterMatch = matchRoster(
    entries.map(rosterEntryInput),
    persons.map((p) => ({
      id: p.id,
      match: {
        name: p.name as MatchInput["name"],
        motherName: (p.motherName ?? undefined) as MatchInput["motherName"],
        birthYear: p.birthYear ?? undefined,
        sex: p.sex as "male" | "female",
        governorate: p.governorate,
        nationalId: p.nationalId ?? undefined,
      },
    })),
  );
  const growth = rosterGrowth(
    versions.map((v) => ({
      version: v.version,
      submittedOn: v.submittedOn,
      memberNumbers: entryRows.filter((e) => e.version === v.version).map((e) => e.memberNumber),
    })),
    cutOffDate,
  );
  return { group, latest, entries, persons, match, growth };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/**
 * The comparison as counts: share of the list that turned up, registered people on no list,
 * entries for review, growth after the cut-off and spikes. No names, no person ids.
 */
export async function rosterComparison(store: Store, groupId: string) {
  const { group, latest, persons, match, growth } = await compare(store, groupId);
  const entryStatus = countBy(match.entries, (e) => e.status);
  const personStatus = new Map(match.persons.map((p) => [p.id, p.status]));
  const notOnList = persons.filter((p) => personStatus.get(p.id) === "not_on_list");
  const entries = match.entries.length;
  return {
    groupId: group.id,
    groupCode: group.code,
    version: latest.version,
    submittedOn: latest.submittedOn,
    entriesHash: latest.entriesHash,
    roster: {
      entries,
      registered: entryStatus.registered ?? 0,
      review: entryStatus.review ?? 0,
      notRegistered: entryStatus.not_registered ?? 0,
      /** Share of the list that turned up (matched to a registration as the same person). */
      registeredShare: share(entryStatus.registered ?? 0, entries),
      /** Entries whose names no longer read (purged): counted among the not registered. */
      unreadable: match.unreadableEntries,
    },
    registrations: {
      persons: persons.length,
      onList: persons.filter((p) => personStatus.get(p.id) === "on_list").length,
      review: persons.filter((p) => personStatus.get(p.id) === "review").length,
      notOnList: notOnList.length,
      notOnListShare: share(notOnList.length, persons.length),
      /** Registered as listed by the group, yet not found on its latest roster. */
      listedByGroupNotOnList: notOnList.filter((p) => p.listedByGroup).length,
      notOnListBySex: countBy(notOnList, (p) => p.sex),
      notOnListByAgeGroup: countBy(notOnList, (p) => p.ageGroup),
      notOnListByGovernorate: countBy(notOnList, (p) => p.governorate),
      unreadable: match.unreadablePersons,
    },
    growth,
  };
}

/**
 * Entry by entry, with names, for an administrator checking the list: each entry's status, the
 * registered person it matched (or the best review candidate) and the engine's explanation, and
 * the registered people on no list. A person outside the reader's scope is counted, not named.
 */
export async function rosterComparisonEntries(store: Store, actor: Actor, groupId: string) {
  const { group, latest, entries, persons, match } = await compare(store, groupId);
  const place = new Map(persons.map((p) => [p.id, p]));
  const visible = (id: string | undefined) => {
    const p = id ? place.get(id) : undefined;
    return p && inScope(actor.scope, { siteId: p.siteId, governorate: p.governorate }) ? p.id : null;
  };
  const statusOf = new Map(match.persons.map((p) => [p.id, p.status]));
  const notOnList = persons.filter((p) => statusOf.get(p.id) === "not_on_list");
  const inReview = persons.filter((p) => statusOf.get(p.id) === "review");
  return {
    groupId: group.id,
    groupCode: group.code,
    version: latest.version,
    submittedOn: latest.submittedOn,
    items: match.entries.map((m) => {
      const e = entries[m.index]!;
      return {
        position: e.position,
        memberNumber: e.memberNumber,
        name: e.name as Record<string, unknown>,
        motherName: (e.motherName ?? null) as Record<string, unknown> | null,
        birthYear: e.birthYear,
        sex: e.sex,
        governorate: e.governorate,
        status: m.status,
        personId: visible(m.personId),
        weight: m.weight ?? null,
        explanation: m.explanation ?? [],
      };
    }),
    notOnList: { count: notOnList.length, personIds: notOnList.flatMap((p) => visible(p.id) ?? []) },
    inReview: { count: inReview.length, personIds: inReview.flatMap((p) => visible(p.id) ?? []) },
  };
}

/** The groups that submitted a roster, by code: what `armsledger report roster` goes through. */
export async function groupsWithRosters(store: Store) {
  const rows = await store.db
    .selectDistinct({ id: t.armedGroups.id, code: t.armedGroups.code })
    .from(t.armedGroups)
    .innerJoin(t.groupRosters, eq(t.groupRosters.groupId, t.armedGroups.id))
    .orderBy(asc(t.armedGroups.code));
  return rows;
}
