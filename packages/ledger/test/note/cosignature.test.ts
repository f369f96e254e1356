import { describe, expect, it } from "vitest";
import {
  COSIGNATURE_V1_HEADER,
  cosign,
  cosignatureMessage,
  cosignatureTimestamp,
  cosignerKeyId,
  generateCosignerKey,
  generateKey,
  MAX_COSIGNATURE_TIMESTAMP,
  openCheckpoint,
  openCosignedCheckpoint,
  openNote,
  parseCosignerSignerKey,
  parseCosignerVerifierKey,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifyCosignature,
} from "../../src/note/index.ts";
import { codeOf, dec, enc, hex, opensslVerify } from "./helpers.ts";
import {
  C2SP_CHECKPOINT_TEXT,
  C2SP_LOG_SIG_LINE,
  C2SP_WITNESS_SIG_LINE,
  C2SP_WITNESS_TIME,
  RFC8032_TEST1,
  RFC8032_TEST2,
  TD_BAD_COSIGNER_VKEYS,
  TD_COSIG_TIMESTAMP,
  TD_COSIGNED_TEXT,
  TD_COSIGNER_VKEY,
  TD_ED25519_VKEY_FOR_COSIGNING,
} from "./vectors.ts";

const witness = parseCosignerSignerKey(
  generateCosignerKey("witness.example/w1", hex(RFC8032_TEST2.seed)).signerKey,
);
const witnessV = parseCosignerVerifierKey(witness.verifierKey);

describe("tlog-cosignature: published vectors", () => {
  it("accepts transparency-dev's native 0x04 cosigner key, whose id is over 0x04", () => {
    const v = parseCosignerVerifierKey(TD_COSIGNER_VKEY);
    expect(v.name).toBe("remora.n621.de");
    expect(v.keyId).toBe(0xda77ade7);
    expect(cosignerKeyId(v.name, v.publicKey)).toBe(0xda77ade7);
    expect(v.verifierKey).toBe(TD_COSIGNER_VKEY);
  });

  it("takes a 0x01 note key only as a note key (transparency-dev converts it; we keep types apart)", () => {
    expect(parseVerifierKey(TD_ED25519_VKEY_FOR_COSIGNING).keyId).toBe(0x7997405c);
    expect(codeOf(() => parseCosignerVerifierKey(TD_ED25519_VKEY_FOR_COSIGNING))).toBe("malformed-key");
    expect(codeOf(() => parseVerifierKey(TD_COSIGNER_VKEY))).toBe("malformed-key");
  });

  it("rejects transparency-dev's bad verifier keys", () => {
    for (const [name, vkey] of Object.entries(TD_BAD_COSIGNER_VKEYS)) {
      expect([name, codeOf(() => parseCosignerVerifierKey(vkey))]).toEqual([name, "malformed-key"]);
    }
  });

  it("reads transparency-dev's cosignature timestamps (TestCosignatureTimestamp)", () => {
    expect(cosignatureTimestamp(TD_COSIG_TIMESTAMP.works.base64)).toBe(TD_COSIG_TIMESTAMP.works.time);
    expect(codeOf(() => cosignatureTimestamp(TD_COSIG_TIMESTAMP.wrongType))).toBe("malformed-cosignature");
    expect(codeOf(() => cosignatureTimestamp(TD_COSIG_TIMESTAMP.gibberish))).toBe("malformed-cosignature");
  });

  it("reads the C2SP example witness cosignature: key id, and the time of the spec's signed message", () => {
    const n = (() => {
      try {
        return openNote(`${C2SP_CHECKPOINT_TEXT}\n${C2SP_LOG_SIG_LINE}${C2SP_WITNESS_SIG_LINE}`, []);
      } catch (error) {
        return error;
      }
    })();
    expect((n as { code?: string }).code).toBe("unverified-note"); // no published keys
    const b64 = C2SP_WITNESS_SIG_LINE.trim().split(" ")[2]!;
    expect(cosignatureTimestamp(b64)).toBe(C2SP_WITNESS_TIME);
    expect(Buffer.from(b64, "base64").subarray(0, 4).toString("hex")).toBe("8d66cf3f");
    expect(dec(cosignatureMessage(C2SP_CHECKPOINT_TEXT, C2SP_WITNESS_TIME))).toBe(
      "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
    );
  });
});

