import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  findDecryptedWithPassphrase,
  setExportScryptWorkFactorForTests,
} from "../../src/crypto/export-file.ts";
import { tableFile } from "../../src/documents/table-file.ts";
import { verifyDatabase } from "../../src/verify/index.ts";
import { handoverPayload, rifle } from "../support/fixtures.ts";
import { type Api, counts, expectProblem, startApi } from "./support.ts";

// Files made here use a cheaper scrypt (export-file.test.ts checks the real one).
setExportScryptWorkFactorForTests(10);

// Issue 9's journey of one person, end to end through the HTTP API, each step by the role that
// takes it: registered and found eligible at a handover (registrar), given a demobilisation card
// (registrar), offered, accepting and placed on a civilian pathway and followed up (case worker),
// paid a stipend through a list sent to the provider and confirmed (admin); never paid twice for
// a period; and once eligibility is revoked, refused a payment and a new card, with nothing
// recorded. The slices were built apart; this holds them together.

let api: Api;
beforeAll(async () => {
  api = await startApi({ seed: true });
});
afterAll(() => api.store.dispose());

const today = new Date().toISOString().slice(0, 10);
const ok = (who: Parameters<Api["ok"]>[0], type: string, payload: unknown) => api.ok(who, type, payload);
const get = (who: Parameters<Api["send"]>[0], url: string) => api.send(who, { method: "GET", url });

