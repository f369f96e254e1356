// The text in a demobilisation card's QR code: the card number and a check value, nothing else.
// Never the holder's name (the card shows it to whoever holds the card; the QR would carry it to
// any phone that scans it) and never the armed group, which the card must not reveal at all.
//
// The check value is the first 16 hexadecimal digits (64 bits) of the leaf hash of the event that
// issued the card. Anyone holding the public log can compare it with leaf `leafIndex` (the card
// number says which); nobody can make a QR code that passes for a card number they merely
// guessed, since the number's Damm digit guards only against typing errors.
import { cardNumber, parseCardNumber } from "./card-number.ts";

export const CARD_QR_PREFIX = "armsledger:card:v1:";
export const CARD_CHECK_LENGTH = 16;

export interface CardQrFields {
  cardNumber: string;
  /** The first 16 hex digits of the issuing event's leaf hash, lower case. */
  check: string;
}

const CHECK = new RegExp(`^[0-9a-f]{${CARD_CHECK_LENGTH}}$`, "u");

/** The check value printed with a card issued by the event whose leaf hash is `leafHash`. */
export function cardCheckValue(leafHash: string): string {
  const hash = leafHash.toLowerCase();
  if (!/^[0-9a-f]{64}$/u.test(hash))
    throw new RangeError("leaf hash must be 64 hexadecimal digits (SHA-256)");
  return hash.slice(0, CARD_CHECK_LENGTH);
}

function canonicalCardNumber(text: string): boolean {
  const leafIndex = parseCardNumber(text);
  return leafIndex !== undefined && cardNumber(leafIndex) === text;
}

/** `armsledger:card:v1:<cardNumber>:<check>`; throws on fields it could not carry. */
export function cardQrText(fields: CardQrFields): string {
  if (!canonicalCardNumber(fields.cardNumber))
    throw new RangeError(`card number ${JSON.stringify(fields.cardNumber)} is not of the form DC-0000000-0`);
  if (!CHECK.test(fields.check))
    throw new RangeError(`the check value must be ${CARD_CHECK_LENGTH} lower-case hexadecimal digits`);
  return `${CARD_QR_PREFIX}${fields.cardNumber}:${fields.check}`;
}

/** Reads a card's QR text back; undefined unless it is exactly that form. */
export function parseCardQrText(text: string): CardQrFields | undefined {
  if (!text.startsWith(CARD_QR_PREFIX)) return undefined;
  const parts = text.slice(CARD_QR_PREFIX.length).split(":");
  if (parts.length !== 2) return undefined;
  const [number, check] = parts as [string, string];
  return canonicalCardNumber(number) && CHECK.test(check) ? { cardNumber: number, check } : undefined;
}
