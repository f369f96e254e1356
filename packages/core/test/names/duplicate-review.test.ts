import { describe, expect, it } from "vitest";
import type { Actor } from "../../src/access/roles.ts";
import { findCommandDefinition } from "../../src/commands/registry.ts";
import {
  frequenciesFromCounts,
  givenNameKeys,
  MIN_FREQUENCY_SAMPLE,
  prepareNameSearch,
  searchScore,
} from "../../src/names/duplicate-check.ts";
import { matchInputFromPerson } from "../../src/names/person.ts";
import { Problem } from "../../src/problems.ts";
import { person } from "../../src/records/person.ts";
import { handoverPayload, ids } from "../fixtures.ts";
import { MemoryView, makeActor, makeEnv, testUuid } from "../memory-view.ts";

// The review workflow on the rules alone (the store's end-to-end test is in packages/server/test).

const registrarA = makeActor("registrar", { sites: "all", governorates: "all" }, testUuid(0xa1));
const registrarB = makeActor("registrar", { sites: "all", governorates: "all" }, testUuid(0xb1));

function registration(name: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  return {
    siteId: ids.site,
    kind: "combatant",
    name,
    motherName: { arabic: "زينب" },
    birth: { year: 1986 },
    sex: "male",
    governorate: "IQ-BG",
    listedByGroup: false,
    consent: { given: true, recordedOn: "2025-03-01" },
    ...overrides,
  };
}

const latinA = { latin: { given: "Mohammed", father: "Jasim", grandfather: "Kadhim", family: "al-Sudani" } };
const arabicA = { arabic: { given: "محمد", father: "جاسم", grandfather: "كاظم", family: "السوداني" } };

class Run {
  view = new MemoryView();
  seq = 1;
  constructor() {
    this.view.addSite({ id: ids.site, kind: "collection", governorate: "IQ-BG" });
  }
  async send(type: string, raw: unknown, actor: Actor = registrarA, now = "2025-03-01T10:00:00Z") {
    const def = findCommandDefinition(type)!;
    const seq = this.seq++;
    const event = await def.decide(
      def.payload.parse(raw),
      this.view,
      makeEnv({ seq, now, actor, firstId: seq * 0x100 }),
    );
    this.view.apply(seq, event, { at: now, actor: actor.userId });
    return event;
  }
  async refused(type: string, raw: unknown, actor: Actor = registrarA, now?: string): Promise<Problem> {
    try {
      await this.send(type, raw, actor, now);
    } catch (error) {
      if (error instanceof Problem) return error;
      throw error;
    }
    throw new Error(`${type} was not refused`);
  }
  async register(name: Record<string, unknown>, overrides: Record<string, unknown> = {}, actor = registrarA) {
    const e = await this.send("person.register", registration(name, overrides), actor);
    return e.data as {
      personId: string;
      duplicateReview?: string;
      duplicateMatches?: { personId: string; zone: string }[];
    };
  }
}

const handover = (personId: string, handedAt = "2025-03-01T11:00:00Z") =>
  handoverPayload({ from: { kind: "person", personId }, handedAt, photos: [] });

describe("the duplicate check of person.register", () => {
  it("holds a cross-script second registration of the same man for review, with its match explained", async () => {
    const run = new Run();
    const a = await run.register(latinA);
    expect(a.duplicateReview).toBeUndefined();
    const b = await run.register(arabicA);
    expect(b.duplicateReview).toBe("pending");
    expect(b.duplicateMatches![0]).toMatchObject({ personId: a.personId, zone: "same-person" });
    expect(run.view.persons.get(b.personId)!.duplicateReview).toBe("pending");
    expect(run.view.duplicateReviews.get(b.personId)!.matches).toEqual([a.personId]);
  });

  it("lets a brother through: same father, grandfather, tribe and mother, another given name", async () => {
    const run = new Run();
    await run.register(latinA);
    const brother = await run.register(
      { latin: { given: "Hussein", father: "Jasim", grandfather: "Kadhim", family: "al-Sudani" } },
      { birth: { year: 1989 } },
    );
    expect(brother.duplicateReview).toBeUndefined();
  });

  it("refuses a name matching cannot read on the payload's path", async () => {
    const run = new Run();
    const p = await run.refused("person.register", registration({ latin: { given: "Ali", family: "bin" } }));
    expect(p.code).toBe("request.invalid");
    expect(p.fields[0]!.path).toMatch(/^payload\.name\.latin\.family/u);
  });
});

