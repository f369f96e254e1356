import { z } from "zod";
import { freeText } from "./text.ts";

// Reinsertion stipends (issue 9). Money is an integer count of the currency's minor units (fils,
// cents), never a float; a period is a calendar month, YYYY-MM.

export const paymentChannels = ["bank", "mobile_money"] as const;
export type PaymentChannel = (typeof paymentChannels)[number];

export const period = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/u, "a period is a month, written YYYY-MM (e.g. 2026-03)");

export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/u, "an ISO 4217 currency code in capitals, such as IQD or USD")
  .refine(isKnownCurrency, "not an ISO 4217 currency code");

/** The state-of-the-art list of ISO 4217 codes is the runtime's own (Intl), not a hand-kept copy. */
function isKnownCurrency(code: string): boolean {
  return Intl.supportedValuesOf("currency").includes(code);
}

/** An amount in minor units: 150000 IQD is { minor: 150000, currency: "IQD" } (the dinar has no minor unit in use). */
export const money = z.strictObject({
  minor: z.int("an amount is a whole number of minor units (no decimals)").min(1).max(1_000_000_000_000),
  currency: currencyCode,
});

/** A stipend schedule: who is paid what, how often, over which months, and through which channel. */
export const paymentSchedule = z
  .strictObject({
    scheduleId: z.uuid(),
    name: freeText(200),
    amount: money,
    /** Only monthly stipends so far: one payment per person per calendar month. */
    periodLength: z.literal("monthly"),
    firstPeriod: period,
    lastPeriod: period,
    channel: z.enum(paymentChannels),
  })
  .refine((s) => s.firstPeriod <= s.lastPeriod, {
    path: ["lastPeriod"],
    message: "the last period comes before the first",
  });

const bankAccount = z
  .string()
  .transform((s) => s.replace(/\s+/gu, "").toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{5,34}$/u, "an account number or IBAN: 5 to 34 letters and digits"));
const mobileNumber = z
  .string()
  .transform((s) => s.replace(/[\s-]+/gu, ""))
  .pipe(z.string().regex(/^\+[1-9]\d{7,14}$/u, "a mobile number in international form, e.g. +9647701234567"));

/** Where a person's stipend is paid: a bank account or a mobile-money number (personal). */
export const payoutAccount = z.discriminatedUnion("channel", [
  z.strictObject({
    personId: z.uuid(),
    channel: z.literal("bank"),
    account: bankAccount,
    /** The account holder's name as the bank knows it, when it differs from the registration. */
    holder: freeText(200).optional(),
  }),
  z.strictObject({
    personId: z.uuid(),
    channel: z.literal("mobile_money"),
    account: mobileNumber,
    holder: freeText(200).optional(),
  }),
]);

/** Prepare the payment list of one schedule's period: the server picks who is entitled. */
export const paymentListPreparation = z.strictObject({
  listId: z.uuid().optional(),
  scheduleId: z.uuid(),
  period,
});

/** The list was handed to the bank or provider (the file's SHA-256, to tie the confirmation to it). */
export const paymentListDispatch = z.strictObject({
  listId: z.uuid(),
  sentAt: z.iso.datetime({ offset: true }),
  fileSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/u, "a SHA-256 in lower-case hex")
    .optional(),
});

/** One payment made outside a list (a correction run, cash at a site), recorded as paid. */
export const paymentRecord = z.strictObject({
  personId: z.uuid(),
  scheduleId: z.uuid(),
  period,
  paidOn: z.iso.date(),
  channel: z.enum([...paymentChannels, "cash"]),
  /** The bank's or the cashier's reference; one is made when none is given. */
  reference: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{2,39}$/u, "3 to 40 letters, digits and . _ / -")
    .optional(),
  note: freeText(500).optional(),
});

/**
 * The provider's confirmation file, line by line, as read: the amount is the text of the file (in
 * major units, "150000" or "12.50"), converted with the line's currency when matched.
 */
export const paymentConfirmation = z.strictObject({
  fileName: freeText(200),
  fileSha256: z.string().regex(/^[0-9a-f]{64}$/u, "a SHA-256 in lower-case hex"),
  receivedAt: z.iso.datetime({ offset: true }),
  lines: z
    .array(
      z.strictObject({
        /** Where the line is in the file (the header is line 1), so mismatches point at it. */
        line: z.int().min(1),
        reference: z.string().min(1).max(60),
        amount: z.string().min(1).max(30),
        status: z.enum(["paid", "failed"], "must be paid or failed"),
        date: z.iso.date("a date written YYYY-MM-DD"),
        note: freeText(500).optional(),
      }),
    )
    .min(1, "the file has no lines")
    .max(100_000),
});

export type PaymentScheduleInput = z.infer<typeof paymentSchedule>;
export type PayoutAccountInput = z.infer<typeof payoutAccount>;
export type PaymentListPreparationInput = z.infer<typeof paymentListPreparation>;
export type PaymentListDispatchInput = z.infer<typeof paymentListDispatch>;
export type PaymentRecordInput = z.infer<typeof paymentRecord>;
export type PaymentConfirmationInput = z.infer<typeof paymentConfirmation>;
