import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyDatabase } from "../../src/verify/index.ts";
import { rifle } from "../support/fixtures.ts";
import { type Api, counts, expectProblem, startApi, type Who } from "./support.ts";

// Issue 5, "Workflow", through the HTTP API only: a second registration of the same man in the
// other script is held for review, his receipt and handovers wait, an officer other than the
// registrar merges or dismisses, and the queue and name search show the records within scope.

let api: Api;
beforeAll(async () => {
  api = await startApi({ seed: true });
});
afterAll(() => api?.close());

const latin = { latin: { given: "Mohammed", father: "Jasim", grandfather: "Kadhim", family: "al-Sudani" } };
const arabic = { arabic: { given: "محمد", father: "جاسم", grandfather: "كاظم", family: "السوداني" } };

function registration(siteId: string, name: unknown, extra: Record<string, unknown> = {}) {
  return {
    siteId,
    kind: "combatant",
    name,
    motherName: { latin: "Zainab" },
    birth: { year: 1984 },
    sex: "male",
    governorate: siteId === api.seed.siteB ? "IQ-BA" : "IQ-BG",
    listedByGroup: false,
    consent: { given: true, recordedOn: "2026-01-10" },
    ...extra,
  };
}

const handover = (siteId: string, personId: string, serial: string, handedAt = new Date().toISOString()) => ({
  siteId,
  handedAt,
  verifyingOfficer: { name: "Observer One", affiliation: "UN Mission" },
  from: { kind: "person", personId },
  weapons: [rifle(serial)],
  ammunition: [],
});

const get = (who: Who, url: string) => api.send(who, { method: "GET", url });

async function register(who: Who, payload: unknown) {
  return (await api.ok(who, "person.register", payload)) as {
    personId: string;
    duplicateReview?: string;
    duplicateMatches?: { personId: string; weight: number; zone: string; explanation: unknown[] }[];
  };
}

