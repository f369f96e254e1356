import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CommandDefinition, DecidedEvent } from "../src/commands/command.ts";
import {
  commandDefinitions,
  commandEnvelope,
  commandTypes,
  findCommandDefinition,
} from "../src/commands/registry.ts";
import { Problem, type ProblemCode } from "../src/problems.ts";
import { itemTag, parseReceiptNumber, receiptNumber } from "../src/rules/receipt-number.ts";
import {
  appealDecisionPayload,
  appealPayload,
  CARD,
  cacheClearPayload,
  cacheReportPayload,
  cacheVerifyPayload,
  cartridges,
  correctionPayload,
  deactivationPayload,
  deathPayload,
  declarationPayload,
  destructionPayload,
  discrepancyResolvePayload,
  dispatchPayload,
  duplicateDismissPayload,
  duplicateMergePayload,
  groupPartyPayload,
  groupPayload,
  groupTransformPayload,
  handoverPayload,
  ids,
  investigationClosePayload,
  investigationUpdatePayload,
  pathwayFollowUpPayload,
  pathwayLeavePayload,
  pathwayOfferPayload,
  pathwayPlacePayload,
  pathwayRespondPayload,
  pathwayVetPayload,
  paymentConfirmPayload,
  paymentListPreparePayload,
  paymentListSendPayload,
  paymentRecordPayload,
  paymentSchedulePayload,
  payoutAccountPayload,
  personPayload,
  photo,
  programmePayload,
  reattachPartPayload,
  receivePayload,
  retentionPayload,
  revocationPayload,
  rifle,
  rosterPayload,
  screeningPayload,
  seededView,
  separatePartPayload,
  sitePayload,
  stateTransferPayload,
  stockCheckRecordPayload,
  stockCheckStartPayload,
  storeRemovalPayload,
  storeReturnPayload,
} from "./fixtures.ts";
import { MemoryView, makeEnv, type TestEnv, testUuid } from "./memory-view.ts";

function command(type: string): CommandDefinition {
  const def = findCommandDefinition(type);
  if (!def) throw new Error(`no command ${type}`);
  return def;
}

/** Parses the payload as the API would, then lets the command decide. */
async function decide(type: string, raw: unknown, view: MemoryView, env: TestEnv = makeEnv()) {
  const def = command(type);
  return def.decide(def.payload.parse(raw), view, env);
}

async function refusal(promise: Promise<unknown>): Promise<Problem> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof Problem) return e;
    throw e;
  }
  throw new Error("expected the command to be refused");
}

async function expectProblem(promise: Promise<unknown>, code: ProblemCode, path?: string) {
  const problem = await refusal(promise);
  expect(problem.code).toBe(code);
  if (path !== undefined) expect(problem.fields.map((f) => f.path)).toContain(path);
  return problem;
}

function schemaRefuses(type: string, raw: unknown): string[] {
  const r = command(type).payload.safeParse(raw);
  if (r.success) throw new Error(`the ${type} schema accepted ${JSON.stringify(raw)}`);
  return [...new Set(r.error.issues.map((i) => i.path.join(".")))];
}

