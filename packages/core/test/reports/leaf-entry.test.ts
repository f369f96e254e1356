import { canonicalJson } from "@armsledger/ledger";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LeafEntryError, parseLeafEntry } from "../../src/reports/leaf-entry.ts";
import { testUuid } from "../memory-view.ts";

const encode = (s: string) => new TextEncoder().encode(s);

const entry = {
  v: 1,
  index: 12,
  type: "handover.recorded",
  at: "2025-03-01T10:00:00.000Z",
  actor: testUuid(0xacc0),
  command: testUuid(7),
  data: { siteId: testUuid(1), weapons: [{ category: "rifle", serviceable: true }], note: "é ü 😀" },
  personal: "ab".repeat(32),
};

function rejects(text: string | Uint8Array, reason: RegExp) {
  const bytes = typeof text === "string" ? encode(text) : text;
  expect(() => parseLeafEntry(bytes)).toThrow(LeafEntryError);
  expect(() => parseLeafEntry(bytes)).toThrow(reason);
}

describe("parseLeafEntry", () => {
  it("reads a canonical leaf", () => {
    expect(parseLeafEntry(encode(canonicalJson(entry)))).toEqual(entry);
    const { personal: _, ...withoutPersonal } = entry;
    expect(parseLeafEntry(encode(canonicalJson(withoutPersonal)))).toEqual(withoutPersonal);
  });

  it("refuses any other spelling of the same value", () => {
    const canonical = canonicalJson(entry);
    rejects(JSON.stringify(entry), /canonical/); // key order
    rejects(JSON.stringify(JSON.parse(canonical), null, 1), /canonical/); // whitespace
    rejects(`${canonical}\n`, /canonical/); // trailing newline
    rejects(` ${canonical}`, /canonical/);
    rejects(canonical.replace('"index":12', '"index":12.0'), /canonical/); // number form
    rejects(canonical.replace('"index":12', '"index":1.2e1'), /canonical/);
    rejects(canonical.replace("é", "\\u00e9"), /canonical/); // needless escape
    rejects(canonical.replace('{"actor"', '{"actor":"x","actor"'), /canonical/); // duplicate key
    rejects(new Uint8Array([0xef, 0xbb, 0xbf, ...encode(canonical)]), /JSON|canonical/); // BOM
    rejects(canonical.replace("é", "\\ud800"), /no canonical form/); // lone surrogate
  });

  it("refuses what is not UTF-8 or JSON", () => {
    rejects(new Uint8Array([0x7b, 0xff, 0x7d]), /UTF-8/);
    rejects("{", /JSON/);
    rejects("", /JSON/);
  });

  it("refuses a canonical value that is not a leaf", () => {
    const bad = (patch: Record<string, unknown>) => encode(canonicalJson({ ...entry, ...patch }));
    rejects(bad({ v: 2 }), /^v:/);
    rejects(bad({ index: -1 }), /^index:/);
    rejects(bad({ type: "Handover Recorded" }), /^type:/);
    rejects(bad({ at: "yesterday" }), /^at:/);
    rejects(bad({ command: "not-a-uuid" }), /^command:/);
    rejects(bad({ personal: "AB".repeat(32) }), /^personal:/);
    rejects(bad({ extra: true }), /extra|Unrecognized/);
    rejects(encode(canonicalJson([entry])), /entry/);
  });

  it("round-trips every leaf it accepts, and accepts only the canonical bytes", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (data, index) => {
        const value = { ...entry, index, data: { value: data } };
        let text: string;
        try {
          text = canonicalJson(value);
        } catch {
          return; // values with no JSON form (e.g. -0 is fine, but be safe)
        }
        const parsed = parseLeafEntry(encode(text));
        expect(canonicalJson(parsed)).toBe(text);
        const spaced = JSON.stringify(JSON.parse(text), null, 2);
        if (spaced !== text) expect(() => parseLeafEntry(encode(spaced))).toThrow(LeafEntryError);
      }),
      { numRuns: 200 },
    );
  });
});
