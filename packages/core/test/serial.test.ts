import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Problem } from "../src/problems.ts";
import {
  assertSerialNotPlaceholder,
  foldSerial,
  isPlaceholderSerial,
  serialKey,
} from "../src/rules/serial.ts";

const placeholders = [
  "xxx",
  "XXX",
  "x",
  "XXXXXXX",
  "unknown",
  "Unknown",
  "UNK",
  "Illegible",
  "unreadable",
  "not readable",
  "no serial",
  "No S/N",
  "none",
  "nil",
  "null",
  "TBD",
  "erased",
  "removed",
  "0000",
  "000000000",
  "----",
  "  ",
  "",
  "...",
  "N/A",
  "n/a",
  "N.A.",
  "N\\A",
  "?",
  "???",
  "***",
  "###",
  "غير معروف",
  "غير  معروف",
  "غيرمعروف",
  "مجهول",
  "لا يوجد",
  "غير مقروء",
  "ممسوح",
  "٠٠٠٠",
  "۰۰۰۰",
  "１１１１",
];

const realSerials = ["AK-47 123456", "12-34567", "A1B2C3", "KA 1234", "٥٦٧٨٩", "1938-AB", "NA12345", "X7"];

describe("isPlaceholderSerial", () => {
  it.each(placeholders)("refuses the placeholder %j", (serial) => {
    expect(isPlaceholderSerial(serial)).toBe(true);
  });

  it.each(realSerials)("accepts the real serial %j", (serial) => {
    expect(isPlaceholderSerial(serial)).toBe(false);
  });

  it("refuses any single character repeated, whatever the separators around it", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(..."0123456789ABCXZ٠١٩"),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom("", " ", "-", "."),
        (ch, n, sep) => isPlaceholderSerial(Array(n).fill(ch).join(sep)),
      ),
    );
  });

  it("refuses strings made only of separators and whitespace", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(" ", "-", "_", ".", "/", "\t") }), (s) =>
        isPlaceholderSerial(s),
      ),
    );
  });
});

describe("assertSerialNotPlaceholder", () => {
  it("throws a serial.placeholder problem naming the field", () => {
    const thrown = (() => {
      try {
        assertSerialNotPlaceholder("unknown", "payload.weapons.0.serial");
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toBeInstanceOf(Problem);
    expect((thrown as Problem).code).toBe("serial.placeholder");
    expect((thrown as Problem).status).toBe(422);
    expect((thrown as Problem).fields).toEqual([
      { path: "payload.weapons.0.serial", message: "placeholder serial" },
    ]);
  });

  it("lets a real serial through", () => {
    expect(() => assertSerialNotPlaceholder("AK-47 123456", "serial")).not.toThrow();
  });
});

describe("foldSerial", () => {
  it.each([
    ["AK-47 123456", "AK47123456"],
    ["ak 47-123_456", "AK47123456"],
    ["12-34567", "1234567"],
    ["12.345/67", "1234567"],
    ["a1b2c3", "A1B2C3"],
    ["١٢٣٤٥٦", "123456"],
    ["۱۲۳۴۵۶", "123456"],
    ["AK ٤٧-١٢٣", "AK47123"],
    ["ＡＫ４７", "AK47"],
    ["\u00a0AB\u2003 12\t", "AB12"],
  ])("folds %j to %j", (serial, folded) => {
    expect(foldSerial(serial)).toBe(folded);
  });

  it("is idempotent on serial-like text", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."abcxyzABCXYZ0123456789٠١٢٣٩۰۱۹ -_./\\") }), (s) => {
        const once = foldSerial(s);
        expect(foldSerial(once)).toBe(once);
      }),
    );
  });

  it("is idempotent on any Unicode text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const once = foldSerial(s);
        expect(foldSerial(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
    // Cases found by hand: upper-casing that decomposes, a combining mark after a removed space.
    for (const s of ["ΐ", "ǰ", "A \u0301", "ﬀ"]) expect(foldSerial(foldSerial(s))).toBe(foldSerial(s));
  });

  it("leaves no lower-case ASCII, separators or Arabic-Indic digits behind", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."abcXYZ09٠٩۰۹ -_./\\\t") }), (s) => {
        expect(foldSerial(s)).toMatch(/^[A-Z0-9]*$/);
      }),
    );
  });
});

describe("serialKey", () => {
  it("joins folded make, model and serial", () => {
    expect(serialKey("Izhmash", "AKM", "AK-47 123456")).toBe("IZHMASH|AKM|AK47123456");
    expect(serialKey(undefined, undefined, "12-34567")).toBe("||1234567");
  });

  it("treats spelling variants of the same weapon as one", () => {
    expect(serialKey("Norinco", "Type 56", "12-34567")).toBe(serialKey("NORINCO", "type56", "1234567"));
    expect(serialKey("FN", "FAL", "١٢٣٤٥")).toBe(serialKey("fn", "F.A.L", "12345"));
  });

  it("tells different weapons apart", () => {
    expect(serialKey("Norinco", "Type 56", "1234567")).not.toBe(serialKey("Norinco", "Type 56", "1234568"));
    expect(serialKey("Norinco", "Type 56", "1234567")).not.toBe(serialKey("Norinco", "Type 81", "1234567"));
  });

  const serialChar = fc.constantFrom(..."abcdefxyzABCDEFXYZ0123456789");
  const separator = fc.constantFrom(" ", "-", "_", ".", "  ");

  /** The same characters with separators sprinkled between them and the case of each letter flipped at will. */
  const respelled = (text: string) =>
    fc
      .tuple(
        fc.array(fc.option(separator, { nil: "" }), {
          minLength: text.length + 1,
          maxLength: text.length + 1,
        }),
        fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }),
      )
      .map(
        ([seps, flips]) =>
          [...text].map((ch, i) => seps[i] + (flips[i] ? ch.toLowerCase() : ch.toUpperCase())).join("") +
          seps[text.length],
      );

  it("ignores spacing, separators and case (property)", () => {
    const word = fc.string({ unit: serialChar, minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(
        word.chain((make) => fc.tuple(fc.constant(make), respelled(make))),
        word.chain((model) => fc.tuple(fc.constant(model), respelled(model))),
        word.chain((serial) => fc.tuple(fc.constant(serial), respelled(serial))),
        ([make, make2], [model, model2], [serial, serial2]) => {
          expect(serialKey(make2, model2, serial2)).toBe(serialKey(make, model, serial));
        },
      ),
    );
  });

  it("reads Arabic-Indic digits as Western digits (property)", () => {
    const toArabicIndic = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCodePoint(0x660 + Number(d)));
    const toPersian = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCodePoint(0x6f0 + Number(d)));
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,15}$/), (digits) => {
        expect(serialKey("M", "X", toArabicIndic(digits))).toBe(serialKey("M", "X", digits));
        expect(serialKey("M", "X", toPersian(digits))).toBe(serialKey("M", "X", digits));
      }),
    );
  });
});
