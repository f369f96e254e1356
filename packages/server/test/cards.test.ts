// Demobilisation cards through the HTTP API: issue, reissue, revoke, the printed card (its text
// extracted and its QR code scanned from the rendered page), the status check, and every refusal
// with nothing recorded.
import { createRequire } from "node:module";
import { type Actor, cardNumber, parseCardQrText, unlimitedScope } from "@armsledger/core";
import { sql } from "drizzle-orm";
import * as mupdf from "mupdf";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { CARD_H, CARD_W, type CardData, renderCard } from "../src/card/card-pdf.ts";
import { getCardPrintData } from "../src/queries/card.ts";
import { verifyDatabase } from "../src/verify/index.ts";
import { type Api, counts, expectProblem, startApi, type Who } from "./api/support.ts";
import { handoverPayload, personPayload, rifle } from "./support/fixtures.ts";

// jsqr is CommonJS whose typings declare an ES default export; require() gives the function.
const jsQR = createRequire(import.meta.url)("jsqr") as typeof import("jsqr").default;

// The group's names and code, which the card must never show or encode.
const GROUP = {
  code: "KTB-NORTH",
  name: { ar: "كتائب الشمال الموحدة", en: "Unified Northern Brigades" },
  aliases: [{ script: "latin", text: "Kataib al-Shamal" }],
  governorates: ["IQ-BG"],
};
const HOLDER = {
  arabic: { given: "حيدر", father: "كريم", family: "العبيدي" },
  latin: { given: "Haidar", father: "Karim", family: "al-Obaidi" },
};

let api: Api;
const adminActor = (): Actor => ({ userId: "admin", role: "admin", scope: unlimitedScope });
let groupId: string;
let n = 0;

/** A person registered at site A in the group, with no handover (not eligible). */
async function register(extra: Record<string, unknown> = {}): Promise<string> {
  const data = await api.ok("registrar", "person.register", {
    ...personPayload(api.seed.siteA, groupId),
    name: HOLDER,
    nationalId: `CARD${String(++n).padStart(6, "0")}`,
    ...extra,
  });
  return data.personId as string;
}

/** A person made eligible the real way: a handover of an eligible rifle. */
async function eligiblePerson(extra: Record<string, unknown> = {}): Promise<string> {
  const personId = await register(extra);
  const h = await api.ok(
    "registrar",
    "handover.record",
    handoverPayload(api.seed.siteA, personId, [rifle(`CRD-${++n}-5`)]),
  );
  expect((h.eligibility as { status: string }).status).toBe("eligible");
  return personId;
}

const status = (who: Who, number: string, query = "") =>
  api.send(who, { method: "GET", url: `/api/v1/cards/${number}${query}` });
const pdf = (who: Who, number: string) =>
  api.send(who, { method: "GET", url: `/api/v1/cards/${number}/pdf` });

/** Sends a command that must be refused with `code`, and checks that nothing was recorded. */
async function refused(who: Who, type: string, payload: unknown, code: Parameters<typeof expectProblem>[1]) {
  const before = await counts(api.store);
  const body = expectProblem(await api.post(who, type, payload), code);
  expect(await counts(api.store)).toEqual(before);
  return body;
}

beforeAll(async () => {
  api = await startApi({ seed: true });
  groupId = (await api.ok("admin", "group.register", GROUP)).groupId as string;
});
afterAll(() => api?.close());

/**
 * Text as mupdf extracts it from the PDF. Latin text comes back as printed (whitespace aside).
 * Arabic words come back with their letters, but a ligature glyph (lam-alef, sin-ra…) may give
 * its letters in the other order, so Arabic is compared word by word as sorted letters: a word is
 * "on the card" when some Arabic run of the page has the same letters.
 */
function extracted(page: mupdf.Page) {
  const text = page.toStructuredText("preserve-whitespace").asText();
  const letters = (word: string) => [...word].sort().join("");
  const arabicRuns = new Set((text.match(/\p{Script=Arabic}+/gu) ?? []).map(letters));
  const latin = text.replace(/\s+/gu, "");
  return {
    has(needle: string): boolean {
      if (/\p{Script=Arabic}/u.test(needle))
        return needle.split(/\s+/u).every((w) => arabicRuns.has(letters(w)));
      return latin.includes(needle.replace(/\s+/gu, ""));
    },
    /** Some word of the needle is on the page. */
    hasAnyWord(needle: string): boolean {
      return needle.split(/\s+/u).some((w) => this.has(w));
    },
  };
}

function openPdf(bytes: Uint8Array) {
  const doc = mupdf.Document.openDocument(bytes, "application/pdf");
  expect(doc.countPages()).toBe(1);
  return doc.loadPage(0);
}

