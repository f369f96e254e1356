import { sha256 } from "@noble/hashes/sha2.js";

// RFC 9162 §2.1.1: domain separation between leaves and interior nodes, so an interior node
// can never be presented as a leaf (the flaw of merkletreejs's defaults).
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

export function leafHash(entry: Uint8Array): Uint8Array {
  const input = new Uint8Array(entry.length + 1);
  input[0] = LEAF_PREFIX;
  input.set(entry, 1);
  return sha256(input);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/** Hash of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}
