import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ar } from "../src/i18n/ar.ts";
import { en } from "../src/i18n/en.ts";
import { account, commandRoute, fakeApi } from "./fake-api.ts";
import { renderAt } from "./render.tsx";

afterEach(() => vi.unstubAllGlobals());

const personId = "99999999-9999-4999-8999-999999999999";
const person = {
  id: personId,
  siteId: "11111111-1111-4111-8111-111111111111",
  kind: "combatant",
  name: {
    arabic: { given: "علي", father: "حسن", family: "الجبوري" },
    latin: { given: "Ali", father: "Hasan", family: "al-Jubouri" },
  },
  motherName: null,
  birthDate: "1990-05-01",
  birthYear: null,
  sex: "male",
  governorate: "BGD",
  groupId: null,
  role: null,
  nationalId: "199012345678",
  listedByGroup: false,
  registeredOn: "2026-02-01",
  ageGroup: "adult",
  eligible: true,
  registeredSeq: 4,
  purged: false,
};
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
    fireEvent.click(within(table).getByRole("button", { name: t.followUp }));
    type(t.followedUpOn, "2026-01-05");
    fireEvent.change(screen.getByLabelText(t.followUpStatus), { target: { value: "still_placed" } });
    fireEvent.click(screen.getByRole("button", { name: t.followUpSubmit }));
    expect(await screen.findByText(/cannot come before the placement/)).toBeTruthy();
    expect(screen.getByLabelText(t.followedUpOn).getAttribute("aria-invalid")).toBe("true");
    type(t.followedUpOn, "2026-04-05");
    fireEvent.click(screen.getByRole("button", { name: t.followUpSubmit }));
    await waitFor(() => expect(screen.queryByRole("button", { name: t.followUpSubmit })).toBeNull());
    expect(api.sent.map((c) => c.type)).toEqual(["pathway.follow_up", "pathway.follow_up"]);
    expect(api.sent[1]!.payload).toEqual({ pathwayId, followedUpOn: "2026-04-05", status: "still_placed" });
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
