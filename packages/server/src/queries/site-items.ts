import { type Actor, type ItemKind, type ItemState, inScope, keyPartTag, Problem } from "@armsledger/core";
import { and, asc, eq } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { keyPartOrdinal } from "./key-part-ordinal.ts";

/** One item a site holds, as a keeper picks it for a manifest, a batch or a count. */
export interface HeldItem {
  kind: ItemKind;
  id: string;
  /** The printed tag; a loose key part's is derived from its weapon's (`W…/P1`, as on its label). */
  tag: string | null;
  /** A weapon's category, a lot's kind, a key part's name. */
  category: string;
  serial: string | null;
  state: string;
  flagged: boolean;
  location: unknown;
}

/**
 * The items a site holds in a given state (in custody on its shelves by default), weapons, then
 * ammunition lots, then loose key parts, each by tag. A reader scoped to other sites gets the
 * same 404 as for a site that does not exist, so the answer does not say which sites exist.
 */
export async function listSiteItems(
  store: Store,
  actor: Actor,
  siteId: string,
  filter: { state: ItemState; kind?: ItemKind | undefined },
  limit: number,
): Promise<HeldItem[]> {
  const [site] = await store.db.select({ id: t.sites.id }).from(t.sites).where(eq(t.sites.id, siteId));
  if (!site || !inScope(actor.scope, { siteId }))
    throw new Problem("resource.not-found", "There is no site with this id, or it is outside your scope.");
  const at = (table: { holderSiteId: PgColumn; state: PgColumn }) =>
    and(eq(table.holderSiteId, siteId), eq(table.state, filter.state));
  const wanted = (kind: ItemKind) => filter.kind === undefined || filter.kind === kind;
  const out: HeldItem[] = [];
  if (wanted("weapon")) {
    const w = t.weaponItems;
    const rows = await store.db
      .select({
        id: w.id,
        tag: w.tag,
        category: w.category,
        serial: w.serial,
        state: w.state,
        flagged: w.flagged,
        location: w.location,
      })
      .from(w)
      .where(at(w))
      .orderBy(asc(w.tag))
      .limit(limit);
    out.push(...rows.map((r) => ({ kind: "weapon" as const, ...r })));
  }
  if (wanted("ammunition") && out.length < limit) {
    const a = t.ammunitionLots;
    const rows = await store.db
      .select({
        id: a.id,
        tag: a.tag,
        category: a.kind,
        serial: a.lotMark,
        state: a.state,
        flagged: a.flagged,
        location: a.location,
      })
      .from(a)
      .where(at(a))
      .orderBy(asc(a.tag))
      .limit(limit - out.length);
    out.push(...rows.map((r) => ({ kind: "ammunition" as const, ...r })));
  }
  if (wanted("key_part") && out.length < limit) {
    const k = t.keyParts;
    const rows = await store.db
      .select({
        id: k.id,
        category: k.part,
        serial: k.serial,
        state: k.state,
        flagged: k.flagged,
        location: k.location,
        weaponTag: t.weaponItems.tag,
        ordinal: keyPartOrdinal,
      })
      .from(k)
      .innerJoin(t.weaponItems, eq(t.weaponItems.id, k.weaponId))
      .where(at(k))
      .orderBy(asc(k.separatedSeq), asc(k.id))
      .limit(limit - out.length);
    // A loose part's tag is derived from its weapon's (the one on its label), never stored.
    out.push(
      ...rows.map(({ weaponTag, ordinal, ...r }) => ({
        kind: "key_part" as const,
        tag: keyPartTag(weaponTag, ordinal),
        ...r,
      })),
    );
  }
  return out;
}
