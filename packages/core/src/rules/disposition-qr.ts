// The text in a destruction certificate's QR code: the ledger leaf of the disposition event, so
// the public check page (or an offline verifier) can find it and check its hash. Nothing about
// the operators or witnesses, whose names are in the event's personal part.

import { formatLeafReference, type LeafReference, parseLeafReference } from "./leaf-reference.ts";

export const DISPOSITION_QR_PREFIX = "armsledger:disposition:v1:";

export type DispositionQrFields = LeafReference;

/** `armsledger:disposition:v1:<leafIndex>:<leafHash>`; throws on fields it could not carry. */
export function dispositionQrText(fields: DispositionQrFields): string {
  return `${DISPOSITION_QR_PREFIX}${formatLeafReference(fields)}`;
}

/** Reads the text of a destruction certificate's QR code back; undefined when it is not exactly that form. */
export function parseDispositionQrText(text: string): DispositionQrFields | undefined {
  if (!text.startsWith(DISPOSITION_QR_PREFIX)) return undefined;
  const parts = text.slice(DISPOSITION_QR_PREFIX.length).split(":");
  return parts.length === 2 ? parseLeafReference(parts[0]!, parts[1]!) : undefined;
}
