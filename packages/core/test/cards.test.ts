import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findCommandDefinition } from "../src/commands/registry.ts";
import { splitPersonal } from "../src/events.ts";
import { Problem, type ProblemCode } from "../src/problems.ts";
import {
  CARD_NUMBER_PREFIX,
  cardNumber,
  normaliseCardNumber,
  parseCardNumber,
} from "../src/rules/card-number.ts";
import { cardCheckValue, cardQrText, parseCardQrText } from "../src/rules/card-qr.ts";
import type { PersonStanding } from "../src/rules/person-standing.ts";
import { receiptNumber } from "../src/rules/receipt-number.ts";
import { CARD, ids, seededView } from "./fixtures.ts";
import { type MemoryView, makeActor, makeEnv } from "./memory-view.ts";

const LEAF_HASH = "3f2a9c0e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0918273";

/** Parses the payload as the API would, lets the command decide, and folds the event in. */
async function run(view: MemoryView, type: string, raw: unknown, seq = 42) {
  const def = findCommandDefinition(type)!;
  const event = await def.decide(def.payload.parse(raw), view, makeEnv({ seq }));
  view.apply(seq, event);
  return event;
}

async function refused(promise: Promise<unknown>, code: ProblemCode, path?: string): Promise<Problem> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  if (!(caught instanceof Problem)) throw new Error(`expected a problem, got ${String(caught)}`);
  expect(caught.code).toBe(code);
  if (path) expect(caught.fields.map((f) => f.path)).toContain(path);
  return caught;
}

describe("card numbers", () => {
  it("are the issuing leaf with a Damm check digit and their own prefix", () => {
    expect(CARD_NUMBER_PREFIX).toBe("DC");
    expect(cardNumber(42)).toBe("DC-0000042-7");
    expect(cardNumber(123_456_789_012)).toMatch(/^DC-123456789012-[0-9]$/u);
    expect(parseCardNumber("DC-0000042-7")).toBe(42);
    expect(normaliseCardNumber(" dc00000427 ")).toBe("DC-0000042-7");
    expect(() => cardNumber(-1)).toThrow(RangeError);
  });

  it("are never taken for receipt numbers, nor receipts for cards", () => {
    expect(parseCardNumber(receiptNumber(42))).toBeUndefined();
    expect(parseCardNumber("R-0000042-7")).toBeUndefined();
    expect(parseCardNumber("DC-0000042")).toBeUndefined();
    expect(parseCardNumber("")).toBeUndefined();
  });

  it("catch every single-digit error and every swap of adjacent digits", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999 }), fc.integer({ min: 0, max: 7 }), (leaf, at) => {
        const digits = cardNumber(leaf).replace(/\D/gu, "");
        const typo = (s: string) => `DC-${s.slice(0, 7)}-${s.slice(7)}`;
        for (let d = 0; d <= 9; d++) {
          if (String(d) === digits[at]) continue;
          const wrong = digits.slice(0, at) + d + digits.slice(at + 1);
          expect(parseCardNumber(typo(wrong))).toBeUndefined();
        }
        if (digits[at] !== digits[at + 1]) {
          const swapped = digits.slice(0, at) + digits[at + 1] + digits[at] + digits.slice(at + 2);
          expect(parseCardNumber(typo(swapped))).toBeUndefined();
        }
      }),
    );
  });
});

