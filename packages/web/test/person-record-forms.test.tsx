import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ar } from "../src/i18n/ar.ts";
import { en } from "../src/i18n/en.ts";
import { account, commandRoute, type FakeProblem, fakeApi, type Routes } from "./fake-api.ts";
import { appeal, card, eligibility, person, personId } from "./person-fixtures.ts";
import { renderAt } from "./render.tsx";

// The screening, eligibility and card forms on a person's record: each shown only to the roles
// core's policy lets send its command, checked in the browser with core's schema first, sent as
// the command it is, the server's refusal shown, the record read again once recorded.

afterEach(() => vi.unstubAllGlobals());

const type = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
const invalid = (label: string) => screen.getByLabelText(label).getAttribute("aria-invalid") === "true";
const at = "2026-02-20T10:30";
const refusal = (detail: string, path = "payload.personId"): FakeProblem => ({
  status: 422,
  code: "rule.violated",
  detail,
  errors: [{ path, message: "refused" }],
});

const programme = {
  configuredSeq: 1,
  config: {
    screening: {
      required: true,
      questions: [
        {
          id: "commander_name",
          text: { ar: "من كان قائدك؟", en: "Who was your commander?" },
          verifiedBy: { kind: "answer", answer: "Abu Saif" },
        },
        {
          id: "carried_weapon",
          text: { ar: "هل حملت سلاحًا؟", en: "Did you carry a weapon?" },
          verifiedBy: { kind: "answer", answer: true },
        },
        {
          id: "knows_camp",
          text: { ar: "صف المعسكر", en: "Describe the camp" },
          verifiedBy: { kind: "officer_judgement" },
        },
      ],
      minimumVerified: 2,
      exclusionIndications: ["grave_crimes", "minor_recruiter"],
      associatedMembersWithoutWeapon: false,
    },
  },
};

/** The record's routes for a role, with the eligibility and cards given and commands answered. */
function record(
  role: "admin" | "registrar" | "case_worker",
  over: { eligibility?: object; cards?: readonly object[]; routes?: Routes } = {},
) {
  return fakeApi({
    "GET /api/v1/me": account(role),
    [`GET /api/v1/persons/${personId}`]: person,
    [`GET /api/v1/persons/${personId}/eligibility`]: eligibility(over.eligibility ?? {}),
    [`GET /api/v1/persons/${personId}/cards`]: { items: over.cards ?? [] },
    [`GET /api/v1/persons/${personId}/pathways`]: { items: [] },
    [`GET /api/v1/persons/${personId}/access-history`]: { items: [] },
    "GET /api/v1/programme": programme,
    ...over.routes,
  });
}

/** A command route refusing the first command with `first`, recording the next ones. */
const refusedOnce = (first: FakeProblem) => {
  let tries = 0;
  return commandRoute(({ payload }) => (tries++ === 0 ? first : { data: payload }));
};

