import { createHash, randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { eq, inArray } from "drizzle-orm";
import ExcelJS from "exceljs";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDecryptedWithPassphrase, setExportScryptWorkFactorForTests } from "../src/crypto/export-file.ts";
import { tableFile } from "../src/documents/table-file.ts";
import * as t from "../src/store/schema.ts";
import { verifyDatabase } from "../src/verify/index.ts";
import { type Api, counts, expectProblem, startApi } from "./api/support.ts";
import { groupPayload, personPayload, sitePayload } from "./support/fixtures.ts";

// Files made here use a cheaper scrypt (export-file.test.ts checks the real one).
setExportScryptWorkFactorForTests(10);

// Reinsertion stipends (issue 9) through the HTTP API: a schedule, payout accounts, a list the
// server selects (everyone left out reported with why), the bank file in CSV and XLSX, the
// provider's confirmation file reconciled line by line, refusals that record nothing, and the
// report by period. Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.

let api: Api;
const cookie: Record<string, string> = {};
const schedule = randomUUID();
const period = "2026-10";
const person: Record<string, string> = {};

const send = (
  who: string,
  method: "GET" | "POST",
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  api.app.inject({
    method,
    url,
    headers: { cookie: cookie[who]!, ...headers },
    ...(payload === undefined ? {} : { payload }),
  } as InjectOptions);
const post = (type: string, payload: unknown) =>
  send("admin", "POST", "/api/v1/commands", { commandId: randomUUID(), type, payload });
async function ok(type: string, payload: unknown) {
  const res = await post(type, payload);
  if (res.statusCode !== 200) throw new Error(`${type}: ${res.statusCode} ${res.body}`);
  return res.json() as { seq: number; data: Record<string, unknown> };
}
/** Refused with rule.violated, naming `blocker` on payload.personId, and nothing recorded. */
async function refusedPayment(payload: object, blocker: string) {
  const before = await counts(api.store);
  const body = expectProblem(await post("payment.record", payload), "rule.violated");
  expect(body.errors).toContainEqual({ path: "payload.personId", message: blocker });
  expect(await counts(api.store)).toEqual(before);
  return body;
}
const pay = (personId: string) => ({
  personId,
  scheduleId: schedule,
  period,
  paidOn: "2026-10-15",
  channel: "cash",
});
const confirmationUpload = async (format: "csv" | "xlsx", rows: (string | number)[][]) => ({
  commandId: randomUUID(),
  fileName: `confirmation.${format}`,
  format,
  receivedAt: "2026-10-20T08:00:00Z",
  content: Buffer.from(await tableFile(format, ["reference", "amount", "status", "date"], rows)).toString(
    "base64",
  ),
});

beforeAll(async () => {
  api = await startApi();
  cookie.admin = api.headers("admin").cookie!;
  cookie.analyst = (await api.addUser("analyst", "analyst")).cookie;
  const groupId = (await ok("group.register", groupPayload("PAY-G"))).data.groupId as string;
  const siteId = (await ok("site.register", sitePayload("PAY-01"))).data.siteId as string;
  for (const who of ["good", "good2", "noAccount", "ineligible", "revoked", "deceased", "pending"])
    person[who] = (
      await ok("person.register", {
        ...personPayload(siteId, groupId),
        ...(who === "good2" ? { sex: "female" } : {}),
      })
    ).data.personId as string;
  // Standing is written by the screening and duplicate-review helpers' commands, built in
  // parallel with this one: until they land, the test sets the persons columns directly.
  await api.store.db
    .update(t.persons)
    .set({ eligible: true })
    .where(
      inArray(t.persons.id, [
        person.good!,
        person.good2!,
        person.noAccount!,
        person.deceased!,
        person.pending!,
      ]),
    );
  await api.store.db
    .update(t.persons)
    .set({ eligibilityRevoked: true })
    .where(eq(t.persons.id, person.revoked!));
  await api.store.db
    .update(t.persons)
    .set({ deceasedOn: "2026-09-01" })
    .where(eq(t.persons.id, person.deceased!));
  await api.store.db
    .update(t.persons)
    .set({ duplicateReview: "pending" })
    .where(eq(t.persons.id, person.pending!));
  await ok("payment.schedule_set", {
    scheduleId: schedule,
    name: "Reinsertion stipend 2026",
    amount: { minor: 150_000, currency: "IQD" },
    periodLength: "monthly",
    firstPeriod: "2026-01",
    lastPeriod: "2026-12",
    channel: "mobile_money",
  });
  for (const [n, who] of ["good", "good2", "ineligible", "revoked", "deceased", "pending"].entries())
    await ok("payment.account_set", {
      personId: person[who],
      channel: "mobile_money",
      account: `+964 770 000 000${n}`,
      // A holder's name typed as a formula: the CSV must not let a spreadsheet run it.
      ...(who === "good" ? { holder: '=HYPERLINK("http://x","pay")' } : {}),
    });
});
afterAll(() => api?.close());

describe("payments through the API", () => {
  it("refuses a payment to anyone ineligible, revoked, deceased or pending duplicate review, recording nothing", async () => {
    await refusedPayment(pay(person.ineligible!), "not_eligible");
    await refusedPayment(pay(person.revoked!), "eligibility_revoked");
    const dead = await refusedPayment(pay(person.deceased!), "deceased");
    expect(dead.detail).toMatch(/^A payment cannot be recorded: the person is recorded as deceased/);
    await refusedPayment(pay(person.pending!), "duplicate_review_pending");
  });

  let listId: string;
  let references: Record<string, string>;

  it("prepares a list of the people entitled, with everyone left out and the reason", async () => {
    const prepared = await ok("payment.list_prepare", { scheduleId: schedule, period });
    listId = prepared.data.listId as string;
    expect(prepared.data).toMatchObject({ lineCount: 2, totalMinor: 300_000, exceptionCount: 5 });
    const detail = (await send("admin", "GET", `/api/v1/payment-lists/${listId}`)).json();
    expect(detail.status).toBe("listed");
    references = Object.fromEntries(
      detail.lines.map((l: { personId: string; reference: string }) => [
        Object.entries(person).find(([, id]) => id === l.personId)![0],
        l.reference,
      ]),
    );
    expect(Object.keys(references).sort()).toEqual(["good", "good2"]);
    const reasons = Object.fromEntries(
      detail.exceptions.map((e: { personId: string; reasons: string[] }) => [
        Object.entries(person).find(([, id]) => id === e.personId)![0],
        e.reasons,
      ]),
    );
    expect(reasons).toEqual({
      noAccount: ["no_payout_account"],
      ineligible: ["not_eligible"],
      revoked: ["eligibility_revoked"],
      deceased: ["deceased"],
      pending: ["duplicate_review_pending"],
    });
    // The leaf carries the counts, never who is paid or where.
    const events = (await send("admin", "GET", `/api/v1/events?after=${prepared.seq - 1}&limit=1`)).json()
      .items as { entry: string }[];
    const leaf = events.find((e) => e.entry.includes("payment.list_prepared"))!.entry;
    expect(leaf).toContain('"lineCount":2');
    for (const id of Object.values(person)) expect(leaf).not.toContain(id);
    expect(leaf).not.toContain("+964");
    // Someone on a list awaiting the provider is not paid apart.
    await refusedPayment(pay(person.good!), "already_listed");
    // Nor may an analyst see the list.
    expectProblem(await send("analyst", "GET", `/api/v1/payment-lists/${listId}`), "auth.forbidden");
  });

  const passphrase = { "x-export-passphrase": "umbrella quarry saddle nineteen lantern" };
  /** The export as the provider opens it: decrypted with the passphrase. */
  const opened = async (res: { rawPayload: Buffer }) =>
    Buffer.from((await findDecryptedWithPassphrase(res.rawPayload, passphrase["x-export-passphrase"]))!);

  it("refuses to export a payment list without a strong passphrase, logging no read", async () => {
    const before = await api.store.db.select().from(t.accessLog);
    const url = `/api/v1/payment-lists/${listId}/export?format=csv`;
    for (const [headers, message] of [
      [{}, /is missing/],
      [{ "x-export-passphrase": "tiny secret" }, /too short/],
      [{ "x-export-passphrase": "password12345678" }, /too easy to guess/],
    ] as const) {
      const res = await send("admin", "GET", url, undefined, headers);
      expectProblem(res, "request.invalid");
      expect(res.json().detail).toMatch(message);
      // The refusal never repeats the passphrase.
      const given = (headers as { "x-export-passphrase"?: string })["x-export-passphrase"];
      if (given) expect(res.body).not.toContain(given);
    }
    // Checked before the list is looked for: a refusal says nothing of whether it exists.
    expectProblem(
      await send("admin", "GET", `/api/v1/payment-lists/${randomUUID()}/export`),
      "request.invalid",
    );
    expect(await api.store.db.select().from(t.accessLog)).toEqual(before);
  });

  it("exports the list for the provider as CSV and XLSX, encrypted, formulas disarmed, and both read back the same", async () => {
    const before = (await api.store.db.select().from(t.accessLog)).length;
    const csv = await send(
      "admin",
      "GET",
      `/api/v1/payment-lists/${listId}/export?format=csv`,
      undefined,
      passphrase,
    );
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers["content-type"]).toBe("application/octet-stream");
    expect(csv.headers["content-disposition"]).toMatch(/\.csv\.age"$/);
    expect(csv.headers["x-file-sha256"]).toMatch(/^[0-9a-f]{64}$/);
    // The file names nobody until it is opened, and only the passphrase opens it.
    expect(csv.rawPayload.subarray(0, 22).toString("latin1")).toBe("age-encryption.org/v1\n");
    expect(csv.rawPayload.includes("+9647700000000")).toBe(false);
    expect(csv.rawPayload.includes("HYPERLINK")).toBe(false);
    expect(
      await findDecryptedWithPassphrase(csv.rawPayload, "umbrella quarry saddle nineteen"),
    ).toBeUndefined();
    const plainCsv = await opened(csv);
    expect(createHash("sha256").update(plainCsv).digest("hex")).toBe(csv.headers["x-file-sha256"]);
    // Logged as a read of everyone on the list.
    expect((await api.store.db.select().from(t.accessLog)).length).toBeGreaterThan(before);
    const rows = parse(plainCsv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    const good = rows.find((r) => r.reference === references.good)!;
    expect(good).toMatchObject({
      payee_name: '\'=HYPERLINK("http://x","pay")',
      payee_name_ar: "محمد جاسم السوداني",
      channel: "mobile_money",
      account: "+9647700000000",
      amount: "150000",
      currency: "IQD",
      period,
    });
    expect(JSON.stringify(rows)).not.toContain("Test Brigades");

    const xlsx = await send(
      "admin",
      "GET",
      `/api/v1/payment-lists/${listId}/export?format=xlsx`,
      undefined,
      passphrase,
    );
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await opened(xlsx)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as string[]).slice(1);
    const read = [2, 3].map((n) =>
      Object.fromEntries(header.map((h, i) => [h, sheet.getRow(n).getCell(i + 1).value])),
    );
    // XLSX keeps the text as typed, as text: no formula cell anywhere.
    expect(read.find((r) => r.reference === references.good)).toMatchObject({
      payee_name: '=HYPERLINK("http://x","pay")',
      amount: "150000",
    });
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
    expect(read.map((r) => r.reference).sort()).toEqual(rows.map((r) => r.reference).sort());
    expectProblem(await send("analyst", "GET", `/api/v1/payment-lists/${listId}/export`), "auth.forbidden");
  });

  it("refuses a confirmation for a list not yet sent, then reports every mismatched line and records nothing", async () => {
    const url = "/api/v1/payment-confirmations";
    const notSent = await send(
      "admin",
      "POST",
      url,
      await confirmationUpload("csv", [
        [references.good!, "150000", "paid", "2026-10-18"],
        [references.good2!, "150000", "paid", "2026-10-18"],
      ]),
    );
    expect(expectProblem(notSent, "rule.violated").errors).toEqual([
      { path: "file.line.2", message: expect.stringMatching(/^line 2: list_not_sent/) },
      { path: "file.line.3", message: expect.stringMatching(/^line 3: list_not_sent/) },
    ]);
    await ok("payment.list_send", { listId, sentAt: "2026-10-16T08:00:00Z" });

    const before = await counts(api.store);
    const bad = await send(
      "admin",
      "POST",
      url,
      await confirmationUpload("csv", [
        [references.good!, "140000", "paid", "2026-10-18"],
        ["PAY-000000-1-1", "150000", "paid", "2026-10-18"],
        [references.good!, "150000", "paid", "2026-10-18"],
        ["REF-X", "150000", "maybe", "2026-10-18"],
      ]),
    );
    const body = expectProblem(bad, "request.invalid");
    expect(body.errors).toEqual([
      { path: "file.line.5.status", message: "line 5: status must be paid or failed" },
    ]);
    const mismatched = await send(
      "admin",
      "POST",
      url,
      await confirmationUpload("csv", [
        [references.good!, "140000", "paid", "2026-10-18"],
        ["PAY-000000-1-1", "150000", "paid", "2026-10-18"],
        [references.good!, "150000", "paid", "2026-10-18"],
      ]),
    );
    expect(expectProblem(mismatched, "rule.violated").errors).toEqual([
      {
        path: "file.line.2",
        message: expect.stringMatching(/^line 2: amount_differs: .*150000 IQD, the file says 140000$/),
      },
      {
        path: "file.line.3",
        message: "line 3: unknown_reference: no payment has the reference PAY-000000-1-1",
      },
      { path: "file.line.4", message: `line 4: duplicate_line: ${references.good} is also on line 2` },
      {
        path: "payload.lines",
        message: expect.stringMatching(new RegExp(`^missing_line: ${references.good2}`)),
      },
    ]);
    const missingColumn = await send("admin", "POST", url, {
      ...(await confirmationUpload("csv", [])),
      content: Buffer.from("reference,amount\nX,1\n").toString("base64"),
    });
    expect(expectProblem(missingColumn, "request.invalid").detail).toMatch(
      /lacks the column\(s\) status, date/,
    );
    expect(await counts(api.store)).toEqual(before);
  });

  it("records a matching XLSX confirmation: paid lines paid, failed ones open for the next run, never paid twice", async () => {
    const upload = await confirmationUpload("xlsx", [
      [references.good!, 150000, "PAID", "2026-10-18"],
      [references.good2!, "150000", "failed", "2026-10-18"],
    ]);
    const res = await send("admin", "POST", "/api/v1/payment-confirmations", upload);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ paidCount: 1, failedCount: 1, paidTotals: { IQD: 150000 } });
    expect(res.json().data.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    // The same upload again is the same command: recorded once, answered the same.
    const again = await send("admin", "POST", "/api/v1/payment-confirmations", upload);
    expect(again.json().seq).toBe(res.json().seq);

    const detail = (await send("admin", "GET", `/api/v1/payment-lists/${listId}`)).json();
    expect(detail.status).toBe("reconciled");
    expect(
      Object.fromEntries(
        detail.lines.map((l: { reference: string; status: string }) => [l.reference, l.status]),
      ),
    ).toEqual({
      [references.good!]: "paid",
      [references.good2!]: "failed",
    });
    await refusedPayment(pay(person.good!), "already_paid");
    // The database refuses a second payment for the period even past the rules.
    await expect(
      api.store.db.insert(t.paymentLines).values({
        reference: "SNEAKED-1",
        scheduleId: schedule,
        period,
        personId: person.good!,
        amountMinor: 150_000,
        currency: "IQD",
        channel: "cash",
        status: "paid",
        createdSeq: 0,
      }),
    ).rejects.toThrow();
    // The next run lists the failed person again, and leaves the paid one out as already paid.
    const rerun = await ok("payment.list_prepare", { scheduleId: schedule, period });
    const rerunDetail = (await send("admin", "GET", `/api/v1/payment-lists/${rerun.data.listId}`)).json();
    expect(rerunDetail.lines.map((l: { personId: string }) => l.personId)).toEqual([person.good2]);
    expect(rerunDetail.exceptions).toContainEqual({ personId: person.good, reasons: ["already_paid"] });
  });

  it("reports payments by period with exceptions and breakdowns, aggregates only", async () => {
    const res = await send("analyst", "GET", `/api/v1/reports/payments?period=${period}`);
    expect(res.statusCode, res.body).toBe(200);
    const [row] = res.json().items;
    expect(row).toMatchObject({
      schedule: "Reinsertion stipend 2026",
      period,
      currency: "IQD",
      listed: 1,
      sent: 0,
      paid: 1,
      paidTotalMinor: 150_000,
      failed: 1,
      exceptions: {
        already_paid: 1,
        no_payout_account: 1,
        not_eligible: 1,
        eligibility_revoked: 1,
        deceased: 1,
        duplicate_review_pending: 1,
      },
    });
    expect(row.paidBy.sex).toEqual([{ key: "male", count: 1, totalMinor: 150_000 }]);
    expect(row.paidBy.ageGroup).toEqual([{ key: "adult", count: 1, totalMinor: 150_000 }]);
    expect(row.paidBy.governorate).toEqual([{ key: "IQ-BG", count: 1, totalMinor: 150_000 }]);
    for (const id of Object.values(person)) expect(res.body).not.toContain(id);
    // Replaying the ledger rebuilds every payment table as it stands (the persons columns set
    // directly above are the only differences, as they must be, with the count of each group's
    // eligible people that a trigger keeps from those columns).
    const verification = await verifyDatabase(api.store);
    expect(
      verification.projections.filter(
        (p: { table: string }) => p.table !== "persons" && p.table !== "group_eligible_counts",
      ),
    ).toEqual([]);
    const personRows = verification.projections.filter((p: { table: string }) => p.table === "persons");
    expect(new Set(personRows.map((p: { columns?: string[] }) => p.columns?.join()))).toEqual(
      new Set(["eligible", "eligibilityRevoked", "eligible,deceasedOn", "eligible,duplicateReview"]),
    );
  });
});
