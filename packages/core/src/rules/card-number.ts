// Demobilisation card numbers are built like receipt numbers (receipt-number.ts): the ledger leaf
// index of the event that issued the card, with a Damm check digit that catches every
// single-digit error and every swap of adjacent digits. The prefix "DC" keeps a card number from
// ever being taken for a receipt number ("R"): both are typed by officers from worn paper.
import { dammDigit } from "./receipt-number.ts";

export const CARD_NUMBER_PREFIX = "DC";

export function cardNumber(leafIndex: number): string {
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0)
    throw new RangeError(`leaf index ${leafIndex} is not a non-negative integer`);
  const body = String(leafIndex).padStart(7, "0");
  return `${CARD_NUMBER_PREFIX}-${body}-${dammDigit(body)}`;
}

/**
 * Reads a typed card number back to the leaf index of its issue; undefined when malformed or
 * mistyped. Dashes may be left out and letters typed in lower case.
 */
export function parseCardNumber(text: string): number | undefined {
  const m = /^DC-?([0-9]{7,15})-?([0-9])$/u.exec(text.trim().toUpperCase());
  if (!m) return undefined;
  const [, body, check] = m as unknown as [string, string, string];
  if (dammDigit(body) !== Number(check)) return undefined;
  const leafIndex = Number(body);
  return Number.isSafeInteger(leafIndex) ? leafIndex : undefined;
}

/** The canonical form of a typed card number ("dc00000427" → "DC-0000042-7"); undefined if invalid. */
export function normaliseCardNumber(text: string): string | undefined {
  const leafIndex = parseCardNumber(text);
  return leafIndex === undefined ? undefined : cardNumber(leafIndex);
}
