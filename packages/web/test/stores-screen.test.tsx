import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ar } from "../src/i18n/ar.ts";
import { en } from "../src/i18n/en.ts";
import { visibleScreens } from "../src/navigation/screens.ts";
import { account, commandRoute, fakeApi } from "./fake-api.ts";
import { renderAt } from "./render.tsx";

afterEach(() => vi.unstubAllGlobals());

const depot = "11111111-1111-4111-8111-111111111111";
const sites = {
  items: [{ id: depot, code: "BGD-D1", kind: "depot", nameAr: "مستودع التاجي", nameEn: "Taji depot" }],
};
const rifle1 = "33333333-3333-4333-8333-333333333331";
const rifle2 = "33333333-3333-4333-8333-333333333332";
const rifle3 = "33333333-3333-4333-8333-333333333333";
const closedId = "aaaaaaaa-0000-4000-8000-000000000001";
const openId = "bbbbbbbb-0000-4000-8000-000000000002";
const newId = "cccccccc-0000-4000-8000-000000000003";

const access = (id: string, status: string, items: { id: string; returnedAt: string | null }[]) => ({
  id,
  siteId: depot,
  purpose: "training",
  removedAt: "2026-03-01T08:00:00.000Z",
  dueBack: null,
  authorisedBy: "u",
  removedSeq: 1,
  status,
  itemCount: items.length,
  returnedCount: items.filter((i) => i.returnedAt).length,
  lastReturnedAt: null,
  items: items.map((i) => ({ kind: "weapon", returnSeq: null, ...i })),
});

const reads = {
  "GET /api/v1/sites": sites,
  // Newest first, as the API answers: the returned removal, then the one with items still out.
  "GET /api/v1/store-access": {
    items: [
      access(closedId, "returned", [{ id: rifle3, returnedAt: "2026-03-02T08:00:00.000Z" }]),
      access(openId, "partly_returned", [
        { id: rifle1, returnedAt: null },
        { id: rifle2, returnedAt: null },
        { id: rifle3, returnedAt: "2026-03-01T12:00:00.000Z" },
      ]),
    ],
  },
  [`GET /api/v1/sites/${depot}/items?state=out_of_store`]: {
    items: [
      { kind: "weapon", id: rifle1, tag: "W0000001-01" },
      { kind: "weapon", id: rifle2, tag: "W0000002-01" },
    ],
  },
  [`GET /api/v1/sites/${depot}/items?kind=weapon`]: { items: [] },
  "GET /api/v1/items?tag=W0000003-01": { kind: "weapon", id: rifle3, tag: "W0000003-01" },
  [`GET /api/v1/stock-checks?status=open&siteId=${depot}`]: { items: [] },
};

const type = (label: string, value: string, scope: Pick<typeof screen, "getByLabelText"> = screen) =>
  fireEvent.change(scope.getByLabelText(label), { target: { value } });

