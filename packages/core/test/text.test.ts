import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { arabicName, code, displayName, fileRef, freeText, latinName } from "../src/records/text.ts";

const accepts = (schema: z.ZodType, input: string) => {
  const r = schema.safeParse(input);
  if (!r.success) throw new Error(`refused ${JSON.stringify(input)}: ${r.error.issues[0]?.message}`);
  return r.data;
};
const refuses = (schema: z.ZodType, input: string) => schema.safeParse(input).success === false;

const injections = [
  "<script>alert(1)</script>",
  "<b>Ali</b>",
  "'; DROP TABLE x;--",
  "Robert'); DROP TABLE persons;--",
];
const invisibles = [
  "\u0000",
  "\u0007",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u009f",
  "\u202a",
  "\u202b",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2069",
];

describe("arabicName", () => {
  it.each([
    ["علي", "علي"],
    ["عبد الله", "عبد الله"],
    ["  علي \t\n حسن  ", "علي حسن"],
    ["علي\u00a0\u2003حسن", "علي حسن"],
    ["عبد\u200cالله", "عبد\u200cالله"],
    // NFC: alef followed by a combining madda becomes the precomposed alef with madda.
    ["\u0627\u0653دم", "\u0622دم"],
  ])("accepts %j as %j", (input, output) => {
    expect(accepts(arabicName, input)).toBe(output);
  });

  it.each(["محمّد", "مُحَمَّد", "عبد الرحمٰن"])("accepts the vocalised name %j unchanged", (name) => {
    expect(accepts(arabicName, name)).toBe(name);
  });

  it.each([
    "Ali",
    "Ali علي",
    "علي Hassan",
    "عليa",
    "علي1",
    "علي ١٢٣",
    "علي۳",
    "علي،حسن",
    "\u0600علي",
    "",
    "   ",
    "ع".repeat(121),
    ...injections,
    ...invisibles.map((c) => `علي${c}حسن`),
  ])("refuses %j", (input) => {
    expect(refuses(arabicName, input)).toBe(true);
  });

  it("accepts 120 letters", () => {
    expect(accepts(arabicName, "ع".repeat(120))).toHaveLength(120);
  });
});

describe("latinName", () => {
  it.each([
    ["Ali", "Ali"],
    ["O'Brien-Smith", "O'Brien-Smith"],
    ["St. John", "St. John"],
    ["D\u2019Arcy", "D\u2019Arcy"],
    ["al-Jubouri", "al-Jubouri"],
    ["Zoë", "Zoë"],
    ["  Ali \t  Hassan\n", "Ali Hassan"],
    // NFC: e followed by a combining acute becomes é.
    ["Jose\u0301", "José"],
    // Ayn and hamza as romanisations write them: ALA-LC ʻ ʼ, DIN/DMG ʿ ʾ, turned quotes.
    ["ʻAbd al-Raḥmān", "ʻAbd al-Raḥmān"],
    ["Muʼmin", "Muʼmin"],
    ["ʿAlī", "ʿAlī"],
    ["Maʾmūn", "Maʾmūn"],
    ["\u2018Umar", "\u2018Umar"],
  ])("accepts %j as %j", (input, output) => {
    expect(accepts(latinName, input)).toBe(output);
  });

  it.each([
    "علي",
    "Ali علي",
    "Aliعلي",
    "a\u064e",
    "Ali2",
    "Ⅻ",
    "Ali_Hassan",
    "Ali, Hassan",
    "Ali\u200bHassan",
    "",
    "a".repeat(121),
    ...injections,
    ...invisibles.map((c) => `Ali${c}Hassan`),
  ])("refuses %j", (input) => {
    expect(refuses(latinName, input)).toBe(true);
  });
});

describe("displayName", () => {
  it.each([
    ["Baghdad collection site 1", "Baghdad collection site 1"],
    ["موقع الجمع بغداد ١", "موقع الجمع بغداد ١"],
    ["Site 3/B (north) & annex", "Site 3/B (north) & annex"],
    ["Maj. Lars Berg", "Maj. Lars Berg"],
    ["  Northern \n Brigade ", "Northern Brigade"],
  ])("accepts %j as %j", (input, output) => {
    expect(accepts(displayName, input)).toBe(output);
  });

  it.each([
    ...injections,
    'Site "A"',
    "Site;",
    "50%",
    "a".repeat(201),
    "",
    ...invisibles.map((c) => `Site${c}1`),
  ])("refuses %j", (input) => {
    expect(refuses(displayName, input)).toBe(true);
  });
});

