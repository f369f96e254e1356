import { cosign, NoteError, parseCosignerSignerKey } from "@armsledger/ledger";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  attachCosignatures,
  checkWitnessed,
  formatPolicy,
  generateWitnessKey,
  groupThreshold,
  PolicyError,
  parsePolicy,
  policySatisfied,
} from "../../src/witness/index.ts";
import { TestLog } from "./helpers.ts";

const keys = Object.fromEntries(
  ["X1", "X2", "X3", "Y1", "Y2", "Y3"].map((n) => [
    n,
    generateWitnessKey(`witness.example/${n.toLowerCase()}`),
  ]),
);
const vkey = (n: string) => keys[n]!.verifierKeyText;
const log = new TestLog("example.org/policy-log").grow(5);

// The example of c2sp.org/tlog-policy, with real keys.
const example = `log ${log.verifierKey}

witness X1 ${vkey("X1")}
witness X2 ${vkey("X2")}
witness X3 ${vkey("X3")}
group X-witnesses 2 X1 X2 X3

witness Y1 ${vkey("Y1")}
witness Y2 ${vkey("Y2")}
witness Y3 ${vkey("Y3")}
group Y-witnesses any Y1 Y2 Y3

group X-and-Y all X-witnesses Y-witnesses
quorum X-and-Y
`;

describe("C2SP tlog-policy", () => {
  it("parses the spec's example and evaluates the two-level quorum", () => {
    const policy = parsePolicy(example);
    expect(policy.logs).toEqual([{ verifierKey: log.verifierKey, origin: log.origin }]);
    expect(policy.witnesses.map((w) => w.name)).toEqual(["X1", "X2", "X3", "Y1", "Y2", "Y3"]);
    expect(policy.groups.map((g) => [g.name, groupThreshold(g)])).toEqual([
      ["X-witnesses", 2],
      ["Y-witnesses", 1],
      ["X-and-Y", 2],
    ]);
    expect(policy.quorum).toBe("X-and-Y");
    expect(policySatisfied(policy, ["X1", "X2", "Y3"])).toBe(true);
    expect(policySatisfied(policy, ["X1", "X3", "Y1", "Y2"])).toBe(true);
    expect(policySatisfied(policy, ["X1", "Y1", "Y2", "Y3"])).toBe(false); // only 1 of X
    expect(policySatisfied(policy, ["X1", "X2", "X3"])).toBe(false); // no Y
    expect(policySatisfied(policy, ["X-witnesses", "Y-witnesses"])).toBe(false); // groups are not witnesses
    expect(policySatisfied(policy, [])).toBe(false);
  });

  it("agrees with a brute-force count for K-of-N over every subset", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), (n, kRaw) => {
        const k = Math.min(kRaw, n);
        const names = ["X1", "X2", "X3", "Y1", "Y2", "Y3"].slice(0, n);
        const policy = parsePolicy(
          `${names.map((w) => `witness ${w} ${vkey(w)}\n`).join("")}group q ${k} ${names.join(" ")}\nquorum q\n`,
        );
        for (let mask = 0; mask < 1 << n; mask++) {
          const set = names.filter((_, i) => mask & (1 << i));
          expect(policySatisfied(policy, set)).toBe(set.length >= k);
        }
      }),
    );
  });

  it("supports quorum none, a single witness quorum, comments, tabs and URLs, and formats back", () => {
    const none = parsePolicy(`# no witnesses\nlog ${log.verifierKey} https://log.example/\nquorum none\n`);
    expect(policySatisfied(none, [])).toBe(true);
    expect(none.logs[0]!.url).toBe("https://log.example/");
    const single = parsePolicy(
      `  \t# comment\n\twitness  W \t${vkey("X1")}  https://w.example/#frag  \n\nquorum W\n`,
    );
    expect(single.witnesses[0]).toEqual({
      name: "W",
      verifierKey: vkey("X1"),
      url: "https://w.example/#frag",
    });
    expect(policySatisfied(single, ["W"])).toBe(true);
    expect(policySatisfied(single, [])).toBe(false);
    for (const policy of [parsePolicy(example), none, single]) {
      expect(parsePolicy(formatPolicy(policy))).toEqual(policy);
    }
  });

  it("refuses what the spec rules out", () => {
    const w = (name: string, key = "X1") => `witness ${name} ${vkey(key)}\n`;
    const bad: [string, RegExp][] = [
      ["", /no quorum/],
      [`${w("A")}`, /no quorum/],
      [`${w("A")}quorum A`, /newline/],
      [`${w("A")}quorum A\r\n`, /control character/],
      [`${w("A")}quorum A\nquorum A\n`, /exactly one quorum/],
      ["quorum A\n", /not defined/],
      [`quorum A\n${w("A")}`, /not defined/],
      [`${w("A")}${w("A", "X2")}quorum A\n`, /duplicate name/],
      [`${w("A")}${w("B")}quorum A\n`, /duplicate witness public key/],
      [`${w("none")}quorum none\n`, /predefined/],
      [`${w("A")}group G none A\nquorum G\n`, /threshold/],
      [`${w("A")}group G 0 A\nquorum G\n`, /threshold/],
      [`${w("A")}group G 2 A\nquorum G\n`, /above/],
      [`${w("A")}group G 01 A\nquorum G\n`, /threshold/],
      [`${w("A")}group G any\nquorum G\n`, /expected/],
      [`${w("A")}group G any A A\nquorum G\n`, /already listed/],
      [`${w("A")}group G any A\ngroup H any A\nquorum H\n`, /already listed/],
      [`${w("A")}group G any B\nquorum G\n`, /not defined/],
      [`${w("A")}group G any none\nquorum G\n`, /cannot be a group member/],
      [`${w("A")}group G any G\nquorum G\n`, /not defined/],
      [`${w("A")}group A any A\nquorum A\n`, /duplicate name/],
      [`witness A ${log.verifierKey}\nquorum A\n`, /type 0x04/],
      [`log ${vkey("X1")}\nquorum none\n`, /type 0x01/],
      [`log ${log.verifierKey}\nlog ${log.verifierKey}\nquorum none\n`, /duplicate log/],
      [`log ${log.verifierKey} url extra\nquorum none\n`, /expected/],
      [`${w("A")}quorum A B\n`, /expected/],
      [`${w("A")}witnesses B ${vkey("X2")}\nquorum A\n`, /unknown keyword/],
      [`${w("A")}quorum A # trailing comment\n`, /expected/],
    ];
    for (const [text, message] of bad) {
      expect(() => parsePolicy(text), JSON.stringify(text)).toThrow(PolicyError);
      expect(() => parsePolicy(text), JSON.stringify(text)).toThrow(message);
    }
    try {
      parsePolicy(`${w("A")}group G any B\nquorum G\n`);
    } catch (error) {
      expect((error as PolicyError).line).toBe(2);
    }
  });
});

