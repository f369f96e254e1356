import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cosign,
  formatCheckpoint,
  generateCosignerKey,
  generateKey,
  MAX_TREE_SIZE,
  NoteError,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseCosignerSignerKey,
  parseCosignerVerifierKey,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifyCosignature,
} from "../../src/note/index.ts";
import { codeOf, dec, enc } from "./helpers.ts";

// Text without control characters other than newline: arbitrary Unicode, with blank lines, em
// dashes and signature-looking lines mixed in.
const noControls = (s: string) =>
  Array.from(s, (c) => (c.charCodeAt(0) < 0x20 && c !== "\n" ? "?" : c)).join("");
const textArb = fc
  .array(
    fc.oneof(
      fc.string({ unit: "binary", maxLength: 20 }),
      fc.constantFrom("\n", "\n\n", "— ", "— a AAAA\n", " ", "+", "\ufeff", "é"),
    ),
    { maxLength: 12 },
  )
  .map((parts) => `${noControls(parts.join(""))}\n`);
const nameArb = fc
  .string({ unit: "grapheme-ascii", minLength: 1, maxLength: 24 })
  .map((s) => Array.from(s, (c) => (c <= " " || c === "+" || c === "\u007f" ? "x" : c)).join(""))
  .filter((s) => s.length > 0);
const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const rootArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const sizeArb = fc.bigInt({ min: 0n, max: MAX_TREE_SIZE });

function keys(name: string, seed: Uint8Array) {
  const { signerKey, verifierKey } = generateKey(name, seed);
  return { signer: parseSignerKey(signerKey), verifier: parseVerifierKey(verifierKey) };
}

describe("properties: signed notes", () => {
  it("sign → open returns the text, for any text and key name", () => {
    fc.assert(
      fc.property(textArb, nameArb, seedArb, nameArb, seedArb, (text, name, seed, name2, seed2) => {
        const a = keys(name, seed);
        const b = keys(name2, seed2);
        const note = signNote(text, [a.signer, b.signer]);
        const opened = openNote(note, [a.verifier]);
        expect(opened.text).toBe(text);
        expect(opened.verifiedSignatures.map((s) => s.keyId)).toEqual([a.signer.keyId]);
        if (b.signer.name !== a.signer.name || b.signer.keyId !== a.signer.keyId) {
          expect(opened.unverifiedSignatures).toHaveLength(1);
        }
        expect(openNote(dec(note), [a.verifier, b.verifier]).text).toBe(text);
      }),
      { numRuns: 150 },
    );
  });

  it("any flipped bit anywhere in a note (text, separator or signature) makes it fail to open", () => {
    fc.assert(
      fc.property(
        textArb,
        nameArb,
        seedArb,
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (text, name, seed, at, bit) => {
          const { signer, verifier } = keys(name, seed);
          const note = signNote(text, [signer]);
          const flipped = note.slice();
          flipped[at % note.length]! ^= 1 << bit;
          expect(() => openNote(flipped, [verifier])).toThrow(NoteError);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("properties: checkpoints", () => {
  it("format → parse is the identity, and the log's signature opens with key name = origin", () => {
    fc.assert(
      fc.property(nameArb, sizeArb, rootArb, seedArb, (origin, size, rootHash, seed) => {
        const text = formatCheckpoint({ origin, size, rootHash });
        const cp = parseCheckpoint(text);
        expect(cp).toEqual({ origin, size, rootHash, extensions: [] });
        expect(formatCheckpoint(cp)).toBe(text);
        const { signer, verifier } = keys(origin, seed);
        const opened = openCheckpoint(signNote(text, [signer]), origin, verifier);
        expect(opened.checkpoint.size).toBe(size);
      }),
      { numRuns: 150 },
    );
  });

  it("rejects leading zeros, signs and whitespace around any size", () => {
    fc.assert(
      fc.property(
        sizeArb,
        rootArb,
        fc.constantFrom("0", "+", "-", " ", "\t", "00"),
        fc.boolean(),
        (size, rootHash, junk, before) => {
          const good = formatCheckpoint({ origin: "o", size, rootHash });
          const [origin, sizeText, root] = good.split("\n");
          const after = junk.startsWith("0") ? " " : junk; // a zero after the digits is just a bigger size
          const bad = before ? `${junk}${sizeText}` : `${sizeText}${after}`;
          expect(codeOf(() => parseCheckpoint(`${origin}\n${bad}\n${root}\n`))).toBe("malformed-checkpoint");
        },
      ),
    );
  });

  it("rejects a root hash whose base64 has trailing bits set (non-canonical)", () => {
    fc.assert(
      fc.property(rootArb, fc.integer({ min: 1, max: 3 }), (rootHash, delta) => {
        const good = formatCheckpoint({ origin: "o", size: 1n, rootHash });
        const b64 = good.split("\n")[2]!;
        // 32 bytes → 43 chars + "=": the 43rd char carries 2 unused low bits.
        const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const last = alphabet.indexOf(b64[42]!);
        const bad = `${b64.slice(0, 42)}${alphabet[(last & ~3) | delta]}=`;
        expect(Buffer.from(bad, "base64")).toEqual(Buffer.from(rootHash)); // lenient decoders agree…
        expect(codeOf(() => parseCheckpoint(good.replace(b64, bad)))).toBe("malformed-checkpoint"); // …we do not
      }),
    );
  });

  it("rejects a missing final newline or any control character inserted anywhere", () => {
    fc.assert(
      fc.property(
        nameArb,
        sizeArb,
        rootArb,
        fc.nat(),
        fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 0x0a),
        (origin, size, rootHash, at, control) => {
          const text = formatCheckpoint({ origin, size, rootHash });
          expect(codeOf(() => parseCheckpoint(text.slice(0, -1)))).toBe("malformed-checkpoint");
          const i = at % text.length;
          const bad = text.slice(0, i) + String.fromCharCode(control) + text.slice(i);
          expect(codeOf(() => parseCheckpoint(bad))).toBe("malformed-checkpoint");
        },
      ),
    );
  });
});

describe("properties: cosignatures", () => {
  it("cosign → verify returns the time; another checkpoint or time fails", () => {
    fc.assert(
      fc.property(
        nameArb,
        sizeArb,
        rootArb,
        seedArb,
        fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
        (origin, size, rootHash, seed, time) => {
          const { signerKey, verifierKey } = generateCosignerKey("witness.example", seed);
          const signer = parseCosignerSignerKey(signerKey);
          const verifier = parseCosignerVerifierKey(verifierKey);
          const text = formatCheckpoint({ origin, size, rootHash });
          const line = cosign(text, signer, time);
          expect(verifyCosignature(text, line, verifier)).toBe(time);
          const other = formatCheckpoint({ origin, size: size === 0n ? 1n : size - 1n, rootHash });
          expect(codeOf(() => verifyCosignature(other, line, verifier))).toBe("invalid-signature");
          const raw = Buffer.from(line.trim().split(" ")[2]!, "base64");
          raw.writeBigUInt64BE(time ^ 1n, 4);
          const moved = `— witness.example ${raw.toString("base64")}\n`;
          expect(codeOf(() => verifyCosignature(text, moved, verifier))).toBe("invalid-signature");
          expect(enc(line).length).toBeLessThan(140);
        },
      ),
      { numRuns: 100 },
    );
  });
});
