import { describe, expect, it } from "vitest";
import { indexKeys, queryKeys } from "../../src/names/blocking.ts";
import { CandidateIndex } from "../../src/names/candidate-index.ts";
import { type MatchInput, preparePerson } from "../../src/names/person.ts";

const person = (
  given: string,
  father: string,
  grandfather: string,
  year: number,
  extra: Partial<MatchInput> = {},
) =>
  preparePerson({
    name: { latin: { given, father, grandfather, family: "al-Sudani" } },
    birthYear: year,
    motherName: { latin: "Zainab" },
    ...extra,
  });

describe("CandidateIndex", () => {
  it("finds a registered person from another script and spelling, a year off", () => {
    const index = new CandidateIndex();
    index.add("p1", person("Mohammed", "Jasim", "Kadhim", 1985));
    index.add("p2", person("Ali", "Hassan", "Abbas", 1990));
    const query = preparePerson({
      name: { arabic: { given: "محمد", father: "جاسم" } },
      birthYear: 1986,
    });
    expect(index.candidates(query)).toEqual(["p1"]);
  });

  it("still finds him when the given name has a typo (keys without the given name)", () => {
    const index = new CandidateIndex();
    index.add("p1", person("Mohammed", "Jasim", "Kadhim", 1985));
    expect(index.candidates(person("Mohxmmed", "Jasim", "Kadhim", 1985))).toEqual(["p1"]);
  });

  it("finds by national id alone", () => {
    const index = new CandidateIndex();
    index.add("p1", person("Mohammed", "Jasim", "Kadhim", 1985, { nationalId: "199012345678" }));
    expect(
      index.candidates(preparePerson({ name: { latin: { given: "Zaid" } }, nationalId: "١٩٩٠١٢٣٤٥٦٧٨" })),
    ).toEqual(["p1"]);
  });

  it("skips blocks larger than maxBlock and says so", () => {
    const index = new CandidateIndex({ maxBlock: 3 });
    for (let i = 0; i < 5; i++)
      index.add(
        `m${i}`,
        preparePerson({ name: { latin: { given: "Mohammed", father: "Ali" } }, birthYear: 1985 }),
      );
    const r = index.query(
      preparePerson({ name: { latin: { given: "Mohammed", father: "Ali" } }, birthYear: 1985 }),
    );
    expect(r.ids).toEqual([]);
    expect(r.skippedBlocks).toBeGreaterThan(0);
    expect(index.size).toBe(5);
  });

  it("keys hold skeletons and years, not spellings", () => {
    const keys = indexKeys(person("Mohammed", "Jasim", "Kadhim", 1985));
    expect(keys.join(" ")).not.toMatch(/Mohammed|Jasim/iu);
    expect(keys).toContain("gfy:mhmd|jsm|1985");
    expect(queryKeys(person("Mohammed", "Jasim", "Kadhim", 1985))).toContain("gfy:mhmd|jsm|1984");
  });
});
