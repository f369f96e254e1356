import { ed25519 } from "@noble/curves/ed25519.js";

// One Ed25519 rule everywhere: a signature verifies in the browser iff it verifies with
// node:crypto (OpenSSL). Both are RFC 8032 with S < L and a canonical R. They differ in two places,
// and both are closed here with the library's own point checks, no curve arithmetic of our own:
//  1. noble (strict, `zip215: false`) checks the cofactored equation [8]R = [8](SB - kA); OpenSSL the
//     cofactorless one R = SB - kA. For a public key of prime order (checked when a key is parsed)
//     they agree exactly when R has no small-order component, so R must be torsion-free.
//  2. Keys: noble rejects small-order and non-canonical A; we also reject A with a small-order
//     component. Honest keys (A = aB) always pass; the key parsers refuse the rest, so no note
//     verifier is ever built on a key where the two implementations could disagree.

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SEED_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

/** Public key of a 32-byte RFC 8032 seed (the private key). */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(seed);
}

/** Deterministic RFC 8032 signature (same bytes as Go's crypto/ed25519 and node:crypto). */
export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, seed);
}

/** A canonical encoding of a point of prime order (not small order, no small-order component). */
export function isStrictEd25519PublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) return false;
  try {
    const point = ed25519.Point.fromBytes(publicKey, false);
    return !point.isSmallOrder() && point.isTorsionFree();
  } catch {
    return false;
  }
}

/**
 * Strict verification (see above). The caller must have checked the key with
 * isStrictEd25519PublicKey; the key parsers do.
 */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) {
    return false;
  }
  try {
    if (!ed25519.verify(signature, message, publicKey, { zip215: false })) return false;
    return ed25519.Point.fromBytes(signature.subarray(0, 32), false).isTorsionFree();
  } catch {
    return false;
  }
}
