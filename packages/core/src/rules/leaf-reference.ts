// A ledger leaf as printed in a QR code (receipts, destruction certificates): its index, a decimal
// without leading zeros, and its leaf hash, lower-case hex SHA-256. One strict form for all.
const LEAF_INDEX = /^(?:0|[1-9][0-9]{0,15})$/u;
const LEAF_HASH = /^[0-9a-f]{64}$/u;

export interface LeafReference {
  leafIndex: number;
  leafHash: string;
}

/** `<leafIndex>:<leafHash>`; throws on values a QR code could not carry. */
export function formatLeafReference(fields: LeafReference): string {
  const leafHash = fields.leafHash.toLowerCase();
  if (!Number.isSafeInteger(fields.leafIndex) || fields.leafIndex < 0)
    throw new RangeError(`leaf index ${fields.leafIndex} is not a non-negative integer`);
  if (!LEAF_HASH.test(leafHash)) throw new RangeError("leaf hash must be 64 hexadecimal digits (SHA-256)");
  return `${fields.leafIndex}:${leafHash}`;
}

/** Reads the index and hash fields back; undefined unless both are exactly in form. */
export function parseLeafReference(index: string, leafHash: string): LeafReference | undefined {
  if (!LEAF_INDEX.test(index) || !LEAF_HASH.test(leafHash)) return undefined;
  const leafIndex = Number(index);
  return Number.isSafeInteger(leafIndex) ? { leafIndex, leafHash } : undefined;
}
