import { and, asc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";

/**
 * The ledger's side of the disposition balance, kept incrementally. Each read parses only the
 * leaves appended since the last one (handovers add items, public corrections change an item's
 * category, kind, unit or quantity, a separated key part adds an item under its weapon's group
 * and governorate), so the balance costs the same whatever the ledger's size.
 *
 * The tally is read from the leaves' text and nothing else: it never looks at the projections,
 * so comparing it with the custody tables stays an independent check. It is a cache of the
 * ledger, not part of the record; `verify` does not compare it, and emptying both tables makes
 * the next read rebuild it from leaf 0.
 */

const PAGE = 2_000;
const TALLIED = ["handover.recorded", "record.corrected", "weapon.part_separated", "custody.received"];

type ItemKind = "weapon" | "ammunition" | "key_part";
type TallyRow = typeof t.ledgerTallyItems.$inferInsert;
/** The fields a public correction may change, by item kind (the leaf's names). */
const correctable: Record<ItemKind, Record<string, "category" | "unit" | "quantity">> = {
  weapon: { category: "category" },
  ammunition: { kind: "category", unit: "unit", quantity: "quantity" },
  // A loose part's corrected name moves it to that name's row of the balance.
  key_part: { part: "category" },
};

interface HandoverLeafData {
  groupId?: string;
  governorate: string;
  weapons?: { itemId: string; category: string; keyPartsApart?: { partId: string; part: string }[] }[];
  ammunition?: { lotId: string; kind: string; unit: string; quantity: number }[];
}

interface PartLeafData {
  partId: string;
  weaponId: string;
  part: string;
}

interface ReceiptLeafData {
  keyPartsApart?: PartLeafData[];
  keyPartsMissing?: PartLeafData[];
}

interface CorrectionLeafData {
  subject?: { kind?: string; id?: string };
  changes?: Record<string, unknown>;
}

const key = (kind: string, id: string) => `${kind}:${id}`;

/** Brings the tally up to the newest committed leaf. Serialised by the row lock on `ledger_tally`. */
export async function catchUpLedgerTally(tx: Tx): Promise<void> {
  await tx.insert(t.ledgerTally).values({ id: 1 }).onConflictDoNothing();
  const [state] = await tx
    .select({ throughSeq: t.ledgerTally.throughSeq })
    .from(t.ledgerTally)
    .where(eq(t.ledgerTally.id, 1))
    .for("update");
  // Read the ledger's size before its leaves: a leaf committed in between is left for the next
  // read, never skipped (leaves commit in index order, under the row lock on ledger_state).
  const [ledger] = await tx.select({ size: t.ledgerState.size }).from(t.ledgerState);
  const last = (ledger?.size ?? 0) - 1;
  let through = state!.throughSeq;
  if (last <= through) return;
  for (;;) {
    const page = await tx
      .select({ seq: t.events.seq, type: t.events.type, entry: t.events.entry })
      .from(t.events)
      .where(and(gt(t.events.seq, through), lte(t.events.seq, last), inArray(t.events.type, TALLIED)))
      .orderBy(asc(t.events.seq))
      .limit(PAGE);
    if (page.length === 0) break;
    await tallyPage(tx, page);
    through = page.at(-1)!.seq;
    if (page.length < PAGE) break;
  }
  // Leaves of other types change nothing; record that every leaf up to `last` was seen.
  await tx.update(t.ledgerTally).set({ throughSeq: last }).where(eq(t.ledgerTally.id, 1));
}

async function tallyPage(tx: Tx, page: { seq: number; type: string; entry: string }[]) {
  // Items first seen on this page, corrected in place; corrections to older items, in leaf order.
  const added = new Map<string, TallyRow>();
  const changed = new Map<string, { kind: ItemKind; id: string; set: Partial<TallyRow> }>();
  for (const event of page) {
    const data = (JSON.parse(event.entry) as { data: unknown }).data;
    if (event.type === "handover.recorded") {
      const h = data as HandoverLeafData;
      const place = { groupKey: h.groupId ?? "none", governorate: h.governorate, handoverSeq: event.seq };
      for (const w of h.weapons ?? []) {
        added.set(key("weapon", w.itemId), {
          itemKind: "weapon",
          itemId: w.itemId,
          category: w.category,
          ...place,
        });
        // Key parts handed in apart count as loose parts from the handover on, where the weapon does.
        for (const p of w.keyPartsApart ?? [])
          added.set(key("key_part", p.partId), {
            itemKind: "key_part",
            itemId: p.partId,
            category: p.part,
            ...place,
          });
      }
      for (const a of h.ammunition ?? [])
        added.set(key("ammunition", a.lotId), {
          itemKind: "ammunition",
          itemId: a.lotId,
          category: a.kind,
          unit: a.unit,
          quantity: a.quantity,
          ...place,
        });
      continue;
    }
    if (event.type === "weapon.part_separated" || event.type === "custody.received") {
      // The part counts where its weapon was collected: the weapon's own tally row, read from an
      // earlier leaf (on this page or before), never from the custody tables. A receipt adds the
      // parts it found off a weapon, apart or missing (those before key parts at receipt, none).
      const r = data as ReceiptLeafData;
      const parts =
        event.type === "weapon.part_separated"
          ? [data as PartLeafData]
          : [...(r.keyPartsApart ?? []), ...(r.keyPartsMissing ?? [])];
      for (const p of parts) {
        const weapon = added.get(key("weapon", p.weaponId)) ?? (await tallied(tx, p.weaponId));
        if (!weapon) continue;
        added.set(key("key_part", p.partId), {
          itemKind: "key_part",
          itemId: p.partId,
          category: p.part,
          groupKey: weapon.groupKey,
          governorate: weapon.governorate,
          handoverSeq: event.seq,
        });
      }
      continue;
    }
    const c = data as CorrectionLeafData;
    const kind = c.subject?.kind as ItemKind | undefined;
    const id = c.subject?.id;
    if (!kind || !Object.hasOwn(correctable, kind) || !id || !c.changes) continue;
    const set: Partial<TallyRow> = {};
    for (const [field, column] of Object.entries(correctable[kind])) {
      const value = c.changes[field];
      if (value === undefined || value === null) continue;
      if (column === "quantity") set.quantity = Number(value);
      else set[column] = String(value);
    }
    if (Object.keys(set).length === 0) continue;
    const fresh = added.get(key(kind, id));
    if (fresh) Object.assign(fresh, set);
    else {
      const earlier = changed.get(key(kind, id));
      changed.set(key(kind, id), { kind, id, set: { ...earlier?.set, ...set } });
    }
  }
  const rows = [...added.values()];
  for (let i = 0; i < rows.length; i += 1_000)
    // A leaf is read once (the tally's row lock), so a conflict would mean the same item id
    // in two handover leaves, which the write path refuses; keep the first, as the ledger does.
    await tx
      .insert(t.ledgerTallyItems)
      .values(rows.slice(i, i + 1_000))
      .onConflictDoNothing();
  for (const { kind, id, set } of changed.values())
    await tx
      .update(t.ledgerTallyItems)
      .set(set)
      .where(and(eq(t.ledgerTallyItems.itemKind, kind), eq(t.ledgerTallyItems.itemId, id)));
}

async function tallied(tx: Tx, weaponId: string) {
  const [row] = await tx
    .select({ groupKey: t.ledgerTallyItems.groupKey, governorate: t.ledgerTallyItems.governorate })
    .from(t.ledgerTallyItems)
    .where(and(eq(t.ledgerTallyItems.itemKind, "weapon"), eq(t.ledgerTallyItems.itemId, weaponId)));
  return row;
}

/** What the ledger says was collected, by kind, category, unit, group and governorate. */
export async function ledgerCollected(tx: Tx) {
  await catchUpLedgerTally(tx);
  return tx
    .select({
      kind: t.ledgerTallyItems.itemKind,
      category: t.ledgerTallyItems.category,
      unit: t.ledgerTallyItems.unit,
      group: t.ledgerTallyItems.groupKey,
      governorate: t.ledgerTallyItems.governorate,
      n: sql<number>`count(*)::int`,
      quantity: sql<string | null>`sum(${t.ledgerTallyItems.quantity})::bigint`,
    })
    .from(t.ledgerTallyItems)
    .groupBy(
      t.ledgerTallyItems.itemKind,
      t.ledgerTallyItems.category,
      t.ledgerTallyItems.unit,
      t.ledgerTallyItems.groupKey,
      t.ledgerTallyItems.governorate,
    );
}