describe("the store access screen", () => {
  it("is in the menu of the roles core's policy lets read the log, and of no other", () => {
    const has = (role: Parameters<typeof visibleScreens>[0]) =>
      visibleScreens(role).some((s) => s.id === "stores");
    expect(["admin", "custodian", "disposal_officer", "monitor"].every((r) => has(r as "admin"))).toBe(true);
    expect(["registrar", "analyst", "case_worker"].some((r) => has(r as "admin"))).toBe(false);
    expect(has(undefined)).toBe(false);
  });

  it("lists open removals first with what is still out by tag, records a removal and a partial return", async () => {
    const t = en.stores;
    const api = commandRoute(({ type: kind, payload }) =>
      kind === "store.remove" ? { data: { ...payload, accessId: newId } } : { data: payload },
    );
    fakeApi({ "GET /api/v1/me": account("custodian"), ...reads, "POST /api/v1/commands": api.route });
    renderAt("/stores", { language: "en", digits: "latn" });
    const table = await screen.findByRole("table", { name: t.title });
    await within(table).findByText("W0000001-01");
    const rows = within(table).getAllByRole("row").slice(1);
    // The removal with items out comes first although it is older; the returned one lists none.
    expect(rows[0]!.textContent).toContain(openId.slice(0, 8));
    expect(rows[0]!.textContent).toContain("2 of 3");
    expect(rows[0]!.textContent).toContain("W0000002-01");
    expect(rows[0]!.textContent).toContain(t.statuses.partly_returned);
    expect(rows[1]!.textContent).toContain("0 of 1");
    expect(within(rows[1]!).queryByRole("button")).toBeNull();

    // A removal: refused in the browser while incomplete (nothing sent), then recorded.
    fireEvent.click(screen.getByRole("button", { name: t.remove.open }));
    fireEvent.click(await screen.findByRole("button", { name: t.remove.submit }));
    await waitFor(() => expect(screen.getByLabelText(t.purpose).getAttribute("aria-invalid")).toBe("true"));
    expect(api.sent).toEqual([]);
    await screen.findByRole("option", { name: "Taji depot (BGD-D1)" });
    type(t.site, depot);
    const tag = screen.getByLabelText(en.custody.items.tag);
    fireEvent.change(tag, { target: { value: "W0000003-01" } });
    fireEvent.keyDown(tag, { key: "Enter" });
    await screen.findByText("W0000003-01", { selector: "ol.picked code" });
    const taker = screen.getByRole("group", { name: t.takenBy });
    type(en.custody.name, "Sgt. Karim Jaber", within(taker));
    type(en.custody.affiliation, "Training wing", within(taker));
    type(t.purpose, "training");
    fireEvent.click(screen.getByRole("button", { name: t.remove.submit }));
    await screen.findByText(t.remove.done);
    expect(api.sent).toHaveLength(1);
    expect(api.sent[0]).toMatchObject({
      type: "store.remove",
      payload: {
        siteId: depot,
        items: [{ kind: "weapon", id: rifle3 }],
        takenBy: { name: "Sgt. Karim Jaber", affiliation: "Training wing" },
        purpose: "training",
      },
    });
    expect(api.sent[0]!.payload).not.toHaveProperty("dueBack");

    // A return of one of the two items still out: the other is left unticked, and not sent.
    fireEvent.click(
      screen.getByRole("button", { name: t.return.open.replace("{{id}}", openId.slice(0, 8)) }),
    );
    const form = await screen.findByRole("form", {
      name: t.return.title.replace("{{id}}", openId.slice(0, 8)),
    });
    const boxes = within(form).getAllByRole("checkbox");
    expect(boxes.map((b) => (b as HTMLInputElement).checked)).toEqual([true, true]);
    fireEvent.click(within(form).getByRole("checkbox", { name: /W0000002-01/u }));
    const bringer = within(form).getByRole("group", { name: t.return.by });
    type(en.custody.name, "Sgt. Karim Jaber", within(bringer));
    type(en.custody.affiliation, "Training wing", within(bringer));
    fireEvent.click(within(form).getByRole("button", { name: t.return.submit }));
    await screen.findByText(t.return.done);
    expect(api.sent[1]).toMatchObject({
      type: "store.return",
      payload: {
        accessId: openId,
        items: [{ kind: "weapon", id: rifle1 }],
        returnedBy: { name: "Sgt. Karim Jaber", affiliation: "Training wing" },
      },
    });
  });

  it("warns, once the site is chosen, that a stock check under way there keeps every item in", async () => {
    const t = en.stores;
    const calls = fakeApi({
      "GET /api/v1/me": account("custodian"),
      ...reads,
      [`GET /api/v1/stock-checks?status=open&siteId=${depot}`]: {
        items: [{ id: "c", siteId: depot, status: "open", startedAt: "2026-03-05T06:00:00.000Z" }],
      },
    });
    renderAt("/stores", { language: "en", digits: "latn" });
    fireEvent.click(await screen.findByRole("button", { name: t.remove.open }));
    await screen.findByRole("option", { name: "Taji depot (BGD-D1)" });
    // No site yet: nothing asked, nothing said.
    expect(calls.some((c) => c.includes("/stock-checks"))).toBe(false);
    type(t.site, depot);
    const warning = await screen.findByText(/A stock check is under way at this site/u);
    expect(warning.textContent).toContain("2026");
  });

  it("shows a monitor the log in Arabic, right to left, without the forms", async () => {
    const t = ar.stores;
    fakeApi({ "GET /api/v1/me": account("monitor"), ...reads });
    renderAt("/stores", { language: "ar", digits: "arab" });
    const table = await screen.findByRole("table", { name: t.title });
    await within(table).findByText("W0000001-01");
    expect(document.documentElement.dir).toBe("rtl");
    expect(within(table).getAllByRole("row")[1]!.textContent).toContain("٢ من ٣");
    expect(within(table).getAllByText(t.purposes.training)).toHaveLength(2);
    expect(screen.queryByRole("button", { name: t.remove.open })).toBeNull();
    expect(screen.queryByRole("button", { name: /تسجيل إعادة/u })).toBeNull();
  });
});
