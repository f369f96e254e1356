import {
  type Actor,
  type DuplicateMatch,
  type DuplicateReviewView,
  inScope,
  type PersonSearchHit,
  prepareNameSearch,
  searchScore,
} from "@armsledger/core";
import { and, asc, count, countDistinct, desc, eq, gte, inArray, type SQL } from "drizzle-orm";
import { openPersonRow, openRow } from "../crypto/personal-columns.ts";
import { matchInputOfRow } from "../projections/duplicate-review.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { shownPerson } from "./shown-person.ts";

// duplicate review (issue 5): the review queue, and name search. Both honour the reader's scope:
// a case is listed when its held registration is in scope, and an earlier registration outside
// scope is withheld (null) rather than shown.

type PersonRow = typeof t.persons.$inferSelect;

const iso = (s: string | null) => (s === null ? null : new Date(s).toISOString());

function scopeConditions(actor: Actor): (SQL | undefined)[] {
  const none = ["00000000-0000-0000-0000-000000000000"];
  return [
    actor.scope.sites === "all"
      ? undefined
      : inArray(t.persons.siteId, actor.scope.sites.length ? actor.scope.sites : none),
    actor.scope.governorates === "all"
      ? undefined
      : inArray(t.persons.governorate, actor.scope.governorates.length ? actor.scope.governorates : ["--"]),
  ];
}

const visible = (actor: Actor, p: PersonRow) =>
  inScope(actor.scope, { siteId: p.siteId, governorate: p.governorate });

export async function listDuplicateReviews(
  store: Store,
  actor: Actor,
  options: { status?: "pending" | "merged" | "dismissed" | undefined; limit: number },
): Promise<DuplicateReviewView[]> {
  const rows = await store.db
    .select({ review: t.duplicateReviews, person: t.persons })
    .from(t.duplicateReviews)
    .innerJoin(t.persons, eq(t.persons.id, t.duplicateReviews.personId))
    .where(
      and(
        options.status ? eq(t.duplicateReviews.status, options.status) : undefined,
        ...scopeConditions(actor),
      ),
    )
    .orderBy(asc(t.duplicateReviews.openedSeq))
    .limit(options.limit);
  const matchIds = [
    ...new Set(rows.flatMap((r) => (r.review.matches as DuplicateMatch[]).map((m) => m.personId))),
  ];
  const others = matchIds.length
    ? await store.db.select().from(t.persons).where(inArray(t.persons.id, matchIds))
    : [];
  const keys = await store.personal.keys();
  const byId = new Map(others.map((p) => [p.id, shownPerson(openPersonRow(keys, p))]));
  return rows.map(({ review, person }) => ({
    personId: review.personId,
    status: review.status as DuplicateReviewView["status"],
    openedSeq: review.openedSeq,
    openedAt: iso(review.openedAt)!,
    registeredBy: review.registeredBy,
    person: shownPerson(openPersonRow(keys, person)) as DuplicateReviewView["person"],
    matches: (review.matches as DuplicateMatch[]).map((m) => {
      const other = byId.get(m.personId);
      return {
        ...m,
        person: other && visible(actor, other) ? (other as DuplicateReviewView["person"]) : null,
      };
    }),
    decidedSeq: review.decidedSeq,
    decidedAt: iso(review.decidedAt),
    decidedBy: review.decidedBy,
    // The reviewer's words: sealed.
    reason: openRow(keys, "duplicate_reviews", review.personId, { reason: review.reason }).reason,
    mergedInto: review.mergedInto,
  }));
}

/** How many reviews are in each status (for the CLI report's heading). */
export async function countDuplicateReviews(store: Store): Promise<Record<string, number>> {
  const rows = await store.db
    .select({ status: t.duplicateReviews.status, n: count() })
    .from(t.duplicateReviews)
    .groupBy(t.duplicateReviews.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Candidates read from the key table before their names are checked and ranked. */
const SEARCH_POOL = 500;

/**
 * People whose name chain shares the query's words (by skeleton, so any spelling and either
 * script), within the reader's scope, best first. The key table narrows the pool; each person's
 * names are then folded again and counted, so a hash collision never shows anyone.
 */
export async function searchPersons(
  store: Store,
  actor: Actor,
  q: string,
  limit: number,
): Promise<PersonSearchHit[]> {
  const keys = await store.personal.keys();
  const search = prepareNameSearch(q, "q", (key) => keys.nameKey(key));
  const matched = countDistinct(t.personNameKeys.key);
  const pool = await store.db
    .select({ id: t.personNameKeys.personId })
    .from(t.personNameKeys)
    .innerJoin(t.persons, eq(t.persons.id, t.personNameKeys.personId))
    .where(and(inArray(t.personNameKeys.key, search.keys), ...scopeConditions(actor)))
    .groupBy(t.personNameKeys.personId)
    .having(gte(matched, search.minWords))
    .orderBy(desc(matched), asc(t.personNameKeys.personId))
    .limit(SEARCH_POOL);
  if (pool.length === 0) return [];
  const people = await store.db
    .select()
    .from(t.persons)
    .where(
      inArray(
        t.persons.id,
        pool.map((p) => p.id),
      ),
    );
  return people
    .map((p) => openPersonRow(keys, p))
    .map((p) => ({ matchedWords: searchScore(search, matchInputOfRow(p)), person: p }))
    .filter((h) => h.matchedWords > 0)
    .sort((a, b) => b.matchedWords - a.matchedWords || a.person.registeredSeq - b.person.registeredSeq)
    .slice(0, limit)
    .map((h) => ({
      matchedWords: h.matchedWords,
      person: shownPerson(h.person) as PersonSearchHit["person"],
    }));
}