describe("the registry", () => {
  // One valid payload per command, and what its event must look like.
  const validCases: Record<
    string,
    { raw: () => unknown; event: string; subjects: (e: DecidedEvent) => unknown }
  > = {
    "programme.configure": {
      raw: programmePayload,
      event: "programme.configured",
      subjects: () => [{ kind: "programme", id: "programme" }],
    },
    "group.register": {
      raw: groupPayload,
      event: "group.registered",
      subjects: () => [{ kind: "group", id: testUuid(0x1000) }],
    },
    "group.declare": {
      raw: declarationPayload,
      event: "group.declared",
      subjects: () => [{ kind: "group", id: ids.group }],
    },
    "site.register": {
      raw: sitePayload,
      event: "site.registered",
      subjects: () => [{ kind: "site", id: testUuid(0x1000) }],
    },
    "person.register": {
      raw: personPayload,
      event: "person.registered",
      subjects: () => [{ kind: "person", id: testUuid(0x1000) }],
    },
    "handover.record": {
      raw: handoverPayload,
      event: "handover.recorded",
      subjects: (e) => [
        { kind: "handover", id: e.data.handoverId },
        { kind: "weapon", id: (e.data.weapons as { itemId: string }[])[0]?.itemId },
        { kind: "ammunition", id: (e.data.ammunition as { lotId: string }[])[0]?.lotId },
        { kind: "person", id: ids.person },
      ],
    },
    "record.correct": {
      raw: correctionPayload,
      event: "record.corrected",
      subjects: () => [{ kind: "weapon", id: ids.weapon }],
    },
    "custody.dispatch": {
      raw: dispatchPayload,
      event: "custody.dispatched",
      subjects: () => [
        { kind: "transfer", id: testUuid(0x1000) },
        { kind: "weapon", id: ids.weapon },
      ],
    },
    "custody.receive": {
      raw: receivePayload,
      event: "custody.received",
      subjects: () => [
        { kind: "transfer", id: ids.transfer },
        { kind: "weapon", id: ids.travelling },
      ],
    },
    "disposition.destroy": {
      raw: destructionPayload,
      event: "disposition.destroyed",
      subjects: () => [
        { kind: "disposition", id: testUuid(0x1000) },
        { kind: "weapon", id: ids.condemned },
      ],
    },
    "disposition.transfer_to_state": {
      raw: stateTransferPayload,
      event: "disposition.transferred_to_state",
      subjects: () => [
        { kind: "disposition", id: testUuid(0x1000) },
        { kind: "weapon", id: ids.weapon },
        { kind: "ammunition", id: ids.lot },
      ],
    },
    "disposition.deactivate": {
      raw: deactivationPayload,
      event: "disposition.deactivated",
      subjects: () => [
        { kind: "disposition", id: testUuid(0x1000) },
        { kind: "weapon", id: ids.weapon },
      ],
    },
    "disposition.retain": {
      raw: retentionPayload,
      event: "disposition.retained",
      subjects: () => [
        { kind: "disposition", id: testUuid(0x1000) },
        { kind: "weapon", id: ids.weapon },
      ],
    },
    "weapon.separate_part": {
      raw: separatePartPayload,
      event: "weapon.part_separated",
      subjects: () => [
        { kind: "weapon", id: ids.weapon },
        { kind: "key_part", id: testUuid(0x1000) },
      ],
    },
    "store.remove": {
      raw: storeRemovalPayload,
      event: "store.removed",
      subjects: () => [
        { kind: "store_access", id: testUuid(0x1000) },
        { kind: "weapon", id: ids.weapon },
      ],
    },
    "stock_check.start": {
      raw: stockCheckStartPayload,
      event: "stock_check.started",
      subjects: () => [{ kind: "stock_check", id: testUuid(0x1000) }],
    },
    "stock_check.record": {
      raw: stockCheckRecordPayload,
      event: "stock_check.recorded",
      subjects: () => [{ kind: "stock_check", id: ids.stockCheck }],
    },
    "investigation.update": {
      raw: investigationUpdatePayload,
      event: "investigation.updated",
      subjects: () => [{ kind: "investigation", id: "60:0" }],
    },
    "investigation.close": {
      raw: investigationClosePayload,
      event: "investigation.closed",
      subjects: () => [{ kind: "investigation", id: "60:0" }],
    },
    "discrepancy.resolve": {
      raw: discrepancyResolvePayload,
      event: "discrepancy.resolved",
      subjects: () => [
        { kind: "discrepancy", id: "61:0" },
        { kind: "transfer", id: testUuid(54) },
      ],
    },
    "cache.report": {
      raw: cacheReportPayload,
      event: "cache.reported",
      subjects: () => [{ kind: "cache", id: testUuid(0x1000) }],
    },
    "cache.verify": {
      raw: cacheVerifyPayload,
      event: "cache.verified",
      subjects: () => [{ kind: "cache", id: ids.cache }],
    },
    "cache.clear": {
      raw: cacheClearPayload,
      event: "cache.cleared",
      subjects: () => [{ kind: "cache", id: ids.verifiedCache }],
    },
    // payments
    "payment.schedule_set": {
      raw: paymentSchedulePayload,
      event: "payment.schedule_set",
      subjects: () => [{ kind: "payment_schedule", id: ids.paymentSchedule }],
    },
    "payment.account_set": {
      raw: payoutAccountPayload,
      event: "payment.account_set",
      subjects: () => [{ kind: "person", id: ids.payee }],
    },
    "payment.list_prepare": {
      raw: paymentListPreparePayload,
      event: "payment.list_prepared",
      subjects: () => [
        { kind: "payment_list", id: testUuid(0x1000) },
        { kind: "payment_schedule", id: ids.paymentSchedule },
      ],
    },
    "payment.list_send": {
      raw: paymentListSendPayload,
      event: "payment.list_sent",
      subjects: () => [{ kind: "payment_list", id: ids.listedList }],
    },
    "payment.record": {
      raw: paymentRecordPayload,
      event: "payment.recorded",
      subjects: () => [
        { kind: "person", id: ids.payee },
        { kind: "payment_schedule", id: ids.paymentSchedule },
      ],
    },
    "payment.confirm": {
      raw: paymentConfirmPayload,
      event: "payment.confirmed",
      subjects: () => [{ kind: "payment_list", id: ids.sentList }],
    },
    // Screening and eligibility.
    "screening.record": {
      raw: screeningPayload,
      event: "screening.recorded",
      subjects: () => [{ kind: "person", id: ids.person }],
    },
    "eligibility.appeal": {
      raw: appealPayload,
      event: "eligibility.appealed",
      subjects: () => [
        { kind: "appeal", id: testUuid(0x1000) },
        { kind: "person", id: ids.person },
      ],
    },
    "eligibility.decide_appeal": {
      raw: appealDecisionPayload,
      event: "eligibility.appeal_decided",
      subjects: () => [
        { kind: "appeal", id: ids.appeal },
        { kind: "person", id: ids.lonePerson },
      ],
    },
    "eligibility.revoke": {
      raw: revocationPayload,
      event: "eligibility.revoked",
      subjects: () => [{ kind: "person", id: ids.eligiblePerson }],
    },
    "person.record_death": {
      raw: deathPayload,
      event: "person.death_recorded",
      subjects: () => [{ kind: "person", id: ids.person }],
    },
    "roster.submit": {
      raw: rosterPayload,
      event: "roster.submitted",
      subjects: () => [{ kind: "group", id: ids.group }],
    },
    // pathways
    "group.transform": {
      raw: groupTransformPayload,
      event: "group.transformed",
      subjects: () => [{ kind: "group", id: ids.group }],
    },
    "group.party": {
      raw: groupPartyPayload,
      event: "group.party_recorded",
      subjects: () => [{ kind: "group", id: ids.group }],
    },
    "pathway.offer": {
      raw: pathwayOfferPayload,
      event: "pathway.offered",
      subjects: () => [
        { kind: "pathway", id: testUuid(0x1000) },
        { kind: "person", id: ids.candidate },
      ],
    },
    "pathway.respond": {
      raw: pathwayRespondPayload,
      event: "pathway.responded",
      subjects: () => [
        { kind: "pathway", id: ids.offeredPathway },
        { kind: "person", id: ids.offeredPerson },
      ],
    },
    "pathway.vet": {
      raw: pathwayVetPayload,
      event: "pathway.vetted",
      subjects: () => [
        { kind: "pathway", id: ids.offeredPathway },
        { kind: "person", id: ids.offeredPerson },
      ],
    },
    "pathway.place": {
      raw: pathwayPlacePayload,
      event: "pathway.placed",
      subjects: () => [
        { kind: "pathway", id: ids.acceptedPathway },
        { kind: "person", id: ids.acceptedPerson },
      ],
    },
    "pathway.follow_up": {
      raw: pathwayFollowUpPayload,
      event: "pathway.followed_up",
      subjects: () => [
        { kind: "pathway", id: ids.placedPathway },
        { kind: "person", id: ids.placedPerson },
      ],
    },
    "pathway.leave": {
      raw: pathwayLeavePayload,
      event: "pathway.left",
      subjects: () => [
        { kind: "pathway", id: ids.placedPathway },
        { kind: "person", id: ids.placedPerson },
      ],
    },
    "store.return": {
      raw: storeReturnPayload,
      event: "store.returned",
      subjects: () => [
        { kind: "store_access", id: ids.storeAccess },
        { kind: "weapon", id: ids.borrowed },
      ],
    },
    // Demobilisation cards (cards slice); the env's seq is 42.
    "card.issue": {
      raw: () => ({ personId: ids.cardless }),
      event: "card.issued",
      subjects: () => [
        { kind: "card", id: "DC-0000042-7" },
        { kind: "person", id: ids.cardless },
      ],
    },
    "card.reissue": {
      raw: () => ({ cardNumber: CARD, reason: "lost" }),
      event: "card.reissued",
      subjects: () => [
        { kind: "card", id: "DC-0000042-7" },
        { kind: "card", id: CARD },
        { kind: "person", id: ids.cardHolder },
      ],
    },
    "card.revoke": {
      raw: () => ({ cardNumber: CARD, reason: "Issued in error" }),
      event: "card.revoked",
      subjects: () => [
        { kind: "card", id: CARD },
        { kind: "person", id: ids.cardHolder },
      ],
    },
    "duplicate.merge": {
      raw: duplicateMergePayload,
      event: "duplicate.merged",
      subjects: () => [
        { kind: "person", id: ids.heldPerson },
        { kind: "person", id: ids.person },
      ],
    },
    "duplicate.dismiss": {
      raw: duplicateDismissPayload,
      event: "duplicate.dismissed",
      subjects: () => [{ kind: "person", id: ids.heldPerson }],
    },
    "weapon.reattach_part": {
      raw: reattachPartPayload,
      event: "weapon.part_reattached",
      subjects: () => [
        { kind: "weapon", id: ids.reunited },
        { kind: "key_part", id: ids.looseBolt },
      ],
    },
  };

  it("has a valid case for every command, and no more", () => {
    expect(Object.keys(validCases).sort()).toEqual([...commandTypes].sort());
    expect(commandDefinitions.map((c) => c.action).sort()).toEqual([...commandTypes].sort());
  });

  it.each(Object.entries(validCases))("%s decides its event from a valid payload", async (type, c) => {
    const event = await decide(type, c.raw(), seededView({ programme: true }));
    expect(event.type).toBe(c.event);
    expect(event.subjects).toEqual(c.subjects(event));
  });

  it("finds commands by type and nothing else", () => {
    expect(findCommandDefinition("handover.record")?.type).toBe("handover.record");
    expect(findCommandDefinition("handover.delete")).toBeUndefined();
  });

  it("wraps commands in a strict envelope with a client-made UUID", () => {
    const commandId = testUuid(1);
    expect(commandEnvelope.parse({ commandId, type: "site.register", payload: {} })).toEqual({
      commandId,
      type: "site.register",
      payload: {},
    });
    expect(commandEnvelope.safeParse({ commandId: "1", type: "site.register", payload: {} }).success).toBe(
      false,
    );
    expect(commandEnvelope.safeParse({ commandId, type: "site.delete", payload: {} }).success).toBe(false);
    expect(commandEnvelope.safeParse({ commandId, type: "site.register", payload: {}, x: 1 }).success).toBe(
      false,
    );
  });

  it("scopes person and handover commands to their site, corrections to the record's place", async () => {
    const view = seededView();
    const parse = (type: string, raw: unknown) => command(type).payload.parse(raw);
    expect(await command("person.register").target(parse("person.register", personPayload()), view)).toEqual({
      siteId: ids.site,
    });
    expect(
      await command("handover.record").target(parse("handover.record", handoverPayload()), view),
    ).toEqual({
      siteId: ids.site,
    });
    expect(
      await command("record.correct").target(parse("record.correct", correctionPayload()), view),
    ).toEqual({
      siteId: ids.site,
    });
    for (const type of ["programme.configure", "group.register", "site.register"])
      expect(await command(type).target(parse(type, validCases[type]!.raw()), view)).toBeUndefined();
  });

  it("scopes a dispatch to the sending site, a receipt to the receiving one, a destruction to its site", async () => {
    const view = seededView();
    const target = (type: string, raw: unknown) =>
      command(type).target(command(type).payload.parse(raw), view);
    expect(await target("custody.dispatch", dispatchPayload())).toEqual({ siteId: ids.site });
    expect(await target("custody.receive", receivePayload())).toEqual({ siteId: ids.depot });
    // An unknown transfer has no place: the rules then refuse it as unknown.
    expect(await target("custody.receive", receivePayload({ transferId: ids.unknown }))).toBeUndefined();
    expect(await target("disposition.destroy", destructionPayload())).toEqual({ siteId: ids.destruction });
    expect(await target("disposition.transfer_to_state", stateTransferPayload())).toEqual({
      siteId: ids.site,
    });
    expect(await target("disposition.deactivate", deactivationPayload())).toEqual({ siteId: ids.site });
    expect(await target("disposition.retain", retentionPayload())).toEqual({ siteId: ids.site });
  });
});

