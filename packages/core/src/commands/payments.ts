import { Problem, type ProblemField } from "../problems.ts";
import {
  paymentConfirmation,
  paymentListDispatch,
  paymentListPreparation,
  paymentRecord,
  paymentSchedule,
  payoutAccount,
} from "../records/payment.ts";
import { formatMinorUnits, periodWithin, toMinorUnits } from "../rules/money.ts";
import { assertGoodStanding, standingBlockers } from "../rules/person-standing.ts";
import { defineCommand, type RecordView } from "./command.ts";
import type { PaymentScheduleRecord } from "./payment-view.ts";

// Reinsertion stipends: past programmes paid ghosts, the dead and the same fighter twice. Every
// payment asks the person's standing first, and a person is paid at most once per schedule and
// period (the rules below, and a unique index on the store's payment lines behind them).

/** Why a person was left off a payment list (besides the standing blockers). */
export type PaymentExclusion = "no_payout_account" | "already_paid" | "already_listed";

async function getSchedule(view: RecordView, id: string, path = "payload.scheduleId") {
  const schedule = await view.findPaymentSchedule(id);
  if (!schedule)
    throw new Problem("reference.unknown", "There is no payment schedule with this id.", [
      { path, message: "unknown schedule" },
    ]);
  return schedule;
}

function assertPeriodOf(schedule: PaymentScheduleRecord, period: string) {
  if (!periodWithin(period, schedule.firstPeriod, schedule.lastPeriod))
    throw new Problem(
      "rule.violated",
      `The schedule "${schedule.name}" pays from ${schedule.firstPeriod} to ${schedule.lastPeriod}; ${period} is outside it.`,
      [{ path: "payload.period", message: "outside the schedule" }],
    );
}

export const setPaymentSchedule = defineCommand({
  type: "payment.schedule_set",
  event: "payment.schedule_set",
  payload: paymentSchedule,
  action: "payment.schedule_set",
  target: async () => undefined,
  async decide(payload, view, env) {
    const existing = await view.findPaymentSchedule(payload.scheduleId);
    // Lists already prepared carry their own amounts; changing the currency or channel under them
    // would make the next list incomparable with the last.
    if (existing && (existing.currency !== payload.amount.currency || existing.channel !== payload.channel))
      throw new Problem(
        "rule.violated",
        "A schedule's currency and channel cannot change: set up a new schedule instead.",
        [
          {
            path:
              existing.currency !== payload.amount.currency ? "payload.amount.currency" : "payload.channel",
            message: "cannot change",
          },
        ],
      );
    return {
      type: "payment.schedule_set",
      subjects: [{ kind: "payment_schedule", id: payload.scheduleId }],
      data: { ...payload, setBy: env.actor.userId },
    };
  },
});

export const setPayoutAccount = defineCommand({
  type: "payment.account_set",
  event: "payment.account_set",
  payload: payoutAccount,
  action: "payment.account_set",
  target: (payload, view) => view.findRecordPlace({ kind: "person", id: payload.personId }),
  async decide(payload, view, env) {
    if (!(await view.findPerson(payload.personId)))
      throw new Problem("reference.unknown", "There is no person with this id.", [
        { path: "payload.personId", message: "unknown person" },
      ]);
    return {
      type: "payment.account_set",
      subjects: [{ kind: "person", id: payload.personId }],
      data: { ...payload, setBy: env.actor.userId },
    };
  },
});

/** A line's reference for the provider to echo back: the period, the list's leaf and the line. */
export function paymentReference(period: string, seq: number, line: number): string {
  return `PAY-${period.replace("-", "")}-${seq}-${line}`;
}

