import type { EligibilityHistory } from "@armsledger/core";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { formatFor } from "../src/format/format.ts";
import { ar } from "../src/i18n/ar.ts";
import { en } from "../src/i18n/en.ts";
import { standingOf } from "../src/persons/Standing.tsx";
import { account, commandRoute, fakeApi } from "./fake-api.ts";
import { appeal, card, eligibility, pathway, person, personId, screening } from "./person-fixtures.ts";
import { renderAt } from "./render.tsx";

afterEach(() => vi.unstubAllGlobals());

const reason = "Medical emergency: the hospital needs his identity now.";
const type = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe("the persons screens", () => {
  it("finds a person by an Arabic spelling, opens the record (names in their script, view recorded) and shows the admin its access history", async () => {
    const t = ar.persons;
    const calls = fakeApi({
      "GET /api/v1/me": account("admin"),
      [`GET /api/v1/persons/search?q=${encodeURIComponent("علي الجبوري")}`]: {
        items: [{ matchedWords: 2, person: { ...person, duplicateReview: "none" } }],
      },
      [`GET /api/v1/persons/${personId}`]: person,
      [`GET /api/v1/persons/${personId}/access-history`]: {
        items: [
          {
            id: 7,
            at: "2026-03-01T09:00:00.000Z",
            actor: "x",
            username: "case1",
            role: "case_worker",
            action: "read",
            channel: "GET /api/v1/persons/:id",
            bulk: false,
            records: 1,
            purpose: reason,
            breakGlass: true,
          },
        ],
      },
    });
    renderAt("/persons", { language: "ar", digits: "arab" });
    await screen.findByLabelText(t.searchLabel);
    type(t.searchLabel, "علي الجبوري");
    fireEvent.click(screen.getByRole("button", { name: t.search }));
    const results = await screen.findByRole("table", { name: t.results });
    fireEvent.click(within(results).getByRole("link", { name: "علي حسن الجبوري" }));
    expect(await screen.findByText("Ali Hasan al-Jubouri")).toBeTruthy();
    expect(screen.getByText("Ali Hasan al-Jubouri").closest("bdi")!.getAttribute("dir")).toBe("auto");
    expect(screen.getByText(t.recorded)).toBeTruthy();
    const history = await screen.findByRole("table", { name: t.accessHistory });
    expect(within(history).getByText(reason)).toBeTruthy();
    expect(within(history).getByText(t.brokeGlass)).toBeTruthy();
    expect(calls).toContain(`GET /api/v1/persons/${personId}/access-history`);
  });

  it("says 'not found or outside your scope' and reads the record only after a reason of 20 to 500 characters", async () => {
    const t = en.persons;
    // An Arabic reason: a header carries it percent-encoded.
    const why = "حالة طبية طارئة: المستشفى يحتاج إلى هويته الآن.";
    const reasonsSent: (string | null)[] = [];
    const calls = fakeApi({
      "GET /api/v1/me": account("case_worker"),
      // Out of scope unless the reason comes in its header (percent-encoded UTF-8), never the URL.
      [`GET /api/v1/persons/${personId}`]: (init: RequestInit) => {
        const sent = new Headers(init.headers).get("x-break-glass-reason");
        reasonsSent.push(sent);
        return sent !== null && decodeURIComponent(sent) === why
          ? Response.json(person)
          : Response.json({ status: 404, code: "resource.not-found", detail: "no" }, { status: 404 });
      },
    });
    renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
    expect(await screen.findByText(t.outOfScope)).toBeTruthy();
    type(t.breakGlassReason, "because");
    fireEvent.click(screen.getByRole("button", { name: t.breakGlassSubmit }));
    expect(screen.getByLabelText(t.breakGlassReason).getAttribute("aria-invalid")).toBe("true");
    expect(reasonsSent).toEqual([null]);
    type(t.breakGlassReason, why);
    fireEvent.click(screen.getByRole("button", { name: t.breakGlassSubmit }));
    expect(await screen.findByText("علي حسن الجبوري")).toBeTruthy();
    expect(reasonsSent).toEqual([null, encodeURIComponent(why)]);
    expect(calls.filter((c) => c.includes("?"))).toEqual([]);
    // A case worker does not see who read the record.
    expect(screen.queryByRole("table", { name: t.accessHistory })).toBeNull();
    expect(calls.some((c) => c.endsWith("/access-history"))).toBe(false);
  });

  it("shows a purged person's record as purged, in Arabic and in English", async () => {
    const purged = {
      ...person,
      purged: true,
      name: { arabic: null, latin: null },
      motherName: null,
      birthDate: null,
      nationalId: null,
      role: null,
    };
    for (const language of ["ar", "en"] as const) {
      const t = (language === "ar" ? ar : en).persons;
      fakeApi({
        "GET /api/v1/me": account("case_worker"),
        [`GET /api/v1/persons/${personId}`]: purged,
      });
      const view = renderAt(`/persons/${personId}`, { language, digits: "latn" });
      expect(await screen.findByText(t.purgedNotice)).toBeTruthy();
      // The names and the national id read "purged", not blank.
      expect(screen.getAllByText(t.purged)).toHaveLength(3);
      expect(screen.queryByText("علي حسن الجبوري")).toBeNull();
      view.unmount();
    }
  });

  it("lets a case worker record a follow-up on a placement from the record, after a refusal", async () => {
    const t = en.pathways;
    const pathwayId = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
    let tries = 0;
    const api = commandRoute(({ payload }) =>
      tries++ === 0
        ? {
            status: 422,
            code: "rule.violated",
            detail: "A follow-up cannot come before the placement.",
            errors: [{ path: "payload.followedUpOn", message: "before the placement" }],
          }
        : { data: payload },
    );
    fakeApi({
      "GET /api/v1/me": account("case_worker"),
      [`GET /api/v1/persons/${personId}`]: person,
      [`GET /api/v1/persons/${personId}/pathways`]: {
        items: [
          {
            id: pathwayId,
            personId,
            kind: "civilian",
            state: "placed",
            offeredOn: "2026-01-02",
            placedOn: "2026-01-10",
          },
        ],
      },
      "POST /api/v1/commands": api.route,
    });
    renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
    const table = await screen.findByRole("table", { name: t.title });
    expect(within(table).getByText(t.states.placed)).toBeTruthy();
    fireEvent.click(within(table).getByRole("button", { name: t.steps.follow_up }));
    type(t.followedUpOn, "2026-01-05");
    fireEvent.change(screen.getByLabelText(t.followUpStatus), { target: { value: "still_placed" } });
    fireEvent.click(screen.getByRole("button", { name: t.submit.follow_up }));
    expect(await screen.findByText(/cannot come before the placement/)).toBeTruthy();
    expect(screen.getByLabelText(t.followedUpOn).getAttribute("aria-invalid")).toBe("true");
    type(t.followedUpOn, "2026-04-05");
    fireEvent.click(screen.getByRole("button", { name: t.submit.follow_up }));
    await waitFor(() => expect(screen.queryByRole("button", { name: t.submit.follow_up })).toBeNull());
    expect(api.sent.map((c) => c.type)).toEqual(["pathway.follow_up", "pathway.follow_up"]);
    expect(api.sent[1]!.payload).toEqual({ pathwayId, followedUpOn: "2026-04-05", status: "still_placed" });
  });

  it("shows birth in the search results in the reader's digits, a bare year as a year", async () => {
    const t = ar.persons;
    const yearOnly = {
      ...person,
      id: "88888888-8888-4888-8888-888888888888",
      birthDate: null,
      birthYear: 1987,
    };
    fakeApi({
      "GET /api/v1/me": account("registrar"),
      [`GET /api/v1/persons/search?q=${encodeURIComponent("علي")}`]: {
        items: [
          { matchedWords: 1, person },
          { matchedWords: 1, person: yearOnly },
        ],
      },
    });
    renderAt("/persons", { language: "ar", digits: "arab" });
    await screen.findByLabelText(t.searchLabel);
    type(t.searchLabel, "علي");
    fireEvent.click(screen.getByRole("button", { name: t.search }));
    const results = await screen.findByRole("table", { name: t.results });
    const format = formatFor("ar", "arab");
    expect(within(results).getByText(format.day("1990-05-01"))).toBeTruthy();
    expect(within(results).getByText("١٩٨٧")).toBeTruthy();
    // No Western digit is left in the column.
    const born = within(results)
      .getAllByRole("row")
      .slice(1)
      .map((row) => (row as HTMLTableRowElement).cells[2]!.textContent ?? "");
    expect(born.join(" ")).not.toMatch(/[0-9]/u);
  });

  it("shows a registrar the standing (appeal pending), the latest screening's answers and the card to print, and no pathway", async () => {
    const t = en.standing;
    const calls = fakeApi({
      "GET /api/v1/me": account("registrar"),
      [`GET /api/v1/persons/${personId}`]: { ...person, eligible: false },
      [`GET /api/v1/persons/${personId}/eligibility`]: eligibility({
        eligible: false,
        screenings: [
          screening("2026-02-02T09:00:00.000Z", "eligible", ["membership_verified", "eligible_weapon"]),
          screening("2026-02-10T09:00:00.000Z", "ineligible", [
            "membership_not_verified",
            "group_cap_reached",
          ]),
        ],
        appeals: [appeal("lodged")],
      }),
      [`GET /api/v1/persons/${personId}/cards`]: {
        items: [
          card("DC-0000044-2", "active", { replaces: "DC-0000042-7", reissueReason: "lost" }),
          card("DC-0000042-7", "replaced", { endedOn: "2026-02-20" }),
        ],
      },
    });
    renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
    expect(await screen.findByText(t.standings.appealPending)).toBeTruthy();
    // The latest screening's result, its reasons in words, and its answers.
    expect(screen.getByText(en.lane.reasons.group_cap_reached)).toBeTruthy();
    expect(screen.queryByText(en.standing.reasons.membership_verified)).toBeNull();
    const answers = screen.getByRole("table", { name: t.answers.replace("{{n}}", "2") });
    expect(within(answers).getByText("commander_name")).toBeTruthy();
    expect(within(answers).getByText("Abu Saif")).toBeTruthy();
    expect(within(answers).getByText(t.judgements.not_verified)).toBeTruthy();
    expect(screen.getByRole("table", { name: t.appeals })).toBeTruthy();
    const cards = await screen.findByRole("table", { name: en.cards.title });
    // The replaced card, and the card that replaced it naming it and why.
    expect(within(cards).getAllByText("DC-0000042-7")).toHaveLength(2);
    expect(within(cards).getByText(en.cards.statuses.replaced)).toBeTruthy();
    expect(within(cards).getByText(new RegExp(en.cards.reasons.lost))).toBeTruthy();
    const print = within(cards).getByRole("link", {
      name: en.cards.printOne.replace("{{number}}", "DC-0000044-2"),
    });
    expect(print.getAttribute("href")).toBe("/api/v1/cards/DC-0000044-2/pdf");
    // Only the active card may be printed.
    expect(within(cards).getAllByRole("link")).toHaveLength(1);
    // A registrar runs no pathways: neither the table nor its forms, and nothing asked.
    expect(screen.queryByRole("table", { name: en.pathways.title })).toBeNull();
    expect(calls.some((c) => c.endsWith("/pathways"))).toBe(false);
  });

  it("lets a case worker offer a civilian pathway (the browser's check first), without a card print link", async () => {
    const t = en.pathways;
    const api = commandRoute(({ payload }) => ({ data: payload }));
    const calls = fakeApi({
      "GET /api/v1/me": account("case_worker"),
      [`GET /api/v1/persons/${personId}`]: person,
      [`GET /api/v1/persons/${personId}/eligibility`]: eligibility({ eligible: true }),
      [`GET /api/v1/persons/${personId}/cards`]: { items: [card("DC-0000042-7", "active")] },
      [`GET /api/v1/persons/${personId}/pathways`]: {
        items: [pathway({ state: "declined", active: false, respondedOn: "2026-02-03" })],
      },
      "POST /api/v1/commands": api.route,
    });
    renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
    const standing = await screen.findByRole("region", { name: en.standing.title });
    expect(await within(standing).findByText(en.standing.notScreened)).toBeTruthy();
    expect(within(standing).getByText(en.standing.standings.eligible)).toBeTruthy();
    const cards = await screen.findByRole("table", { name: en.cards.title });
    expect(within(cards).queryByRole("link")).toBeNull();
    // The declined pathway ended: another may be offered.
    fireEvent.click(await screen.findByRole("button", { name: t.steps.offer }));
    fireEvent.change(screen.getByLabelText(t.kind), { target: { value: "civilian" } });
    type(t.offeredOn, "2026-03-01");
    fireEvent.click(screen.getByRole("button", { name: t.submit.offer }));
    // Core's schema: a civilian offer names a course, a job or a referral.
    await waitFor(() =>
      expect(screen.getByLabelText(t.trainingCourse).getAttribute("aria-invalid")).toBe("true"),
    );
    expect(api.sent).toEqual([]);
    type(t.referrals, "Vocational centre, Karkh\nMicro-credit office");
    fireEvent.click(screen.getByRole("button", { name: t.submit.offer }));
    await waitFor(() => expect(screen.queryByRole("button", { name: t.submit.offer })).toBeNull());
    expect(api.sent.map((c) => c.type)).toEqual(["pathway.offer"]);
    expect(api.sent[0]!.payload).toEqual({
      personId,
      kind: "civilian",
      offeredOn: "2026-03-01",
      referrals: ["Vocational centre, Karkh", "Micro-credit office"],
    });
    // The pathways are read again after the offer.
    expect(calls.filter((c) => c.endsWith("/pathways")).length).toBeGreaterThan(1);
  });

  it("offers each pathway's next step only: a response to an offer (a decline needs its reason), vetting before a security-forces placement, leaving after a placement", async () => {
    const t = ar.pathways;
    const offered = pathway({ id: "cccccccc-cccc-4ccc-8ccc-cccccccccccc", state: "offered" });
    const api = commandRoute(({ payload }) => ({ data: payload }));
    fakeApi({
      "GET /api/v1/me": account("case_worker"),
      [`GET /api/v1/persons/${personId}`]: person,
      [`GET /api/v1/persons/${personId}/eligibility`]: eligibility({ eligible: true }),
      [`GET /api/v1/persons/${personId}/cards`]: { items: [] },
      [`GET /api/v1/persons/${personId}/pathways`]: { items: [offered] },
      "POST /api/v1/commands": api.route,
    });
    renderAt(`/persons/${personId}`, { language: "ar", digits: "arab" });
    const table = await screen.findByRole("table", { name: t.title });
    // One pathway active: no second offer.
    expect(screen.queryByRole("button", { name: t.steps.offer })).toBeNull();
    expect(within(table).queryByRole("button", { name: t.steps.place })).toBeNull();
    fireEvent.click(within(table).getByRole("button", { name: t.steps.respond }));
    fireEvent.change(screen.getByLabelText(t.response), { target: { value: "decline" } });
    type(t.respondedOn, "2026-03-02");
    fireEvent.click(screen.getByRole("button", { name: t.submit.respond }));
    await waitFor(() =>
      expect(screen.getByLabelText(t.declineReason).getAttribute("aria-invalid")).toBe("true"),
    );
    expect(api.sent).toEqual([]);
    type(t.declineReason, "يفضّل العمل في مزرعة العائلة");
    fireEvent.click(screen.getByRole("button", { name: t.submit.respond }));
    await waitFor(() => expect(api.sent).toHaveLength(1));
    expect(api.sent[0]).toMatchObject({
      type: "pathway.respond",
      payload: { pathwayId: offered.id, response: "decline", respondedOn: "2026-03-02" },
    });
    expect(screen.getByText(ar.cards.none)).toBeTruthy();
  });

  it("shows a security-forces pathway awaiting vetting the vetting step, and a placement the follow-up and leaving", async () => {
    const t = en.pathways;
    fakeApi({
      "GET /api/v1/me": account("admin"),
      [`GET /api/v1/persons/${personId}`]: person,
      [`GET /api/v1/persons/${personId}/eligibility`]: eligibility({ eligible: true }),
      [`GET /api/v1/persons/${personId}/cards`]: { items: [] },
      [`GET /api/v1/persons/${personId}/access-history`]: { items: [] },
      [`GET /api/v1/persons/${personId}/pathways`]: {
        items: [
          pathway({
            state: "accepted",
            kind: "security_forces",
            vetting: "pending",
            respondedOn: "2026-01-03",
          }),
          pathway({
            id: "dddddddd-dddd-4ddd-8ddd-dddddddddddd",
            state: "left",
            active: false,
            placedOn: "2025-06-01",
            leftOn: "2025-09-01",
            leftReason: "moved_away",
          }),
        ],
      },
    });
    renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
    const table = await screen.findByRole("table", { name: t.title });
    const [accepted, left] = within(table).getAllByRole("row").slice(1);
    expect(within(accepted!).getByText(new RegExp(t.vettingStates.pending))).toBeTruthy();
    expect(within(accepted!).getByRole("button", { name: t.steps.vet })).toBeTruthy();
    expect(within(accepted!).queryByRole("button", { name: t.steps.place })).toBeNull();
    expect(within(left!).getByText(new RegExp(t.leavingReasons.moved_away))).toBeTruthy();
    expect(within(left!).queryByRole("button")).toBeNull();
    fireEvent.click(within(accepted!).getByRole("button", { name: t.steps.vet }));
    expect(screen.getByRole("form", { name: t.steps.vet })).toBeTruthy();
    // The form's first field takes the focus: the keyboard is where the form opened.
    expect(document.activeElement).toBe(screen.getByLabelText(t.vettingResult));
    expect(screen.getByLabelText(t.vettingReference)).toBeTruthy();
  });

  it("is neither in the menu nor open to a role that may not read people", async () => {
    const calls = fakeApi({ "GET /api/v1/me": account("custodian") });
    renderAt(`/persons/${personId}`, { language: "en", digits: "latn" });
    expect(await screen.findByText(/may not use this page/)).toBeTruthy();
    const nav = screen.getByRole("navigation", { name: en.nav.label });
    expect(within(nav).queryByRole("link", { name: en.nav.persons })).toBeNull();
    expect(calls.some((c) => c.startsWith("GET /api/v1/persons"))).toBe(false);
  });
});

describe("a person's standing", () => {
  const h = (over: object) => eligibility(over) as unknown as EligibilityHistory;
  it("reads deceased before anything, an appeal pending over a revocation or an ineligibility", () => {
    expect(standingOf(h({ eligible: true }))).toBe("eligible");
    expect(standingOf(h({ eligible: false }))).toBe("notEligible");
    expect(standingOf(h({ eligible: true, eligibilityRevoked: true }))).toBe("revoked");
    expect(standingOf(h({ eligible: true, eligibilityRevoked: true, appeals: [appeal("lodged")] }))).toBe(
      "appealPending",
    );
    expect(standingOf(h({ eligible: false, appeals: [appeal("upheld")] }))).toBe("notEligible");
    expect(standingOf(h({ eligible: false, appeals: [appeal("lodged")] }))).toBe("appealPending");
    expect(standingOf(h({ eligible: true, deceasedOn: "2026-03-01", appeals: [appeal("lodged")] }))).toBe(
      "deceased",
    );
  });
});