describe("one person from registration to placement and payment", () => {
  const ids = {} as { person: string; card: string; pathway: string; list: string; reference: string };
  const scheduleId = randomUUID();

  it("registers and finds the person eligible at the handover", async () => {
    ids.person = (
      await ok("registrar", "person.register", {
        siteId: api.seed.siteA,
        kind: "combatant",
        name: {
          arabic: { given: "علي", father: "حسين", family: "الكعبي" },
          latin: { given: "Ali", father: "Hussein", family: "al-Kaabi" },
        },
        motherName: { latin: "Layla" },
        birth: { year: 1992 },
        sex: "male",
        governorate: "IQ-BG",
        groupId: api.seed.groupId,
        nationalId: "JOURNEY0001",
        listedByGroup: true,
        consent: { given: true, recordedOn: today },
      })
    ).personId as string;
    const handover = await ok(
      "registrar",
      "handover.record",
      handoverPayload(api.seed.siteA, ids.person, [rifle("JRN-0001")]),
    );
    expect(handover.eligibility).toMatchObject({ status: "eligible" });
    const history = (await get("registrar", `/api/v1/persons/${ids.person}/eligibility`)).json();
    expect(history).toMatchObject({ eligible: true });
  });

  it("issues the demobilisation card, which shows as active", async () => {
    ids.card = (await ok("registrar", "card.issue", { personId: ids.person })).cardNumber as string;
    const status = (await get("case_worker", `/api/v1/cards/${ids.card}`)).json();
    expect(status).toMatchObject({ status: "active", valid: true });
    expect((await get("registrar", `/api/v1/cards/${ids.card}/pdf`)).headers["content-type"]).toBe(
      "application/pdf",
    );
  });

  it("places the person on a civilian pathway, counted as placed only once placed", async () => {
    const placedBefore = (await get("analyst", "/api/v1/reports/pathways")).json().totals.placed as number;
    ids.pathway = (
      await ok("case_worker", "pathway.offer", {
        personId: ids.person,
        kind: "civilian",
        offeredOn: today,
        trainingCourse: "Electrician, 4 months",
      })
    ).pathwayId as string;
    await ok("case_worker", "pathway.respond", {
      pathwayId: ids.pathway,
      response: "accept",
      respondedOn: today,
    });
    expect((await get("analyst", "/api/v1/reports/pathways")).json().totals.placed).toBe(placedBefore);
    await ok("case_worker", "pathway.place", {
      pathwayId: ids.pathway,
      placedOn: today,
      placement: "Electricians' cooperative, Karkh",
    });
    await ok("case_worker", "pathway.follow_up", {
      pathwayId: ids.pathway,
      followedUpOn: today,
      status: "still_placed",
    });
    expect((await get("analyst", "/api/v1/reports/pathways")).json().totals.placed).toBe(placedBefore + 1);
    const pathways = (await get("case_worker", `/api/v1/persons/${ids.person}/pathways`)).json().items;
    expect(pathways).toEqual([expect.objectContaining({ id: ids.pathway, state: "placed" })]);
  });

  it("pays the stipend through a list sent to the provider and confirmed", async () => {
    await ok("admin", "payment.schedule_set", {
      scheduleId,
      name: "Reinsertion stipend",
      amount: { minor: 150_000, currency: "IQD" },
      periodLength: "monthly",
      firstPeriod: "2026-01",
      lastPeriod: "2026-12",
      channel: "mobile_money",
    });
    await ok("admin", "payment.account_set", {
      personId: ids.person,
      channel: "mobile_money",
      account: "+964 770 123 4567",
    });
    ids.list = (await ok("admin", "payment.list_prepare", { scheduleId, period: "2026-10" }))
      .listId as string;
    const list = (await get("admin", `/api/v1/payment-lists/${ids.list}`)).json();
    // Everyone else was registered without a payout account: listed as exceptions, with why.
    expect(list.lines).toEqual([expect.objectContaining({ personId: ids.person, amountMinor: 150_000 })]);
    expect(list.exceptions.length).toBeGreaterThan(0);
    await ok("admin", "payment.list_send", { listId: ids.list, sentAt: new Date().toISOString() });
    const passphrase = "umbrella quarry saddle nineteen lantern";
    const file = await api.send("admin", {
      method: "GET",
      url: `/api/v1/payment-lists/${ids.list}/export?format=csv`,
      headers: { "x-export-passphrase": passphrase },
    });
    const plain = (await findDecryptedWithPassphrase(file.rawPayload, passphrase))!;
    const [line] = parse(plain, { bom: true, columns: true }) as Record<string, string>[];
    expect(line).toMatchObject({ payee_name: "Ali Hussein al-Kaabi", amount: "150000", currency: "IQD" });
    ids.reference = line!.reference!;
    const confirmation = await api.send("admin", {
      method: "POST",
      url: "/api/v1/payment-confirmations",
      payload: {
        commandId: randomUUID(),
        fileName: "provider-2026-10.csv",
        format: "csv",
        receivedAt: new Date().toISOString(),
        content: Buffer.from(
          await tableFile(
            "csv",
            ["reference", "amount", "status", "date"],
            [[ids.reference, "150000", "paid", today]],
          ),
        ).toString("base64"),
      },
    });
    expect(confirmation.statusCode, confirmation.body).toBe(200);
    expect(confirmation.json().data).toMatchObject({ paidCount: 1, failedCount: 0 });
    const report = (await get("monitor", "/api/v1/reports/payments")).json();
    expect(JSON.stringify(report)).toContain("2026-10");
  });

  it("never pays twice for the same period", async () => {
    const before = await counts(api.store);
    const twice = await api.post("admin", "payment.record", {
      scheduleId,
      period: "2026-10",
      personId: ids.person,
      paidOn: today,
      channel: "cash",
    });
    expect(expectProblem(twice, "rule.violated").detail).toMatch(/already paid/i);
    expect(await counts(api.store)).toEqual(before);
  });

  it("refuses a payment and a new card once eligibility is revoked, recording nothing", async () => {
    await ok("admin", "eligibility.revoke", {
      personId: ids.person,
      revokedAt: new Date().toISOString(),
      reason: "Found on the payroll of an armed group still fighting.",
    });
    await ok("admin", "card.revoke", { cardNumber: ids.card, reason: "Eligibility revoked." });
    const before = await counts(api.store);
    const payment = await api.post("admin", "payment.record", {
      scheduleId,
      period: "2026-11",
      personId: ids.person,
      paidOn: today,
      channel: "cash",
    });
    expect(expectProblem(payment, "rule.violated").detail).toMatch(/revoked/);
    const card = await api.post("registrar", "card.issue", { personId: ids.person });
    expect(expectProblem(card, "rule.violated").detail).toMatch(/revoked/);
    expect(await counts(api.store)).toEqual(before);
    expect((await get("case_worker", `/api/v1/cards/${ids.card}`)).json()).toMatchObject({
      status: "revoked",
      valid: false,
    });
  });

  it("replays: every table of the journey is rebuilt exactly from the ledger", async () => {
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, projections: [] });
  });
});
