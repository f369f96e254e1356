import type { PaymentChannel } from "../records/payment.ts";
import type { PersonStanding } from "../rules/person-standing.ts";

/** A stipend schedule as the rules need it. */
export interface PaymentScheduleRecord {
  id: string;
  name: string;
  amountMinor: number;
  currency: string;
  firstPeriod: string;
  lastPeriod: string;
  channel: PaymentChannel;
}

/** listed: prepared, not yet handed over; sent: with the bank or provider; reconciled: confirmed in full. */
export type PaymentListStatus = "listed" | "sent" | "reconciled";
/** A line's state: paid and failed are the provider's word; listed and sent are ours. Kept apart. */
export type PaymentLineStatus = "listed" | "sent" | "paid" | "failed";

export interface PaymentListRecord {
  id: string;
  scheduleId: string;
  period: string;
  status: PaymentListStatus;
}

/** A person who might be paid for a schedule's period, with everything the selection asks. */
export interface PaymentCandidate extends PersonStanding {
  personId: string;
  /** The payout account for the schedule's channel, if one is on record. */
  account?: { account: string; holder?: string | undefined } | undefined;
  /** A payment for this schedule and period is paid, or on a list awaiting the provider's word. */
  payment?: "paid" | "open" | undefined;
}

export interface PaymentLineRecord {
  reference: string;
  /** Absent for a payment recorded on its own (payment.record). */
  listId?: string | undefined;
  listStatus?: PaymentListStatus | undefined;
  status: PaymentLineStatus;
  amountMinor: number;
  currency: string;
}

/** What the payment rules read. Part of `RecordView`; the store answers with SQL, tests from memory. */
export interface PaymentView {
  findPaymentSchedule(id: string): Promise<PaymentScheduleRecord | undefined>;
  findPaymentList(id: string): Promise<PaymentListRecord | undefined>;
  /** Every registered person, with standing, payout account and payment state for the schedule's period. */
  paymentCandidates(scheduleId: string, period: string, channel: PaymentChannel): Promise<PaymentCandidate[]>;
  /** "paid", "open" (listed or sent, awaiting the provider) or undefined (failed or never listed). */
  paymentState(personId: string, scheduleId: string, period: string): Promise<"paid" | "open" | undefined>;
  /** The payment lines with these references (unknown ones absent). */
  findPaymentLines(references: string[]): Promise<PaymentLineRecord[]>;
  /** The lines of these lists still awaiting the provider's word (listed or sent). */
  openPaymentLines(listIds: string[]): Promise<{ reference: string; listId: string }[]>;
}
