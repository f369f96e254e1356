import { z } from "zod";
import { normaliseCardNumber } from "../rules/card-number.ts";
import { freeText } from "./text.ts";

/**
 * Where a demobilisation card stands. `replaced` and `revoked` are both void: a replaced card was
 * reported lost, damaged or stolen and a new number issued; a revoked one was withdrawn.
 */
export const cardStatuses = ["active", "revoked", "replaced"] as const;
export type CardStatus = (typeof cardStatuses)[number];

/** Why a card is replaced. Public in the ledger (counts of lost and stolen cards are watched). */
export const cardReissueReasons = ["lost", "damaged", "stolen"] as const;
export type CardReissueReason = (typeof cardReissueReasons)[number];

/** A card number as typed: checked (Damm digit) and put in its canonical form DC-0000000-0. */
export const cardNumberField = z.string().transform((text, ctx) => {
  const number = normaliseCardNumber(text);
  if (number === undefined) {
    ctx.addIssue({
      code: "custom",
      message: "must be a card number such as DC-0000042-7 (check the digits: the last one is a check digit)",
    });
    return z.NEVER;
  }
  return number;
});

/** Issue a person's first card (or a new one after a revocation). The number comes from the ledger. */
export const cardIssue = z.strictObject({
  personId: z.uuid(),
});

/** Replace a card reported lost, damaged or stolen: the old number is void, a new one issued. */
export const cardReissue = z.strictObject({
  cardNumber: cardNumberField,
  reason: z.enum(cardReissueReasons, "say whether the card was lost, damaged or stolen"),
  /** What the holder or the officer said (may name people: personal). */
  note: freeText(500).optional(),
});

/** Withdraw a card (issued in error, obtained by fraud…): the number is void from now on. */
export const cardRevoke = z.strictObject({
  cardNumber: cardNumberField,
  reason: freeText(1000),
});

export type CardIssueInput = z.infer<typeof cardIssue>;
export type CardReissueInput = z.infer<typeof cardReissue>;
export type CardRevokeInput = z.infer<typeof cardRevoke>;

/** A card as the rules need it. */
export interface CardRecord {
  cardNumber: string;
  personId: string;
  status: CardStatus;
  issuedAt: string;
}
