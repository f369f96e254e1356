import { describe, expect, it } from "vitest";
import { findCommandDefinition } from "../src/commands/registry.ts";
import { splitPersonal } from "../src/events.ts";
import { Problem, type ProblemCode } from "../src/problems.ts";
import { formatMinorUnits, toMinorUnits } from "../src/rules/money.ts";
import { ids } from "./fixtures.ts";
import { MemoryView, makeEnv, testUuid } from "./memory-view.ts";

// Reinsertion stipends: schedules, payout accounts, lists the server selects (with every person
// left out reported), single payments, and reconciliation against the provider's file.

const schedule = testUuid(0x5c0);
const people = {
  good: testUuid(0x501),
  noAccount: testUuid(0x502),
  ineligible: testUuid(0x503),
  revoked: testUuid(0x504),
  deceased: testUuid(0x505),
  pending: testUuid(0x506),
  merged: testUuid(0x507),
  good2: testUuid(0x508),
};

let seq = 900;
const now = "2026-04-10T10:00:00Z";
async function decide(type: string, raw: unknown, view: MemoryView) {
  const def = findCommandDefinition(type)!;
  return def.decide(def.payload.parse(raw), view, makeEnv({ seq, now, firstId: 0x9000 + seq * 0x10 }));
}
async function record(type: string, raw: unknown, view: MemoryView) {
  const event = await decide(type, raw, view);
  view.apply(seq++, event);
  return event;
}
async function refused(type: string, raw: unknown, view: MemoryView, code: ProblemCode) {
  const before = structuredClone([...view.paymentLines, ...view.paymentLists]);
  const problem = await decide(type, raw, view).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(problem, `${type} should be refused`).toBeInstanceOf(Problem);
  expect((problem as Problem).code, (problem as Problem).message).toBe(code);
  expect(structuredClone([...view.paymentLines, ...view.paymentLists])).toEqual(before);
  return problem as Problem;
}

const schedulePayload = (change: object = {}) => ({
  scheduleId: schedule,
  name: "Reinsertion stipend 2026",
  amount: { minor: 150_000, currency: "IQD" },
  periodLength: "monthly",
  firstPeriod: "2026-01",
  lastPeriod: "2026-12",
  channel: "mobile_money",
  ...change,
});

async function paymentView(): Promise<MemoryView> {
  const view = new MemoryView();
  view.addSite({ id: ids.site });
  const add = (id: string, change: object = {}) =>
    view.addPerson({ id, siteId: ids.site, eligible: true, ...change });
  add(people.good);
  add(people.good2, { sex: "female" });
  add(people.noAccount);
  add(people.ineligible, { eligible: false });
  add(people.revoked, { eligible: false, eligibilityRevoked: true });
  add(people.deceased, { deceased: true });
  add(people.pending, { duplicateReview: "pending" });
  add(people.merged, { duplicateReview: "merged" });
  await record("payment.schedule_set", schedulePayload(), view);
  for (const [n, id] of Object.values(people).entries())
    if (id !== people.noAccount)
      await record(
        "payment.account_set",
        { personId: id, channel: "mobile_money", account: `+96477000000${n}` },
        view,
      );
  return view;
}

async function prepareAndSend(view: MemoryView, period = "2026-03") {
  const listed = await record("payment.list_prepare", { scheduleId: schedule, period }, view);
  const listId = listed.data.listId as string;
  await record("payment.list_send", { listId, sentAt: "2026-04-01T08:00:00Z" }, view);
  return { listId, lines: listed.data.lines as { reference: string; personId: string }[] };
}

const confirmation = (lines: object[]) => ({
  fileName: "confirmation.csv",
  fileSha256: "c".repeat(64),
  receivedAt: "2026-04-05T08:00:00Z",
  lines: lines.map((l, i) => ({ line: i + 2, amount: "150000", status: "paid", date: "2026-04-03", ...l })),
});

describe("money in minor units", () => {
  it.each([
    ["150000", "IQD", 150000],
    ["12.50", "USD", 1250],
    ["12.5", "USD", 1250],
    ["12", "USD", 1200],
    ["1,250.00", "USD", 125000],
    ["1.005", "JOD", 1005],
    ["12.505", "USD", undefined],
    ["150000.5", "IQD", undefined],
    ["-3", "USD", undefined],
    ["1e3", "USD", undefined],
    ["=1+1", "USD", undefined],
  ])("%s %s is %s", (text, currency, minor) => {
    expect(toMinorUnits(text, currency)).toBe(minor);
  });
  it("formats back", () => {
    expect(formatMinorUnits(1250, "USD")).toBe("12.50");
    expect(formatMinorUnits(5, "USD")).toBe("0.05");
    expect(formatMinorUnits(150000, "IQD")).toBe("150000");
  });
});

