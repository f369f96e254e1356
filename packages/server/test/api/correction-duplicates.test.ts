import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyDatabase } from "../../src/verify/index.ts";
import { rifle } from "../support/fixtures.ts";
import { type Api, counts, expectProblem, startApi, type Who } from "./support.ts";

// Issue 5: a correction of a person's names runs the registration's duplicate check again, through
// the HTTP API. Correcting a name into a near-copy of someone registered holds the person for
// review (no handover, so no receipt); correcting away from a match holds nobody; name search
// finds the corrected spelling and no longer the old one. Runs on PGlite, and on PostgreSQL
// when DATABASE_URL is set.

let api: Api;
beforeAll(async () => {
  api = await startApi({ seed: true });
});
afterAll(() => api?.close());

const sudani = { latin: { given: "Mohammed", father: "Jasim", grandfather: "Kadhim", family: "al-Sudani" } };
const tamimi = { latin: { given: "Hussein", father: "Ali", grandfather: "Hamid", family: "al-Tamimi" } };
const jubouri = { latin: { given: "Karim", father: "Salman", grandfather: "Dawood", family: "al-Jubouri" } };

function registration(name: unknown, extra: Record<string, unknown> = {}) {
  return {
    siteId: api.seed.siteA,
    kind: "combatant",
    name,
    motherName: { latin: "Zainab" },
    birth: { year: 1984 },
    sex: "male",
    governorate: "IQ-BG",
    listedByGroup: false,
    consent: { given: true, recordedOn: "2026-01-10" },
    ...extra,
  };
}

const get = (who: Who, url: string) => api.send(who, { method: "GET", url });
const search = async (q: string) =>
  (
    (await get("registrar", `/api/v1/persons/search?q=${encodeURIComponent(q)}`)).json().items as {
      person: { id: string };
    }[]
  ).map((h) => h.person.id);

/** Registers a person (not held) and answers its id and its registration's leaf. */
async function register(payload: unknown) {
  const res = await api.post("registrar", "person.register", payload);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { seq: number; data: { personId: string; duplicateReview?: string } };
  expect(body.data.duplicateReview).toBeUndefined();
  return { personId: body.data.personId, seq: body.seq };
}

async function correct(
  who: Who,
  person: { personId: string; seq: number },
  changes: Record<string, unknown>,
) {
  const res = await api.post(who, "record.correct", {
    kind: "person",
    id: person.personId,
    corrects: person.seq,
    changes,
    reason: "Misread at the desk.",
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    seq: number;
    data: { duplicateReview?: string; duplicateMatches?: { personId: string; zone: string }[] };
  };
}

describe("a correction that makes a person a near-copy of another", () => {
  let a: { personId: string; seq: number };
  let c: { personId: string; seq: number };

  it("holds the corrected person for review, and says whom it resembles", async () => {
    a = await register(registration(sudani));
    c = await register(registration(tamimi, { motherName: { latin: "Fatima" }, birth: { year: 1970 } }));
    expect(await search("Hussein al-Tamimi")).toContain(c.personId);
    const corrected = await correct("registrar", c, {
      name: { latin: { given: "Muhammad", father: "Jassem", grandfather: "Kadhim", family: "as-Soudani" } },
      motherName: { latin: "Zainab" },
      birth: { year: 1984 },
    });
    expect(corrected.data.duplicateReview).toBe("pending");
    expect(corrected.data.duplicateMatches![0]).toMatchObject({ personId: a.personId, zone: "same-person" });
    // The leaf says a person was corrected and held, never who or whom they resemble.
    const events = (await get("admin", "/api/v1/events?after=-1&limit=1000")).json().items as {
      seq?: number;
      type: string;
      entry: string;
    }[];
    const leaf = events.filter((e) => e.type === "record.corrected").at(-1)!;
    expect(leaf.entry).toContain('"duplicateReview":"pending"');
    expect(leaf.entry).not.toContain(a.personId);
    expect(leaf.entry).not.toContain(c.personId);
    expect(leaf.entry).not.toContain("duplicateMatches");
  });

  it("blocks the person's handover (and so the receipt) until the review, and lists the review", async () => {
    const before = await counts(api.store);
    const res = await api.post("registrar", "handover.record", {
      siteId: api.seed.siteA,
      handedAt: new Date().toISOString(),
      verifyingOfficer: { name: "Observer One", affiliation: "UN Mission" },
      from: { kind: "person", personId: c.personId },
      weapons: [rifle("CORR-0001")],
      ammunition: [],
    });
    expect(expectProblem(res, "rule.violated").errors).toEqual([
      { path: "payload.from.personId", message: "duplicate_review_pending" },
    ]);
    expect(await counts(api.store)).toEqual(before);
    const pending = (await get("admin", "/api/v1/duplicate-reviews?status=pending")).json().items as {
      personId: string;
      matches: { personId: string }[];
    }[];
    expect(pending.find((r) => r.personId === c.personId)?.matches[0]?.personId).toBe(a.personId);
    // The registrar who made the correction does not review it.
    expectProblem(
      await api.post("registrar", "duplicate.dismiss", { personId: c.personId, reason: "Not him." }),
      "auth.forbidden",
    );
  });

  it("files the person under the corrected spelling: search finds the new name, not the old", async () => {
    expect(await search("Muhammad Jassem as-Soudani")).toEqual(
      expect.arrayContaining([a.personId, c.personId]),
    );
    expect(await search("Hussein al-Tamimi")).not.toContain(c.personId);
  });

  it("lets the person stand again once an administrator dismisses the match", async () => {
    await api.ok("admin", "duplicate.dismiss", { personId: c.personId, reason: "Cousins, different cards." });
    const reviews = (await get("admin", "/api/v1/duplicate-reviews?status=dismissed")).json().items as {
      personId: string;
    }[];
    expect(reviews.map((r) => r.personId)).toContain(c.personId);
  });
});

describe("a correction away from any match", () => {
  it("holds nobody, and does not match the person with its own earlier spelling", async () => {
    const k = await register(registration(jubouri, { motherName: { latin: "Huda" }, birth: { year: 1991 } }));
    const corrected = await correct("registrar", k, {
      name: { latin: { given: "Karim", father: "Salman", grandfather: "Dawood", family: "al-Obeidi" } },
    });
    expect(corrected.data.duplicateReview).toBeUndefined();
    expect(await search("Karim al-Obeidi")).toContain(k.personId);
    expect(await search("Karim al-Jubouri")).not.toContain(k.personId);
  });
});

describe("the record rebuilt from the ledger", () => {
  it("reproduces the name keys and the reviews opened by corrections exactly", async () => {
    const report = await verifyDatabase(api.store, {});
    expect(report.projections).toEqual([]);
  });
});