describe("programme.configure", () => {
  it("records the configuration as given", async () => {
    const event = await decide("programme.configure", programmePayload(), seededView());
    // Custody rules default to the strict choice: weapons and ammunition travel apart.
    expect(event.data).toEqual({
      ...programmePayload(),
      custody: { allowMixedManifests: false },
      // Follow-ups fall due at each pathway kind's default days unless the programme sets its own.
      pathways: { followUpDays: {} },
    });
    const mixed = await decide(
      "programme.configure",
      { ...programmePayload(), custody: { allowMixedManifests: true } },
      seededView(),
    );
    expect(mixed.data.custody).toEqual({ allowMixedManifests: true });
    expect(schemaRefuses("programme.configure", { ...programmePayload(), custody: { mixed: true } })).toEqual(
      ["custody.allowMixedManifests", "custody"],
    );
  });

  it("refuses a cap on an unknown group", async () => {
    const raw = programmePayload();
    raw.caps.push({ groupId: ids.unknown, maxParticipants: 5 });
    await expectProblem(
      decide("programme.configure", raw, seededView()),
      "reference.unknown",
      "payload.caps.1.groupId",
    );
  });

  it("refuses rules without an eligible category and unknown fields", () => {
    const raw = programmePayload();
    expect(
      schemaRefuses("programme.configure", {
        ...raw,
        eligibility: { ...raw.eligibility, eligibleCategories: [] },
      }),
    ).toEqual(["eligibility.eligibleCategories"]);
    expect(schemaRefuses("programme.configure", { ...raw, budget: 1 })).toEqual([""]);
    expect(
      schemaRefuses("programme.configure", { ...raw, eligibility: { ...raw.eligibility, crewRatio: 3 } }),
    ).toEqual(["eligibility"]);
  });
});