describe("the screening and eligibility forms", () => {
  it("lets a registrar record a screening: the programme's questions and indications, the refusal at its field, then the record read again", async () => {
    const t = en.standing;
    const api = refusedOnce(
      refusal('The programme has no screening question "knows_camp".', "payload.answers.2.questionId"),
    );
    const calls = record("registrar", {
      eligibility: { eligible: false },
      routes: { "POST /api/v1/commands": api.route },
    });
    renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
    const standing = await screen.findByRole("region", { name: t.title });
    await within(standing).findByText(t.notScreened);
    // Deciding an appeal and revoking are the administrator's.
    expect(within(standing).queryByRole("button", { name: t.actions.decide })).toBeNull();
    expect(within(standing).queryByRole("button", { name: t.actions.revoke })).toBeNull();
    fireEvent.click(within(standing).getByRole("button", { name: t.actions.screen }));
    const form = await screen.findByRole("form", { name: t.actions.screen });
    // The first field has the keyboard.
    expect(document.activeElement).toBe(screen.getByLabelText(t.screenedAtField));
    type(t.screenedAtField, at);
    type("Who was your commander?", " Abu Saif ");
    type("Did you carry a weapon?", "yes");
    type("Describe the camp", "not_verified");
    fireEvent.click(within(form).getByLabelText("grave_crimes"));
    fireEvent.click(within(form).getByRole("button", { name: t.submit.screen }));
    expect(await screen.findByText(/no screening question "knows_camp"/)).toBeTruthy();
    expect(invalid("Describe the camp")).toBe(true);
    expect(invalid("Who was your commander?")).toBe(false);
    type("Describe the camp", "verified");
    fireEvent.click(within(form).getByRole("button", { name: t.submit.screen }));
    await waitFor(() => expect(screen.queryByRole("form", { name: t.actions.screen })).toBeNull());
    expect(api.sent.map((c) => c.type)).toEqual(["screening.record", "screening.record"]);
    expect(api.sent[1]!.payload).toEqual({
      personId,
      screenedAt: new Date(at).toISOString(),
      answers: [
        { questionId: "commander_name", answer: "Abu Saif" },
        { questionId: "carried_weapon", answer: true },
        { questionId: "knows_camp", judgement: "verified" },
      ],
      indications: ["grave_crimes"],
    });
    // The standing, the record and the cards are read again.
    await waitFor(() => expect(calls.filter((c) => c.endsWith("/eligibility")).length).toBeGreaterThan(1));
    expect(calls.filter((c) => c === `GET /api/v1/persons/${personId}`).length).toBeGreaterThan(1);
  });

  it("lets a case worker lodge an appeal in Arabic: a representative is named before anything is sent; the refusal is shown", async () => {
    const t = ar.standing;
    const api = refusedOnce(refusal("The person's appeal lodged at 2026-02-12T09:00:00Z awaits a decision."));
    record("case_worker", {
      eligibility: { eligible: false, screenings: [] },
      routes: { "POST /api/v1/commands": api.route },
    });
    renderAt(`/persons/${personId}`, { language: "ar", digits: "arab" });
    const standing = await screen.findByRole("region", { name: t.title });
    expect(within(standing).queryByRole("button", { name: t.actions.revoke })).toBeNull();
    fireEvent.click(await within(standing).findByRole("button", { name: t.actions.appeal }));
    type(t.lodgedAtField, at);
    type(t.lodgedBy, "representative");
    type(t.grounds, "خدم تحت إمرة أبو سيف في الرمادي");
    fireEvent.click(screen.getByRole("button", { name: t.submit.appeal }));
    await waitFor(() => expect(invalid(t.representative)).toBe(true));
    expect(api.sent).toEqual([]);
    type(t.representative, "فاطمة الجبوري");
    type(t.relationship, "أخته");
    fireEvent.click(screen.getByRole("button", { name: t.submit.appeal }));
    expect(await screen.findByText(/awaits a decision/)).toBeTruthy();
    expect(screen.getByRole("form", { name: t.actions.appeal })).toBeTruthy();
    expect(api.sent).toHaveLength(1);
    expect(api.sent[0]).toMatchObject({
      type: "eligibility.appeal",
      payload: {
        personId,
        lodgedAt: new Date(at).toISOString(),
        lodgedBy: { kind: "representative", name: "فاطمة الجبوري", relationship: "أخته" },
        grounds: "خدم تحت إمرة أبو سيف في الرمادي",
      },
    });
  });

  it("offers a registrar neither a decision on a pending appeal nor a new appeal, nor a revocation", async () => {
    const t = en.standing;
    record("registrar", { eligibility: { eligible: false, appeals: [appeal("lodged")] } });
    const view = renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
    const standing = await screen.findByRole("region", { name: t.title });
    await within(standing).findByText(t.standings.appealPending);
    expect(
      within(standing)
        .getAllByRole("button")
        .map((b) => b.textContent),
    ).toEqual([t.actions.screen]);
    view.unmount();
    record("registrar", { eligibility: { eligible: true } });
    renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
    const eligible = await screen.findByRole("region", { name: t.title });
    await within(eligible).findByText(t.standings.eligible);
    expect(
      within(eligible)
        .getAllByRole("button")
        .map((b) => b.textContent),
    ).toEqual([t.actions.screen]);
  });

  it("lets an administrator decide a pending appeal, after a refusal", async () => {
    const t = en.standing;
    const pending = appeal("lodged");
    const api = refusedOnce(
      refusal("The appeal was lodged at 2026-02-12; it cannot be decided before.", "payload.decidedAt"),
    );
    record("admin", {
      eligibility: { eligible: false, appeals: [pending] },
      routes: { "POST /api/v1/commands": api.route },
    });
    renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
    fireEvent.click(await screen.findByRole("button", { name: t.actions.decide }));
    type(t.decidedAtField, "2026-02-01T09:00");
    type(t.outcome, "overturned");
    type(t.decisionReason, "Two former comrades confirmed his service.");
    fireEvent.click(screen.getByRole("button", { name: t.submit.decide }));
    expect(await screen.findByText(/cannot be decided before/)).toBeTruthy();
    expect(invalid(t.decidedAtField)).toBe(true);
    type(t.decidedAtField, at);
    fireEvent.click(screen.getByRole("button", { name: t.submit.decide }));
    await waitFor(() => expect(screen.queryByRole("form", { name: t.actions.decide })).toBeNull());
    expect(api.sent[1]).toMatchObject({
      type: "eligibility.decide_appeal",
      payload: {
        appealId: pending.appealId,
        outcome: "overturned",
        decidedAt: new Date(at).toISOString(),
        reason: "Two former comrades confirmed his service.",
      },
    });
  });

  it("lets an administrator revoke an eligibility, with its reason (checked first), and shows the refusal", async () => {
    const t = en.standing;
    const api = refusedOnce(refusal("The person's eligibility was revoked already."));
    record("admin", { eligibility: { eligible: true }, routes: { "POST /api/v1/commands": api.route } });
    renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
    const standing = await screen.findByRole("region", { name: t.title });
    // An eligible person has nothing to appeal.
    expect(within(standing).queryByRole("button", { name: t.actions.appeal })).toBeNull();
    fireEvent.click(await within(standing).findByRole("button", { name: t.actions.revoke }));
    expect(screen.getByText(t.revokeNotice)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: t.submit.revoke }));
    await waitFor(() => expect(invalid(t.revokeReason)).toBe(true));
    expect(api.sent).toEqual([]);
    type(t.revokeReason, "He registered twice under two names.");
    fireEvent.click(screen.getByRole("button", { name: t.submit.revoke }));
    expect(await screen.findByText(/revoked already/)).toBeTruthy();
    expect(api.sent).toHaveLength(1);
    expect(api.sent[0]!.type).toBe("eligibility.revoke");
    expect(api.sent[0]!.payload).toMatchObject({ personId, reason: "He registered twice under two names." });
  });

  it("offers nothing but an appeal once the eligibility is revoked, and nothing at all for the deceased", async () => {
    const t = en.standing;
    record("admin", { eligibility: { eligible: true, eligibilityRevoked: true } });
    const view = renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
    const standing = await screen.findByRole("region", { name: t.title });
    await within(standing).findByText(t.standings.revoked);
    expect(
      within(standing)
        .getAllByRole("button")
        .map((b) => b.textContent),
    ).toEqual([t.actions.appeal]);
    view.unmount();
    record("admin", { eligibility: { eligible: false, deceasedOn: "2026-03-01" } });
    renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
    const after = await screen.findByRole("region", { name: t.title });
    await within(after).findByText(t.standings.deceased);
    expect(within(after).queryAllByRole("button")).toEqual([]);
  });
});

