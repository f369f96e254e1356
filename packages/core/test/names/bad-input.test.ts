import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nameText } from "../../src/names/name-text.ts";
import { preparePerson } from "../../src/names/person.ts";
import { isProblem } from "../../src/problems.ts";

const refusal = (given: string, script: "arabic" | "latin" = "latin") => {
  try {
    preparePerson({ name: { [script]: { given } } });
  } catch (e) {
    if (!isProblem(e)) throw e;
    expect(e.code).toBe("request.invalid");
    return e.fields.map((f) => `${f.path}: ${f.message}`).join("; ");
  }
  throw new Error(`accepted ${JSON.stringify(given)}`);
};

describe("bad names are refused with a clear message", () => {
  it.each([
    ["", "latin", /must not be empty/u],
    ["   ", "latin", /must not be empty/u],
    ["\u064E\u0650\u0651", "arabic", /no letters/u],
    ["\u0301\u0301", "latin", /no letters/u],
    ["Ali علي", "latin", /mixes Arabic and Latin/u],
    ["x".repeat(10_000), "latin", /at most 120 characters/u],
    ["Ali\u0000", "latin", /control or direction-override/u],
    ["Ali\u202e", "latin", /control or direction-override/u],
    ["علي\u0007", "arabic", /control or direction-override/u],
    ["1234", "latin", /no letters/u],
    ["bin", "latin", /no letters/u],
  ])("%j", (input, script, message) => {
    expect(refusal(input, script as "arabic" | "latin")).toMatch(message);
  });

  it("a name in the wrong script's field is refused, pointing to the right field", () => {
    expect(refusal("علي", "latin")).toMatch(
      /name\.latin\.given: is written in arabic letters; put it in the arabic field/u,
    );
  });

  it("all bad fields are reported at once", () => {
    try {
      preparePerson({
        name: { latin: { given: "", father: "Ali\u0000" } },
        birthYear: 1800,
        nationalId: "12",
      });
      expect.unreachable();
    } catch (e) {
      if (!isProblem(e)) throw e;
      expect(e.fields.map((f) => f.path)).toEqual([
        "name.latin.given",
        "name.latin.father",
        "birthYear",
        "nationalId",
      ]);
    }
  });

  it("anything typed either is accepted and folded or refused with a Problem (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (s) => {
        try {
          const t = nameText(s, "name.latin.given");
          expect(t!.skeleton.length).toBeGreaterThan(0);
        } catch (e) {
          expect(isProblem(e)).toBe(true);
        }
      }),
    );
  });
});
