import { describe, expect, it } from "vitest";
import {
  computeKeyId,
  ed25519VerifierKey,
  generateKey,
  MAX_NOTE_SIGNATURES,
  NoteError,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  SIGNATURE_TYPE_ED25519,
  type Signer,
  signNote,
} from "../../src/note/index.ts";
import { byteSlice, codeOf, dec, enc, hex, insertAtByte, messageOf } from "./helpers.ts";
import {
  C2SP_SIGNED_NOTE_EXAMPLE,
  GO_BAD_VKEY_ALGORITHM,
  GO_BAD_VKEY_LENGTH,
  GO_ENOCH_SIG,
  GO_ENOCH_SIG_B64,
  GO_ENOCH_VKEY,
  GO_PETER_SIG,
  GO_PETER_SIG_B64,
  GO_PETER_SKEY,
  GO_PETER_VKEY,
  GO_SIGNED_NOTE,
  GO_TEXT,
  RFC8032_TEST1,
  TD_BENCH_SIGS,
  TD_BENCH_VERIFIERS,
  TD_KNOWN1_SK,
  TD_KNOWN1_VK,
  TD_KNOWN2_SK,
  TD_KNOWN2_VK,
  TD_LOG_SK,
  TD_LOG_VK,
  TD_SUMDB_NOTE,
  TD_SUMDB_VKEY,
  TD_UNKNOWN_SK,
  TD_UNKNOWN_VK,
} from "./vectors.ts";

const peter = { name: "PeterNeumann", keyId: 0xc74f20a3, base64: GO_PETER_SIG_B64 };
const enoch = { name: "EnochRoot", keyId: 0xaf0cfe78, base64: GO_ENOCH_SIG_B64 };

// golang/mod sumdb/note/note_test.go
describe("Go note vectors: keys", () => {
  it("accepts Go's verifier key (TestNewVerifier)", () => {
    const v = parseVerifierKey(GO_PETER_VKEY);
    expect(v.name).toBe("PeterNeumann");
    expect(v.keyId).toBe(0xc74f20a3);
    expect(v.verifierKey).toBe(GO_PETER_VKEY);
  });

  it("rejects every substring and every single-byte increment of the verifier key", () => {
    const b = enc(GO_PETER_VKEY);
    for (let i = 0; i <= b.length; i++) {
      for (let j = i + 1; j <= b.length; j++) {
        if (i === 0 && j === b.length) continue;
        expect(codeOf(() => parseVerifierKey(dec(b.subarray(i, j))))).toBe("malformed-key");
      }
    }
    for (let i = 0; i < b.length; i++) {
      const m = b.slice();
      m[i]! += 1;
      expect(codeOf(() => parseVerifierKey(dec(m)))).toBe("malformed-key");
    }
    expect(codeOf(() => parseVerifierKey(GO_BAD_VKEY_LENGTH))).toBe("malformed-key");
    expect(codeOf(() => parseVerifierKey(GO_BAD_VKEY_ALGORITHM))).toBe("malformed-key");
  });

  it("accepts Go's signer key and derives the matching verifier key (TestNewSigner)", () => {
    const s = parseSignerKey(GO_PETER_SKEY);
    expect(s.name).toBe("PeterNeumann");
    expect(s.keyId).toBe(0xc74f20a3);
    expect(s.verifierKey).toBe(GO_PETER_VKEY);
  });

  it("rejects every substring and every single-byte increment of the signer key", () => {
    const b = enc(GO_PETER_SKEY);
    for (let i = 0; i <= b.length; i++) {
      for (let j = i + 1; j <= b.length; j++) {
        if (i === 0 && j === b.length) continue;
        expect(codeOf(() => parseSignerKey(dec(b.subarray(i, j))))).toBe("malformed-key");
      }
    }
    for (let i = 0; i < b.length; i++) {
      const m = b.slice();
      m[i]! += 1;
      expect(codeOf(() => parseSignerKey(dec(m)))).toBe("malformed-key");
    }
  });

  it("generates key pairs that agree with each other (TestGenerateKey)", () => {
    const { signerKey, verifierKey } = generateKey("EnochRoot", new Uint8Array(32).fill(7));
    const signer = parseSignerKey(signerKey);
    const verifier = parseVerifierKey(verifierKey);
    expect(signer.name).toBe("EnochRoot");
    expect(verifier.keyId).toBe(signer.keyId);
    expect(signer.verifierKey).toBe(verifierKey);
    const msg = enc("hi");
    const sig = signer.sign(msg);
    expect(verifier.verify(msg, sig)).toBe(true);
    sig[0]! ^= 1;
    expect(verifier.verify(msg, sig)).toBe(false);
    sig[0]! ^= 1;
    expect(verifier.verify(enc("hj"), sig)).toBe(false);
  });

  it("generates Go's key text layout from a fixed seed (RFC 8032 test 1 seed)", () => {
    const seed = hex(RFC8032_TEST1.seed);
    const pub = hex(RFC8032_TEST1.publicKey);
    const { signerKey, verifierKey } = generateKey("EnochRoot", seed);
    const id = computeKeyId("EnochRoot", SIGNATURE_TYPE_ED25519, pub).toString(16).padStart(8, "0");
    const b64 = (type: number, key: Uint8Array) => Buffer.from([type, ...key]).toString("base64");
    expect(signerKey).toBe(`PRIVATE+KEY+EnochRoot+${id}+${b64(1, seed)}`);
    expect(verifierKey).toBe(`EnochRoot+${id}+${b64(1, pub)}`);
    expect(ed25519VerifierKey("EnochRoot", pub)).toBe(verifierKey);
  });

  it("refuses bad generateKey inputs (NewEd25519VerifierKey size check too)", () => {
    expect(codeOf(() => generateKey("bad name", new Uint8Array(32)))).toBe("invalid-argument");
    expect(codeOf(() => generateKey("a+b", new Uint8Array(32)))).toBe("invalid-argument");
    expect(codeOf(() => generateKey("ok", new Uint8Array(31)))).toBe("invalid-argument");
    expect(codeOf(() => ed25519VerifierKey("ok", hex(RFC8032_TEST1.publicKey).subarray(1)))).toBe(
      "invalid-argument",
    );
  });
});

