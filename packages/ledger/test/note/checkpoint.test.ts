import { describe, expect, it } from "vitest";
import {
  ed25519VerifierKey,
  formatCheckpoint,
  MAX_TREE_SIZE,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseTreeSize,
  parseVerifierKey,
  signNote,
} from "../../src/note/index.ts";
import { codeOf, enc, hex } from "./helpers.ts";
import {
  C2SP_CHECKPOINT_TEXT,
  C2SP_LOG_SIG_LINE,
  SIGSUM_LOG_PUBLIC_KEY_HEX,
  SIGSUM_NOTE,
  SIGSUM_ORIGIN,
  TD_CHECKPOINT_INVALID,
  TD_CHECKPOINT_MARSHAL,
  TD_KNOWN1_SK,
  TD_KNOWN1_VK,
  TD_KNOWN2_SK,
  TD_KNOWN2_VK,
  TD_LOG_SK,
  TD_LOG_VK,
  TD_SUMDB_NOTE,
  TD_SUMDB_VKEY,
  TD_UNKNOWN_SK,
} from "./vectors.ts";

const root = hex("0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62");

describe("tlog-checkpoint: C2SP and transparency-dev vectors", () => {
  it("parses the C2SP example checkpoint and formats it back", () => {
    const cp = parseCheckpoint(C2SP_CHECKPOINT_TEXT);
    expect(cp.origin).toBe("example.com/behind-the-sofa");
    expect(cp.size).toBe(20852163n);
    expect(Buffer.from(cp.rootHash).toString("base64")).toBe("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
    expect(cp.rootHash).toEqual(root);
    expect(cp.extensions).toEqual([]);
    expect(formatCheckpoint(cp)).toBe(C2SP_CHECKPOINT_TEXT);
  });

  it("opens the C2SP example's note syntax (its log key is not published)", () => {
    const note = `${C2SP_CHECKPOINT_TEXT}\n${C2SP_LOG_SIG_LINE}`;
    expect(codeOf(() => openNote(note, []))).toBe("unverified-note");
  });

  it("formats transparency-dev's TestMarshal layout (their roots are not 32 bytes, so we refuse them)", () => {
    for (const v of TD_CHECKPOINT_MARSHAL) {
      const hash = enc(v.hashText);
      const [origin, size, rootLine] = v.want.split("\n");
      expect(origin).toBe(v.origin);
      expect(size).toBe(String(v.size));
      expect(rootLine).toBe(Buffer.from(hash).toString("base64"));
      expect(codeOf(() => formatCheckpoint({ origin: v.origin, size: v.size, rootHash: hash }))).toBe(
        "malformed-checkpoint",
      );
      expect(codeOf(() => parseCheckpoint(v.want))).toBe("malformed-checkpoint");
      // The same layout with a 32-byte root round-trips.
      const text = formatCheckpoint({ origin: v.origin, size: v.size, rootHash: root });
      expect(text).toBe(`${v.origin}\n${v.size}\n${Buffer.from(root).toString("base64")}\n`);
      expect(parseCheckpoint(text).size).toBe(v.size);
    }
  });

  it("parses extension lines (TestUnmarshalLogState 'valid with trailing data', with a 32-byte root)", () => {
    const b64 = Buffer.from(root).toString("base64");
    const one = parseCheckpoint(`Log\n9944\n${b64}\nHere's some associated data.\n`);
    expect(one.extensions).toEqual(["Here's some associated data."]);
    const many = parseCheckpoint(`Log\n9944\n${b64}\nlots\nof\nlines\n`);
    expect(many.extensions).toEqual(["lots", "of", "lines"]);
    expect(formatCheckpoint(many)).toBe(`Log\n9944\n${b64}\nlots\nof\nlines\n`);
  });

  it("rejects transparency-dev's invalid checkpoints", () => {
    for (const [name, text] of Object.entries(TD_CHECKPOINT_INVALID)) {
      expect([name, codeOf(() => parseCheckpoint(text))]).toEqual([name, "malformed-checkpoint"]);
    }
  });

  it("opens the real sum.golang.org checkpoint (key name differs from origin there)", () => {
    const opened = openCheckpoint(TD_SUMDB_NOTE, "go.sum database tree", parseVerifierKey(TD_SUMDB_VKEY));
    expect(opened.checkpoint.size).toBe(6476701n);
    expect(opened.checkpoint.origin).toBe("go.sum database tree");
    expect(
      codeOf(() =>
        openCheckpoint(
          TD_SUMDB_NOTE,
          "Go rocks but I might have the wrong ID",
          parseVerifierKey(TD_SUMDB_VKEY),
        ),
      ),
    ).toBe("checkpoint-mismatch");
  });

  it("opens a real sigsum log checkpoint whose key name is its origin (FiloSottile/torchwood testdata)", () => {
    const logKey = parseVerifierKey(ed25519VerifierKey(SIGSUM_ORIGIN, hex(SIGSUM_LOG_PUBLIC_KEY_HEX)));
    expect(logKey.keyId).toBe(0xec1293d2);
    const opened = openCheckpoint(SIGSUM_NOTE, SIGSUM_ORIGIN, logKey);
    expect(opened.checkpoint.size).toBe(1n);
    expect(opened.checkpoint.rootHash[0]).toBe(0x2a);
  });
});

// transparency-dev/formats log/note_test.go TestParseCheckpoint, with their keys; the checkpoint
// body uses a 32-byte root instead of their 6-byte "abcdef".
describe("openCheckpoint scenarios (transparency-dev TestParseCheckpoint)", () => {
  const body = formatCheckpoint({ origin: "TestParseCheckpoint", size: 42, rootHash: root });
  const [lns, k1ns, k2ns, uns] = [TD_LOG_SK, TD_KNOWN1_SK, TD_KNOWN2_SK, TD_UNKNOWN_SK].map(
    parseSignerKey,
  ) as [
    ReturnType<typeof parseSignerKey>,
    ReturnType<typeof parseSignerKey>,
    ReturnType<typeof parseSignerKey>,
    ReturnType<typeof parseSignerKey>,
  ];
  const logV = parseVerifierKey(TD_LOG_VK);
  const others = [parseVerifierKey(TD_KNOWN1_VK), parseVerifierKey(TD_KNOWN2_VK)];
  const cases = [
    { desc: "just log sig", text: body, sigs: [lns], ok: true, want: 1 },
    {
      desc: "bad body good sigs",
      text: "if this is a valid checkpoint then I'll eat my hat\n",
      sigs: [lns],
      ok: false,
    },
    { desc: "log and known1 sig", text: body, sigs: [lns, k1ns], ok: true, want: 2 },
    { desc: "log, known1, and unknown sig", text: body, sigs: [lns, k1ns, uns], ok: true, want: 2 },
    { desc: "just required sigs", text: body, sigs: [lns, k1ns, k2ns], ok: true, want: 3 },
    { desc: "one verifier signs twice", text: body, sigs: [lns, k1ns, k1ns], ok: true, want: 2 },
    { desc: "mixed order", text: body, sigs: [k2ns, lns, k1ns], ok: true, want: 3 },
    { desc: "all sigs", text: body, sigs: [lns, k1ns, k2ns, uns], ok: true, want: 3 },
    { desc: "just known", text: body, sigs: [k1ns, k2ns], ok: false },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      const note = signNote(c.text, c.sigs);
      if (c.ok) {
        expect(openCheckpoint(note, "TestParseCheckpoint", logV, others).verifiedSignatures).toHaveLength(
          c.want!,
        );
      } else {
        expect(codeOf(() => openCheckpoint(note, "TestParseCheckpoint", logV, others))).not.toBe("no error");
      }
    });
  }
  it("all sigs but wrong origin", () => {
    const note = signNote(body, [lns, k1ns, k2ns, uns]);
    expect(
      codeOf(() => openCheckpoint(note, "this is not the logID you are looking for", logV, others)),
    ).toBe("checkpoint-mismatch");
  });
});

