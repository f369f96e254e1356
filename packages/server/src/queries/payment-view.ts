import type {
  DuplicateReviewState,
  PaymentChannel,
  PaymentLineStatus,
  PaymentListStatus,
  PaymentView,
} from "@armsledger/core";
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { FieldKeys } from "../crypto/field-keys.ts";
import { openRow, payoutAccountKey } from "../crypto/personal-columns.ts";
import type { Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";

/** The payment rules' window on schedules, accounts, lists and lines (part of the record view). */
export function sqlPaymentView(tx: Tx, keys: FieldKeys): PaymentView {
  return {
    async findPaymentSchedule(id) {
      const [s] = await tx.select().from(t.paymentSchedules).where(eq(t.paymentSchedules.id, id));
      return (
        s && {
          id: s.id,
          name: s.name,
          amountMinor: s.amountMinor,
          currency: s.currency,
          firstPeriod: s.firstPeriod,
          lastPeriod: s.lastPeriod,
          channel: s.channel as PaymentChannel,
        }
      );
    },
    async findPaymentList(id) {
      const [l] = await tx
        .select({
          id: t.paymentLists.id,
          scheduleId: t.paymentLists.scheduleId,
          period: t.paymentLists.period,
          status: t.paymentLists.status,
        })
        .from(t.paymentLists)
        .where(eq(t.paymentLists.id, id));
      return l && { ...l, status: l.status as PaymentListStatus };
    },
    async paymentCandidates(scheduleId, period, channel) {
      // One pass over persons: the account for the channel, and the best state of any line for
      // the period (paid before open; failed lines count as nothing).
      const state = tx
        .select({
          personId: t.paymentLines.personId,
          paid: sql<boolean>`bool_or(${t.paymentLines.status} = 'paid')`.as("paid"),
        })
        .from(t.paymentLines)
        .where(
          and(
            eq(t.paymentLines.scheduleId, scheduleId),
            eq(t.paymentLines.period, period),
            ne(t.paymentLines.status, "failed"),
          ),
        )
        .groupBy(t.paymentLines.personId)
        .as("state");
      const rows = await tx
        .select({
          personId: t.persons.id,
          eligible: t.persons.eligible,
          eligibilityRevoked: t.persons.eligibilityRevoked,
          deceasedOn: t.persons.deceasedOn,
          duplicateReview: t.persons.duplicateReview,
          account: t.payoutAccounts.account,
          holder: t.payoutAccounts.holder,
          paid: state.paid,
        })
        .from(t.persons)
        .leftJoin(
          t.payoutAccounts,
          and(eq(t.payoutAccounts.personId, t.persons.id), eq(t.payoutAccounts.channel, channel)),
        )
        .leftJoin(state, eq(state.personId, t.persons.id));
      return rows.map((sealed) => {
        const r = openRow(keys, "payout_accounts", payoutAccountKey(sealed.personId, channel), sealed);
        return {
          personId: r.personId,
          eligible: r.eligible,
          eligibilityRevoked: r.eligibilityRevoked,
          deceased: r.deceasedOn !== null,
          duplicateReview: r.duplicateReview as DuplicateReviewState,
          account: r.account ? { account: r.account, holder: r.holder ?? undefined } : undefined,
          payment: r.paid === null ? undefined : r.paid ? ("paid" as const) : ("open" as const),
        };
      });
    },
    async paymentState(personId, scheduleId, period) {
      const rows = await tx
        .select({ status: t.paymentLines.status })
        .from(t.paymentLines)
        .where(
          and(
            eq(t.paymentLines.personId, personId),
            eq(t.paymentLines.scheduleId, scheduleId),
            eq(t.paymentLines.period, period),
            ne(t.paymentLines.status, "failed"),
          ),
        );
      if (rows.some((r) => r.status === "paid")) return "paid";
      return rows.length > 0 ? "open" : undefined;
    },
    async findPaymentLines(references) {
      if (references.length === 0) return [];
      const rows = await tx
        .select({
          reference: t.paymentLines.reference,
          listId: t.paymentLines.listId,
          listStatus: t.paymentLists.status,
          status: t.paymentLines.status,
          amountMinor: t.paymentLines.amountMinor,
          currency: t.paymentLines.currency,
        })
        .from(t.paymentLines)
        .leftJoin(t.paymentLists, eq(t.paymentLists.id, t.paymentLines.listId))
        .where(inArray(t.paymentLines.reference, references));
      return rows.map((r) => ({
        ...r,
        listId: r.listId ?? undefined,
        listStatus: (r.listStatus ?? undefined) as PaymentListStatus | undefined,
        status: r.status as PaymentLineStatus,
      }));
    },
    async openPaymentLines(listIds) {
      if (listIds.length === 0) return [];
      const rows = await tx
        .select({ reference: t.paymentLines.reference, listId: t.paymentLines.listId })
        .from(t.paymentLines)
        .where(
          and(inArray(t.paymentLines.listId, listIds), inArray(t.paymentLines.status, ["listed", "sent"])),
        )
        .orderBy(t.paymentLines.reference);
      return rows.map((r) => ({ reference: r.reference, listId: r.listId! }));
    },
  };
}