describe("group.register", () => {
  it("assigns an id, upper-cases the code and fills in the defaults", async () => {
    const env = makeEnv();
    const event = await decide(
      "group.register",
      { code: "grp-east", name: groupPayload().name },
      seededView(),
      env,
    );
    expect(env.issued).toHaveLength(1);
    expect(event.data).toEqual({
      groupId: env.issued[0],
      code: "GRP-EAST",
      name: { ar: "لواء الشرق", en: "Eastern Brigade" },
      aliases: [],
      governorates: [],
      units: [],
      liaisonOfficers: [],
    });
  });

  it("keeps a client-made id", async () => {
    const env = makeEnv();
    const groupId = testUuid(0x77);
    const event = await decide("group.register", { ...groupPayload(), groupId }, seededView(), env);
    expect(event.subjects).toEqual([{ kind: "group", id: groupId }]);
    expect(env.issued).toEqual([]);
  });

  it("refuses a code in use, whatever its case", async () => {
    await expectProblem(
      decide("group.register", { ...groupPayload(), code: "grp-north" }, seededView()),
      "rule.violated",
      "payload.code",
    );
  });

  it("refuses an unknown umbrella group and accepts a known one", async () => {
    await expectProblem(
      decide("group.register", { ...groupPayload(), umbrellaId: ids.unknown }, seededView()),
      "reference.unknown",
      "payload.umbrellaId",
    );
    const event = await decide("group.register", { ...groupPayload(), umbrellaId: ids.group }, seededView());
    expect(event.data.umbrellaId).toBe(ids.group);
  });

  it("refuses an id in use", async () => {
    await expectProblem(
      decide("group.register", { ...groupPayload(), groupId: ids.group }, seededView()),
      "rule.violated",
      "payload.groupId",
    );
  });

  it("refuses unknown fields and an alias in the wrong script", () => {
    expect(schemaRefuses("group.register", { ...groupPayload(), strength: 10 })).toEqual([""]);
    expect(
      schemaRefuses("group.register", { ...groupPayload(), aliases: [{ script: "arabic", text: "Liwa" }] }),
    ).toEqual(["aliases.0.text"]);
  });
});

describe("group.declare", () => {
  it("numbers declarations one after the other", async () => {
    const view = seededView();
    const first = await decide("group.declare", declarationPayload(), view);
    expect(first.data).toEqual({ ...declarationPayload(), version: 1 });
    view.apply(8, first);
    const second = await decide("group.declare", declarationPayload(), view);
    expect(second.data.version).toBe(2);
    view.declarationVersions.set(ids.group, 41);
    expect((await decide("group.declare", declarationPayload(), view)).data.version).toBe(42);
  });

  it("refuses a declaration for an unknown group", async () => {
    await expectProblem(
      decide("group.declare", { ...declarationPayload(), groupId: ids.unknown }, seededView()),
      "reference.unknown",
      "payload.groupId",
    );
  });

  it("refuses a category declared twice and negative counts", () => {
    const raw = declarationPayload();
    expect(
      schemaRefuses("group.declare", { ...raw, arsenal: [...raw.arsenal, { category: "rifle", count: 1 }] }),
    ).toEqual(["arsenal"]);
    expect(schemaRefuses("group.declare", { ...raw, strength: { ...raw.strength, boys: -1 } })).toEqual([
      "strength.boys",
    ]);
  });
});

describe("site.register", () => {
  it("assigns an id and records the site", async () => {
    const env = makeEnv();
    const event = await decide("site.register", sitePayload(), seededView(), env);
    expect(event.data).toEqual({ ...sitePayload(), code: "BG-02", siteId: env.issued[0] });
  });

  it("refuses a code or an id in use", async () => {
    await expectProblem(
      decide("site.register", { ...sitePayload(), code: " bg-01" }, seededView()),
      "rule.violated",
      "payload.code",
    );
    await expectProblem(
      decide("site.register", { ...sitePayload(), siteId: ids.depot }, seededView()),
      "rule.violated",
      "payload.siteId",
    );
  });

  it("refuses impossible coordinates and unknown kinds", () => {
    expect(schemaRefuses("site.register", { ...sitePayload(), location: { lat: 91, lon: 44 } })).toEqual([
      "location.lat",
    ]);
    expect(schemaRefuses("site.register", { ...sitePayload(), kind: "warehouse" })).toEqual(["kind"]);
  });
});