describe("a card's life: issue, print, check, reissue, revoke", () => {
  let personId: string;
  let first: { number: string; leafHash: string; leafIndex: number };
  let second: string;

  it("issues a card to a person in good standing, numbered by its ledger leaf", async () => {
    personId = await eligiblePerson({ photo: `${"c0ffee".repeat(10)}abcd` });
    const res = await api.post("registrar", "card.issue", { personId });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json();
    expect(answer.data.cardNumber).toBe(cardNumber(answer.leafIndex));
    first = { number: answer.data.cardNumber, leafHash: answer.leafHash, leafIndex: answer.leafIndex };
  });

  it("keeps the holder out of the public leaf", async () => {
    const [row] = (
      (await api.store.db.execute(
        sql`select entry from events where seq = ${first.leafIndex}`,
      )) as unknown as {
        rows: { entry: string }[];
      }
    ).rows;
    const leaf = JSON.parse(row!.entry);
    expect(leaf.type).toBe("card.issued");
    expect(Object.keys(leaf.data).sort()).toEqual(["cardNumber", "issuedAt", "issuedBy", "siteId"]);
    expect(row!.entry).not.toContain(personId);
    expect(leaf.personal).toMatch(/^[0-9a-f]{64}$/u);
  });

  it("prints an ID-1 card with the name in both scripts, the number, the date and the QR code", async () => {
    const res = await pdf("registrar", first.number);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(res.headers["content-disposition"]).toContain(`${first.number}.pdf`);
    const page = openPdf(res.rawPayload);
    const [x0, y0, x1, y1] = page.getBounds();
    expect(x1 - x0).toBeCloseTo(CARD_W, 1);
    expect(y1 - y0).toBeCloseTo(CARD_H, 1);
    expect(CARD_W).toBeCloseTo((85.6 / 25.4) * 72, 6);
    expect(CARD_H).toBeCloseTo((53.98 / 25.4) * 72, 6);

    const text = extracted(page);
    const today = new Date().toISOString().slice(0, 10);
    for (const expected of [
      first.number,
      today,
      "Haidar",
      "al-Obaidi",
      // The Arabic name is extracted too (the positive control for the group's Arabic name below).
      "حيدر",
      "العبيدي",
      "Demobilisation card",
      "بطاقة التسريح",
      "c0ffeec0ffeec0ff",
    ])
      expect(text.has(expected), expected).toBe(true);
  });

  it("never shows or encodes the group: not its names in either script, nor its code or alias", async () => {
    const res = await pdf("admin", first.number);
    const page = openPdf(res.rawPayload);
    const text = extracted(page);
    for (const secret of [GROUP.name.ar, GROUP.name.en, GROUP.code, GROUP.aliases[0]!.text])
      expect(text.hasAnyWord(secret), secret).toBe(false);
    expect(text.has("Obaidi") && text.has("العبيدي")).toBe(true);
    const raw = Buffer.from(res.rawPayload).toString("latin1");
    expect(raw).not.toContain(GROUP.code);
    expect(raw).not.toContain("Brigades");

    // The QR code, scanned from the rendered page: the number and the check value, nothing else.
    const pixmap = page.toPixmap(mupdf.Matrix.scale(6, 6), mupdf.ColorSpace.DeviceRGB, true);
    const scanned = jsQR(pixmap.getPixels(), pixmap.getWidth(), pixmap.getHeight());
    expect(scanned?.data).toBe(`armsledger:card:v1:${first.number}:${first.leafHash.slice(0, 16)}`);
    expect(parseCardQrText(scanned!.data)).toEqual({
      cardNumber: first.number,
      check: first.leafHash.slice(0, 16),
    });
    for (const secret of [GROUP.code, "Haidar", "حيدر", groupId, personId])
      expect(scanned!.data).not.toContain(secret);
  });

  it("would find the group's names if they were printed (the check above is not blind)", async () => {
    const data = await getCardPrintData(api.store, adminActor(), first.number);
    const bytes = await renderCard({
      ...data,
      holder: { name: { arabic: { given: GROUP.name.ar }, latin: { given: GROUP.name.en } } },
    });
    const text = extracted(openPdf(bytes));
    expect(text.has(GROUP.name.ar), GROUP.name.ar).toBe(true);
    expect(text.has(GROUP.name.en), GROUP.name.en).toBe(true);
  });

  it("prints only the fields of CardData: every string printed, and extra properties ignored", async () => {
    const data = await getCardPrintData(api.store, adminActor(), first.number);
    expectTypeOf<keyof CardData>().toEqualTypeOf<
      "cardNumber" | "check" | "issuedAt" | "holder" | "programmeName"
    >();
    expectTypeOf<keyof CardData["holder"]>().toEqualTypeOf<"name" | "photo">();
    const printed: string[] = [];
    const plain = await renderCard(data, { onText: (t) => printed.push(t) });
    const all = printed.join("\n");
    for (const secret of [GROUP.name.ar, GROUP.name.en, GROUP.code, groupId, "كتائب", "Brigades"])
      expect(all).not.toContain(secret);
    expect(all).toContain("حيدر كريم العبيدي");
    const tainted = {
      ...data,
      group: GROUP,
      groupName: GROUP.name.en,
      holder: { ...data.holder, group: GROUP.name.ar, groupId },
    } as unknown as CardData;
    expect(Buffer.from(await renderCard(tainted)).equals(Buffer.from(plain))).toBe(true);
  });

  it("answers the status check with no personal data, and tells a forged QR check value", async () => {
    const res = await status("case_worker", first.number, `?check=${first.leafHash.slice(0, 16)}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      cardNumber: first.number,
      status: "active",
      valid: true,
      issuedOn: new Date().toISOString().slice(0, 10),
      endedOn: null,
      checkMatches: true,
    });
    expect((await status("registrar_b", first.number, "?check=0000000000000000")).json().checkMatches).toBe(
      false,
    );
    // The number as typed, dashes left out and in lower case.
    expect((await status("admin", first.number.replaceAll("-", "").toLowerCase())).json().status).toBe(
      "active",
    );
    expect(res.body).not.toContain(personId);
    expect(res.body).not.toContain("Haidar");
  });

  it("refuses a second active card for the same person, recording nothing", async () => {
    const body = await refused("registrar", "card.issue", { personId }, "rule.violated");
    expect(body.detail).toContain(first.number);
    expect(body.detail).toMatch(/one active card per person/u);
  });

  it("reissues a lost card: the old number is void, a new one issued with the reason", async () => {
    const res = await api.post("registrar", "card.reissue", {
      cardNumber: first.number,
      reason: "lost",
      note: "Lost at the market",
    });
    expect(res.statusCode, res.body).toBe(200);
    second = res.json().data.cardNumber;
    expect(second).toBe(cardNumber(res.json().leafIndex));
    expect(res.json().data).toMatchObject({ replaces: first.number, reason: "lost" });

    const old = (await status("registrar", first.number)).json();
    expect(old).toMatchObject({
      status: "replaced",
      valid: false,
      endedOn: new Date().toISOString().slice(0, 10),
    });
    // The status of a replaced card does not give away the new number.
    expect(JSON.stringify(old)).not.toContain(second);
    expect((await status("registrar", second)).json()).toMatchObject({ status: "active", valid: true });
    expectProblem(await pdf("registrar", first.number), "rule.violated");
    expect((await pdf("registrar", second)).statusCode).toBe(200);
    await refused(
      "registrar",
      "card.reissue",
      { cardNumber: first.number, reason: "stolen" },
      "rule.violated",
    );
  });

  it("lets only an administrator revoke, with a reason; the card is then void", async () => {
    await refused("registrar", "card.revoke", { cardNumber: second, reason: "Fraud" }, "auth.forbidden");
    await refused("admin", "card.revoke", { cardNumber: second }, "request.invalid");
    const res = await api.post("admin", "card.revoke", {
      cardNumber: second,
      reason: "Obtained under a false name",
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await status("case_worker", second)).json()).toMatchObject({ status: "revoked", valid: false });
    expectProblem(await pdf("admin", second), "rule.violated");
    await refused("admin", "card.revoke", { cardNumber: second, reason: "Again" }, "rule.violated");
    // A revoked card's leaf says only that a card was revoked, not which.
    const entry = (
      (await api.store.db.execute(
        sql`select entry from events where seq = ${res.json().leafIndex}`,
      )) as unknown as {
        rows: { entry: string }[];
      }
    ).rows[0]!.entry;
    expect(entry).not.toContain(second);
    expect(entry).not.toContain("false name");
  });

  it("issues a new card after a revocation", async () => {
    const res = await api.post("registrar", "card.issue", { personId });
    expect(res.statusCode, res.body).toBe(200);
  });

  it("rebuilds the cards table exactly by replaying the ledger", async () => {
    const report = await verifyDatabase(api.store);
    expect(report.projections).toEqual([]);
  });
});

describe("refusals, each with a clear error and nothing recorded", () => {
  it("refuses a person never found eligible", async () => {
    const personId = await register();
    const body = await refused("registrar", "card.issue", { personId }, "rule.violated");
    // The registrations of this file all carry one name (with other national ids): the duplicate
    // check may hold this one as well, which the message then says first.
    expect(body.detail).toMatch(
      /^A demobilisation card cannot be recorded: .*the person has not been found eligible/u,
    );
    expect(body.errors).toContainEqual({ path: "payload.personId", message: "not_eligible" });
  });

  // Revocation, death and duplicate review are recorded by commands other helpers build in
  // parallel (screening, dupreview); until they land, the test sets the persons columns those
  // commands' projections write, which is exactly what the card rules read.
  it.each([
    ["eligibility_revoked = true", "eligibility_revoked", /eligibility was revoked/u],
    ["deceased_on = '2026-02-10'", "deceased", /recorded as deceased/u],
    ["duplicate_review = 'pending'", "duplicate_review_pending", /awaits duplicate review/u],
    ["duplicate_review = 'merged'", "merged_duplicate", /duplicate of another person/u],
  ])("refuses a person with %s", async (assignment, blocker, message) => {
    const personId = await eligiblePerson();
    await api.store.db.execute(sql`update persons set ${sql.raw(assignment)} where id = ${personId}`);
    const body = await refused("registrar", "card.issue", { personId }, "rule.violated");
    expect(body.detail).toMatch(message);
    expect(body.errors).toContainEqual({ path: "payload.personId", message: blocker });
  });

  it("refuses to replace the card of a holder no longer in good standing", async () => {
    const personId = await eligiblePerson();
    const number = (await api.ok("registrar", "card.issue", { personId })).cardNumber as string;
    await api.store.db.execute(sql`update persons set deceased_on = '2026-02-10' where id = ${personId}`);
    const body = await refused(
      "registrar",
      "card.reissue",
      { cardNumber: number, reason: "lost" },
      "rule.violated",
    );
    expect(body.errors).toContainEqual({ path: "payload.cardNumber", message: "deceased" });
    expect((await status("admin", number)).json().status).toBe("active");
  });

  it("refuses an unknown person and an unknown or mistyped card", async () => {
    await refused(
      "registrar",
      "card.issue",
      { personId: "00000000-0000-4000-8000-00000000dead" },
      "reference.unknown",
    );
    const unknown = cardNumber(999_999);
    const body = await refused(
      "admin",
      "card.reissue",
      { cardNumber: unknown, reason: "lost" },
      "reference.unknown",
    );
    expect(body.detail).toContain(unknown);
    await refused("admin", "card.revoke", { cardNumber: unknown, reason: "x" }, "reference.unknown");
    const typo = await refused(
      "admin",
      "card.revoke",
      { cardNumber: "DC-0000042-1", reason: "x" },
      "request.invalid",
    );
    expect(typo.errors?.[0]).toMatchObject({
      path: "payload.cardNumber",
      message: expect.stringMatching(/check digit/u),
    });
    expectProblem(await status("admin", unknown), "resource.not-found");
    expectProblem(await pdf("admin", unknown), "resource.not-found");
    const bad = expectProblem(await status("admin", "DC-0000042-1"), "request.invalid");
    expect(bad.detail).toMatch(/check digit/u);
    expectProblem(await status("admin", cardNumber(5), "?check=XYZ"), "request.invalid");
  });
});

describe("scope and roles", () => {
  let personId: string;
  let number: string;
  beforeAll(async () => {
    personId = await eligiblePerson();
    number = (await api.ok("registrar", "card.issue", { personId })).cardNumber as string;
  });

  it("refuses a registrar of another site, recording nothing", async () => {
    const other = await eligiblePerson();
    await refused("registrar_b", "card.issue", { personId: other }, "auth.out-of-scope");
    await refused("registrar_b", "card.reissue", { cardNumber: number, reason: "lost" }, "auth.out-of-scope");
  });

  it("prints only within scope: another site's registrar is answered as if the card did not exist", async () => {
    expectProblem(await pdf("registrar_b", number), "resource.not-found");
    expect((await pdf("registrar_token", number)).statusCode).toBe(200);
  });

  it("answers the status check to the staff who meet holders, wherever the card was issued", async () => {
    for (const who of ["admin", "registrar", "registrar_b", "case_worker"] as const)
      expect((await status(who, number)).statusCode, who).toBe(200);
    for (const who of ["custodian", "disposal_officer", "analyst", "monitor"] as const)
      expectProblem(await status(who, number), "auth.forbidden");
    expectProblem(await status("anonymous", number), "auth.required");
    for (const who of ["case_worker", "analyst", "monitor", "custodian"] as const)
      expectProblem(await pdf(who, number), "auth.forbidden");
  });
});
