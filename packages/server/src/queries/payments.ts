import { formatMinorUnits, Problem } from "@armsledger/core";
import { and, asc, count, desc, eq, inArray, sql, sum } from "drizzle-orm";
import { sha256Hex } from "../crypto/index.ts";
import { openPersonRow, openRow } from "../crypto/personal-columns.ts";
import { type TableCell, type TableFormat, tableContentTypes, tableFile } from "../documents/table-file.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

const iso = (s: string | null) => (s ? new Date(s).toISOString() : null);

/** Payment schedules, by first period. */
export async function listPaymentSchedules(store: Store) {
  return store.db.select().from(t.paymentSchedules).orderBy(asc(t.paymentSchedules.firstPeriod));
}

/** Payment lists, newest first, optionally of one schedule or period. */
export async function listPaymentLists(
  store: Store,
  filter: { scheduleId?: string | undefined; period?: string | undefined },
  limit: number,
) {
  const rows = await store.db
    .select()
    .from(t.paymentLists)
    .where(
      and(
        filter.scheduleId ? eq(t.paymentLists.scheduleId, filter.scheduleId) : undefined,
        filter.period ? eq(t.paymentLists.period, filter.period) : undefined,
      ),
    )
    .orderBy(desc(t.paymentLists.preparedSeq))
    .limit(limit);
  return rows.map((r) => ({ ...r, sentAt: iso(r.sentAt) }));
}

async function getList(store: Store, id: string) {
  const [list] = await store.db.select().from(t.paymentLists).where(eq(t.paymentLists.id, id));
  if (!list) throw new Problem("resource.not-found", "There is no payment list with this id.");
  return list;
}

type StoredName = { arabic?: Record<string, string>; latin?: Record<string, string> };
const nameText = (chain: Record<string, string> | undefined) =>
  chain ? [chain.given, chain.father, chain.grandfather, chain.family].filter(Boolean).join(" ") : "";

/** One list with its lines and the people it left out (personal: names, accounts). */
export async function getPaymentList(store: Store, id: string) {
  const list = await getList(store, id);
  const sealedLines = await store.db
    .select({
      reference: t.paymentLines.reference,
      personId: t.paymentLines.personId,
      amountMinor: t.paymentLines.amountMinor,
      account: t.paymentLines.account,
      status: t.paymentLines.status,
      confirmedOn: t.paymentLines.confirmedOn,
    })
    .from(t.paymentLines)
    .where(eq(t.paymentLines.listId, id))
    .orderBy(asc(t.paymentLines.createdSeq), asc(t.paymentLines.reference));
  const keys = await store.personal.keys();
  const lines = sealedLines.map((l) => openRow(keys, "payment_lines", l.reference, l));
  const exceptions = await store.db
    .select({ personId: t.paymentExceptions.personId, reasons: t.paymentExceptions.reasons })
    .from(t.paymentExceptions)
    .where(eq(t.paymentExceptions.listId, id))
    .orderBy(asc(t.paymentExceptions.personId));
  return {
    ...list,
    sentAt: iso(list.sentAt),
    lines,
    exceptions: exceptions.map((e) => ({ personId: e.personId, reasons: e.reasons as string[] })),
  };
}

/** The columns of a payment list file, in the order the provider reads them. Never the group's name. */
export const paymentListColumns = [
  "reference",
  "payee_name",
  "payee_name_ar",
  "national_id",
  "channel",
  "account",
  "amount",
  "currency",
  "period",
  "schedule",
] as const;

export interface PaymentListFile {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
  sha256: string;
  lines: number;
  /** Whose records the file carries: the caller logs the export as a read of each (read-audit.ts). */
  personIds: string[];
}

/**
 * A payment list as the file the bank or mobile-money provider takes (CSV or XLSX): one line per
 * payment with its reference, which the provider's confirmation file must echo back. The amount
 * is written in major units with the currency's decimals ("150000" IQD, "12.50" USD).
 */
export async function paymentListFile(
  store: Store,
  id: string,
  format: TableFormat,
): Promise<PaymentListFile> {
  const list = await getList(store, id);
  const [schedule] = await store.db
    .select({ name: t.paymentSchedules.name })
    .from(t.paymentSchedules)
    .where(eq(t.paymentSchedules.id, list.scheduleId));
  const rows = await store.db
    .select({
      reference: t.paymentLines.reference,
      personId: t.paymentLines.personId,
      holder: t.paymentLines.holder,
      name: t.persons.name,
      nationalId: t.persons.nationalId,
      channel: t.paymentLines.channel,
      account: t.paymentLines.account,
      amountMinor: t.paymentLines.amountMinor,
      currency: t.paymentLines.currency,
      period: t.paymentLines.period,
    })
    .from(t.paymentLines)
    .innerJoin(t.persons, eq(t.persons.id, t.paymentLines.personId))
    .where(eq(t.paymentLines.listId, id))
    .orderBy(asc(t.paymentLines.createdSeq), asc(t.paymentLines.reference));
  const keys = await store.personal.keys();
  const cells: TableCell[][] = rows.map((sealed) => {
    const r = openPersonRow(keys, {
      ...openRow(keys, "payment_lines", sealed.reference, sealed),
      id: sealed.personId,
    });
    const name = r.name as StoredName;
    return [
      r.reference,
      r.holder ?? nameText(name.latin),
      nameText(name.arabic),
      r.nationalId,
      r.channel,
      r.account,
      formatMinorUnits(r.amountMinor, r.currency),
      r.currency,
      r.period,
      schedule?.name ?? "",
    ];
  });
  const bytes = await tableFile(format, paymentListColumns, cells, `payments ${list.period}`);
  return {
    fileName: `payment-list-${list.period}-${list.id.slice(0, 8)}.${format}`,
    contentType: tableContentTypes[format],
    bytes,
    sha256: sha256Hex(bytes),
    lines: rows.length,
    personIds: rows.map((r) => r.personId),
  };
}