describe("tlog-cosignature: cosign and verify", () => {
  it("signs exactly 'cosignature/v1\\ntime <t>\\n' + checkpoint, checked with node:crypto", () => {
    const line = cosign(TD_COSIGNED_TEXT, witness, 1727964367);
    expect(line.startsWith("— witness.example/w1 ")).toBe(true);
    expect(line.endsWith("\n")).toBe(true);
    const payload = Buffer.from(line.trim().split(" ")[2]!, "base64");
    expect(payload).toHaveLength(76);
    expect(payload.readUInt32BE(0)).toBe(witness.keyId);
    expect(payload.readBigUInt64BE(4)).toBe(1727964367n);
    const message = enc(`${COSIGNATURE_V1_HEADER}time 1727964367\n${TD_COSIGNED_TEXT}`);
    expect(opensslVerify(witness.publicKey, message, payload.subarray(12))).toBe(true);
    expect(verifyCosignature(TD_COSIGNED_TEXT, line, witnessV)).toBe(1727964367n);
    expect(verifyCosignature(TD_COSIGNED_TEXT, line.trimEnd(), witnessV)).toBe(1727964367n);
  });

  it("pins one cosignature (our own output; Ed25519 is deterministic, so any change is a format change)", () => {
    const key = generateCosignerKey("witness.example/w1", hex(RFC8032_TEST2.seed));
    expect(key.verifierKey).toBe(witness.verifierKey);
    expect(witness.keyId).toBe(cosignerKeyId("witness.example/w1", hex(RFC8032_TEST2.publicKey)));
    const line = cosign(C2SP_CHECKPOINT_TEXT, witness, C2SP_WITNESS_TIME);
    expect(line).toBe(cosign(C2SP_CHECKPOINT_TEXT, witness, C2SP_WITNESS_TIME));
    expect(verifyCosignature(C2SP_CHECKPOINT_TEXT, line, witnessV)).toBe(C2SP_WITNESS_TIME);
  });

  it("works inside openNote/openCheckpoint next to the log signature; unknown witnesses are ignored", () => {
    const log = parseSignerKey(generateKey("example.com/behind-the-sofa", hex(RFC8032_TEST1.seed)).signerKey);
    const logV = parseVerifierKey(log.verifierKey);
    const other = parseCosignerSignerKey(
      generateCosignerKey("witness.example/w2", new Uint8Array(32).fill(9)).signerKey,
    );
    const note =
      dec(signNote(C2SP_CHECKPOINT_TEXT, [log])) +
      cosign(C2SP_CHECKPOINT_TEXT, witness, 1700000000) +
      cosign(C2SP_CHECKPOINT_TEXT, other, 1700000001);
    const opened = openCheckpoint(note, "example.com/behind-the-sofa", logV, [witnessV]);
    expect(opened.verifiedSignatures.map((s) => s.name)).toEqual([
      "example.com/behind-the-sofa",
      "witness.example/w1",
    ]);
    expect(opened.unverifiedSignatures.map((s) => s.name)).toEqual(["witness.example/w2"]);
    expect(cosignatureTimestamp(opened.verifiedSignatures[1]!)).toBe(1700000000n);
    // A cosignature line with a tampered time fails as a known key's bad signature.
    const payload = Buffer.from(
      cosign(C2SP_CHECKPOINT_TEXT, witness, 1700000000).trim().split(" ")[2]!,
      "base64",
    );
    payload.writeBigUInt64BE(1700000002n, 4);
    const tampered = `${dec(signNote(C2SP_CHECKPOINT_TEXT, [log]))}— witness.example/w1 ${payload.toString("base64")}\n`;
    expect(codeOf(() => openCheckpoint(tampered, "example.com/behind-the-sofa", logV, [witnessV]))).toBe(
      "invalid-signature",
    );
  });

  it("openCosignedCheckpoint says, cosigner by cosigner, who signed (name and key id both)", () => {
    const log = parseSignerKey(generateKey("example.com/behind-the-sofa", hex(RFC8032_TEST1.seed)).signerKey);
    const logV = parseVerifierKey(log.verifierKey);
    const other = parseCosignerSignerKey(
      generateCosignerKey("witness.example/w2", new Uint8Array(32).fill(9)).signerKey,
    );
    const otherV = parseCosignerVerifierKey(other.verifierKey);
    // Same name as w1, another key: its key id differs, so w1's line is not its signature.
    const impostorV = parseCosignerVerifierKey(
      generateCosignerKey("witness.example/w1", new Uint8Array(32).fill(7)).verifierKey,
    );
    const note =
      dec(signNote(C2SP_CHECKPOINT_TEXT, [log])) + cosign(C2SP_CHECKPOINT_TEXT, witness, 1700000000);
    const opened = openCosignedCheckpoint(note, logV, [witnessV, otherV, undefined, impostorV]);
    expect(opened.cosigned).toEqual([true, false, false, false]);
    expect(opened.checkpoint.origin).toBe("example.com/behind-the-sofa");
    // Without the log's own signature nothing is opened.
    const unsigned = `${C2SP_CHECKPOINT_TEXT}\n${cosign(C2SP_CHECKPOINT_TEXT, witness, 1700000000)}`;
    expect(codeOf(() => openCosignedCheckpoint(unsigned, logV, [witnessV]))).toBe("unverified-note");
  });

  it("covers extension lines (TestSigCoversExtensionLines)", () => {
    const text = `${TD_COSIGNED_TEXT}Extendo\n`;
    const line = cosign(text, witness, 5);
    expect(verifyCosignature(text, line, witnessV)).toBe(5n);
    expect(codeOf(() => verifyCosignature(`${TD_COSIGNED_TEXT}Extend@\n`, line, witnessV))).toBe(
      "invalid-signature",
    );
  });

  it("is not an Ed25519 note signature: a 0x01 verifier of the same key ignores it", () => {
    const seed = new Uint8Array(32).fill(3);
    const cos = parseCosignerSignerKey(generateCosignerKey("w", seed).signerKey);
    const noteV = parseVerifierKey(generateKey("w", seed).verifierKey);
    expect(noteV.keyId).not.toBe(cos.keyId);
    const log = parseSignerKey(generateKey("log", new Uint8Array(32).fill(4)).signerKey);
    const note = dec(signNote(TD_COSIGNED_TEXT, [log])) + cosign(TD_COSIGNED_TEXT, cos, 1);
    const n = openNote(note, [parseVerifierKey(log.verifierKey), noteV]);
    expect(n.unverifiedSignatures.map((s) => s.name)).toEqual(["w"]);
  });

  it("rejects wrong keys, malformed lines, bad times and non-checkpoint texts", () => {
    const line = cosign(TD_COSIGNED_TEXT, witness, 10);
    const otherV = parseCosignerVerifierKey(
      generateCosignerKey("witness.example/w1", new Uint8Array(32).fill(1)).verifierKey,
    );
    expect(codeOf(() => verifyCosignature(TD_COSIGNED_TEXT, line, otherV))).toBe("invalid-signature");
    expect(codeOf(() => verifyCosignature(TD_COSIGNED_TEXT.replace("123", "124"), line, witnessV))).toBe(
      "invalid-signature",
    );
    for (const bad of [
      line + line,
      line.replace("— ", "- "),
      line.replace("=\n", "\n"),
      "— witness.example/w1\n",
    ]) {
      expect(codeOf(() => verifyCosignature(TD_COSIGNED_TEXT, bad, witnessV))).toBe("malformed-cosignature");
    }
    expect(codeOf(() => cosign(TD_COSIGNED_TEXT, witness, -1))).toBe("invalid-argument");
    expect(codeOf(() => cosign(TD_COSIGNED_TEXT, witness, 1.5))).toBe("invalid-argument");
    expect(codeOf(() => cosign(TD_COSIGNED_TEXT, witness, MAX_COSIGNATURE_TIMESTAMP + 1n))).toBe(
      "invalid-argument",
    );
    expect(
      verifyCosignature(
        TD_COSIGNED_TEXT,
        cosign(TD_COSIGNED_TEXT, witness, MAX_COSIGNATURE_TIMESTAMP),
        witnessV,
      ),
    ).toBe(MAX_COSIGNATURE_TIMESTAMP);
    expect(codeOf(() => cosign("not a checkpoint\n", witness, 1))).toBe("malformed-checkpoint");
    expect(codeOf(() => cosign(TD_COSIGNED_TEXT, { ...witness }, 1))).toBe("invalid-argument");
    // A timestamp above 2^63 - 1 is malformed even if everything else is in place.
    const payload = Buffer.from(line.trim().split(" ")[2]!, "base64");
    payload.writeBigUInt64BE(1n << 63n, 4);
    expect(
      codeOf(() =>
        verifyCosignature(TD_COSIGNED_TEXT, `— witness.example/w1 ${payload.toString("base64")}`, witnessV),
      ),
    ).toBe("malformed-cosignature");
  });

  it("round-trips cosigner key texts and refuses 0x01 signer keys and mismatched ids", () => {
    const { signerKey, verifierKey } = generateCosignerKey("w.example", new Uint8Array(32).fill(5));
    expect(signerKey.startsWith("PRIVATE+KEY+w.example+")).toBe(true);
    expect(Buffer.from(signerKey.split("+").slice(4).join("+"), "base64")[0]).toBe(0x04);
    expect(Buffer.from(verifierKey.split("+").slice(2).join("+"), "base64")[0]).toBe(0x04);
    expect(parseCosignerSignerKey(signerKey).verifierKey).toBe(verifierKey);
    expect(
      codeOf(() => parseCosignerSignerKey(generateKey("w.example", new Uint8Array(32).fill(5)).signerKey)),
    ).toBe("malformed-key");
    expect(codeOf(() => parseCosignerSignerKey(signerKey.replace(/\+[0-9a-f]{8}\+/, "+00000000+")))).toBe(
      "malformed-key",
    );
  });
});