describe("Go note vectors: signing (TestSign)", () => {
  const signer = parseSignerKey(GO_PETER_SKEY);

  it("reproduces Go's signed note byte for byte", () => {
    const note = signNote(GO_TEXT, [signer]);
    expect(dec(note)).toBe(GO_SIGNED_NOTE);
    expect(note).toEqual(enc(GO_SIGNED_NOTE));
  });

  it("rejects a text without a final newline as a malformed note", () => {
    expect(codeOf(() => signNote("abc", [signer]))).toBe("malformed-note");
  });

  it("rejects a signer with an invalid name", () => {
    const bad: Signer = { name: "bad name", keyId: signer.keyId, sign: (m) => signer.sign(m) };
    expect(codeOf(() => signNote(GO_TEXT, [bad]))).toBe("invalid-signer");
  });

  it("passes through a failing signer's error", () => {
    const surprise = new Error("surprise!");
    const failing: Signer = {
      name: signer.name,
      keyId: signer.keyId,
      sign: () => {
        throw surprise;
      },
    };
    expect(() => signNote(GO_TEXT, [failing])).toThrow(surprise);
  });

  it("refuses text it could not open again (control characters, lone surrogates)", () => {
    expect(codeOf(() => signNote("a\rb\n", [signer]))).toBe("malformed-note");
    expect(codeOf(() => signNote("\u0001\n", [signer]))).toBe("malformed-note");
    expect(codeOf(() => signNote("\ud800\n", [signer]))).toBe("malformed-note");
    expect(codeOf(() => signNote(GO_TEXT, []))).toBe("invalid-argument");
  });
});

