import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  commitment,
  emptyRoot,
  leafHash,
  nodeHash,
  opensCommitment,
  toHex,
} from "../src/index.ts";

const ascii = (s: string) => new TextEncoder().encode(s);

// Vectors from transparency-dev/merkle, rfc6962/rfc6962_test.go (Apache-2.0).
describe("RFC 9162 tree hashing", () => {
  it("hashes the empty tree as SHA-256 of nothing", () => {
    expect(toHex(emptyRoot())).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
  it("prefixes leaves with 0x00", () => {
    expect(toHex(leafHash(new Uint8Array()))).toBe(
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    );
    expect(toHex(leafHash(ascii("L123456")))).toBe(
      "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56",
    );
  });
  it("prefixes interior nodes with 0x01", () => {
    expect(toHex(nodeHash(ascii("N123"), ascii("N456")))).toBe(
      "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb",
    );
  });
  it("never lets an interior node pass as a leaf", () => {
    const a = leafHash(ascii("Hello"));
    const b = leafHash(ascii("World"));
    const joined = new Uint8Array([...a, ...b]);
    expect(toHex(nodeHash(a, b))).not.toBe(toHex(leafHash(joined)));
  });
});

describe("canonical JSON (RFC 8785)", () => {
  it("sorts keys and normalises numbers", () => {
    expect(canonicalJson({ b: 1, a: [1e21, 0.5, "ش"] })).toBe('{"a":[1e+21,0.5,"ش"],"b":1}');
  });
  it("is the same for any key order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      }),
    );
  });
});

describe("salted commitments", () => {
  const salt = new Uint8Array(32).fill(7);
  it("opens with the right salt and value only", () => {
    const c = commitment(salt, { name: "محمد" });
    expect(opensCommitment(c, salt, { name: "محمد" })).toBe(true);
    expect(opensCommitment(c, salt, { name: "محمود" })).toBe(false);
    expect(opensCommitment(c, new Uint8Array(32).fill(8), { name: "محمد" })).toBe(false);
  });
  it("refuses short salts", () => {
    expect(() => commitment(new Uint8Array(8), {})).toThrow(/32 bytes/);
  });
});