export const preparePaymentList = defineCommand({
  type: "payment.list_prepare",
  event: "payment.list_prepared",
  payload: paymentListPreparation,
  action: "payment.list_prepare",
  target: async () => undefined,
  async decide(payload, view, env) {
    const schedule = await getSchedule(view, payload.scheduleId);
    assertPeriodOf(schedule, payload.period);
    const listId = payload.listId ?? env.newId();
    if (await view.findPaymentList(listId))
      throw new Problem("rule.violated", "A payment list with this id exists already.", [
        { path: "payload.listId", message: "id in use" },
      ]);
    const candidates = await view.paymentCandidates(schedule.id, payload.period, schedule.channel);
    const lines: {
      reference: string;
      personId: string;
      amountMinor: number;
      account: string;
      holder?: string | undefined;
    }[] = [];
    // Everyone left out is reported with every reason: an exception is never dropped silently.
    const exceptions: { personId: string; reasons: string[] }[] = [];
    for (const c of [...candidates].sort((a, b) => a.personId.localeCompare(b.personId))) {
      const reasons: string[] = [
        ...(c.payment === "paid" ? ["already_paid"] : c.payment === "open" ? ["already_listed"] : []),
        ...standingBlockers(c),
        ...(c.account ? [] : ["no_payout_account"]),
      ];
      if (reasons.length > 0) exceptions.push({ personId: c.personId, reasons });
      else
        lines.push({
          reference: paymentReference(payload.period, env.seq, lines.length + 1),
          personId: c.personId,
          amountMinor: schedule.amountMinor,
          account: c.account!.account,
          ...(c.account!.holder ? { holder: c.account!.holder } : {}),
        });
    }
    if (lines.length === 0)
      throw new Problem(
        "rule.violated",
        `No one is entitled to a payment of "${schedule.name}" for ${payload.period}: ${exceptions.length} person(s) left out (${summarise(exceptions)}). Nothing was recorded.`,
        [{ path: "payload.period", message: "no one to pay" }],
      );
    const exceptionCounts: Record<string, number> = {};
    for (const e of exceptions) for (const r of e.reasons) exceptionCounts[r] = (exceptionCounts[r] ?? 0) + 1;
    return {
      type: "payment.list_prepared",
      subjects: [
        { kind: "payment_list", id: listId },
        { kind: "payment_schedule", id: schedule.id },
      ],
      data: {
        listId,
        scheduleId: schedule.id,
        period: payload.period,
        channel: schedule.channel,
        currency: schedule.currency,
        lineCount: lines.length,
        totalMinor: lines.length * schedule.amountMinor,
        exceptionCount: exceptions.length,
        exceptionCounts,
        lines,
        exceptions,
        preparedBy: env.actor.userId,
      },
    };
  },
});

function summarise(exceptions: { reasons: string[] }[]): string {
  const counts = new Map<string, number>();
  for (const e of exceptions) for (const r of e.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${r.replaceAll("_", " ")}: ${n}`).join(", ") || "nobody registered";
}

async function getList(view: RecordView, id: string) {
  const list = await view.findPaymentList(id);
  if (!list)
    throw new Problem("reference.unknown", "There is no payment list with this id.", [
      { path: "payload.listId", message: "unknown list" },
    ]);
  return list;
}

export const sendPaymentList = defineCommand({
  type: "payment.list_send",
  event: "payment.list_sent",
  payload: paymentListDispatch,
  action: "payment.list_send",
  target: async () => undefined,
  async decide(payload, view, env) {
    const list = await getList(view, payload.listId);
    if (list.status !== "listed")
      throw new Problem("rule.violated", `This payment list was already ${list.status}.`, [
        { path: "payload.listId", message: list.status },
      ]);
    if (Date.parse(payload.sentAt) > Date.parse(env.now))
      throw new Problem("rule.violated", "The time is in the future; check the device's clock.", [
        { path: "payload.sentAt", message: "in the future" },
      ]);
    return {
      type: "payment.list_sent",
      subjects: [{ kind: "payment_list", id: list.id }],
      data: { ...payload, scheduleId: list.scheduleId, period: list.period, sentBy: env.actor.userId },
    };
  },
});

export const recordPayment = defineCommand({
  type: "payment.record",
  event: "payment.recorded",
  payload: paymentRecord,
  action: "payment.record",
  target: (payload, view) => view.findRecordPlace({ kind: "person", id: payload.personId }),
  async decide(payload, view, env) {
    const schedule = await getSchedule(view, payload.scheduleId);
    assertPeriodOf(schedule, payload.period);
    const person = await view.findPerson(payload.personId);
    if (!person)
      throw new Problem("reference.unknown", "There is no person with this id.", [
        { path: "payload.personId", message: "unknown person" },
      ]);
    assertGoodStanding(person, "a payment", "payload.personId");
    const state = await view.paymentState(person.id, schedule.id, payload.period);
    if (state)
      throw new Problem(
        "rule.violated",
        state === "paid"
          ? `This person was already paid "${schedule.name}" for ${payload.period}: a period is paid once.`
          : `This person is on a payment list for "${schedule.name}" ${payload.period} awaiting the provider's confirmation: reconcile that list first (a failed line can then be paid).`,
        [{ path: "payload.personId", message: state === "paid" ? "already_paid" : "already_listed" }],
      );
    if (payload.paidOn > env.now.slice(0, 10))
      throw new Problem("rule.violated", "The payment date is in the future; check it.", [
        { path: "payload.paidOn", message: "in the future" },
      ]);
    const reference = payload.reference ?? paymentReference(payload.period, env.seq, 1);
    if ((await view.findPaymentLines([reference])).length > 0)
      throw new Problem("rule.violated", `The reference ${reference} is already used by another payment.`, [
        { path: "payload.reference", message: "in use" },
      ]);
    return {
      type: "payment.recorded",
      subjects: [
        { kind: "person", id: person.id },
        { kind: "payment_schedule", id: schedule.id },
      ],
      data: {
        ...payload,
        reference,
        amountMinor: schedule.amountMinor,
        currency: schedule.currency,
        recordedBy: env.actor.userId,
      },
    };
  },
});

