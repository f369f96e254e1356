import { describe, expect, it } from "vitest";
import { SMALL_BLOCK } from "../../src/names/candidate-index.ts";
import type { SameLevel } from "../../src/names/compare.ts";
import { defaultMatchModel } from "../../src/names/default-model.ts";
import {
  checkDuplicates,
  type DuplicateCheck,
  type NameCandidateQuery,
} from "../../src/names/duplicate-check.ts";
import { NameFrequencies } from "../../src/names/frequencies.ts";
import { scoreCandidates, scorePair, stratumOf } from "../../src/names/model.ts";
import { type MatchInput, preparePerson } from "../../src/names/person.ts";

const registered: MatchInput = {
  name: {
    arabic: { given: "محمد", father: "جاسم", grandfather: "كاظم", family: "السوداني" },
    latin: { given: "Mohammed", father: "Jasim", grandfather: "Kadhim", family: "al-Sudani" },
  },
  motherName: { arabic: "زينب" },
  birthYear: 1985,
  sex: "male",
  governorate: "IQ-BG",
};

const score = (a: MatchInput, b: MatchInput, frequencies?: NameFrequencies) =>
  scorePair(preparePerson(a), preparePerson(b), defaultMatchModel, frequencies);

describe("scorePair", () => {
  it("the same person in Latin only, another scheme, a truncated chain and year +1: same person", () => {
    const r = score(registered, {
      name: { latin: { given: "Muhammad", father: "Jassem", family: "as-Soudani" } },
      motherName: { latin: "Zainab" },
      birthYear: 1986,
      sex: "male",
      governorate: "IQ-BG",
    });
    expect(r.zone).not.toBe("different");
    expect(r.weight).toBeGreaterThan(defaultMatchModel.thresholds.review);
    const given = r.explanation.find((e) => e.field === "given")!;
    expect(given.level).toBe("skeleton");
    expect(r.explanation.find((e) => e.field === "grandfather")!.level).toBe("missing");
    expect(r.explanation.find((e) => e.field === "grandfather")!.weight).toBe(0);
  });

  it("a brother (same father, grandfather, tribe, mother; two years apart): different", () => {
    const r = score(registered, {
      ...registered,
      name: {
        arabic: { given: "علي", father: "جاسم", grandfather: "كاظم", family: "السوداني" },
        latin: { given: "Ali", father: "Jasim", grandfather: "Kadhim", family: "al-Sudani" },
      },
      birthYear: 1987,
    });
    expect(r.comparison.given).toBe("kin");
    expect(r.zone).toBe("different");
    expect(r.explanation.find((e) => e.field === "given")!.text).toMatch(/brothers or cousins/u);
  });

  it("the father (chain shifted by one generation) does not look like the son", () => {
    const r = score(registered, {
      name: { latin: { given: "Jasim", father: "Kadhim", grandfather: "Hussein", family: "al-Sudani" } },
      birthYear: 1960,
      sex: "male",
      governorate: "IQ-BG",
    });
    expect(r.comparison.given).toBe("different");
    expect(r.comparison.father).toBe("different");
    expect(r.zone).toBe("different");
  });

  it("a namesake with another grandfather, mother and year: different", () => {
    const r = score(registered, {
      name: { latin: { given: "Mohammed", father: "Jasim", grandfather: "Abbas", family: "al-Tamimi" } },
      motherName: { latin: "Fatima" },
      birthYear: 1970,
      sex: "male",
      governorate: "IQ-BA",
    });
    expect(r.zone).toBe("different");
  });

  it("the same national id weighs heavily; a different one weighs against", () => {
    const same = score(
      { ...registered, nationalId: "123456789" },
      { ...registered, nationalId: "123456789" },
    );
    const other = score(
      { ...registered, nationalId: "123456789" },
      { ...registered, nationalId: "987654321" },
    );
    expect(same.weight).toBeGreaterThan(other.weight + 10);
  });

  it("given and family entered in each other's place are read crosswise", () => {
    const r = score(registered, {
      name: { latin: { given: "al-Sudani", father: "Jasim", grandfather: "Kadhim", family: "Mohammed" } },
      motherName: { latin: "Zaynab" },
      birthYear: 1985,
      sex: "male",
      governorate: "IQ-BG",
    });
    expect(r.comparison.swapped).toBe(true);
    expect(r.zone).not.toBe("different");
  });

  it("agreeing on a common given name counts for less than on a rare one", () => {
    const frequencies = new NameFrequencies();
    // One man in five is a Mohammed; forty others have a name each.
    for (let i = 0; i < 10; i++) frequencies.add(preparePerson({ name: { latin: { given: "Mohammed" } } }));
    const letters = "bdfjklmnrst";
    for (let i = 0; i < 40; i++)
      frequencies.add(
        preparePerson({
          name: { latin: { given: `A${letters[i % 11]}a${letters[(i * 7) % 11]}i${letters[(i * 3) % 11]}` } },
        }),
      );
    frequencies.add(preparePerson({ name: { latin: { given: "Muqtada" } } }));
    const common = score(
      { name: { latin: { given: "Mohammed" } } },
      { name: { arabic: { given: "محمد" } } },
      frequencies,
    );
    const rare = score(
      { name: { latin: { given: "Muqtada" } } },
      { name: { arabic: { given: "مقتدى" } } },
      frequencies,
    );
    expect(rare.weight).toBeGreaterThan(common.weight);
    expect(common.explanation[0]!.text).toMatch(/common name/u);
  });

  it("is symmetric enough: the zone does not depend on which record is the new one", () => {
    const other: MatchInput = {
      ...registered,
      name: { latin: { given: "Mohamad", father: "Jasem" } },
      birthYear: 1984,
    };
    expect(score(registered, other).zone).toBe(score(other, registered).zone);
  });

  it("explanations name no personal data", () => {
    const r = score(registered, registered);
    const text = r.explanation.map((e) => e.text).join(" ");
    for (const word of ["Mohammed", "Jasim", "محمد", "1985", "IQ-BG"]) expect(text).not.toContain(word);
    expect(r.zone).toBe("same-person");
  });
});

