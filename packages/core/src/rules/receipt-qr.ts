// The text in a receipt's QR code: enough for the public check page (or an offline verifier) to
// find the handover in the ledger and check the leaf hash, and nothing about the person.
import { formatLeafReference, parseLeafReference } from "./leaf-reference.ts";
import { parseReceiptNumber } from "./receipt-number.ts";

export const RECEIPT_QR_PREFIX = "armsledger:receipt:v1:";

export interface ReceiptQrFields {
  receiptNumber: string;
  leafIndex: number;
  leafHash: string;
}

const RECEIPT_NUMBER = /^R-[0-9]{7,15}-[0-9]$/u;

function validReceiptNumber(text: string): boolean {
  return RECEIPT_NUMBER.test(text) && parseReceiptNumber(text) !== undefined;
}

/** `armsledger:receipt:v1:<receiptNumber>:<leafIndex>:<leafHash>`; throws on fields it could not carry. */
export function receiptQrText(fields: ReceiptQrFields): string {
  if (!validReceiptNumber(fields.receiptNumber))
    throw new RangeError(
      `receipt number ${JSON.stringify(fields.receiptNumber)} is not of the form R-0000000-0`,
    );
  return `${RECEIPT_QR_PREFIX}${fields.receiptNumber}:${formatLeafReference(fields)}`;
}

/** Reads the text of a receipt's QR code back; undefined when it is not exactly that form. */
export function parseReceiptQrText(text: string): ReceiptQrFields | undefined {
  if (!text.startsWith(RECEIPT_QR_PREFIX)) return undefined;
  const parts = text.slice(RECEIPT_QR_PREFIX.length).split(":");
  if (parts.length !== 3) return undefined;
  const [receiptNumber, index, leafHash] = parts as [string, string, string];
  const leaf = validReceiptNumber(receiptNumber) ? parseLeafReference(index, leafHash) : undefined;
  return leaf && { receiptNumber, ...leaf };
}