describe("freeText", () => {
  it("normalises to NFC and folds whitespace", () => {
    expect(accepts(freeText(), "  line one\n\n  line\ttwo  ")).toBe("line one line two");
    expect(accepts(freeText(), "Cafe\u0301")).toBe("Café");
  });

  it("keeps markup and SQL as plain text (escaping is the renderer's job)", () => {
    for (const text of injections) expect(accepts(freeText(), text)).toBe(text);
  });

  it.each(invisibles)("refuses the control or direction character %j", (c) => {
    expect(refuses(freeText(), `note ${c} here`)).toBe(true);
  });

  it("counts the length after folding", () => {
    expect(accepts(freeText(10), "0123456789")).toBe("0123456789");
    expect(refuses(freeText(10), "0123456789A")).toBe(true);
    expect(accepts(freeText(3), "a          b")).toBe("a b");
    expect(refuses(freeText(), " \n\t ")).toBe(true);
  });
});

describe("code", () => {
  it.each([
    [" bg-01 ", "BG-01"],
    ["grp-north", "GRP-NORTH"],
    ["W0000042-01", "W0000042-01"],
    ["A".repeat(32), "A".repeat(32)],
  ])("accepts %j as %j", (input, output) => {
    expect(accepts(code, input)).toBe(output);
  });

  it.each(["", "-AB", "AB_12", "A B", "A".repeat(33), "<script>", "BG/01", "\u202eBG"])(
    "refuses %j",
    (input) => {
      expect(refuses(code, input)).toBe(true);
    },
  );
});

describe("fileRef", () => {
  it("accepts a lower-case SHA-256 and refuses anything else", () => {
    expect(accepts(fileRef, "0123456789abcdef".repeat(4))).toHaveLength(64);
    expect(refuses(fileRef, "0123456789ABCDEF".repeat(4))).toBe(true);
    expect(refuses(fileRef, "a".repeat(63))).toBe(true);
    expect(refuses(fileRef, "../../etc/passwd")).toBe(true);
  });
});

describe("text properties", () => {
  // Characters chosen to hit every branch: Arabic letters and marks, Latin letters and marks,
  // digits of both scripts, every kind of space, punctuation, controls and direction overrides.
  const unit = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(..."علىحسنمدةأإآءؤئ", "\u0651", "\u064e", "\u0653", "\u200c") },
    { weight: 6, arbitrary: fc.constantFrom(..."AliHasnZoëé", "\u0301", "\u0308", "'", "-", ".", "\u2019") },
    { weight: 3, arbitrary: fc.constantFrom(" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\ufeff") },
    { weight: 1, arbitrary: fc.constantFrom(..."0123456789٠١٢۳", "<", ">", ";", "/", "(", ")", "&", ",") },
    { weight: 1, arbitrary: fc.constantFrom(...invisibles) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 1 }) },
  );
  const text = fc.string({ unit, maxLength: 40 });

  const schemas: [string, z.ZodType<string>][] = [
    ["arabicName", arabicName],
    ["latinName", latinName],
    ["displayName", displayName],
    ["freeText", freeText(200)],
  ];

  it.each(schemas)("%s: an accepted value parses again to itself (idempotent)", (_, schema) => {
    let accepted = 0;
    fc.assert(
      fc.property(text, (input) => {
        const first = schema.safeParse(input);
        if (!first.success) return;
        accepted++;
        expect(schema.parse(first.data)).toBe(first.data);
      }),
      { numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it.each(schemas)("%s: an accepted value is NFC, trimmed and single-spaced", (_, schema) => {
    fc.assert(
      fc.property(text, (input) => {
        const r = schema.safeParse(input);
        if (!r.success) return;
        expect(r.data).toBe(r.data.normalize("NFC"));
        expect(r.data).toBe(r.data.trim());
        expect(r.data).not.toMatch(/\s\s|[\t\n\u00a0\u2003\u3000\ufeff]/u);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses any Arabic word next to any Latin word in one name field", () => {
    const arabicWord = fc.string({ unit: fc.constantFrom(..."علىحسنمدة"), minLength: 1, maxLength: 8 });
    const latinWord = fc.string({ unit: fc.constantFrom(..."AliHasnZoë"), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        arabicWord,
        latinWord,
        fc.constantFrom("", " ", "-"),
        fc.boolean(),
        (a, l, sep, latinFirst) => {
          const mixed = latinFirst ? `${l}${sep}${a}` : `${a}${sep}${l}`;
          expect(refuses(arabicName, mixed)).toBe(true);
          expect(refuses(latinName, mixed)).toBe(true);
          expect(accepts(arabicName, a)).toBe(a);
          expect(accepts(latinName, l)).toBe(l);
        },
      ),
    );
  });
});