describe("scoreCandidates", () => {
  const newcomer: MatchInput = {
    name: { latin: { given: "Muhammad", father: "Jassem", grandfather: "Kadhim", family: "as-Soudani" } },
    motherName: { latin: "Zainab" },
    birthYear: 1985,
    sex: "male",
    governorate: "IQ-BG",
  };
  // His cousin: same given name, father and tribe, another grandfather and mother, born 1983.
  const cousin: MatchInput = {
    name: { arabic: { given: "محمد", father: "جاسم", grandfather: "عباس", family: "السوداني" } },
    motherName: { arabic: "فاطمة" },
    birthYear: 1983,
    sex: "male",
    governorate: "IQ-BG",
  };
  const prepared = (xs: MatchInput[]) => xs.map((x) => preparePerson(x));

  it("a candidate loses what a stronger one explains; the best keeps its weight", () => {
    const [him, other] = scoreCandidates(
      preparePerson(newcomer),
      prepared([registered, cousin]),
      defaultMatchModel,
    );
    const alone = scoreCandidates(preparePerson(newcomer), prepared([cousin]), defaultMatchModel)[0]!;
    expect(him!.rivals).toBe(0);
    expect(him!.weight).toBeGreaterThan(other!.weight);
    // Beside the man himself the cousin weighs less than alone, by the rivals' bits (and the
    // prior of two candidates instead of one).
    expect(other!.rivals).toBeGreaterThan(5);
    expect(other!.weight).toBeCloseTo(alone.weight - 1 - other!.rivals, 6);
    expect(other!.zone).toBe("different");
  });

  it("two records of one man already in the registry do not hide each other", () => {
    const results = scoreCandidates(
      preparePerson(newcomer),
      prepared([registered, registered]),
      defaultMatchModel,
    );
    expect(results.map((r) => r.rivals)).toEqual([0, 0]);
    expect(results[0]!.weight).toBe(results[1]!.weight);
    expect(results[0]!.zone).not.toBe("different");
  });

  it("with one candidate, is scorePair", () => {
    const [r] = scoreCandidates(preparePerson(newcomer), prepared([registered]), defaultMatchModel);
    expect(r!.weight).toBe(
      scorePair(preparePerson(newcomer), preparePerson(registered), defaultMatchModel).weight,
    );
  });
});

describe("strata", () => {
  it("a given name one letter off beside an agreeing father is weighed as 'near' (a typo, or a brother named alike)", () => {
    const brother = score(
      { ...registered, name: { latin: { given: "Salim", father: "Jasim", family: "al-Sudani" } } },
      { ...registered, name: { latin: { given: "Salman", father: "Jasim", family: "al-Sudani" } } },
    );
    expect(brother.comparison.given).toBe("close");
    expect(stratumOf(brother.comparison)).toBe("near");
  });
});

describe("checkDuplicates over what the registry answers", () => {
  const input: MatchInput = { ...registered, nationalId: "199012345678" };
  const registration = preparePerson(input);
  const answer =
    (idMatch: SameLevel | undefined, setAside = 0) =>
    async () => ({
      candidates: [
        { id: "p1", person: { ...input, nationalId: undefined }, ...(idMatch ? { idMatch } : {}) },
      ],
      skippedBlocks: 0,
      setAside,
      given: { total: 0, squares: 0, counts: {} },
    });
  const idLevel = (check: DuplicateCheck) =>
    check.matches[0]?.explanation.find((e) => e.field === "nationalId")?.level;

  it("takes the registry's comparison of national ids (blind indexes) for the id it did not open", async () => {
    expect(idLevel(await checkDuplicates(registration, answer("same")))).toBe("same");
    expect(idLevel(await checkDuplicates(registration, answer(undefined)))).toBe("missing");
    const different = await checkDuplicates(registration, answer("different"));
    const same = await checkDuplicates(registration, answer("same"));
    expect(different.matches[0]?.weight ?? Number.NEGATIVE_INFINITY).toBeLessThan(same.matches[0]!.weight);
  });

  it("asks for the registration's id and governorate, and weighs the people set aside in the prior", async () => {
    let asked: NameCandidateQuery | undefined;
    const alone = await checkDuplicates(registration, async (q) => {
      asked = q;
      return answer("same")();
    });
    expect(asked).toMatchObject({
      nationalId: "199012345678",
      governorate: "IQ-BG",
      smallBlock: SMALL_BLOCK,
    });
    const among = await checkDuplicates(registration, answer("same", 7));
    expect(among.matches[0]!.weight).toBeCloseTo(alone.matches[0]!.weight - 3, 0);
  });
});