describe("card QR text", () => {
  const fields = { cardNumber: "DC-0000042-7", check: cardCheckValue(LEAF_HASH) };

  it("carries the card number and the first 16 hex digits of the issuing leaf's hash, nothing else", () => {
    const text = cardQrText(fields);
    expect(text).toBe(`armsledger:card:v1:DC-0000042-7:${LEAF_HASH.slice(0, 16)}`);
    expect(parseCardQrText(text)).toEqual(fields);
    expect(cardCheckValue(LEAF_HASH.toUpperCase())).toBe(LEAF_HASH.slice(0, 16));
  });

  it.each([
    ["empty", ""],
    ["other version", `armsledger:card:v2:DC-0000042-7:${LEAF_HASH.slice(0, 16)}`],
    ["a receipt", `armsledger:receipt:v1:R-0000042-7:42:${LEAF_HASH}`],
    ["wrong check digit", `armsledger:card:v1:DC-0000042-1:${LEAF_HASH.slice(0, 16)}`],
    ["number without dashes", `armsledger:card:v1:DC00000427:${LEAF_HASH.slice(0, 16)}`],
    ["short check", `armsledger:card:v1:DC-0000042-7:${LEAF_HASH.slice(0, 15)}`],
    ["upper-case check", `armsledger:card:v1:DC-0000042-7:${LEAF_HASH.slice(0, 16).toUpperCase()}`],
    ["extra field", `armsledger:card:v1:DC-0000042-7:${LEAF_HASH.slice(0, 16)}:Mohammed`],
  ])("rejects %s", (_, text) => {
    expect(parseCardQrText(text)).toBeUndefined();
  });

  it("refuses to encode what it could not carry", () => {
    expect(() => cardQrText({ ...fields, cardNumber: "dc00000427" })).toThrow(RangeError);
    expect(() => cardQrText({ ...fields, check: "xyz" })).toThrow(RangeError);
    expect(() => cardCheckValue("abc")).toThrow(RangeError);
  });
});

describe("card.issue", () => {
  it("issues the card numbered by its own leaf, to a person in good standing", async () => {
    const view = seededView();
    const event = await run(view, "card.issue", { personId: ids.cardless });
    expect(event.data).toEqual({
      cardNumber: "DC-0000042-7",
      personId: ids.cardless,
      siteId: ids.site,
      issuedAt: "2025-03-01T10:00:00Z",
      issuedBy: makeActor().userId,
    });
    expect((await view.findActiveCard(ids.cardless))?.cardNumber).toBe("DC-0000042-7");
  });

  it("is scoped to the person's registration site", async () => {
    const def = findCommandDefinition("card.issue")!;
    expect(await def.target({ personId: ids.cardless }, seededView())).toEqual({
      siteId: ids.site,
      governorate: "IQ-BG",
    });
  });

  it("refuses an unknown person", async () => {
    await refused(
      run(seededView(), "card.issue", { personId: ids.unknown }),
      "reference.unknown",
      "payload.personId",
    );
  });

  it.each([
    [{ eligible: false }, "not_eligible"],
    [{ eligibilityRevoked: true }, "eligibility_revoked"],
    [{ deceased: true }, "deceased"],
    [{ duplicateReview: "pending" }, "duplicate_review_pending"],
    [{ duplicateReview: "merged" }, "merged_duplicate"],
  ] as [Partial<PersonStanding>, string][])("refuses a person with %j (%s)", async (change, blocker) => {
    const view = seededView();
    Object.assign(view.persons.get(ids.cardless)!, change);
    const problem = await refused(run(view, "card.issue", { personId: ids.cardless }), "rule.violated");
    expect(problem.message).toMatch(/^A demobilisation card cannot be recorded/u);
    expect(problem.fields).toContainEqual({ path: "payload.personId", message: blocker });
    expect(await view.findActiveCard(ids.cardless)).toBeUndefined();
  });

  it("refuses a second active card, naming the one held", async () => {
    const problem = await refused(
      run(seededView(), "card.issue", { personId: ids.cardHolder }),
      "rule.violated",
      "payload.personId",
    );
    expect(problem.message).toContain(CARD);
  });

  it("issues a new card once the old one is revoked", async () => {
    const view = seededView();
    await run(view, "card.revoke", { cardNumber: CARD, reason: "Issued in error" }, 50);
    await run(view, "card.issue", { personId: ids.cardHolder }, 51);
    expect((await view.findActiveCard(ids.cardHolder))?.cardNumber).toBe(cardNumber(51));
  });
});

