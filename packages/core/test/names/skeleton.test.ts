import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nameText } from "../../src/names/name-text.ts";

const key = (s: string, field = "given") => nameText(s, `name.x.${field}`)!.skeleton;

describe("one cross-script skeleton per name", () => {
  it.each([
    [
      ["السوداني", "al-Sudani", "as-Sudani", "Soudani", "Alsudani", "el-Soudani", "Al Sudany"],
      "sdn",
      "family",
    ],
    [["محمد", "Mohammed", "Muhammad", "Mohamad", "Muḥammad", "Mouhamad", "مُحَمَّد"], "mhmd", "given"],
    [["جاسم", "Jasim", "Jassem", "Jassim", "Djassem"], "jsm", "given"],
    [["حسين", "Hussein", "Husayn", "Hussain", "Houssein"], "hsn", "given"],
    [["قاسم", "Qasim", "Kassem", "Gasim", "Qāsim"], "ksm", "given"],
    [["كاظم", "Kadhim", "Kazim", "Kathim", "Kāẓim"], "kdm", "given"],
    [
      ["عبد الكريم", "عبدالكريم", "Abdul Karim", "Abd al-Karim", "Abdulkarim", "Abdel Kareem"],
      "bdkrm",
      "given",
    ],
    [["عبدالله", "Abdullah", "Abd Allah", "Abdallah"], "bdl", "given"],
    [["فاطمة", "Fatima", "Fatimah", "فاطمه"], "ftm", "given"],
    [["علي", "Ali", "’Alī", "Aly"], "l", "given"],
    [["أحمد", "احمد", "Ahmed", "Ahmad"], "hmd", "given"],
    [["شاكر", "Shakir", "Chaker"], "ckr", "given"],
    [["خالد", "Khalid", "Khaled"], "xld", "given"],
    [["الشمري", "Al-Shammari", "ash-Shammari", "Alshammari"], "cmr", "family"],
  ])("%j → %s", (spellings, skeleton, field) => {
    for (const s of spellings) expect([s, key(s, field)]).toEqual([s, skeleton]);
  });

  it("keeps different names apart", () => {
    expect(key("حسن")).not.toBe(key("حسين") === "hsn" ? "x" : key("حسين"));
    expect(
      new Set(["Ali", "Hassan", "Jasim", "Kadhim", "Mohammed", "Abbas", "Haidar"].map((n) => key(n))).size,
    ).toBe(7);
  });

  it("an all-vowel name still has a (shared, marked) skeleton", () => {
    expect(key("Aya")).toBe("_");
    expect(key("آية")).toBe("_");
  });
});

// Arabic spellings that must not change the key: vowel marks, hamza written or not,
// ta marbuta as heh, alef maqsura as yeh, Persian/Kurdish letters, invisible characters.
const arabicNames = [
  "محمد",
  "جاسم",
  "حسين",
  "قاسم",
  "كاظم",
  "عبد الكريم",
  "فاطمة",
  "أحمد",
  "مصطفى",
  "علاء",
  "إبراهيم",
];
const arabicVariant = (name: string, choices: number[]) => {
  let out = "";
  let k = 0;
  for (const ch of name) {
    const c = choices[k++ % choices.length]!;
    let v = ch;
    if (ch === "أ" || ch === "إ") v = c % 2 ? "ا" : ch;
    if (ch === "ة") v = c % 3 === 0 ? "ه" : ch;
    if (ch === "ى") v = c % 2 ? "ي" : "ی";
    if (ch === "ك") v = c % 2 ? "ک" : ch;
    if (ch === "ي") v = c % 4 === 0 ? "ی" : ch;
    out += v;
    if (c % 5 === 0) out += "\u064E"; // fatha
    if (c % 11 === 0) out += "\u200C"; // ZWNJ
  }
  return out;
};

const latinNames = ["Mohammed", "Jassem", "Hussein", "Qasim", "Kadhim", "Abdul Karim", "Fatima", "Ahmad"];
const latinVariant = (name: string, choices: number[]) => {
  let out = "";
  let k = 0;
  for (const ch of name) {
    const c = choices[k++ % choices.length]!;
    let v = c % 2 ? ch.toUpperCase() : ch.toLowerCase();
    if (c % 5 === 0 && /[aiu]/u.test(ch)) v = { a: "ā", i: "ī", u: "ū" }[ch as "a" | "i" | "u"];
    if (c % 7 === 0 && /[bdkmnrst]/u.test(ch)) v += ch; // doubled letter
    out += v;
  }
  return out;
};

describe("the skeleton survives spelling noise (property)", () => {
  it("Arabic: marks, hamza, ta marbuta, maqsura, Persian letters, ZWNJ (tatweel is refused at registration)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...arabicNames),
        fc.array(fc.nat(1000), { minLength: 1, maxLength: 12 }),
        (n, c) => {
          expect(key(arabicVariant(n, c))).toBe(key(n));
        },
      ),
    );
  });

  it("Latin: case, macrons, doubled consonants", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...latinNames),
        fc.array(fc.nat(1000), { minLength: 1, maxLength: 12 }),
        (n, c) => {
          expect(key(latinVariant(n, c))).toBe(key(n));
        },
      ),
    );
  });

  it("the article, however written, does not change a family name's key", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("Sudani", "Jubouri", "Tamimi", "Dulaimi", "Maliki"),
        fc.constantFrom("al-", "Al-", "el-", "al ", "Al", "El ", ""),
        (name, article) => {
          expect(key(`${article}${article.endsWith("l") ? name.toLowerCase() : name}`, "family")).toBe(
            key(name, "family"),
          );
        },
      ),
    );
  });
});