describe("a strong match at registration", () => {
  let a: string;
  let b: string;

  it("records the second registration, held for review, and tells the officer why", async () => {
    a = (await register("registrar", registration(api.seed.siteA, latin))).personId;
    const second = await register(
      "registrar",
      registration(api.seed.siteA, arabic, { motherName: { arabic: "زينب" } }),
    );
    b = second.personId;
    expect(second.duplicateReview).toBe("pending");
    expect(second.duplicateMatches![0]).toMatchObject({ personId: a, zone: "same-person" });
    expect(second.duplicateMatches![0]!.explanation.length).toBeGreaterThan(5);
  });

  it("keeps the match out of the public ledger leaf", async () => {
    const events = (await get("admin", "/api/v1/events?after=-1&limit=1000")).json().items as {
      type: string;
      entry: string;
    }[];
    const registered = events.filter((e) => e.type === "person.registered").at(-1)!;
    expect(registered.entry).toContain('"duplicateReview":"pending"');
    expect(registered.entry).not.toContain(a);
    expect(registered.entry).not.toContain("duplicateMatches");
  });

  it("refuses a handover (and so a receipt) for the held registration, and records nothing", async () => {
    const before = await counts(api.store);
    const res = await api.post("registrar", "handover.record", handover(api.seed.siteA, b, "DR-0001"));
    const problem = expectProblem(res, "rule.violated");
    expect(problem.detail).toMatch(/awaits duplicate review/u);
    expect(problem.errors).toEqual([{ path: "payload.from.personId", message: "duplicate_review_pending" }]);
    expect(await counts(api.store)).toEqual(before);
  });

  it("lists the review beside both records, within scope", async () => {
    const res = await get("admin", "/api/v1/duplicate-reviews?status=pending");
    expect(res.statusCode).toBe(200);
    const review = (res.json().items as { personId: string }[]).find((r) => r.personId === b) as unknown as {
      person: { name: unknown; duplicateReview: string };
      matches: { personId: string; person: { name: unknown } | null }[];
      registeredBy: string;
    };
    expect(review.person.name).toEqual(arabic);
    expect(review.person.duplicateReview).toBe("pending");
    expect(review.matches[0]).toMatchObject({ personId: a, person: { name: latin } });
    const own = (await get("registrar", "/api/v1/duplicate-reviews")).json().items as { personId: string }[];
    expect(own.map((r) => r.personId)).toContain(b);
    const other = (await get("registrar_b", "/api/v1/duplicate-reviews")).json().items as {
      personId: string;
    }[];
    expect(other.map((r) => r.personId)).not.toContain(b);
  });

  it("finds both records by any spelling, in either script, within scope only", async () => {
    for (const q of ["Muhammad Jassem as-Soudani", "محمد السوداني", "Mohamad Sudany"]) {
      const res = await get("registrar", `/api/v1/persons/search?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, res.body).toBe(200);
      const ids = (res.json().items as { person: { id: string } }[]).map((h) => h.person.id);
      expect(ids, q).toEqual(expect.arrayContaining([a, b]));
    }
    const outside = await get(
      "registrar_b",
      `/api/v1/persons/search?q=${encodeURIComponent("Mohammed al-Sudani")}`,
    );
    expect(outside.json().items).toEqual([]);
    expectProblem(
      await get("registrar", `/api/v1/persons/search?q=${encodeURIComponent("محمد Mohammed")}`),
      "request.invalid",
    );
    expectProblem(await get("registrar", "/api/v1/persons/search?q="), "request.invalid");
  });

  it("refuses the officer who registered it, a merge without a reason, and a registrar out of scope", async () => {
    const before = await counts(api.store);
    expectProblem(
      await api.post("registrar", "duplicate.merge", { personId: b, intoPersonId: a, reason: "same" }),
      "auth.forbidden",
    );
    expectProblem(
      await api.post("admin", "duplicate.merge", { personId: b, intoPersonId: a, reason: "  " }),
      "request.invalid",
    );
    expectProblem(
      await api.post("registrar_b", "duplicate.dismiss", { personId: b, reason: "no" }),
      "auth.out-of-scope",
    );
    expectProblem(
      await api.post("case_worker", "duplicate.dismiss", { personId: b, reason: "no" }),
      "auth.forbidden",
    );
    expect(await counts(api.store)).toEqual(before);
  });

  it("merges once (the same command twice is one decision); the alias stays blocked, the earlier record is served", async () => {
    const commandId = randomUUID();
    const payload = {
      personId: b,
      intoPersonId: a,
      reason: "Same man: the mother's name and birth year agree.",
    };
    const first = await api.post("admin", "duplicate.merge", payload, commandId);
    expect(first.statusCode, first.body).toBe(200);
    const again = await api.post("admin", "duplicate.merge", payload, commandId);
    expect(again.json().seq).toBe(first.json().seq);
    expect(first.json().data).toMatchObject({ personId: b, intoPersonId: a });
    const leaf = (await get("admin", `/api/v1/events?after=${first.json().seq - 1}&limit=1`)).json().items[0];
    expect(leaf.entry).not.toContain(b);
    expect(leaf.entry).not.toContain("Same man");
    expectProblem(
      await api.post("admin", "duplicate.dismiss", { personId: b, reason: "second thoughts" }),
      "rule.violated",
    );

    const refused = expectProblem(
      await api.post("registrar", "handover.record", handover(api.seed.siteA, b, "DR-0002")),
      "rule.violated",
    );
    expect(refused.detail).toContain(`merged into ${a}`);
    expect(
      (await api.post("registrar", "handover.record", handover(api.seed.siteA, a, "DR-0003"))).statusCode,
    ).toBe(200);
    const merged = (await get("admin", "/api/v1/duplicate-reviews?status=merged")).json().items as {
      personId: string;
      mergedInto: string;
      reason: string;
    }[];
    expect(merged.find((r) => r.personId === b)).toMatchObject({ mergedInto: a, reason: payload.reason });
  });
});

describe("a handover recorded offline before the registration synced", () => {
  it("is kept, its receipt held until a reviewer dismisses the match; then handovers go ahead", async () => {
    const cousin = { latin: { given: "Abbas", father: "Fadhil", grandfather: "Naji", family: "al-Tamimi" } };
    const first = await register(
      "registrar",
      registration(api.seed.siteA, cousin, { birth: { year: 1979 } }),
    );
    expect(first.duplicateReview).toBeUndefined();
    const second = await register(
      "admin",
      registration(
        api.seed.siteA,
        { arabic: { given: "عباس", father: "فاضل", grandfather: "ناجي", family: "التميمي" } },
        {
          birth: { year: 1979 },
        },
      ),
    );
    expect(second.duplicateReview).toBe("pending");
    // Handed in an hour ago at a site without network: the handover syncs after the registration.
    const offline = await api.post(
      "admin",
      "handover.record",
      handover(api.seed.siteA, second.personId, "DR-0101", new Date(Date.now() - 3_600_000).toISOString()),
    );
    expect(offline.statusCode, offline.body).toBe(200);
    const handoverId = offline.json().data.handoverId as string;
    // Kept, and flagged for someone to look at (without naming the person).
    expect(offline.json().anomalies).toEqual([
      expect.objectContaining({
        kind: "handover_under_duplicate_review",
        subjectKind: "handover",
        subjectId: handoverId,
      }),
    ]);
    expect(JSON.stringify(offline.json().anomalies)).not.toContain(second.personId);
    const receipt = await get("registrar", `/api/v1/handovers/${handoverId}/receipt.pdf`);
    expect(expectProblem(receipt, "rule.violated").detail).toMatch(/awaits duplicate review/u);

    expect(
      (
        await api.post("registrar", "duplicate.dismiss", {
          personId: second.personId,
          reason: "Cousins: different card numbers.",
        })
      ).statusCode,
    ).toBe(200);
    const printed = await get("registrar", `/api/v1/handovers/${handoverId}/receipt.pdf`);
    expect(printed.statusCode).toBe(200);
    expect(printed.headers["content-type"]).toBe("application/pdf");
    expect(
      (await api.post("admin", "handover.record", handover(api.seed.siteA, second.personId, "DR-0102")))
        .statusCode,
    ).toBe(200);
  });
});

describe("registrations of one man at two sites, synced in either order", () => {
  it("holds whichever the server records second, and loses neither", async () => {
    const man = (given: string, father: string) => ({
      latin: { given, father, grandfather: "Salman", family: "al-Khafaji" },
    });
    const admin = ["admin"] as const;
    for (const [order, given] of [
      ["A then B", "Haidar"],
      ["B then A", "Karrar"],
    ] as const) {
      const sites =
        order === "A then B" ? [api.seed.siteA, api.seed.siteB] : [api.seed.siteB, api.seed.siteA];
      const registrants: Who[] = sites.map((s) => (s === api.seed.siteA ? "registrar" : "registrar_b"));
      const one = await register(
        registrants[0]!,
        registration(sites[0]!, man(given, "Raheem"), { governorate: "IQ-BG" }),
      );
      const two = await register(
        registrants[1]!,
        registration(sites[1]!, man(given, "Rahim"), { governorate: "IQ-BG" }),
      );
      expect(one.duplicateReview, order).toBeUndefined();
      expect(two.duplicateReview, order).toBe("pending");
      expect(two.duplicateMatches![0]!.personId).toBe(one.personId);
      for (const id of [one.personId, two.personId])
        expect((await get(admin[0], `/api/v1/persons/${id}`)).statusCode).toBe(200);
    }
  });
});

describe("the record rebuilt from the ledger", () => {
  it("reproduces the name keys, the counts and the reviews exactly", async () => {
    const report = await verifyDatabase(api.store, {});
    expect(report.projections).toEqual([]);
  });
});
