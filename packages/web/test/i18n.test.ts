import { problemCatalogue } from "@armsledger/core";
import { describe, expect, it } from "vitest";
import { ar } from "../src/i18n/ar.ts";
import { en } from "../src/i18n/en.ts";

// ar.ts is typed against en.ts, so tsc already refuses a missing key; this catches what types
// cannot: an empty translation, an English string left in the Arabic, placeholders or markup
// that differ between the two.

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

const english = leaves(en as unknown as Tree);
const arabic = leaves(ar as unknown as Tree);
const tokens = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}|<\/?(\w+)>/gu)].map((m) => m[0]).sort();

// Strings that are the same in both languages on purpose: names of languages, examples of what to type.
const sameInBoth = new Set(["languages.ar", "languages.en"]);

describe("the Arabic and English messages", () => {
  it("have exactly the same keys", () => {
    const missingInArabic = [...english.keys()].filter((k) => !arabic.has(k));
    const missingInEnglish = [...arabic.keys()].filter((k) => !english.has(k));
    expect({ missingInArabic, missingInEnglish }).toEqual({ missingInArabic: [], missingInEnglish: [] });
    expect(english.size).toBeGreaterThan(100);
  });

  it("are never empty", () => {
    const empty = [...english, ...arabic].filter(([, v]) => v.trim() === "").map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it("use the same placeholders and markup in both languages", () => {
    const differ = [...english]
      .filter(([k, v]) => JSON.stringify(tokens(v)) !== JSON.stringify(tokens(arabic.get(k) ?? "")))
      .map(([k]) => k);
    expect(differ).toEqual([]);
  });

  it("are written in Arabic in the Arabic messages", () => {
    const notArabic = [...arabic]
      .filter(([k, v]) => !sameInBoth.has(k) && !/[\u0600-\u06ff]/u.test(v))
      .map(([k]) => k);
    expect(notArabic).toEqual([]);
  });

  it("cover every problem code the API can answer", () => {
    for (const code of Object.keys(problemCatalogue)) {
      expect(english.has(`problems.${code}`) || code in en.problems, code).toBe(true);
      expect(code in ar.problems, code).toBe(true);
    }
  });
});