describe("the card forms", () => {
  it("lets a registrar issue a card to a person in good standing, after a refusal, and reads the cards again", async () => {
    const t = en.cards;
    const api = refusedOnce(refusal("The registration awaits duplicate review."));
    const calls = record("registrar", {
      eligibility: { eligible: true },
      routes: { "POST /api/v1/commands": api.route },
    });
    renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
    await screen.findByText(t.none);
    fireEvent.click(await screen.findByRole("button", { name: t.steps.issue }));
    expect(screen.getByText(t.issueNotice)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: t.submit.issue }));
    expect(await screen.findByText(/awaits duplicate review/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: t.submit.issue }));
    await waitFor(() => expect(screen.queryByRole("form", { name: t.steps.issue })).toBeNull());
    expect(api.sent.map((c) => [c.type, c.payload])).toEqual([
      ["card.issue", { personId }],
      ["card.issue", { personId }],
    ]);
    expect(calls.filter((c) => c.endsWith("/cards")).length).toBeGreaterThan(1);
  });

  it("offers no card to issue to a case worker, nor to a person not in good standing or already holding one", async () => {
    const t = en.cards;
    for (const [role, over] of [
      ["case_worker", { eligibility: { eligible: true } }],
      ["registrar", { eligibility: { eligible: false } }],
      ["registrar", { eligibility: { eligible: true }, cards: [card("DC-0000042-7", "active")] }],
    ] as const) {
      record(role, over);
      const view = renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
      await screen.findByRole("region", { name: en.standing.title });
      await screen.findByText(
        over.eligibility.eligible ? en.standing.standings.eligible : en.standing.standings.notEligible,
      );
      expect(screen.queryByRole("button", { name: t.steps.issue })).toBeNull();
      view.unmount();
    }
  });

  it("lets a registrar reissue the active card (the reason checked first) but not revoke it", async () => {
    const t = en.cards;
    const api = commandRoute(({ payload }) => ({ data: payload }));
    record("registrar", {
      eligibility: { eligible: true },
      cards: [
        card("DC-0000044-2", "active", { replaces: "DC-0000042-7", reissueReason: "lost" }),
        card("DC-0000042-7", "replaced", { endedOn: "2026-02-20" }),
      ],
      routes: { "POST /api/v1/commands": api.route },
    });
    renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
    const cards = await screen.findByRole("table", { name: t.title });
    const reissue = t.steps.reissue.replace("{{number}}", "DC-0000044-2");
    // Only the active card, and only reissued: revoking is the administrator's.
    expect(
      within(cards)
        .getAllByRole("button")
        .map((b) => b.textContent),
    ).toEqual([reissue]);
    fireEvent.click(within(cards).getByRole("button", { name: reissue }));
    fireEvent.click(screen.getByRole("button", { name: t.submit.reissue }));
    await waitFor(() => expect(invalid(t.reissueReason)).toBe(true));
    expect(api.sent).toEqual([]);
    type(t.reissueReason, "stolen");
    type(en.groups.note, "Taken at a checkpoint in Abu Ghraib.");
    fireEvent.click(screen.getByRole("button", { name: t.submit.reissue }));
    await waitFor(() => expect(api.sent).toHaveLength(1));
    expect(api.sent[0]).toMatchObject({
      type: "card.reissue",
      payload: { cardNumber: "DC-0000044-2", reason: "stolen", note: "Taken at a checkpoint in Abu Ghraib." },
    });
  });

  it("lets an administrator revoke a card in Arabic and shows the refusal", async () => {
    const t = ar.cards;
    const api = refusedOnce(refusal("Card DC-0000042-7 is already revoked and void.", "payload.cardNumber"));
    record("admin", {
      eligibility: { eligible: true },
      cards: [card("DC-0000042-7", "active")],
      routes: { "POST /api/v1/commands": api.route },
    });
    renderAt(`/persons/${personId}`, { language: "ar", digits: "arab" });
    const cards = await screen.findByRole("table", { name: t.title });
    fireEvent.click(
      within(cards).getByRole("button", { name: t.steps.revoke.replace("{{number}}", "DC-0000042-7") }),
    );
    type(t.revokeReason, "صدرت بالخطأ");
    fireEvent.click(screen.getByRole("button", { name: t.submit.revoke }));
    expect(await screen.findByText(/already revoked and void/)).toBeTruthy();
    expect(api.sent[0]).toMatchObject({
      type: "card.revoke",
      payload: { cardNumber: "DC-0000042-7", reason: "صدرت بالخطأ" },
    });
  });
});