describe("tlog-checkpoint: strict parsing", () => {
  const b64 = Buffer.from(root).toString("base64");
  const good = `example.com/log\n10\n${b64}\n`;

  it("accepts sizes 0 and 2^64 - 1 and nothing outside", () => {
    expect(parseCheckpoint(`o\n0\n${b64}\n`).size).toBe(0n);
    expect(parseTreeSize("18446744073709551615")).toBe(MAX_TREE_SIZE);
    expect(codeOf(() => parseTreeSize("18446744073709551616"))).toBe("malformed-checkpoint");
    expect(parseTreeSize("9007199254740993")).toBe(9007199254740993n); // beyond 2^53, exact
  });

  it("rejects leading zeros, signs, whitespace and other digits in the size", () => {
    for (const size of ["00", "010", "+10", "-10", " 10", "10 ", "1_0", "1e3", "0x10", "١٠", "10.0", ""]) {
      expect([size, codeOf(() => parseCheckpoint(`o\n${size}\n${b64}\n`))]).toEqual([
        size,
        "malformed-checkpoint",
      ]);
    }
  });

  it("rejects non-canonical or wrong-length root hashes", () => {
    const trailingBits = `${b64.slice(0, 42)}J=`; // "I=" is canonical; "J=" sets a trailing bit
    expect(b64.slice(42)).toBe("I=");
    for (const r of [
      trailingBits,
      b64.slice(0, -1),
      `${b64.slice(0, -1)}==`,
      ` ${b64}`,
      `${b64} `,
      b64.replaceAll("/", "_"),
      "",
      Buffer.from(root.subarray(1)).toString("base64"),
    ]) {
      expect([r, codeOf(() => parseCheckpoint(`o\n10\n${r}\n`))]).toEqual([r, "malformed-checkpoint"]);
    }
  });

  it("rejects a missing final newline, empty lines, CRLF and control characters", () => {
    expect(parseCheckpoint(good).origin).toBe("example.com/log");
    for (const text of [
      good.slice(0, -1),
      `\n${good}`,
      `${good}\n`,
      good.replaceAll("\n", "\r\n"),
      good.replace("example", "exa\u0000mple"),
      good.replace("example", "exa\tmple"),
      good.replace("example", "exa\u001bmple"),
      `${good}ext\u0007\n`,
      `\ud800${good}`,
      "",
    ]) {
      expect([text, codeOf(() => parseCheckpoint(text))]).toEqual([text, "malformed-checkpoint"]);
    }
  });

  it("formatCheckpoint validates what it writes", () => {
    expect(formatCheckpoint({ origin: "o", size: 0n, rootHash: root, extensions: ["x"] })).toBe(
      `o\n0\n${b64}\nx\n`,
    );
    for (const input of [
      { origin: "", size: 1, rootHash: root },
      { origin: "a\nb", size: 1, rootHash: root },
      { origin: "o", size: -1, rootHash: root },
      { origin: "o", size: 1.5, rootHash: root },
      { origin: "o", size: 2 ** 53, rootHash: root },
      { origin: "o", size: MAX_TREE_SIZE + 1n, rootHash: root },
      { origin: "o", size: 1, rootHash: new Uint8Array(31) },
      { origin: "o", size: 1, rootHash: root, extensions: [""] },
      { origin: "o", size: 1, rootHash: root, extensions: ["a\nb"] },
    ]) {
      expect(codeOf(() => formatCheckpoint(input))).toBe("malformed-checkpoint");
    }
  });

  it("openCheckpoint requires the log's own signature, not just any known one", () => {
    const log = parseSignerKey(TD_LOG_SK);
    const other = parseSignerKey(TD_KNOWN1_SK);
    const note = signNote(formatCheckpoint({ origin: "Log", size: 1, rootHash: root }), [other]);
    expect(
      codeOf(() =>
        openCheckpoint(note, "Log", parseVerifierKey(TD_LOG_VK), [parseVerifierKey(TD_KNOWN1_VK)]),
      ),
    ).toBe("unverified-note");
    const good2 = signNote(formatCheckpoint({ origin: "Log", size: 1, rootHash: root }), [log]);
    expect(openCheckpoint(good2, "Log", parseVerifierKey(TD_LOG_VK)).checkpoint.size).toBe(1n);
  });
});