describe("person.register", () => {
  it("assigns a pseudonymous id and records the registration date and age group", async () => {
    const env = makeEnv({ now: "2025-03-01T10:00:00Z" });
    const event = await decide("person.register", personPayload(), seededView(), env);
    expect(event.subjects).toEqual([{ kind: "person", id: env.issued[0] }]);
    expect(event.data).toEqual({
      ...personPayload(),
      personId: env.issued[0],
      registeredOn: "2025-03-01",
      ageGroup: "adult",
      screening: {},
      vettingFlags: [],
    });
  });

  it.each([
    [{ date: "2007-03-01" }, "adult"],
    [{ date: "2007-03-02" }, "child"],
    [{ year: 2007 }, "child"],
    [{ year: 2006 }, "adult"],
    [{ date: "2025-03-01" }, "child"],
  ])("counts someone born %j as %s on 2025-03-01", async (birth, ageGroup) => {
    const event = await decide(
      "person.register",
      { ...personPayload(), birth },
      seededView(),
      makeEnv({ now: "2025-03-01T23:59:59Z" }),
    );
    expect(event.data.ageGroup).toBe(ageGroup);
  });

  it("registers a person without a group", async () => {
    const { groupId: _, ...raw } = personPayload();
    const event = await decide("person.register", raw, seededView());
    expect(event.data.groupId).toBeUndefined();
  });

  it("refuses an unknown site or group", async () => {
    await expectProblem(
      decide("person.register", { ...personPayload(), siteId: ids.unknown }, seededView()),
      "reference.unknown",
      "payload.siteId",
    );
    await expectProblem(
      decide("person.register", { ...personPayload(), groupId: ids.unknown }, seededView()),
      "reference.unknown",
      "payload.groupId",
    );
  });

  it("refuses a date or year of birth in the future", async () => {
    const env = () => makeEnv({ now: "2025-03-01T10:00:00Z" });
    await expectProblem(
      decide("person.register", { ...personPayload(), birth: { date: "2025-03-02" } }, seededView(), env()),
      "rule.violated",
      "payload.birth.date",
    );
    await expectProblem(
      decide("person.register", { ...personPayload(), birth: { year: 2026 } }, seededView(), env()),
      "rule.violated",
      "payload.birth.year",
    );
    const thisYear = await decide(
      "person.register",
      { ...personPayload(), birth: { year: 2025 } },
      seededView(),
      env(),
    );
    expect(thisYear.data.ageGroup).toBe("child");
  });

  it("refuses an id in use", async () => {
    await expectProblem(
      decide("person.register", { ...personPayload(), personId: ids.person }, seededView()),
      "rule.violated",
      "payload.personId",
    );
  });

  it("refuses incomplete or inconsistent identity data", () => {
    const raw = personPayload();
    expect(schemaRefuses("person.register", { ...raw, name: {} })).toEqual(["name"]);
    expect(schemaRefuses("person.register", { ...raw, birth: {} })).toEqual(["birth"]);
    expect(schemaRefuses("person.register", { ...raw, birth: { date: "1990-05-01", year: 1991 } })).toEqual([
      "birth",
    ]);
    expect(schemaRefuses("person.register", { ...raw, nationalId: "ab123456" })).toEqual(["nationalId"]);
    expect(schemaRefuses("person.register", { ...raw, name: { arabic: { given: "Ali" } } })).toEqual([
      "name.arabic.given",
    ]);
    expect(schemaRefuses("person.register", { ...raw, tribe: "x" })).toEqual([""]);
  });
});

