import { type Actor, inScope, Problem } from "@armsledger/core";
import { and, asc, desc, eq, gt, inArray, type SQL, sql } from "drizzle-orm";
import type { FieldKeys } from "../crypto/field-keys.ts";
import { openPersonRow, openRow } from "../crypto/personal-columns.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { shownPerson } from "./shown-person.ts";

// Reads of the projections. `find*` may answer undefined; `get*` throws resource.not-found.
// Every read that can reach a person or a site-bound record honours the reader's scope.

function siteFilter(
  actor: Actor,
  column: typeof t.persons.siteId | typeof t.handovers.siteId | typeof t.weaponItems.siteId,
): SQL | undefined {
  return actor.scope.sites === "all"
    ? undefined
    : inArray(
        column,
        actor.scope.sites.length ? actor.scope.sites : ["00000000-0000-0000-0000-000000000000"],
      );
}

function notFound(what: string): never {
  throw new Problem("resource.not-found", `There is no ${what} with this id, or it is outside your scope.`);
}

export async function findProgramme(store: Store) {
  const [row] = await store.db.select().from(t.programme);
  return row
    ? { config: row.config as Record<string, unknown>, configuredSeq: row.configuredSeq }
    : undefined;
}

export async function listSites(store: Store) {
  return store.db.select().from(t.sites).orderBy(asc(t.sites.code));
}

/** A group's row with its liaison officers opened (sealed: crypto/personal-columns.ts). */
function openGroupRow<T extends { id: string }>(keys: FieldKeys, row: T): T {
  return openRow(keys, "armed_groups", row.id, row);
}

export async function listGroups(store: Store) {
  const rows = await store.db.select().from(t.armedGroups).orderBy(asc(t.armedGroups.code));
  const keys = await store.personal.keys();
  return rows.map((row) => openGroupRow(keys, row));
}

export async function getGroup(store: Store, id: string) {
  const [sealed] = await store.db.select().from(t.armedGroups).where(eq(t.armedGroups.id, id));
  if (!sealed) notFound("group");
  const group = openGroupRow(await store.personal.keys(), sealed);
  const declarations = await store.db
    .select()
    .from(t.groupDeclarations)
    .where(eq(t.groupDeclarations.groupId, id))
    .orderBy(asc(t.groupDeclarations.version));
  return { ...group, declarations };
}

export async function getPerson(store: Store, actor: Actor, id: string) {
  const [person] = await store.db.select().from(t.persons).where(eq(t.persons.id, id));
  // Out of scope answers exactly like absent, so the answer reveals nothing about who exists.
  if (!person || !inScope(actor.scope, { siteId: person.siteId, governorate: person.governorate }))
    notFound("person");
  return shownPerson(openPersonRow(await store.personal.keys(), person));
}

/**
 * A person's record whatever the reader's scope, for a read that breaks the glass (the route
 * requires and logs the reason). Answers whether the record lay outside the scope.
 */
export async function getPersonBreakingGlass(store: Store, actor: Actor, id: string) {
  const [person] = await store.db.select().from(t.persons).where(eq(t.persons.id, id));
  if (!person) notFound("person");
  return {
    person: shownPerson(openPersonRow(await store.personal.keys(), person)),
    outsideScope: !inScope(actor.scope, { siteId: person.siteId, governorate: person.governorate }),
  };
}

export async function listPersons(
  store: Store,
  actor: Actor,
  options: { siteId?: string | undefined; limit: number; after?: string | undefined },
) {
  const conditions = [
    siteFilter(actor, t.persons.siteId),
    options.siteId ? eq(t.persons.siteId, options.siteId) : undefined,
    options.after ? gt(t.persons.id, options.after) : undefined,
  ];
  if (actor.scope.governorates !== "all")
    conditions.push(
      inArray(t.persons.governorate, actor.scope.governorates.length ? actor.scope.governorates : ["--"]),
    );
  const rows = await store.db
    .select()
    .from(t.persons)
    .where(and(...conditions))
    .orderBy(asc(t.persons.id))
    .limit(options.limit);
  const keys = await store.personal.keys();
  return rows.map((row) => shownPerson(openPersonRow(keys, row)));
}

