import type {
  PaymentConfirmationInput,
  PaymentListDispatchInput,
  PaymentRecordInput,
  PaymentScheduleInput,
  PayoutAccountInput,
} from "@armsledger/core";
import { eq, inArray } from "drizzle-orm";
import { payoutAccountKey, sealRow } from "../crypto/personal-columns.ts";
import * as t from "../store/schema.ts";
import { type Projector, touch } from "./recorded-event.ts";

// Stipend payments. A list can hold tens of thousands of lines: rows go in by chunks, well under
// PostgreSQL's limit of parameters per statement.
const CHUNK = 1000;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

export const paymentScheduleSet: Projector = async (tx, e) => {
  const d = e.data as unknown as PaymentScheduleInput;
  const row = {
    name: d.name,
    amountMinor: d.amount.minor,
    currency: d.amount.currency,
    periodLength: d.periodLength,
    firstPeriod: d.firstPeriod,
    lastPeriod: d.lastPeriod,
    channel: d.channel,
    setSeq: e.seq,
  };
  await tx
    .insert(t.paymentSchedules)
    .values({ id: d.scheduleId, ...row })
    .onConflictDoUpdate({ target: t.paymentSchedules.id, set: row });
  await touch(tx, e.seq, [{ kind: "payment_schedule", id: d.scheduleId }]);
};

export const payoutAccountSet: Projector = async (tx, e, keys) => {
  const d = e.data as unknown as PayoutAccountInput;
  const row = sealRow(keys, "payout_accounts", payoutAccountKey(d.personId, d.channel), {
    account: d.account,
    holder: d.holder ?? null,
    setSeq: e.seq,
  });
  await tx
    .insert(t.payoutAccounts)
    .values({ personId: d.personId, channel: d.channel, ...row })
    .onConflictDoUpdate({ target: [t.payoutAccounts.personId, t.payoutAccounts.channel], set: row });
  await touch(tx, e.seq, [{ kind: "person", id: d.personId }]);
};

interface PreparedList {
  listId: string;
  scheduleId: string;
  period: string;
  channel: string;
  currency: string;
  lineCount: number;
  totalMinor: number;
  exceptionCount: number;
  lines: { reference: string; personId: string; amountMinor: number; account: string; holder?: string }[];
  exceptions: { personId: string; reasons: string[] }[];
}

export const paymentListPrepared: Projector = async (tx, e, keys) => {
  const d = e.data as unknown as PreparedList;
  await tx.insert(t.paymentLists).values({
    id: d.listId,
    scheduleId: d.scheduleId,
    period: d.period,
    channel: d.channel,
    currency: d.currency,
    status: "listed",
    lineCount: d.lineCount,
    totalMinor: d.totalMinor,
    exceptionCount: d.exceptionCount,
    preparedSeq: e.seq,
  });
  for (const part of chunks(d.lines))
    await tx.insert(t.paymentLines).values(
      part.map((l) =>
        sealRow(keys, "payment_lines", l.reference, {
          reference: l.reference,
          listId: d.listId,
          scheduleId: d.scheduleId,
          period: d.period,
          personId: l.personId,
          amountMinor: l.amountMinor,
          currency: d.currency,
          channel: d.channel,
          account: l.account,
          holder: l.holder ?? null,
          status: "listed",
          createdSeq: e.seq,
        }),
      ),
    );
  for (const part of chunks(d.exceptions))
    await tx
      .insert(t.paymentExceptions)
      .values(part.map((x) => ({ listId: d.listId, personId: x.personId, reasons: x.reasons })));
  await touch(tx, e.seq, [
    { kind: "payment_list", id: d.listId },
    { kind: "payment_schedule", id: d.scheduleId },
  ]);
  for (const part of chunks(d.lines))
    await touch(
      tx,
      e.seq,
      part.map((l) => ({ kind: "person", id: l.personId })),
    );
};

export const paymentListSent: Projector = async (tx, e) => {
  const d = e.data as unknown as PaymentListDispatchInput;
  await tx
    .update(t.paymentLists)
    .set({ status: "sent", sentAt: d.sentAt, sentSeq: e.seq, sentFileSha256: d.fileSha256 ?? null })
    .where(eq(t.paymentLists.id, d.listId));
  await tx.update(t.paymentLines).set({ status: "sent" }).where(eq(t.paymentLines.listId, d.listId));
  await touch(tx, e.seq, [{ kind: "payment_list", id: d.listId }]);
};

export const paymentRecorded: Projector = async (tx, e) => {
  const d = e.data as unknown as PaymentRecordInput & {
    reference: string;
    amountMinor: number;
    currency: string;
  };
  await tx.insert(t.paymentLines).values({
    reference: d.reference,
    listId: null,
    scheduleId: d.scheduleId,
    period: d.period,
    personId: d.personId,
    amountMinor: d.amountMinor,
    currency: d.currency,
    channel: d.channel,
    status: "paid",
    paidOn: d.paidOn,
    createdSeq: e.seq,
  });
  await touch(tx, e.seq, [
    { kind: "person", id: d.personId },
    { kind: "payment_schedule", id: d.scheduleId },
  ]);
};

export const paymentConfirmed: Projector = async (tx, e) => {
  const d = e.data as unknown as Pick<PaymentConfirmationInput, "fileName" | "fileSha256" | "receivedAt"> & {
    listIds: string[];
    paidCount: number;
    failedCount: number;
    lines: { reference: string; status: "paid" | "failed"; date: string }[];
  };
  for (const status of ["paid", "failed"] as const)
    for (const byDate of groupByDate(d.lines.filter((l) => l.status === status)))
      for (const part of chunks(byDate.references))
        await tx
          .update(t.paymentLines)
          .set({
            status,
            confirmedOn: byDate.date,
            confirmedSeq: e.seq,
            ...(status === "paid" ? { paidOn: byDate.date } : {}),
          })
          .where(inArray(t.paymentLines.reference, part));
  // The rules accept a file only when it accounts for every line of the lists it speaks of.
  if (d.listIds.length > 0)
    await tx
      .update(t.paymentLists)
      .set({ status: "reconciled", reconciledSeq: e.seq })
      .where(inArray(t.paymentLists.id, d.listIds));
  await tx.insert(t.paymentConfirmations).values({
    seq: e.seq,
    fileName: d.fileName,
    fileSha256: d.fileSha256,
    receivedAt: d.receivedAt,
    paidCount: d.paidCount,
    failedCount: d.failedCount,
  });
  await touch(
    tx,
    e.seq,
    d.listIds.map((id) => ({ kind: "payment_list", id })),
  );
};

function groupByDate(lines: { reference: string; date: string }[]) {
  const by = new Map<string, string[]>();
  for (const l of lines) {
    const refs = by.get(l.date) ?? [];
    refs.push(l.reference);
    by.set(l.date, refs);
  }
  return [...by].map(([date, references]) => ({ date, references }));
}
