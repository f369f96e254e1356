// The text in a receipt's QR code: enough for the public check page (or an offline verifier) to
// find the handover in the ledger and check the leaf hash, and nothing about the person.
import { parseReceiptNumber } from "./receipt-number.ts";

export const RECEIPT_QR_PREFIX = "armsledger:receipt:v1:";

export interface ReceiptQrFields {
  receiptNumber: string;
  leafIndex: number;
  leafHash: string;
}

const RECEIPT_NUMBER = /^R-[0-9]{7,15}-[0-9]$/u;
const LEAF_INDEX = /^(?:0|[1-9][0-9]{0,15})$/u;
const LEAF_HASH = /^[0-9a-f]{64}$/u;

function validReceiptNumber(text: string): boolean {
  return RECEIPT_NUMBER.test(text) && parseReceiptNumber(text) !== undefined;
}

/** `armsledger:receipt:v1:<receiptNumber>:<leafIndex>:<leafHash>`; throws on fields it could not carry. */
export function receiptQrText(fields: ReceiptQrFields): string {
  const { receiptNumber, leafIndex } = fields;
  const leafHash = fields.leafHash.toLowerCase();
  if (!validReceiptNumber(receiptNumber))
    throw new RangeError(`receipt number ${JSON.stringify(receiptNumber)} is not of the form R-0000000-0`);
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0)
    throw new RangeError(`leaf index ${leafIndex} is not a non-negative integer`);
  if (!LEAF_HASH.test(leafHash)) throw new RangeError("leaf hash must be 64 hexadecimal digits (SHA-256)");
  return `${RECEIPT_QR_PREFIX}${receiptNumber}:${leafIndex}:${leafHash}`;
}

/** Reads the text of a receipt's QR code back; undefined when it is not exactly that form. */
export function parseReceiptQrText(text: string): ReceiptQrFields | undefined {
  if (!text.startsWith(RECEIPT_QR_PREFIX)) return undefined;
  const parts = text.slice(RECEIPT_QR_PREFIX.length).split(":");
  if (parts.length !== 3) return undefined;
  const [receiptNumber, index, leafHash] = parts as [string, string, string];
  if (!validReceiptNumber(receiptNumber) || !LEAF_INDEX.test(index) || !LEAF_HASH.test(leafHash))
    return undefined;
  const leafIndex = Number(index);
  if (!Number.isSafeInteger(leafIndex)) return undefined;
  return { receiptNumber, leafIndex, leafHash };
}
