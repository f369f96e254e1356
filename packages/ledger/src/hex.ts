import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

export function toHex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

export function fromHex(hex: string): Uint8Array {
  return hexToBytes(hex);
}