describe("the review of a held registration", () => {
  async function held() {
    const run = new Run();
    const a = await run.register(latinA);
    const b = await run.register(arabicA);
    return { run, a: a.personId, b: b.personId };
  }

  it("blocks the handover (and receipt) of a pending registration, but records one made offline before the check", async () => {
    const { run, b } = await held();
    const p = await run.refused("handover.record", handover(b), registrarA, "2025-03-01T12:00:00Z");
    expect(p.code).toBe("rule.violated");
    expect(p.message).toMatch(/awaits duplicate review/u);
    expect(p.fields).toEqual([{ path: "payload.from.personId", message: "duplicate_review_pending" }]);
    // Handed over at 09:00 at a site without network; the registration synced at 10:00.
    const offline = await run.send(
      "handover.record",
      handover(b, "2025-03-01T09:00:00Z"),
      registrarA,
      "2025-03-01T12:00:00Z",
    );
    expect(offline.type).toBe("handover.recorded");
  });

  it("refuses a reviewer who recorded the registration, a merge into a record that was not matched, and a second decision", async () => {
    const { run, a, b } = await held();
    expect(
      (await run.refused("duplicate.merge", { personId: b, intoPersonId: a, reason: "same" }, registrarA))
        .code,
    ).toBe("auth.forbidden");
    const other = await run.register(
      { latin: { given: "Omar", father: "Khalid" } },
      { birth: { year: 1970 } },
    );
    const wrong = await run.refused(
      "duplicate.merge",
      { personId: b, intoPersonId: other.personId, reason: "same" },
      registrarB,
    );
    expect(wrong.fields).toEqual([{ path: "payload.intoPersonId", message: "not a match of this review" }]);
    expect((await run.refused("duplicate.dismiss", { personId: a, reason: "x" }, registrarB)).code).toBe(
      "reference.unknown",
    );
    await run.send(
      "duplicate.merge",
      { personId: b, intoPersonId: a, reason: "Same card number." },
      registrarB,
    );
    const again = await run.refused(
      "duplicate.dismiss",
      { personId: b, reason: "changed my mind" },
      registrarB,
    );
    expect(again.message).toMatch(/already decided \(merged\)/u);
  });

  it("merges: the alias stays blocked and is not matched again; the earlier record takes the handover", async () => {
    const { run, a, b } = await held();
    await run.send(
      "duplicate.merge",
      { personId: b, intoPersonId: a, reason: "Same card number." },
      registrarB,
    );
    expect(run.view.persons.get(b)!.duplicateReview).toBe("merged");
    const p = await run.refused("handover.record", handover(b), registrarA, "2025-03-01T12:00:00Z");
    expect(p.message).toContain(`merged into ${a}`);
    expect((await run.send("handover.record", handover(a), registrarA, "2025-03-01T12:00:00Z")).type).toBe(
      "handover.recorded",
    );
    const third = await run.register({
      latin: { given: "Muhammad", father: "Jassem", family: "as-Soudani" },
    });
    expect(third.duplicateMatches?.map((m) => m.personId)).toEqual([a]);
  });

  it("dismisses: the registration stands on its own and its handover is recorded", async () => {
    const { run, b } = await held();
    await run.send("duplicate.dismiss", { personId: b, reason: "Cousins with the same names." }, registrarB);
    expect(run.view.persons.get(b)!.duplicateReview).toBe("dismissed");
    expect((await run.send("handover.record", handover(b), registrarA, "2025-03-01T12:00:00Z")).type).toBe(
      "handover.recorded",
    );
  });

  it("keeps a registrar to reviews whose earlier record is in their scope", async () => {
    const { run, a, b } = await held();
    run.view.places.set(`person:${a}`, { siteId: testUuid(0xfff), governorate: "IQ-BA" });
    const narrow = makeActor("registrar", { sites: [ids.site], governorates: "all" }, testUuid(0xc1));
    const p = await run.refused("duplicate.merge", { personId: b, intoPersonId: a, reason: "same" }, narrow);
    expect(p.code).toBe("auth.out-of-scope");
  });
});

