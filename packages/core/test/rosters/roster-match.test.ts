import { describe, expect, it } from "vitest";
import { defaultMatchModel } from "../../src/names/default-model.ts";
import type { MatchInput } from "../../src/names/person.ts";
import type { RosterEntryInput } from "../../src/records/roster.ts";
import { matchRoster } from "../../src/rosters/match.ts";

// Registrations as the registry holds them (Arabic script only, as most forms are filled in),
// and a roster typed in Latin letters by the group's clerk.
const registered: { id: string; match: MatchInput }[] = [
  {
    id: "p-mohammed",
    match: {
      name: { arabic: { given: "محمد", father: "جاسم", grandfather: "علي", family: "السوداني" } },
      motherName: { arabic: "فاطمة" },
      birthYear: 1985,
      sex: "male",
      governorate: "IQ-BG",
    },
  },
  {
    // His brother: same father, grandfather, tribe and mother. Must not take Mohammed's entry.
    id: "p-ahmed",
    match: {
      name: { arabic: { given: "أحمد", father: "جاسم", grandfather: "علي", family: "السوداني" } },
      motherName: { arabic: "فاطمة" },
      birthYear: 1988,
      sex: "male",
      governorate: "IQ-BG",
    },
  },
  {
    id: "p-zainab",
    match: {
      name: { latin: { given: "Zainab", father: "Hussein", grandfather: "Kadhim", family: "al-Kaabi" } },
      motherName: { latin: "Amina" },
      birthYear: 1995,
      sex: "female",
      governorate: "IQ-BA",
    },
  },
];

const withoutBrother = registered.filter((p) => p.id !== "p-ahmed");

const mohammedLatin: RosterEntryInput = {
  memberNumber: "101",
  name: { latin: { given: "Muhammad", father: "Jassem", grandfather: "Ali", family: "as-Soudani" } },
  motherName: { latin: "Fatima" },
  birthYear: 1985,
  sex: "male",
  governorate: "IQ-BG",
};

const stranger: RosterEntryInput = {
  memberNumber: "102",
  name: { latin: { given: "Yousif", father: "Abbas", family: "al-Tamimi" } },
  birthYear: 1979,
  sex: "male",
};

describe("matchRoster", () => {
  it("matches a Latin roster entry to an Arabic-script registration", () => {
    const result = matchRoster([mohammedLatin, stranger], withoutBrother);
    expect(result.entries[0]).toMatchObject({ index: 0, status: "registered", personId: "p-mohammed" });
    expect(result.entries[0]!.weight).toBeGreaterThanOrEqual(defaultMatchModel.thresholds.samePerson);
    expect(result.entries[0]!.explanation!.find((e) => e.field === "family")!.level).toBe("skeleton");
    expect(result.entries[1]).toEqual({ index: 1, status: "not_registered" });
    const status = Object.fromEntries(result.persons.map((p) => [p.id, p.status]));
    expect(status).toEqual({ "p-mohammed": "on_list", "p-zainab": "not_on_list" });
  });

  it("never gives the entry to his brother, even with the brother among the candidates", () => {
    // Two candidates share the blocks: the engine's prior (one of n) costs a bit, and the brother
    // loses what Mohammed explains better (candidates are scored together): the entry is
    // Mohammed's, and the brother is not even for review.
    const result = matchRoster([mohammedLatin, stranger], registered);
    expect(result.entries[0]).toMatchObject({ personId: "p-mohammed" });
    expect(result.entries[0]!.zone).not.toBe("different");
    const status = Object.fromEntries(result.persons.map((p) => [p.id, p.status]));
    expect(status["p-ahmed"]).toBe("not_on_list");
    expect(status["p-zainab"]).toBe("not_on_list");
    expect(["on_list", "review"]).toContain(status["p-mohammed"]);
  });

  it("matches an Arabic roster entry to a Latin registration", () => {
    const zainab: RosterEntryInput = {
      memberNumber: "7",
      name: { arabic: { given: "زينب", father: "حسين", grandfather: "كاظم", family: "الكعبي" } },
      motherName: { arabic: "آمنة" },
      birthYear: 1995,
      sex: "female",
      governorate: "IQ-BA",
    };
    const result = matchRoster([zainab], registered);
    expect(result.entries[0]).toMatchObject({ status: "registered", personId: "p-zainab" });
  });

  it("counts one person once: a name listed twice leaves the second entry for review", () => {
    const twice = { ...mohammedLatin, memberNumber: "103" };
    const result = matchRoster([mohammedLatin, twice], withoutBrother);
    expect(result.entries.map((e) => e.status)).toEqual(["registered", "review"]);
    expect(result.entries[1]!.personId).toBe("p-mohammed");
    expect(result.persons.find((p) => p.id === "p-mohammed")!.status).toBe("on_list");
  });

  it("leaves every entry unregistered when nobody of the group registered", () => {
    const result = matchRoster([mohammedLatin, stranger], []);
    expect(result.entries.map((e) => e.status)).toEqual(["not_registered", "not_registered"]);
    expect(result.persons).toEqual([]);
  });

  it("counts registered people whose stored names the engine cannot read, and matches the rest", () => {
    const unreadable = { id: "p-x", match: { name: { latin: { given: "bin" } } } };
    const result = matchRoster([mohammedLatin], [...withoutBrother, unreadable]);
    expect(result.unreadablePersons).toBe(1);
    expect(result.entries[0]!.status).toBe("registered");
    expect(result.persons.find((p) => p.id === "p-x")!.status).toBe("not_on_list");
  });

  it("counts entries whose names no longer read (a purged person's) as unreadable, never matched", () => {
    const purged = {
      memberNumber: "[purged] 1a2b3c4d",
      name: { purged: true },
    } as unknown as typeof stranger;
    const result = matchRoster([purged, mohammedLatin], withoutBrother);
    expect(result.unreadableEntries).toBe(1);
    expect(result.entries.map((e) => e.status)).toEqual(["not_registered", "registered"]);
  });
});
