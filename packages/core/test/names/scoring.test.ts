import { describe, expect, it } from "vitest";
import { defaultMatchModel } from "../../src/names/default-model.ts";
import { NameFrequencies } from "../../src/names/frequencies.ts";
import { scorePair } from "../../src/names/model.ts";
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
