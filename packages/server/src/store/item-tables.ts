import type { ItemKind } from "@armsledger/core";
import * as t from "./schema.ts";

/**
 * The table of each kind of item the custody chain moves. They share the custody columns
 * (state, holder, location, transfer, flag, custody since), so code that moves items loops over
 * this map rather than naming weapons and lots one by one; a new kind is a new entry here.
 */
export const itemTables = {
  weapon: t.weaponItems,
  ammunition: t.ammunitionLots,
  key_part: t.keyParts,
} as const satisfies Record<ItemKind, unknown>;

export type ItemTable = (typeof itemTables)[ItemKind];

/** What each kind is counted by: a weapon's category, a lot's kind, a key part's name. */
export const itemCategory = {
  weapon: t.weaponItems.category,
  ammunition: t.ammunitionLots.kind,
  key_part: t.keyParts.part,
} as const satisfies Record<ItemKind, unknown>;

export const itemTableEntries = Object.entries(itemTables) as [ItemKind, ItemTable][];
