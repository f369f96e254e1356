import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToNumberLE, numberToBytesLE } from "@noble/curves/utils.js";
import { sha512 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  isStrictEd25519PublicKey,
} from "../../src/note/ed25519.ts";
import {
  computeKeyId,
  ed25519VerifierKey,
  parseVerifierKey,
  SIGNATURE_TYPE_ED25519,
} from "../../src/note/index.ts";
import { codeOf, enc, hex, opensslVerify, toHex } from "./helpers.ts";
import { CCTV_ED25519, RFC8032_TEST1, RFC8032_TEST2, SMALL_ORDER_POINTS } from "./vectors.ts";

const { Point } = ed25519;
const L = Point.Fn.ORDER;

/**
 * A signature that satisfies the cofactored equation but not the cofactorless one: R' = rB + T
 * with T of small order, S = r + H(R' || A || M)·a. (Adversarial input built for the test only.)
 */
function mixedOrderSignature(
  seed: Uint8Array,
  message: Uint8Array,
  torsion: InstanceType<typeof Point>,
  r: bigint,
) {
  const { scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(seed);
  const R = Point.BASE.multiply(r).add(torsion).toBytes();
  const k = Point.Fn.create(bytesToNumberLE(sha512(new Uint8Array([...R, ...pointBytes, ...message]))));
  const S = Point.Fn.create(r + k * scalar);
  return { publicKey: pointBytes, signature: new Uint8Array([...R, ...numberToBytesLE(S, 32)]) };
}

describe("Ed25519: one rule in Node and in the browser", () => {
  it("reproduces RFC 8032 §7.1 tests 1 and 2 and agrees with node:crypto", () => {
    for (const v of [RFC8032_TEST1, RFC8032_TEST2]) {
      const seed = hex(v.seed);
      expect(toHex(ed25519PublicKey(seed))).toBe(v.publicKey);
      expect(toHex(ed25519Sign(seed, hex(v.message)))).toBe(v.signature);
      expect(ed25519Verify(hex(v.publicKey), hex(v.message), hex(v.signature))).toBe(true);
      expect(opensslVerify(hex(v.publicKey), hex(v.message), hex(v.signature))).toBe(true);
    }
  });

  it("rejects S + L (malleability) like OpenSSL", () => {
    const sig = hex(RFC8032_TEST1.signature);
    const s = bytesToNumberLE(sig.subarray(32)) + L;
    const malleated = new Uint8Array([...sig.subarray(0, 32), ...numberToBytesLE(s, 32)]);
    expect(opensslVerify(hex(RFC8032_TEST1.publicKey), new Uint8Array(), malleated)).toBe(false);
    expect(ed25519Verify(hex(RFC8032_TEST1.publicKey), new Uint8Array(), malleated)).toBe(false);
  });

  it("rejects R with a small-order component like OpenSSL (noble alone would accept: cofactored)", () => {
    const seed = hex(RFC8032_TEST1.seed);
    const msg = enc("checkpoint");
    for (const t of SMALL_ORDER_POINTS) {
      const T = Point.fromBytes(hex(t));
      expect(T.isSmallOrder()).toBe(true);
      const { publicKey, signature } = mixedOrderSignature(seed, msg, T, 123456789n);
      const noble = ed25519.verify(signature, msg, publicKey, { zip215: false });
      const openssl = opensslVerify(publicKey, msg, signature);
      expect([t, noble, openssl]).toEqual([t, true, T.is0()]);
      expect(ed25519Verify(publicKey, msg, signature)).toBe(openssl);
    }
  });

  it("agrees with node:crypto on random honest and mixed-order signatures", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 0, max: SMALL_ORDER_POINTS.length }),
        fc.bigInt({ min: 1n, max: L - 1n }),
        (seed, msg, which, r) => {
          const T =
            which === SMALL_ORDER_POINTS.length
              ? Point.ZERO
              : Point.fromBytes(hex(SMALL_ORDER_POINTS[which]!));
          const { publicKey, signature } = mixedOrderSignature(seed, msg, T, r);
          expect(isStrictEd25519PublicKey(publicKey)).toBe(true);
          expect(ed25519Verify(publicKey, msg, signature)).toBe(opensslVerify(publicKey, msg, signature));
          const honest = ed25519Sign(seed, msg);
          expect(ed25519Verify(publicKey, msg, honest)).toBe(true);
          expect(opensslVerify(publicKey, msg, honest)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("refuses small-order, mixed-order and non-canonical public keys (C2SP/CCTV ed25519vectors.json)", () => {
    for (const v of CCTV_ED25519) {
      const key = hex(v.key);
      expect([v.number, isStrictEd25519PublicKey(key)]).toEqual([v.number, false]);
      expect(codeOf(() => ed25519VerifierKey("k", key))).toBe("invalid-argument");
      // Even with the right key id, the verifier key text is refused.
      const id = computeKeyId("k", SIGNATURE_TYPE_ED25519, key).toString(16).padStart(8, "0");
      const b64 = Buffer.from([SIGNATURE_TYPE_ED25519, ...key]).toString("base64");
      expect(codeOf(() => parseVerifierKey(`k+${id}+${b64}`))).toBe("malformed-key");
      expect(ed25519Verify(key, enc(v.msg), hex(v.sig))).toBe(false);
    }
    for (const t of SMALL_ORDER_POINTS) expect(isStrictEd25519PublicKey(hex(t))).toBe(false);
  });
});