describe("payment schedules", () => {
  it("refuses floats, unknown currencies, reversed periods and a changed currency", async () => {
    const def = findCommandDefinition("payment.schedule_set")!;
    for (const bad of [
      schedulePayload({ amount: { minor: 1500.5, currency: "IQD" } }),
      schedulePayload({ amount: { minor: 1500, currency: "XYZ" } }),
      schedulePayload({ amount: { minor: 1500, currency: "iqd" } }),
      schedulePayload({ firstPeriod: "2026-05", lastPeriod: "2026-04" }),
      schedulePayload({ firstPeriod: "2026-13" }),
      schedulePayload({ periodLength: "weekly" }),
    ])
      expect(def.payload.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    const view = await paymentView();
    await refused(
      "payment.schedule_set",
      schedulePayload({ amount: { minor: 100, currency: "USD" } }),
      view,
      "rule.violated",
    );
    await record(
      "payment.schedule_set",
      schedulePayload({ amount: { minor: 175_000, currency: "IQD" } }),
      view,
    );
    expect(view.paymentSchedules.get(schedule)?.amountMinor).toBe(175_000);
  });
});

describe("payment lists", () => {
  it("lists exactly the people in good standing with an account, and reports everyone left out with the reason", async () => {
    const view = await paymentView();
    const listed = await record("payment.list_prepare", { scheduleId: schedule, period: "2026-03" }, view);
    const lines = listed.data.lines as { personId: string; reference: string; amountMinor: number }[];
    expect(lines.map((l) => l.personId).sort()).toEqual([people.good, people.good2].sort());
    expect(new Set(lines.map((l) => l.reference)).size).toBe(2);
    expect(lines.every((l) => l.amountMinor === 150_000)).toBe(true);
    const reasons = Object.fromEntries(
      (listed.data.exceptions as { personId: string; reasons: string[] }[]).map((e) => [
        e.personId,
        e.reasons,
      ]),
    );
    expect(reasons).toEqual({
      [people.noAccount]: ["no_payout_account"],
      [people.ineligible]: ["not_eligible"],
      [people.revoked]: ["eligibility_revoked"],
      [people.deceased]: ["deceased"],
      [people.pending]: ["duplicate_review_pending"],
      [people.merged]: ["merged_duplicate"],
    });
    expect(listed.data).toMatchObject({ lineCount: 2, totalMinor: 300_000, exceptionCount: 6 });
    // Who is paid, and where, stays out of the public leaf; the counts are public.
    const { publicPart, privatePart } = splitPersonal(listed.type, listed.data);
    expect(Object.keys(privatePart).sort()).toEqual(["exceptions", "lines"]);
    for (const id of Object.values(people)) expect(JSON.stringify(publicPart)).not.toContain(id);
    expect(JSON.stringify(publicPart)).not.toContain("+96477");
    const account = await decide(
      "payment.account_set",
      { personId: people.good, channel: "bank", account: "IQ98 NBIQ 8501 2345 6789 012" },
      view,
    );
    expect(splitPersonal(account.type, account.data).publicPart).toEqual({
      channel: "bank",
      setBy: expect.any(String),
    });

    // A second run for the same period leaves the listed people out as already listed.
    const again = await decide(
      "payment.list_prepare",
      { scheduleId: schedule, period: "2026-03" },
      view,
    ).then(
      () => undefined,
      (e: Problem) => e,
    );
    expect(again?.message).toMatch(/No one is entitled.*already listed: 2/);
  });

  it("refuses a period outside the schedule and an unknown schedule", async () => {
    const view = await paymentView();
    await refused("payment.list_prepare", { scheduleId: schedule, period: "2027-01" }, view, "rule.violated");
    await refused(
      "payment.list_prepare",
      { scheduleId: ids.unknown, period: "2026-03" },
      view,
      "reference.unknown",
    );
  });
});

describe("a single payment", () => {
  const pay = (personId: string, change: object = {}) => ({
    personId,
    scheduleId: schedule,
    period: "2026-02",
    paidOn: "2026-03-01",
    channel: "cash",
    ...change,
  });

  it.each([
    ["ineligible", people.ineligible, "not_eligible"],
    ["revoked", people.revoked, "eligibility_revoked"],
    ["deceased", people.deceased, "deceased"],
    ["pending duplicate review", people.pending, "duplicate_review_pending"],
    ["merged duplicate", people.merged, "merged_duplicate"],
  ])("is refused to a person %s", async (_label, personId, blocker) => {
    const view = await paymentView();
    const problem = await refused("payment.record", pay(personId), view, "rule.violated");
    expect(problem.message).toMatch(/^A payment cannot be recorded/);
    expect(problem.fields).toContainEqual({ path: "payload.personId", message: blocker });
  });

  it("is recorded once per person, schedule and period, never twice", async () => {
    const view = await paymentView();
    const paid = await record("payment.record", pay(people.good, { reference: "CASH-0001" }), view);
    expect(paid.data).toMatchObject({ amountMinor: 150_000, currency: "IQD", reference: "CASH-0001" });
    expect(Object.keys(splitPersonal(paid.type, paid.data).privatePart).sort()).toEqual([
      "personId",
      "reference",
    ]);
    const twice = await refused("payment.record", pay(people.good), view, "rule.violated");
    expect(twice.fields).toEqual([{ path: "payload.personId", message: "already_paid" }]);
    expect(twice.message).toMatch(/already paid/);
    // Another period is another payment; a reused reference is not.
    await refused("payment.record", pay(people.good2, { reference: "CASH-0001" }), view, "rule.violated");
    await record("payment.record", pay(people.good, { period: "2026-01" }), view);
    await refused(
      "payment.record",
      pay(people.good, { paidOn: "2026-05-01", period: "2026-04" }),
      view,
      "rule.violated",
    );
    // A list for that period leaves the paid person out, as already paid.
    const listed = await record("payment.list_prepare", { scheduleId: schedule, period: "2026-02" }, view);
    expect(listed.data.exceptions).toContainEqual({ personId: people.good, reasons: ["already_paid"] });
    // A person on a list awaiting the provider cannot be paid apart.
    const open = await refused("payment.record", pay(people.good2), view, "rule.violated");
    expect(open.fields).toEqual([{ path: "payload.personId", message: "already_listed" }]);
  });
});

describe("reconciliation against the provider's confirmation file", () => {
  it("reports every mismatch line by line and records nothing", async () => {
    const view = await paymentView();
    const notSent = await record("payment.list_prepare", { scheduleId: schedule, period: "2026-02" }, view);
    const unsentRef = (notSent.data.lines as { reference: string }[])[0]!.reference;
    const { lines } = await prepareAndSend(view);
    const [a, b] = lines;
    const problem = await refused(
      "payment.confirm",
      confirmation([
        { reference: a!.reference, amount: "140000" },
        { reference: "PAY-NOPE-1" },
        { reference: a!.reference },
        { reference: unsentRef },
        { reference: b!.reference, amount: "12.5" },
      ]),
      view,
      "rule.violated",
    );
    expect(problem.message).toMatch(/Nothing was recorded/);
    expect(problem.fields).toEqual([
      {
        path: "payload.lines.0",
        message: expect.stringMatching(/^line 2: amount_differs: .*150000 IQD, the file says 140000/),
      },
      {
        path: "payload.lines.1",
        message: "line 3: unknown_reference: no payment has the reference PAY-NOPE-1",
      },
      { path: "payload.lines.2", message: `line 4: duplicate_line: ${a!.reference} is also on line 2` },
      { path: "payload.lines.3", message: expect.stringMatching(/^line 5: list_not_sent/) },
      { path: "payload.lines.4", message: expect.stringMatching(/^line 6: bad_amount/) },
    ]);
    const missing = await refused(
      "payment.confirm",
      confirmation([{ reference: a!.reference }]),
      view,
      "rule.violated",
    );
    expect(missing.fields).toEqual([
      { path: "payload.lines", message: expect.stringMatching(new RegExp(`^missing_line: ${b!.reference}`)) },
    ]);
  });

  it("marks paid lines paid, keeps failed ones open for the next run, and never pays a period twice", async () => {
    const view = await paymentView();
    const { listId, lines } = await prepareAndSend(view);
    const failedPerson = lines[1]!.personId;
    const confirmed = await record(
      "payment.confirm",
      confirmation([
        { reference: lines[0]!.reference },
        { reference: lines[1]!.reference, status: "failed", note: "wallet closed" },
      ]),
      view,
    );
    expect(confirmed.data).toMatchObject({
      paidCount: 1,
      failedCount: 1,
      paidTotals: { IQD: 150_000 },
      listIds: [listId],
    });
    expect(Object.keys(splitPersonal(confirmed.type, confirmed.data).privatePart).sort()).toEqual([
      "lines",
      "notes",
    ]);
    expect(view.paymentLines.get(lines[0]!.reference)?.status).toBe("paid");
    expect(view.paymentLines.get(lines[1]!.reference)?.status).toBe("failed");
    expect(view.paymentLists.get(listId)?.status).toBe("reconciled");
    // The same file again: both lines are already confirmed.
    await refused(
      "payment.confirm",
      confirmation([{ reference: lines[0]!.reference }, { reference: lines[1]!.reference }]),
      view,
      "rule.violated",
    );
    // The next run lists the failed person again, and the paid one as already paid.
    const rerun = await record("payment.list_prepare", { scheduleId: schedule, period: "2026-03" }, view);
    expect((rerun.data.lines as { personId: string }[]).map((l) => l.personId)).toEqual([failedPerson]);
    expect(rerun.data.exceptions).toContainEqual({ personId: lines[0]!.personId, reasons: ["already_paid"] });
    await refused(
      "payment.record",
      {
        personId: lines[0]!.personId,
        scheduleId: schedule,
        period: "2026-03",
        paidOn: "2026-04-02",
        channel: "cash",
      },
      view,
      "rule.violated",
    );
  });
});