export async function getHandover(store: Store, actor: Actor, id: string) {
  const [sealed] = await store.db.select().from(t.handovers).where(eq(t.handovers.id, id));
  if (!sealed || !inScope(actor.scope, { siteId: sealed.siteId })) notFound("handover");
  const handover = openRow(await store.personal.keys(), "handovers", id, sealed);
  const weapons = await store.db
    .select()
    .from(t.weaponItems)
    .where(eq(t.weaponItems.handoverId, id))
    .orderBy(asc(t.weaponItems.position));
  const ammunition = await store.db
    .select()
    .from(t.ammunitionLots)
    .where(eq(t.ammunitionLots.handoverId, id))
    .orderBy(asc(t.ammunitionLots.position));
  return { ...handover, eligibilityReasons: handover.eligibilityReasons as string[], weapons, ammunition };
}

export async function listWeapons(
  store: Store,
  actor: Actor,
  options: { tag?: string | undefined; serialKey?: string | undefined; limit: number },
) {
  return store.db
    .select()
    .from(t.weaponItems)
    .where(
      and(
        siteFilter(actor, t.weaponItems.siteId),
        options.tag ? eq(t.weaponItems.tag, options.tag) : undefined,
        options.serialKey ? eq(t.weaponItems.serialKey, options.serialKey) : undefined,
      ),
    )
    .orderBy(asc(t.weaponItems.seq), asc(t.weaponItems.position))
    .limit(options.limit);
}

/**
 * Anomalies, newest first, within the reader's scope: a weapon, lot or handover counts where it was
 * handed over (a loose key part where its weapon was), a person where registered, a site as itself; a group's are programme-wide (every
 * staff role reads groups). A subject of any other kind is left out for a scoped reader.
 */
export async function listAnomalies(store: Store, actor: Actor, limit: number) {
  return store.db
    .select()
    .from(t.anomalies)
    .where(anomalyScope(actor))
    .orderBy(desc(t.anomalies.raisedSeq))
    .limit(limit);
}

function anomalyScope(actor: Actor): SQL | undefined {
  const { sites, governorates } = actor.scope;
  if (sites === "all" && governorates === "all") return undefined;
  const inSites = (site: SQL) =>
    sites === "all" ? sql`true` : sites.length ? sql`${site} in ${sites}` : sql`false`;
  const inGovernorates = (governorate: SQL) =>
    governorates === "all"
      ? sql`true`
      : governorates.length
        ? sql`${governorate} in ${governorates}`
        : sql`false`;
  const handoverIn = (handoverId: SQL) => sql`exists (
    select 1 from ${t.handovers} h where h.id = ${handoverId}
      and ${inSites(sql`h.site_id`)} and ${inGovernorates(sql`h.governorate`)})`;
  const subject = sql`${t.anomalies.subjectId}`;
  return sql`case ${t.anomalies.subjectKind}
    when 'handover' then ${handoverIn(sql`${subject}::uuid`)}
    when 'weapon' then exists (select 1 from ${t.weaponItems} w where w.id = ${subject}::uuid and ${handoverIn(sql`w.handover_id`)})
    when 'ammunition' then exists (select 1 from ${t.ammunitionLots} a where a.id = ${subject}::uuid and ${handoverIn(sql`a.handover_id`)})
    when 'key_part' then exists (select 1 from ${t.keyParts} k join ${t.weaponItems} w on w.id = k.weapon_id
      where k.id = ${subject}::uuid and ${handoverIn(sql`w.handover_id`)})
    when 'person' then exists (select 1 from ${t.persons} p where p.id = ${subject}::uuid
      and ${inSites(sql`p.site_id`)} and ${inGovernorates(sql`p.governorate`)})
    when 'site' then exists (select 1 from ${t.sites} s where s.id = ${subject}::uuid
      and ${inSites(sql`s.id`)} and ${inGovernorates(sql`s.governorate`)})
    when 'group' then true
    else false end`;
}

export async function listEvents(store: Store, after: number, limit: number) {
  return store.db
    .select({
      seq: t.events.seq,
      type: t.events.type,
      recordedAt: t.events.recordedAt,
      entry: t.events.entry,
      leafHash: t.events.leafHash,
    })
    .from(t.events)
    .where(gt(t.events.seq, after))
    .orderBy(asc(t.events.seq))
    .limit(limit);
}