describe("card.reissue", () => {
  it("voids the old number and issues a new one, with the reason", async () => {
    const view = seededView();
    const event = await run(view, "card.reissue", {
      cardNumber: CARD,
      reason: "stolen",
      note: "Taken at a checkpoint",
    });
    expect(event.data).toMatchObject({
      cardNumber: "DC-0000042-7",
      replaces: CARD,
      reason: "stolen",
      note: "Taken at a checkpoint",
      personId: ids.cardHolder,
    });
    expect(view.cards.get(CARD)?.status).toBe("replaced");
    expect(view.cards.get("DC-0000042-7")?.status).toBe("active");
  });

  it("accepts the number as typed, dashes left out", async () => {
    const view = seededView();
    const event = await run(view, "card.reissue", { cardNumber: "dc00000092", reason: "damaged" });
    expect(event.data.replaces).toBe(CARD);
  });

  it("is scoped to the holder's registration site", async () => {
    const def = findCommandDefinition("card.reissue")!;
    const payload = def.payload.parse({ cardNumber: CARD, reason: "lost" });
    expect(await def.target(payload, seededView())).toEqual({ siteId: ids.site, governorate: "IQ-BG" });
  });

  it("refuses a mistyped number at the schema, an unknown one by the rules", async () => {
    const def = findCommandDefinition("card.reissue")!;
    const parsed = def.payload.safeParse({ cardNumber: "DC-0000009-3", reason: "lost" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/check digit/u);
    expect(def.payload.safeParse({ cardNumber: CARD, reason: "sold" }).success).toBe(false);
    await refused(
      run(seededView(), "card.reissue", { cardNumber: cardNumber(77), reason: "lost" }),
      "reference.unknown",
      "payload.cardNumber",
    );
  });

  it("refuses a card already void", async () => {
    const view = seededView();
    await run(view, "card.reissue", { cardNumber: CARD, reason: "lost" }, 50);
    const problem = await refused(
      run(view, "card.reissue", { cardNumber: CARD, reason: "lost" }, 51),
      "rule.violated",
    );
    expect(problem.message).toMatch(/replaced and void/u);
  });

  it("refuses a holder no longer in good standing", async () => {
    const view = seededView();
    view.persons.get(ids.cardHolder)!.deceased = true;
    const problem = await refused(
      run(view, "card.reissue", { cardNumber: CARD, reason: "lost" }),
      "rule.violated",
    );
    expect(problem.fields).toContainEqual({ path: "payload.cardNumber", message: "deceased" });
    expect(view.cards.get(CARD)?.status).toBe("active");
  });
});

describe("card.revoke", () => {
  it("voids the card, with the reason", async () => {
    const view = seededView();
    const event = await run(view, "card.revoke", {
      cardNumber: CARD,
      reason: "Obtained with a false identity",
    });
    expect(event.data).toMatchObject({
      cardNumber: CARD,
      personId: ids.cardHolder,
      reason: "Obtained with a false identity",
    });
    expect(view.cards.get(CARD)?.status).toBe("revoked");
  });

  it("needs a reason and an active card", async () => {
    const def = findCommandDefinition("card.revoke")!;
    expect(def.payload.safeParse({ cardNumber: CARD }).success).toBe(false);
    expect(def.payload.safeParse({ cardNumber: CARD, reason: "  " }).success).toBe(false);
    const view = seededView();
    await run(view, "card.revoke", { cardNumber: CARD, reason: "Issued in error" }, 50);
    await refused(run(view, "card.revoke", { cardNumber: CARD, reason: "Again" }, 51), "rule.violated");
    await refused(run(view, "card.revoke", { cardNumber: cardNumber(77), reason: "x" }), "reference.unknown");
  });
});

describe("what the public ledger shows of cards", () => {
  it("keeps the holder, the link to an earlier card and the reasons in the private part", async () => {
    const view = seededView();
    const issued = await run(view, "card.issue", { personId: ids.cardless }, 40);
    const reissued = await run(view, "card.reissue", { cardNumber: CARD, reason: "lost", note: "n" }, 41);
    const revoked = await run(view, "card.revoke", { cardNumber: cardNumber(40), reason: "r" }, 42);
    const pub = (e: typeof issued) => Object.keys(splitPersonal(e.type, e.data).publicPart).sort();
    expect(pub(issued)).toEqual(["cardNumber", "issuedAt", "issuedBy", "siteId"]);
    expect(pub(reissued)).toEqual(["cardNumber", "issuedAt", "issuedBy", "reason", "siteId"]);
    expect(pub(revoked)).toEqual(["revokedAt", "revokedBy"]);
  });
});