describe("attachCosignatures and checkWitnessed", () => {
  const note = log.checkpoint();
  const text = note.slice(0, note.lastIndexOf("\n\n") + 1);
  const cosig = (n: string, t = 1_700_000_000) =>
    cosign(text, parseCosignerSignerKey(keys[n]!.signerKeyText), t);

  it("builds the cosigned note and checks the quorum", () => {
    const policy = parsePolicy(example);
    const cosigned = attachCosignatures(note, [cosig("X1"), `${cosig("X3")}${cosig("Y2")}`]);
    expect(cosigned.startsWith(note)).toBe(true);
    expect(cosigned.split("\n\u2014 ")).toHaveLength(5);
    const result = checkWitnessed(cosigned, log.verifierKey, policy);
    expect(result).toMatchObject({ witnessed: true, verifiedWitnesses: ["X1", "X3", "Y2"] });
    expect(result.missing).toEqual(["X2", "Y1", "Y3"]);
    expect(result.checkpoint.size).toBe(5n);

    // Attaching twice does not duplicate; too few cosignatures do not satisfy the quorum.
    expect(attachCosignatures(cosigned, cosig("X1"))).toBe(cosigned);
    const partial = checkWitnessed(
      attachCosignatures(note, [cosig("X1"), cosig("X2")]),
      log.verifierKey,
      policy,
    );
    expect(partial).toMatchObject({ witnessed: false, verifiedWitnesses: ["X1", "X2"] });
    // Bytes in, unknown cosigners ignored.
    const stranger = cosign(text, parseCosignerSignerKey(generateWitnessKey("stranger").signerKeyText), 5);
    const withStranger = attachCosignatures(new TextEncoder().encode(cosigned), [stranger]);
    expect(checkWitnessed(withStranger, log.verifierKey, policy).witnessed).toBe(true);
  });

  it("rejects a bad cosignature from a policy witness, a wrong log key, and malformed lines", () => {
    const policy = parsePolicy(example);
    const forged = cosign(
      text.replace("\n5\n", "\n6\n"),
      parseCosignerSignerKey(keys.X1!.signerKeyText),
      1_700_000_000,
    ); // X1's signature over another checkpoint
    expect(() => checkWitnessed(attachCosignatures(note, [forged]), log.verifierKey, policy)).toThrow(
      NoteError,
    );
    const other = new TestLog("example.org/other").grow(1);
    expect(() => checkWitnessed(attachCosignatures(note, [cosig("X1")]), other.verifierKey, policy)).toThrow(
      /not one of the policy's logs/,
    );
    expect(() => attachCosignatures(note, ["— X1"])).toThrow(NoteError);
    expect(() => attachCosignatures(note, ["- witness AAAA"])).toThrow(NoteError);
    expect(() => attachCosignatures(text, [cosig("X1")])).toThrow(NoteError);
  });
});