describe("Go note vectors: opening (TestOpen, TestVerifierList)", () => {
  const peterV = parseVerifierKey(GO_PETER_VKEY);
  const enochV = parseVerifierKey(GO_ENOCH_VKEY);
  const both = `${GO_TEXT}\n${GO_PETER_SIG}${GO_ENOCH_SIG}`;

  it("verifies one signature and keeps the other as unverified", () => {
    const n = openNote(enc(both), [peterV]);
    expect(n.text).toBe(GO_TEXT);
    expect(n.verifiedSignatures).toEqual([peter]);
    expect(n.unverifiedSignatures).toEqual([enoch]);
  });

  it("verifies both when both keys are known", () => {
    const n = openNote(both, [peterV, enochV]);
    expect(n.verifiedSignatures).toEqual([peter, enoch]);
    expect(n.unverifiedSignatures).toEqual([]);
  });

  it("rejects a note with no known key", () => {
    const e = (() => {
      try {
        openNote(both, []);
      } catch (error) {
        return error;
      }
    })();
    expect(e).toBeInstanceOf(NoteError);
    expect((e as NoteError).code).toBe("unverified-note");
    expect((e as NoteError).message).toBe("note has no verifiable signatures");
  });

  it("reports an ambiguous verifier list only when the ambiguous key is used", () => {
    expect(messageOf(() => openNote(`${GO_TEXT}\n${GO_ENOCH_SIG}`, [enochV, peterV, enochV]))).toBe(
      "ambiguous key EnochRoot+af0cfe78",
    );
    expect(codeOf(() => openNote(`${GO_TEXT}\n${GO_ENOCH_SIG}`, [enochV, peterV, enochV]))).toBe(
      "ambiguous-key",
    );
    expect(openNote(`${GO_TEXT}\n${GO_PETER_SIG}`, [enochV, peterV, enochV]).verifiedSignatures).toEqual([
      peter,
    ]);
  });

  it("rejects more than 100 signatures, verified or not", () => {
    const many = `${GO_TEXT}\n${GO_PETER_SIG.repeat(101)}`;
    expect(codeOf(() => openNote(many, [peterV]))).toBe("malformed-note");
    expect(codeOf(() => openNote(many, []))).toBe("malformed-note");
    expect(MAX_NOTE_SIGNATURES).toBe(100);
    expect(openNote(`${GO_TEXT}\n${GO_PETER_SIG.repeat(100)}`, [peterV]).verifiedSignatures).toEqual([peter]);
  });

  it("rejects an invalid signature from a known key", () => {
    const bad = `${GO_TEXT}\n${insertAtByte(GO_PETER_SIG, 60, "ABCD")}`;
    expect(messageOf(() => openNote(bad, [peterV]))).toBe("invalid signature for key PeterNeumann+c74f20a3");
    expect(codeOf(() => openNote(bad, [peterV]))).toBe("invalid-signature");
  });

  it("drops duplicate signatures and keeps distinct unverified ones", () => {
    const enochABCD = {
      ...enoch,
      base64:
        "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n" +
        "ABCD" +
        "2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=",
    };
    const msg = `${GO_TEXT}\n${GO_PETER_SIG}${GO_PETER_SIG}${GO_ENOCH_SIG}${GO_ENOCH_SIG}${insertAtByte(GO_ENOCH_SIG, 60, "ABCD")}`;
    const n = openNote(msg, [peterV]);
    expect(n.verifiedSignatures).toEqual([peter]);
    expect(n.unverifiedSignatures).toEqual([enoch, enochABCD]);
  });

  it("rejects Go's malformed notes", () => {
    const bad = [
      GO_TEXT,
      `${GO_TEXT}\n`,
      `${GO_TEXT}\n${byteSlice(GO_PETER_SIG, enc(GO_PETER_SIG).length - 1)}`,
      `\u0001${GO_TEXT}\n${GO_PETER_SIG}`,
      `${GO_TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${GO_TEXT}\n${GO_PETER_SIG}Unexpected line.\n`,
    ];
    for (const msg of bad) expect(codeOf(() => openNote(msg, [peterV]))).toBe("malformed-note");
    // "\xff" + text: invalid UTF-8, only expressible as bytes.
    const invalidUtf8 = new Uint8Array([0xff, ...enc(`${GO_TEXT}\n${GO_PETER_SIG}`)]);
    expect(codeOf(() => openNote(invalidUtf8, [peterV]))).toBe("malformed-note");
  });

  it("ignores signatures that share a name or an id, but not both, with a known key", () => {
    const misnamed = GO_PETER_SIG.replaceAll("PeterNeumann", "CarmenSandiego");
    const wrongId = GO_PETER_SIG.replaceAll("x08g", "xxxx");
    for (const line of [misnamed, wrongId]) {
      expect(codeOf(() => openNote(`${GO_TEXT}\n${line}`, [peterV]))).toBe("unverified-note");
      const n = openNote(`${GO_TEXT}\n${line}${GO_PETER_SIG}`, [peterV]);
      expect(n.verifiedSignatures).toEqual([peter]);
      expect(n.unverifiedSignatures).toHaveLength(1);
    }
  });
});

