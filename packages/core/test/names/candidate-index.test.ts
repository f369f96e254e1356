import { describe, expect, it } from "vitest";
import { indexKeys, queryKeys } from "../../src/names/blocking.ts";
import { CandidateIndex, keepCandidate, SMALL_BLOCK } from "../../src/names/candidate-index.ts";
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

describe("CandidateIndex: who in the blocks is scored (keepCandidate)", () => {
  // Four men sharing only "given | father | year" with the query (other grandfathers, mothers and
  // family names), two of them in the query's governorate; one man sharing several keys.
  const namesake = (i: number, governorate: string) =>
    preparePerson({
      name: {
        latin: {
          given: "Mohammed",
          father: "Ali",
          grandfather: `Hamid${"x".repeat(i)}`,
          family: `Tamimi${"q".repeat(i)}`,
        },
      },
      motherName: { latin: `Huda${"r".repeat(i)}` },
      birthYear: 1985,
      governorate,
    });
  const query = preparePerson({
    name: { latin: { given: "Mohammed", father: "Ali", grandfather: "Kadhim" } },
    motherName: { latin: "Zainab" },
    birthYear: 1985,
    governorate: "IQ-BG",
  });
  const build = (smallBlock: number) => {
    const index = new CandidateIndex({ smallBlock });
    index.add("basra-1", namesake(1, "IQ-BA"));
    index.add("basra-2", namesake(2, "IQ-BA"));
    index.add("baghdad-1", namesake(3, "IQ-BG"));
    index.add("baghdad-2", namesake(4, "IQ-BG"));
    index.add("kin", person("Mohammed", "Ali", "Kadhim", 1985, { governorate: "IQ-NI" }));
    return index;
  };

  it("sets aside who shares one key, of a large block, in another governorate, and counts them", () => {
    const r = build(4).query(query);
    expect(r.ids.sort()).toEqual(["baghdad-1", "baghdad-2", "kin"]);
    expect(r.setAside).toBe(2);
  });

  it("gives each kept person's smallest block: the man alone under given | father | grandfather, the namesakes five under given | father | year", () => {
    const r = build(4).query(query);
    const smallest = Object.fromEntries(r.ids.map((id, k) => [id, r.smallest[k]]));
    expect(smallest).toEqual({ "baghdad-1": 5, "baghdad-2": 5, kin: 1 });
  });

  it("keeps everyone in a block no larger than smallBlock", () => {
    const r = build(5).query(query);
    expect(r.ids.sort()).toEqual(["baghdad-1", "baghdad-2", "basra-1", "basra-2", "kin"]);
    expect(r.setAside).toBe(0);
  });

  it("keepCandidate: two keys, a small block or the same governorate", () => {
    expect(keepCandidate(2, 1000, false)).toBe(true);
    expect(keepCandidate(1, SMALL_BLOCK, false)).toBe(true);
    expect(keepCandidate(1, SMALL_BLOCK + 1, true)).toBe(true);
    expect(keepCandidate(1, SMALL_BLOCK + 1, false)).toBe(false);
  });
});