describe("a correction of a person's names (issue 5)", () => {
  const tamimi = { latin: { given: "Hussein", father: "Ali", grandfather: "Hamid", family: "al-Tamimi" } };
  const otherMan = { motherName: { latin: "Fatima" }, birth: { year: 1970 } };
  /** Registers a person and answers its id and the leaf of its registration (what a correction corrects). */
  async function registered(
    run: Run,
    name: Record<string, unknown>,
    overrides: Record<string, unknown> = {},
  ) {
    const seq = run.seq;
    const { personId, duplicateReview } = await run.register(name, overrides);
    expect(duplicateReview).toBeUndefined();
    return { personId, seq };
  }
  const correct = (
    run: Run,
    who: { personId: string; seq: number },
    changes: Record<string, unknown>,
    actor = registrarA,
  ) =>
    run.send(
      "record.correct",
      { kind: "person", id: who.personId, corrects: who.seq, changes, reason: "Misread at the desk." },
      actor,
    );

  it("holds a person corrected into a near-copy of someone registered, as a registration would be", async () => {
    const run = new Run();
    const a = await registered(run, latinA);
    const c = await registered(run, tamimi, otherMan);
    const event = await correct(run, c, {
      name: arabicA,
      motherName: { arabic: "زينب" },
      birth: { year: 1986 },
    });
    expect(event.data).toMatchObject({ duplicateReview: "pending" });
    expect((event.data.duplicateMatches as { personId: string; zone: string }[])[0]).toMatchObject({
      personId: a.personId,
      zone: "same-person",
    });
    expect(run.view.persons.get(c.personId)!.duplicateReview).toBe("pending");
    // What a held registration cannot have, the held correction cannot either.
    const p = await run.refused("handover.record", handover(c.personId), registrarA, "2025-03-01T12:00:00Z");
    expect(p.fields).toEqual([{ path: "payload.from.personId", message: "duplicate_review_pending" }]);
    // Who corrected it does not review it; another registrar does.
    const own = await run.refused("duplicate.dismiss", { personId: c.personId, reason: "Not him." });
    expect(own.code).toBe("auth.forbidden");
    await run.send("duplicate.dismiss", { personId: c.personId, reason: "Not him." }, registrarB);
  });

  it("holds on a corrected birth year or mother's name alone, when the names already agree", async () => {
    const run = new Run();
    await registered(run, latinA);
    // The same chain, another mother and twenty years apart: father and son namesakes, let through.
    const c = await registered(run, arabicA, { motherName: { arabic: "فاطمة" }, birth: { year: 1966 } });
    const event = await correct(run, c, { motherName: { arabic: "زينب" }, birth: { year: 1986 } });
    expect(event.data.duplicateReview).toBe("pending");
  });

  it("does not hold a person corrected away from a match, nor match a person with itself", async () => {
    const run = new Run();
    await registered(run, latinA);
    const c = await registered(run, tamimi, otherMan);
    // The person's own spelling corrected: it resembles its old self, which is not another person.
    const respelt = await correct(run, c, {
      name: { latin: { given: "Husayn", father: "Ali", grandfather: "Hamid", family: "at-Tamimi" } },
    });
    expect(respelt.data.duplicateReview).toBeUndefined();
    // A brother of A corrected to another family: no review.
    const brother = await registered(
      run,
      { latin: { given: "Hussein", father: "Jasim", grandfather: "Kadhim", family: "al-Sudani" } },
      { birth: { year: 1989 } },
    );
    const away = await correct(run, brother, {
      name: { latin: { given: "Hussein", father: "Jasim", grandfather: "Kadhim", family: "al-Obeidi" } },
    });
    expect(away.data.duplicateReview).toBeUndefined();
    expect(run.view.persons.get(brother.personId)!.duplicateReview).toBe("none");
  });

  it("runs no check for fields matching does not read, and none for a person already held or merged", async () => {
    const run = new Run();
    const a = await registered(run, latinA);
    const bSeq = run.seq;
    const b = await run.register(arabicA);
    expect(b.duplicateReview).toBe("pending");
    // Already held: the correction is recorded, the review stays as it is (one case per person).
    const again = await correct(run, { personId: b.personId, seq: bSeq }, { name: latinA });
    expect(again.data.duplicateReview).toBeUndefined();
    expect(run.view.persons.get(b.personId)!.duplicateReview).toBe("pending");
    const role = await correct(run, a, { role: "fighter" });
    expect(role.data.duplicateReview).toBeUndefined();
  });

  it("checks a dismissed person again, leaving out the people the dismissal set apart", async () => {
    const run = new Run();
    const a = await registered(run, latinA);
    const bSeq = run.seq;
    const b = await run.register(arabicA);
    await run.send(
      "duplicate.dismiss",
      { personId: b.personId, reason: "Cousins, other cards." },
      registrarB,
    );
    // Respelt, still resembling only A, whom the review found to be someone else: not held again.
    const respelt = await correct(run, { personId: b.personId, seq: bSeq }, { name: latinA });
    expect(respelt.data.duplicateReview).toBeUndefined();
    // Corrected into a near-copy of a third man: held again, the case re-opened.
    const c = await registered(run, tamimi, otherMan);
    const held = await correct(run, { personId: b.personId, seq: bSeq }, { name: tamimi, ...otherMan });
    expect(held.data.duplicateReview).toBe("pending");
    expect((held.data.duplicateMatches as { personId: string }[]).map((m) => m.personId)).toEqual([
      c.personId,
    ]);
    expect(run.view.duplicateReviews.get(b.personId)).toMatchObject({
      status: "pending",
      matches: [c.personId],
    });
    expect(a.personId).not.toBe(c.personId);
  });

  it("refuses a corrected name matching cannot read, on the correction's path", async () => {
    const run = new Run();
    const a = await registered(run, latinA);
    const p = await run.refused("record.correct", {
      kind: "person",
      id: a.personId,
      corrects: a.seq,
      changes: { name: { latin: { given: "Ali", family: "bin" } } },
      reason: "typo",
    });
    expect(p.code).toBe("request.invalid");
    expect(p.fields[0]!.path).toMatch(/^payload\.changes\.name\.latin\.family/u);
  });
});