/** What is wrong with one line of a confirmation file; the file is refused if any line has one. */
export type ConfirmationMismatch =
  | "unknown_reference"
  | "amount_differs"
  | "bad_amount"
  | "bad_date"
  | "duplicate_line"
  | "list_not_sent"
  | "already_confirmed"
  | "missing_line";

export const confirmPayments = defineCommand({
  type: "payment.confirm",
  event: "payment.confirmed",
  payload: paymentConfirmation,
  action: "payment.confirm",
  target: async () => undefined,
  async decide(payload, view, env) {
    const known = new Map(
      (await view.findPaymentLines([...new Set(payload.lines.map((l) => l.reference))])).map((l) => [
        l.reference,
        l,
      ]),
    );
    const problems: ProblemField[] = [];
    const mismatch = (index: number, kind: ConfirmationMismatch, detail: string) =>
      problems.push({
        path: `payload.lines.${index}`,
        message: `line ${payload.lines[index]!.line}: ${kind}: ${detail}`,
      });
    const seen = new Map<string, number>();
    const lists = new Set<string>();
    const confirmed: {
      reference: string;
      listId?: string | undefined;
      status: "paid" | "failed";
      date: string;
      amountMinor: number;
      currency: string;
    }[] = [];
    for (const [i, l] of payload.lines.entries()) {
      const first = seen.get(l.reference);
      if (first !== undefined) {
        mismatch(i, "duplicate_line", `${l.reference} is also on line ${first}`);
        continue;
      }
      seen.set(l.reference, l.line);
      const line = known.get(l.reference);
      if (!line) {
        mismatch(i, "unknown_reference", `no payment has the reference ${l.reference}`);
        continue;
      }
      if (!line.listId || line.status === "paid" || line.status === "failed") {
        mismatch(i, "already_confirmed", `${l.reference} is already recorded as ${line.status}`);
        continue;
      }
      if (line.listStatus === "listed") {
        mismatch(i, "list_not_sent", `${l.reference} is on a list that was never sent to the provider`);
        continue;
      }
      lists.add(line.listId);
      const amount = toMinorUnits(l.amount, line.currency);
      if (amount === undefined) {
        mismatch(i, "bad_amount", `"${l.amount}" is not an amount in ${line.currency}`);
        continue;
      }
      if (amount !== line.amountMinor) {
        mismatch(
          i,
          "amount_differs",
          `${l.reference} was sent for ${formatMinorUnits(line.amountMinor, line.currency)} ${line.currency}, the file says ${l.amount}`,
        );
        continue;
      }
      if (l.date > env.now.slice(0, 10)) {
        mismatch(i, "bad_date", `the date ${l.date} is in the future`);
        continue;
      }
      confirmed.push({
        reference: l.reference,
        listId: line.listId,
        status: l.status,
        date: l.date,
        amountMinor: amount,
        currency: line.currency,
      });
    }
    // Every line sent on a list the file speaks of must be accounted for: a line the provider
    // leaves out is neither paid nor failed, and guessing either would be wrong.
    for (const open of await view.openPaymentLines([...lists]))
      if (!seen.has(open.reference))
        problems.push({
          path: "payload.lines",
          message: `missing_line: ${open.reference} (list ${open.listId}) is not in the file`,
        });
    if (problems.length > 0)
      throw new Problem(
        "rule.violated",
        `The confirmation file does not match what was sent: ${problems.length} problem(s), each listed by line. Nothing was recorded; correct the file or ask the provider.`,
        problems,
      );
    const paid = confirmed.filter((c) => c.status === "paid");
    // By currency: two schedules may pay in different ones, and their sum would mean nothing.
    const paidTotals: Record<string, number> = {};
    for (const c of paid) paidTotals[c.currency] = (paidTotals[c.currency] ?? 0) + c.amountMinor;
    return {
      type: "payment.confirmed",
      subjects: [...lists].sort().map((id) => ({ kind: "payment_list" as const, id })),
      data: {
        fileName: payload.fileName,
        fileSha256: payload.fileSha256,
        receivedAt: payload.receivedAt,
        listIds: [...lists].sort(),
        paidCount: paid.length,
        failedCount: confirmed.length - paid.length,
        paidTotals,
        lines: confirmed,
        notes: payload.lines.filter((l) => l.note).map((l) => ({ reference: l.reference, note: l.note })),
        confirmedBy: env.actor.userId,
      },
    };
  },
});
