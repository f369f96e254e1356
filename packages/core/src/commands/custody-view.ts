import type { ItemRef } from "../records/custody.ts";

/** A logged removal from a store and which of its items are back. */
export interface StoreAccessRecord {
  id: string;
  siteId: string;
  removedAt: string;
  items: (ItemRef & { returned: boolean })[];
}

/** A stock check as the rules need it: the sample drawn and the stock expected when it started. */
export interface StockCheckRecord {
  id: string;
  siteId: string;
  kind: string;
  status: "open" | "completed";
  startedAt: string;
  /** Expected items on the shelves, by type: `${kind}:${category}` → count. */
  expectedCounts: Record<string, number>;
  sample: ItemRef[];
}

/** An item held at a site (in the store or taken out of it), for a stock check's snapshot. */
export interface HeldItem extends ItemRef {
  category: string;
  state: "in_custody" | "out_of_store";
}

/** A key part separated from a weapon, as the rules need it. */
export interface KeyPartRecord {
  id: string;
  weaponId: string;
  part: string;
  state: string;
}

/** A loss investigation, opened by a stock check or a missing item at receipt. */
export interface InvestigationRecord {
  id: string;
  siteId: string;
  origin: "stock_check" | "discrepancy";
  originId: string;
  reason: string;
  item?: ItemRef | undefined;
  status: "open" | "under_investigation" | "closed";
  openedAt: string;
}

/** A difference found at receipt. */
export interface DiscrepancyRecord {
  id: string;
  transferId: string;
  toSiteId: string;
  kind: string;
  status: "open" | "resolved";
}

/** A cache report as the rules need it. */
export interface CacheRecord {
  id: string;
  governorate: string;
  status: "reported" | "verified" | "cleared" | "residue_handed_over";
  reportedAt: string;
  verifiedAt?: string | undefined;
  /** The armed group the cache is attributed to: its extracted items count under that group. */
  groupId?: string | undefined;
}

/**
 * What the custody rules read beyond the items' states: store access, stock checks and loss
 * investigations. Part of `RecordView`; the store answers it with SQL, tests from memory.
 */
export interface CustodyView {
  findStoreAccess(id: string): Promise<StoreAccessRecord | undefined>;
  findStockCheck(id: string): Promise<StockCheckRecord | undefined>;
  /** The stock check under way at a site, if one was started and not yet recorded. */
  openStockCheck(siteId: string): Promise<{ id: string; startedAt: string } | undefined>;
  /** Every item a site holds in custody or has out of its store. */
  itemsHeldAt(siteId: string): Promise<HeldItem[]>;
  /** The tag and serial recorded for weapons (unknown ids are absent). */
  findWeaponMarks(ids: string[]): Promise<{ id: string; tag: string; serial: string | null }[]>;
  /** The derived tag (`W…/P1`) and own serial of loose key parts (unknown ids are absent). */
  findKeyPartMarks(ids: string[]): Promise<{ id: string; tag: string; serial: string | null }[]>;
  /** When each item's holder took it into custody (handover, receipt, return, found); absent if unknown. */
  custodySince(refs: readonly ItemRef[]): Promise<(ItemRef & { since: string })[]>;
  findInvestigation(id: string): Promise<InvestigationRecord | undefined>;
  findDiscrepancy(id: string): Promise<DiscrepancyRecord | undefined>;
  findCache(id: string): Promise<CacheRecord | undefined>;
  /** The key parts ever separated from these weapons, whatever became of them. */
  findKeyParts(weaponIds: readonly string[]): Promise<KeyPartRecord[]>;
  /** One key part by its own id (absent when there is none). */
  findKeyPart(partId: string): Promise<KeyPartRecord | undefined>;
  /** The key parts these weapons were handed in without (their handover's `keyPartsMissing`). */
  keyPartsMissingAtHandover(weaponIds: readonly string[]): Promise<{ weaponId: string; part: string }[]>;
}
