import canonicalize from "canonicalize";

/**
 * RFC 8785 (JCS) canonical JSON. Every ledger leaf is the canonical form of an event, so two
 * parties who hold the same event always hash the same bytes.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError("canonicalJson: value has no JSON form");
  return text;
}

const encoder = new TextEncoder();

export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value));
}
