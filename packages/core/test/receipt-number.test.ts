import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dammDigit, itemTag, parseReceiptNumber, receiptNumber } from "../src/rules/receipt-number.ts";

const leafIndex = fc.integer({ min: 0, max: 10 ** 12 });

/** The body and check digit of a well-formed receipt number. */
function parts(receipt: string): { body: string; check: string } {
  const m = /^R-([0-9]+)-([0-9])$/.exec(receipt);
  if (!m) throw new Error(`not a receipt number: ${receipt}`);
  return { body: m[1]!, check: m[2]! };
}

describe("dammDigit", () => {
  it.each([
    ["572", 4],
    ["5724", 0],
    ["", 0],
    ["0", 0],
    ["0000000", 0],
    ["1", 3],
    ["0000042", 7],
    ["123456789", 4],
  ])("of %j is %i", (digits, check) => {
    expect(dammDigit(digits)).toBe(check);
  });

  it("gives 0 for any number followed by its own check digit", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,20}$/), (digits) => {
        expect(dammDigit(digits + dammDigit(digits))).toBe(0);
      }),
    );
  });

  it("ignores leading zeros", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,12}$/), fc.integer({ min: 1, max: 8 }), (digits, zeros) => {
        expect(dammDigit("0".repeat(zeros) + digits)).toBe(dammDigit(digits));
      }),
    );
  });
});

describe("receiptNumber", () => {
  it("pads the leaf index to seven digits and appends the check digit", () => {
    expect(receiptNumber(0)).toBe("R-0000000-0");
    expect(receiptNumber(42)).toBe("R-0000042-7");
    expect(receiptNumber(572)).toBe("R-0000572-4");
    expect(receiptNumber(123_456_789)).toBe("R-123456789-4");
  });

  it("round-trips through parseReceiptNumber for every leaf index up to 10^12", () => {
    fc.assert(
      fc.property(leafIndex, (n) => {
        expect(parseReceiptNumber(receiptNumber(n))).toBe(n);
      }),
    );
    expect(parseReceiptNumber(receiptNumber(10 ** 12))).toBe(10 ** 12);
  });

  it("is read back as typed on a phone: lower case, no dashes, surrounding spaces", () => {
    fc.assert(
      fc.property(leafIndex, (n) => {
        const r = receiptNumber(n);
        expect(parseReceiptNumber(r.toLowerCase())).toBe(n);
        expect(parseReceiptNumber(r.replaceAll("-", ""))).toBe(n);
        expect(parseReceiptNumber(`  ${r}\n`)).toBe(n);
      }),
    );
  });
});

describe("parseReceiptNumber", () => {
  it.each([
    "",
    "R-",
    "R-0000042",
    "0000042-7",
    "X-0000042-7",
    "R-000042-7",
    "R-0000042-77",
    "R-00000A2-7",
    "R-0000042-9",
    "R--0000042-7",
    "R-1234567890123456-0",
    "R-٠٠٠٠٠٤٢-٧",
  ])("refuses %j", (text) => {
    expect(parseReceiptNumber(text)).toBeUndefined();
  });

  it("refuses every single-digit substitution in the body or the check digit", () => {
    fc.assert(
      fc.property(leafIndex, (n) => {
        const { body, check } = parts(receiptNumber(n));
        const digits = body + check;
        for (let i = 0; i < digits.length; i++)
          for (let d = 0; d <= 9; d++) {
            if (String(d) === digits[i]) continue;
            const typo = digits.slice(0, i) + d + digits.slice(i + 1);
            const text = `R-${typo.slice(0, -1)}-${typo.slice(-1)}`;
            expect(parseReceiptNumber(text), text).toBeUndefined();
          }
      }),
      { numRuns: 200 },
    );
  });

  it("refuses every swap of two adjacent different digits in the body", () => {
    fc.assert(
      fc.property(leafIndex, (n) => {
        const { body, check } = parts(receiptNumber(n));
        for (let i = 0; i + 1 < body.length; i++) {
          if (body[i] === body[i + 1]) continue;
          const swapped = body.slice(0, i) + body[i + 1] + body[i] + body.slice(i + 2);
          expect(parseReceiptNumber(`R-${swapped}-${check}`), swapped).toBeUndefined();
        }
      }),
      { numRuns: 500 },
    );
  });

  it("refuses a swap of the last body digit with the check digit", () => {
    fc.assert(
      fc.property(leafIndex, (n) => {
        const { body, check } = parts(receiptNumber(n));
        const last = body.slice(-1);
        fc.pre(last !== check);
        expect(parseReceiptNumber(`R-${body.slice(0, -1)}${check}-${last}`)).toBeUndefined();
      }),
    );
  });
});

describe("itemTag", () => {
  it("derives tags from the leaf index and the item's 1-based position", () => {
    expect(itemTag("W", 42, 0)).toBe("W0000042-01");
    expect(itemTag("A", 42, 9)).toBe("A0000042-10");
    expect(itemTag("W", 12_345_678, 99)).toBe("W12345678-100");
  });

  it("never gives two items of one handover the same tag", () => {
    fc.assert(
      fc.property(leafIndex, fc.integer({ min: 1, max: 500 }), (seq, count) => {
        const tags = Array.from({ length: count }, (_, i) => itemTag("W", seq, i));
        expect(new Set(tags).size).toBe(count);
      }),
      { numRuns: 50 },
    );
  });
});