describe("signed-note rules beyond Go's vectors", () => {
  const signer = parseSignerKey(GO_PETER_SKEY);
  const peterV = parseVerifierKey(GO_PETER_VKEY);

  it("splits at the LAST blank line: texts may contain blank lines (C2SP signed-note example)", () => {
    const e = (() => {
      try {
        openNote(C2SP_SIGNED_NOTE_EXAMPLE, []);
      } catch (error) {
        return error as NoteError;
      }
    })();
    expect(e?.code).toBe("unverified-note"); // parsed fine; its key is not published
    const text =
      "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n";
    const n = openNote(signNote(text, [signer]), [peterV]);
    expect(n.text).toBe(text);
    const trailingBlank = "a\n\n\n";
    expect(openNote(signNote(trailingBlank, [signer]), [peterV]).text).toBe(trailingBlank);
  });

  it("rejects the note if any distinct signature by a known key fails, even after a good one", () => {
    const bad = insertAtByte(GO_PETER_SIG, 60, "ABCD");
    expect(codeOf(() => openNote(`${GO_TEXT}\n${GO_PETER_SIG}${bad}`, [peterV]))).toBe("invalid-signature");
  });

  it("rejects non-canonical base64 in a signature line, even from an unknown key", () => {
    // Go's decoder accepts non-zero trailing bits; this one does not.
    const nonCanonical = GO_PETER_SIG.replace("AM=\n", "AN=\n");
    expect(codeOf(() => openNote(`${GO_TEXT}\n${nonCanonical}`, [peterV]))).toBe("malformed-note");
    expect(codeOf(() => openNote(`${GO_TEXT}\n${GO_PETER_SIG}${nonCanonical}`, []))).toBe("malformed-note");
    const noPadding = GO_PETER_SIG.replace("AM=\n", "AM\n");
    expect(codeOf(() => openNote(`${GO_TEXT}\n${noPadding}`, [peterV]))).toBe("malformed-note");
  });

  it("rejects lines with a hyphen instead of an em dash, bad names, or short signatures", () => {
    for (const line of [
      GO_PETER_SIG.replace("—", "-"),
      GO_PETER_SIG.replace("— ", "—"),
      GO_PETER_SIG.replace("PeterNeumann", "Peter+Neumann"),
      GO_PETER_SIG.replace("PeterNeumann", "Peter\u00a0Neumann"),
      "— PeterNeumann AAAAAA==\n",
      "— PeterNeumann \n",
      "— PeterNeumann\n",
    ]) {
      expect(codeOf(() => openNote(`${GO_TEXT}\n${line}`, [peterV]))).toBe("malformed-note");
    }
  });

  it("rejects carriage returns, tabs and NUL anywhere, and lone surrogates in strings", () => {
    expect(codeOf(() => openNote(GO_SIGNED_NOTE.replace("\n\n", "\r\n\n"), [peterV]))).toBe("malformed-note");
    expect(codeOf(() => openNote(GO_SIGNED_NOTE.replace("problem,", "problem,\t"), [peterV]))).toBe(
      "malformed-note",
    );
    expect(codeOf(() => openNote(`${GO_SIGNED_NOTE}\u0000`, [peterV]))).toBe("malformed-note");
    expect(codeOf(() => openNote(`\ud800${GO_SIGNED_NOTE}`, [peterV]))).toBe("malformed-note");
    expect(codeOf(() => openNote(new Uint8Array([0xed, 0xa0, 0x80, ...enc(GO_SIGNED_NOTE)]), [peterV]))).toBe(
      "malformed-note",
    );
  });

  it("keeps a byte-order mark as part of the text (and so fails the signature)", () => {
    expect(codeOf(() => openNote(`\ufeff${GO_SIGNED_NOTE}`, [peterV]))).toBe("invalid-signature");
  });

  it("accepts at least 16 signatures", () => {
    const signers = Array.from({ length: 16 }, (_, i) =>
      parseSignerKey(generateKey(`witness${i}.example`, new Uint8Array(32).fill(i + 1)).signerKey),
    );
    const verifiers = signers.map((s) => parseVerifierKey(s.verifierKey));
    expect(openNote(signNote(GO_TEXT, signers), verifiers).verifiedSignatures).toHaveLength(16);
  });
});

// transparency-dev/formats log/note_test.go
describe("transparency-dev/formats note vectors", () => {
  it("derives each published verifier key from its signer key", () => {
    for (const [sk, vk] of [
      [TD_LOG_SK, TD_LOG_VK],
      [TD_KNOWN1_SK, TD_KNOWN1_VK],
      [TD_KNOWN2_SK, TD_KNOWN2_VK],
      [TD_UNKNOWN_SK, TD_UNKNOWN_VK],
    ] as const) {
      expect(parseSignerKey(sk).verifierKey).toBe(vk);
      expect(parseVerifierKey(vk).verifierKey).toBe(vk);
    }
  });

  it("verifies the real sum.golang.org checkpoint (TestSumDBNoteParsing)", () => {
    const n = openNote(TD_SUMDB_NOTE, [parseVerifierKey(TD_SUMDB_VKEY)]);
    expect(n.text).toBe("go.sum database tree\n6476701\nmb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n");
    expect(n.verifiedSignatures.map((s) => s.name)).toEqual(["sum.golang.org"]);
  });

  it("verifies BenchmarkParse's extra signatures and ignores the unknown ones", () => {
    const note = TD_SUMDB_NOTE + TD_BENCH_SIGS.map((s) => `${s}\n`).join("");
    const verifiers = [TD_SUMDB_VKEY, ...TD_BENCH_VERIFIERS].map(parseVerifierKey);
    const n = openNote(note, verifiers);
    expect(n.verifiedSignatures.map((s) => s.name)).toEqual([
      "sum.golang.org",
      "monkeys",
      "bananas",
      "witness",
    ]);
    expect(n.unverifiedSignatures.map((s) => s.name)).toEqual(["random1", "random2"]);
  });
});