const breakdowns = {
  group: t.persons.groupId,
  governorate: t.persons.governorate,
  sex: t.persons.sex,
  ageGroup: t.persons.ageGroup,
} as const;

/**
 * Payments by schedule and period: lines listed, sent, paid (with the total), failed; the people
 * the latest run of the period left out, by reason; and what was paid by group, governorate, sex
 * and age group. Aggregates only: no one is named.
 */
export async function paymentsReport(
  store: Store,
  filter: { period?: string | undefined; scheduleId?: string | undefined },
) {
  const where = and(
    filter.period ? eq(t.paymentLines.period, filter.period) : undefined,
    filter.scheduleId ? eq(t.paymentLines.scheduleId, filter.scheduleId) : undefined,
  );
  const byStatus = await store.db
    .select({
      scheduleId: t.paymentLines.scheduleId,
      period: t.paymentLines.period,
      currency: t.paymentLines.currency,
      status: t.paymentLines.status,
      n: count(),
      total: sum(t.paymentLines.amountMinor).mapWith(Number),
    })
    .from(t.paymentLines)
    .where(where)
    .groupBy(
      t.paymentLines.scheduleId,
      t.paymentLines.period,
      t.paymentLines.currency,
      t.paymentLines.status,
    );
  const schedules = new Map((await listPaymentSchedules(store)).map((s) => [s.id, s.name]));
  type Row = {
    scheduleId: string;
    schedule: string;
    period: string;
    currency: string;
    listed: number;
    sent: number;
    paid: number;
    paidTotalMinor: number;
    failed: number;
    exceptions: Record<string, number>;
    paidBy: Record<keyof typeof breakdowns, { key: string | null; count: number; totalMinor: number }[]>;
  };
  const rows = new Map<string, Row>();
  const rowOf = (scheduleId: string, period: string, currency: string) => {
    const key = `${scheduleId}|${period}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        scheduleId,
        schedule: schedules.get(scheduleId) ?? "",
        period,
        currency,
        listed: 0,
        sent: 0,
        paid: 0,
        paidTotalMinor: 0,
        failed: 0,
        exceptions: {},
        paidBy: { group: [], governorate: [], sex: [], ageGroup: [] },
      };
      rows.set(key, row);
    }
    return row;
  };
  for (const r of byStatus) {
    const row = rowOf(r.scheduleId, r.period, r.currency);
    if (r.status === "listed") row.listed += r.n;
    if (r.status === "sent") row.sent += r.n;
    if (r.status === "failed") row.failed += r.n;
    if (r.status === "paid") {
      row.paid += r.n;
      row.paidTotalMinor += r.total;
    }
  }
  // Exceptions: the latest list of each schedule and period says who is still left out.
  const latest = await store.db
    .selectDistinctOn([t.paymentLists.scheduleId, t.paymentLists.period], {
      id: t.paymentLists.id,
      scheduleId: t.paymentLists.scheduleId,
      period: t.paymentLists.period,
      currency: t.paymentLists.currency,
    })
    .from(t.paymentLists)
    .where(
      and(
        filter.period ? eq(t.paymentLists.period, filter.period) : undefined,
        filter.scheduleId ? eq(t.paymentLists.scheduleId, filter.scheduleId) : undefined,
      ),
    )
    .orderBy(t.paymentLists.scheduleId, t.paymentLists.period, desc(t.paymentLists.preparedSeq));
  if (latest.length > 0) {
    const reasons = await store.db
      .select({
        listId: t.paymentExceptions.listId,
        reason: sql<string>`jsonb_array_elements_text(${t.paymentExceptions.reasons})`.as("reason"),
      })
      .from(t.paymentExceptions)
      .where(
        inArray(
          t.paymentExceptions.listId,
          latest.map((l) => l.id),
        ),
      );
    const listOf = new Map(latest.map((l) => [l.id, l]));
    for (const r of reasons) {
      const l = listOf.get(r.listId)!;
      const row = rowOf(l.scheduleId, l.period, l.currency);
      row.exceptions[r.reason] = (row.exceptions[r.reason] ?? 0) + 1;
    }
  }
  for (const [name, column] of Object.entries(breakdowns) as [
    keyof typeof breakdowns,
    typeof t.persons.sex,
  ][]) {
    const paid = await store.db
      .select({
        scheduleId: t.paymentLines.scheduleId,
        period: t.paymentLines.period,
        key: column,
        n: count(),
        total: sum(t.paymentLines.amountMinor).mapWith(Number),
      })
      .from(t.paymentLines)
      .innerJoin(t.persons, eq(t.persons.id, t.paymentLines.personId))
      .where(and(where, eq(t.paymentLines.status, "paid")))
      .groupBy(t.paymentLines.scheduleId, t.paymentLines.period, column)
      .orderBy(column);
    for (const p of paid)
      rows
        .get(`${p.scheduleId}|${p.period}`)
        ?.paidBy[name].push({ key: p.key, count: p.n, totalMinor: p.total });
  }
  return [...rows.values()].sort(
    (a, b) => a.period.localeCompare(b.period) || a.schedule.localeCompare(b.schedule),
  );
}