describe("name search", () => {
  const stored = matchInputFromPerson(person.parse(registration({ ...latinA, ...arabicA })));

  it("finds a person by any spelling, in either script", () => {
    for (const q of [
      "محمد جاسم السوداني",
      "Mohammed Jasim al-Sudani",
      "Muhammad Jassem Alsoudani",
      "Sudany Mohamad",
    ])
      expect(searchScore(prepareNameSearch(q), stored), q).toBeGreaterThanOrEqual(2);
    expect(searchScore(prepareNameSearch("Hussein Jasim"), stored)).toBe(0);
  });

  it("refuses a query matching cannot read", () => {
    expect(() => prepareNameSearch("محمد Mohammed")).toThrow(/mixes Arabic and Latin/u);
    expect(() => prepareNameSearch("1234")).toThrow(Problem);
    expect(() => prepareNameSearch("a".repeat(500))).toThrow(Problem);
  });
});

describe("given-name frequencies read from the registry", () => {
  it("weigh a common name down and a rare one up, once the registry is large enough", () => {
    const mhmd = givenNameKeys({
      given: [{ script: "latin", norm: "mohamed", skeleton: "mhmd", head: "mhmd" }],
    } as never)[0]!;
    const rare = givenNameKeys({
      given: [{ script: "latin", norm: "zuhair", skeleton: "zhr", head: "zhr" }],
    } as never)[0]!;
    // 12,000 given names: Mohammed 1,000 times, Zuhair twice, the rest 11,000 singletons.
    const registry = {
      total: 12_000,
      squares: 1_000 ** 2 + 2 ** 2 + 10_998,
      counts: { [mhmd]: 1_000, [rare]: 2 },
    };
    const f = frequenciesFromCounts(registry);
    expect(f.adjustment("given", "mhmd")).toBeLessThan(0);
    expect(f.adjustment("given", "zhr")).toBeGreaterThan(0);
    expect(f.adjustment("father", "mhmd")).toBe(0);
    // A handful of registrations says nothing about how common a name is.
    expect(
      frequenciesFromCounts({
        total: MIN_FREQUENCY_SAMPLE - 1,
        squares: 1,
        counts: { [mhmd]: 900 },
      }).adjustment("given", "mhmd"),
    ).toBe(0);
  });
});