describe("handover.record", () => {
  it("records a person's handover with a receipt number, tags and the eligibility decision", async () => {
    const env = makeEnv({ seq: 42 });
    const event = await decide("handover.record", handoverPayload(), seededView({ programme: true }), env);
    const weapons = event.data.weapons as Record<string, unknown>[];
    const ammunition = event.data.ammunition as Record<string, unknown>[];
    expect(event.data).toMatchObject({
      receiptNumber: "R-0000042-7",
      siteId: ids.site,
      handedAt: "2025-03-01T09:30:00Z",
      fromKind: "person",
      personId: ids.person,
      groupId: ids.group,
      governorate: "IQ-NI",
      receivingOfficer: env.actor.userId,
      verifyingOfficer: { name: "Maj. Lars Berg", affiliation: "UN military observers" },
      witnesses: [{ name: "Sheikh Hamid", affiliation: "Local council" }],
      photos: [photo],
      notes: "Handed in at the gate.",
      eligibility: { status: "eligible", reasons: ["eligible_weapon"] },
    });
    expect(event.data).not.toHaveProperty("representative");
    expect(weapons).toEqual([
      {
        ...rifle(),
        itemId: weapons[0]?.itemId,
        tag: "W0000042-01",
        noReadableSerial: false,
        componentSerials: [],
        markings: [],
        alteredMarks: false,
        photos: [],
        source: "handover",
        listCheck: "not_checked",
      },
    ]);
    expect(ammunition).toEqual([
      {
        ...cartridges(),
        lotId: ammunition[0]?.lotId,
        tag: "A0000042-01",
        destroyedInSitu: false,
        photos: [],
        source: "handover",
      },
    ]);
    // Every record the handover creates gets a fresh id from the environment.
    const created = [event.data.handoverId, weapons[0]?.itemId, ammunition[0]?.lotId];
    expect([...created].sort()).toEqual([...env.issued].sort());
    expect(new Set(created).size).toBe(3);
  });

  it("derives the receipt number and the automatic tags from the leaf index (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.integer({ min: 1, max: 5 }),
        async (seq, n) => {
          const raw = handoverPayload({
            weapons: Array.from({ length: n }, (_, i) => rifle({ serial: `AK-47 10000${i}` })),
            ammunition: [cartridges(), cartridges({ quantity: 5 })],
          });
          const event = await decide("handover.record", raw, seededView(), makeEnv({ seq }));
          expect(event.data.receiptNumber).toBe(receiptNumber(seq));
          expect(parseReceiptNumber(event.data.receiptNumber as string)).toBe(seq);
          expect((event.data.weapons as { tag: string }[]).map((w) => w.tag)).toEqual(
            Array.from({ length: n }, (_, i) => itemTag("W", seq, i)),
          );
          expect((event.data.ammunition as { tag: string }[]).map((a) => a.tag)).toEqual([
            itemTag("A", seq, 0),
            itemTag("A", seq, 1),
          ]);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("keeps scanned tags (upper-cased) and numbers the others by position", async () => {
    const raw = handoverPayload({
      weapons: [rifle({ tag: "qr-000777" }), rifle({ serial: "AK-47 999999" })],
      ammunition: [cartridges({ tag: "LOT-5" })],
    });
    const event = await decide("handover.record", raw, seededView(), makeEnv({ seq: 9 }));
    expect((event.data.weapons as { tag: string }[]).map((w) => w.tag)).toEqual(["QR-000777", "W0000009-02"]);
    expect((event.data.ammunition as { tag: string }[]).map((a) => a.tag)).toEqual(["LOT-5"]);
  });

  it("records a handover by someone found ineligible, with the reasons", async () => {
    const view = seededView({ programme: true });
    view.persons.get(ids.person)!.registeredOn = "2025-07-01";
    const raw = handoverPayload({
      weapons: [rifle({ serviceable: false })],
      ammunition: [cartridges({ quantity: 99 })],
    });
    const event = await decide("handover.record", raw, view);
    expect(event.type).toBe("handover.recorded");
    expect(event.data.receiptNumber).toBe(receiptNumber(42));
    expect(event.data.eligibility).toEqual({
      status: "ineligible",
      reasons: ["registered_after_cut_off", "no_eligible_item"],
    });
  });

  it("finds no one eligible before the programme is configured", async () => {
    const event = await decide("handover.record", handoverPayload(), seededView());
    expect(event.data.eligibility).toEqual({ status: "ineligible", reasons: ["no_programme_rules"] });
  });

  it("applies the group's cap, counting the people already eligible", async () => {
    const view = seededView({ programme: true });
    view.addPerson({ id: testUuid(0x501), siteId: ids.site, groupId: ids.group, eligible: true });
    expect((await decide("handover.record", handoverPayload(), view)).data.eligibility).toEqual({
      status: "eligible",
      reasons: ["eligible_weapon"],
    });
    view.addPerson({ id: testUuid(0x502), siteId: ids.site, groupId: ids.group, eligible: true });
    expect((await decide("handover.record", handoverPayload(), view)).data.eligibility).toEqual({
      status: "ineligible",
      reasons: ["group_cap_reached"],
    });
  });

  it("records a collective handover by a group's representative", async () => {
    const raw = handoverPayload({
      siteId: ids.mobile,
      from: { kind: "group", groupId: ids.otherGroup, representative: "Col. Saad Jaber" },
      weapons: [rifle({ category: "mortar", type: "M-57 60mm", serial: "M57-4411" })],
      ammunition: [],
    });
    const event = await decide("handover.record", raw, seededView({ programme: true }));
    expect(event.data).toMatchObject({
      fromKind: "group",
      groupId: ids.otherGroup,
      governorate: "IQ-NI",
      representative: "Col. Saad Jaber",
      eligibility: { status: "not_applicable", reasons: ["collective_handover"] },
    });
    expect(event.data).not.toHaveProperty("personId");
    expect(event.subjects.map((s) => s.kind)).toEqual(["handover", "weapon"]);
  });

  it("accepts an item with no readable serial when a photo shows the marking area", async () => {
    const raw = handoverPayload({
      weapons: [rifle({ serial: undefined, noReadableSerial: true, photos: [photo] })],
    });
    const event = await decide("handover.record", raw, seededView());
    expect((event.data.weapons as { noReadableSerial: boolean }[])[0]?.noReadableSerial).toBe(true);
  });

  it("refuses an unknown site, person or group", async () => {
    await expectProblem(
      decide("handover.record", handoverPayload({ siteId: ids.unknown }), seededView()),
      "reference.unknown",
      "payload.siteId",
    );
    await expectProblem(
      decide(
        "handover.record",
        handoverPayload({ from: { kind: "person", personId: ids.unknown } }),
        seededView(),
      ),
      "reference.unknown",
      "payload.from.personId",
    );
    await expectProblem(
      decide(
        "handover.record",
        handoverPayload({ from: { kind: "group", groupId: ids.unknown, representative: "Saad" } }),
        seededView(),
      ),
      "reference.unknown",
      "payload.from.groupId",
    );
  });

  it.each([ids.depot, ids.destruction])(
    "refuses a handover at a depot or destruction site (%s)",
    async (siteId) => {
      await expectProblem(
        decide("handover.record", handoverPayload({ siteId }), seededView()),
        "rule.violated",
        "payload.siteId",
      );
    },
  );

  it("accepts a handover recorded by a mobile team", async () => {
    const event = await decide("handover.record", handoverPayload({ siteId: ids.mobile }), seededView());
    expect(event.data.siteId).toBe(ids.mobile);
  });

  it.each([
    ["2025-03-01T10:00:01Z", "one second after the server's clock"],
    ["2025-03-02T09:30:00Z", "tomorrow"],
    ["2025-03-01T08:00:00-05:00", "13:00 UTC written with a negative offset"],
    ["2025-03-01T10:00:00.500Z", "half a second ahead"],
  ])("refuses a handover time in the future: %s (%s)", async (handedAt) => {
    await expectProblem(
      decide(
        "handover.record",
        handoverPayload({ handedAt }),
        seededView(),
        makeEnv({ now: "2025-03-01T10:00:00Z" }),
      ),
      "rule.violated",
      "payload.handedAt",
    );
  });

  it.each([
    ["2025-03-01T10:00:00Z", "exactly now"],
    ["2025-03-01T12:30:00+03:00", "09:30 UTC written in Baghdad time"],
    ["2025-02-28T23:00:00-01:00", "midnight UTC"],
  ])("accepts a handover time in the past: %s (%s)", async (handedAt) => {
    const event = await decide(
      "handover.record",
      handoverPayload({ handedAt }),
      seededView(),
      makeEnv({ now: "2025-03-01T10:00:00Z" }),
    );
    expect(event.data.handedAt).toBe(handedAt);
  });

  it("refuses placeholder serials, naming the field", async () => {
    await expectProblem(
      decide(
        "handover.record",
        handoverPayload({ weapons: [rifle(), rifle({ serial: "Unknown" })] }),
        seededView(),
      ),
      "serial.placeholder",
      "payload.weapons.1.serial",
    );
    await expectProblem(
      decide("handover.record", handoverPayload({ weapons: [rifle({ serial: "٠٠٠٠" })] }), seededView()),
      "serial.placeholder",
      "payload.weapons.0.serial",
    );
    const component = rifle({ componentSerials: [{ component: "bolt", serial: "xxx" }] });
    await expectProblem(
      decide("handover.record", handoverPayload({ weapons: [component] }), seededView()),
      "serial.placeholder",
      "payload.weapons.0.componentSerials.0.serial",
    );
  });

  it("refuses the same tag twice in one handover", async () => {
    await expectProblem(
      decide(
        "handover.record",
        handoverPayload({ weapons: [rifle({ tag: "T-1" }), rifle({ tag: "t-1", serial: "AK-47 222222" })] }),
        seededView(),
      ),
      "tag.in-use",
    );
    // A scanned tag that happens to equal another item's automatic tag.
    await expectProblem(
      decide(
        "handover.record",
        handoverPayload({ weapons: [rifle(), rifle({ tag: "W0000042-01", serial: "AK-47 222222" })] }),
        seededView(),
        makeEnv({ seq: 42 }),
      ),
      "tag.in-use",
    );
  });

  it("refuses a tag already on another item", async () => {
    const view = seededView();
    const first = await decide(
      "handover.record",
      handoverPayload({ weapons: [rifle({ tag: "QR-1" })] }),
      view,
      makeEnv({ seq: 50 }),
    );
    view.apply(50, first);
    expect(view.tags).toEqual(new Set(["QR-1", "A0000050-01"]));
    const problem = await expectProblem(
      decide(
        "handover.record",
        handoverPayload({ weapons: [rifle({ tag: "qr-1", serial: "AK-47 9" })] }),
        view,
        makeEnv({ seq: 51 }),
      ),
      "tag.in-use",
    );
    expect(problem.message).toContain("QR-1");
    view.tags.add("W0000052-01");
    await expectProblem(
      decide("handover.record", handoverPayload(), view, makeEnv({ seq: 52 })),
      "tag.in-use",
    );
  });

  describe("its schema", () => {
    const { serial: _, ...noSerial } = rifle();
    it.each([
      ["a handover with no items", handoverPayload({ weapons: [], ammunition: [] }), [""]],
      [
        "a weapon with neither serial nor noReadableSerial",
        handoverPayload({ weapons: [noSerial] }),
        ["weapons.0.serial"],
      ],
      [
        "noReadableSerial without a photo",
        handoverPayload({ weapons: [{ ...noSerial, noReadableSerial: true }] }),
        ["weapons.0.photos"],
      ],
      [
        "both a serial and noReadableSerial",
        handoverPayload({ weapons: [rifle({ noReadableSerial: true, photos: [photo] })] }),
        ["weapons.0.serial"],
      ],
      ["an unknown top-level field", handoverPayload({ paidAmount: 100 }), [""]],
      ["an unknown weapon field", handoverPayload({ weapons: [rifle({ owner: "x" })] }), ["weapons.0"]],
      [
        "an unknown field in from",
        handoverPayload({ from: { kind: "person", personId: ids.person, name: "x" } }),
        ["from"],
      ],
      ["a handover time without offset", handoverPayload({ handedAt: "2025-03-01T09:30:00" }), ["handedAt"]],
      [
        "an unknown weapon category",
        handoverPayload({ weapons: [rifle({ category: "sword" })] }),
        ["weapons.0.category"],
      ],
      [
        "zero rounds",
        handoverPayload({ ammunition: [cartridges({ quantity: 0 })] }),
        ["ammunition.0.quantity"],
      ],
      ["a blank serial", handoverPayload({ weapons: [rifle({ serial: "   " })] }), ["weapons.0.serial"]],
    ])("refuses %s", (_, raw, paths) => {
      expect(schemaRefuses("handover.record", raw)).toEqual(paths);
    });
  });
});

describe("record.correct", () => {
  it("records only the changes sent, with no defaults filled in", async () => {
    const event = await decide("record.correct", correctionPayload(), seededView());
    expect(event).toEqual({
      type: "record.corrected",
      subjects: [{ kind: "weapon", id: ids.weapon }],
      data: {
        corrects: 7,
        subject: { kind: "weapon", id: ids.weapon },
        changes: { serial: "AK-47 654321" },
        reason: "Serial misread at the table; checked against the photo.",
      },
    });
  });

  it.each([
    ["weapon", ids.weapon, { condition: "damaged", serviceable: false }],
    ["weapon", ids.weapon, { serial: undefined, noReadableSerial: true, photos: [photo] }],
    ["person", ids.person, { birth: { year: 1985 } }],
    ["person", ids.person, { groupId: ids.otherGroup }],
    ["person", ids.person, { name: { latin: { given: "Aly" } } }],
  ])("keeps exactly the keys of a %s correction", async (kind, id, changes) => {
    const event = await decide("record.correct", correctionPayload({ kind, id, changes }), seededView());
    expect(event.data.changes).toEqual(changes);
    expect(Object.keys(event.data.changes as object).sort()).toEqual(Object.keys(changes).sort());
  });

  it("keeps exactly the keys of a group or site correction", async () => {
    const view = seededView();
    view.events.set(3, [{ kind: "group", id: ids.group }]);
    view.events.set(4, [{ kind: "site", id: ids.site }]);
    const officers = [{ name: "Hassan Ali" }];
    const group = await decide(
      "record.correct",
      correctionPayload({
        kind: "group",
        id: ids.group,
        corrects: 3,
        changes: { liaisonOfficers: officers },
      }),
      view,
    );
    expect(group.data.changes).toEqual({ liaisonOfficers: officers });
    const site = await decide(
      "record.correct",
      correctionPayload({
        kind: "site",
        id: ids.site,
        corrects: 4,
        changes: { location: { lat: 33, lon: 44 } },
      }),
      view,
    );
    expect(site.data.changes).toEqual({ location: { lat: 33, lon: 44 } });
  });

  it("refuses to correct an event that does not exist", async () => {
    await expectProblem(
      decide("record.correct", correctionPayload({ corrects: 999 }), seededView()),
      "reference.unknown",
      "payload.corrects",
    );
  });

  it("refuses to correct through an event that did not touch the record", async () => {
    const view = seededView();
    view.events.set(8, [{ kind: "weapon", id: testUuid(0x31) }]);
    await expectProblem(
      decide("record.correct", correctionPayload({ corrects: 8 }), view),
      "rule.violated",
      "payload.corrects",
    );
    // Same id, other kind: the event recorded a person, not a weapon with that id.
    view.events.set(9, [{ kind: "person", id: ids.weapon }]);
    await expectProblem(decide("record.correct", correctionPayload({ corrects: 9 }), view), "rule.violated");
  });

  it("refuses a placeholder serial and a serial marked unreadable", async () => {
    await expectProblem(
      decide("record.correct", correctionPayload({ changes: { serial: "N/A" } }), seededView()),
      "serial.placeholder",
      "payload.changes.serial",
    );
    await expectProblem(
      decide(
        "record.correct",
        correctionPayload({ changes: { serial: "AK-47 1", noReadableSerial: true } }),
        seededView(),
      ),
      "rule.violated",
      "payload.changes",
    );
  });

  it("refuses to move a person into an unknown group", async () => {
    await expectProblem(
      decide(
        "record.correct",
        correctionPayload({ kind: "person", id: ids.person, changes: { groupId: ids.unknown } }),
        seededView(),
      ),
      "reference.unknown",
      "payload.changes.groupId",
    );
  });

  it.each([
    ["no changes", correctionPayload({ changes: {} }), ["changes"]],
    ["an unknown change", correctionPayload({ changes: { serial: "AK-1", colour: "black" } }), ["changes"]],
    ["a field that may not be corrected", correctionPayload({ changes: { source: "cache" } }), ["changes"]],
    ["a person's site", correctionPayload({ kind: "person", changes: { siteId: ids.site } }), ["changes"]],
    ["a bad value", correctionPayload({ changes: { condition: "shiny" } }), ["changes.condition"]],
    ["an unknown kind", correctionPayload({ kind: "handover" }), ["kind"]],
    ["an unknown top-level field", correctionPayload({ approvedBy: "x" }), [""]],
    ["an empty reason", correctionPayload({ reason: "  " }), ["reason"]],
    ["a negative event", correctionPayload({ corrects: -1 }), ["corrects"]],
  ])("refuses %s", (_, raw, paths) => {
    expect(schemaRefuses("record.correct", raw)).toEqual(paths);
  });
});

describe("a session at a collection site", () => {
  it("chains the commands, each deciding from what the earlier ones recorded", async () => {
    const view = new MemoryView();
    let seq = 0;
    const run = async (type: string, raw: unknown) => {
      const env = makeEnv({ seq, firstId: 0x100 * (seq + 1) });
      const event = await decide(type, raw, view, env);
      view.apply(seq++, event);
      return event;
    };
    const site = await run("site.register", sitePayload());
    const siteId = site.data.siteId as string;
    const group = await run("group.register", groupPayload());
    const groupId = group.data.groupId as string;
    await run("programme.configure", { ...programmePayload(), caps: [{ groupId, maxParticipants: 1 }] });
    const person = await run("person.register", { ...personPayload(), siteId, groupId });
    const personId = person.data.personId as string;
    expect(view.persons.get(personId)).toMatchObject({ siteId, groupId, eligible: false });

    const first = await run(
      "handover.record",
      handoverPayload({ siteId, from: { kind: "person", personId } }),
    );
    expect(first.data.receiptNumber).toBe(receiptNumber(4));
    expect(first.data.eligibility).toEqual({ status: "eligible", reasons: ["eligible_weapon"] });
    expect(view.persons.get(personId)?.eligible).toBe(true);

    // The same person comes back: still eligible though the group's cap of one is now reached.
    const again = await run(
      "handover.record",
      handoverPayload({
        siteId,
        from: { kind: "person", personId },
        weapons: [],
        ammunition: [cartridges()],
      }),
    );
    expect(again.data.eligibility).toEqual({ status: "eligible", reasons: ["already_eligible"] });

    // A second member of the group is over the cap.
    const other = await run("person.register", {
      ...personPayload(),
      siteId,
      groupId,
      name: { latin: { given: "Omar" } },
    });
    const late = await run(
      "handover.record",
      handoverPayload({ siteId, from: { kind: "person", personId: other.data.personId } }),
    );
    expect(late.data.eligibility).toEqual({ status: "ineligible", reasons: ["group_cap_reached"] });

    // The first rifle's serial is corrected through the event that recorded it.
    const itemId = (first.data.weapons as { itemId: string }[])[0]!.itemId;
    const fix = await run("record.correct", correctionPayload({ id: itemId, corrects: 4 }));
    expect(fix.data.subject).toEqual({ kind: "weapon", id: itemId });
    await expectProblem(
      decide("record.correct", correctionPayload({ id: itemId, corrects: 5 }), view),
      "rule.violated",
    );
    expect(
      await command("record.correct").target(correctionPayload({ id: itemId, corrects: 4 }), view),
    ).toEqual({
      siteId,
    });
  });
});

describe("reserved tag form", () => {
  it("refuses a scanned tag in the form the system derives, so it cannot take a later handover's tag", async () => {
    const problem = await expectProblem(
      decide(
        "handover.record",
        handoverPayload({ weapons: [rifle({ tag: "W0000099-01" })] }),
        seededView(),
        makeEnv({ seq: 5 }),
      ),
      "tag.in-use",
    );
    expect(problem.message).toContain("W0000099-01");
  });
});
