import { fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ar } from "../src/i18n/ar.ts";
import { en } from "../src/i18n/en.ts";
import { account, fakeApi } from "./fake-api.ts";
import { renderAt } from "./render.tsx";

afterEach(() => vi.unstubAllGlobals());

const personId = "99999999-9999-4999-8999-999999999999";
const followUps = {
  asOf: "2026-06-01",
  items: [
    {
      pathwayId: "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
      personId,
      kind: "civilian",
      siteId: "11111111-1111-4111-8111-111111111111",
      governorate: "BGD",
      placedOn: "2026-01-10",
      nextFollowUpDue: "2026-04-10",
      followUpsDone: 1,
      followUpsScheduled: 4,
      lastFollowUpOn: "2026-02-10",
      lastFollowUpStatus: "in_place",
      overdue: true,
      daysOverdue: 52,
    },
  ],
};

describe("the reintegration screen", () => {
  it("lists a case worker's overdue follow-ups in Arabic and leads to the person's record", async () => {
    const t = ar.reintegration;
    const calls = fakeApi({
      "GET /api/v1/me": account("case_worker"),
      "GET /api/v1/pathways/follow-ups?overdue=true": followUps,
      [`GET /api/v1/persons/${personId}`]: { status: 404, code: "resource.not-found" },
    });
    renderAt("/reintegration", { language: "ar", digits: "arab" });
    const table = await screen.findByRole("table", { name: new RegExp(t.overdue.split("{{")[0]!) });
    expect(within(table).getByText(t.kinds.civilian)).toBeTruthy();
    expect(within(table).getByText("٥٢")).toBeTruthy();
    fireEvent.click(
      within(table).getByRole("link", { name: t.openRecord.replace("{{id}}", personId.slice(0, 8)) }),
    );
    expect(await screen.findByText(ar.persons.outOfScope)).toBeTruthy();
    expect(calls).toContain(`GET /api/v1/persons/${personId}`);
  });

  it("shows a refusal from the API", async () => {
    fakeApi({
      "GET /api/v1/me": account("admin"),
      "GET /api/v1/pathways/follow-ups?overdue=true": { status: 403, code: "auth.forbidden" },
    });
    renderAt("/reintegration", { language: "en", digits: "latn" });
    expect(await screen.findByRole("alert")).toBeTruthy();
  });

  it("is neither in the menu nor open to a registrar", async () => {
    const calls = fakeApi({ "GET /api/v1/me": account("registrar") });
    renderAt("/reintegration", { language: "en", digits: "latn" });
    expect(await screen.findByText(/may not use this page/)).toBeTruthy();
    const nav = screen.getByRole("navigation", { name: en.nav.label });
    expect(within(nav).queryByRole("link", { name: en.nav.reintegration })).toBeNull();
    expect(calls.some((c) => c.startsWith("GET /api/v1/pathways"))).toBe(false);
  });
});
