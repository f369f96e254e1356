import { fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ar } from "../src/i18n/ar.ts";
import { en } from "../src/i18n/en.ts";
import { account, commandRoute, fakeApi } from "./fake-api.ts";
import { renderAt } from "./render.tsx";

afterEach(() => vi.unstubAllGlobals());

const depot = "11111111-1111-4111-8111-111111111111";
const site = "22222222-2222-4222-8222-222222222222";
const sites = {
  items: [
    { id: depot, code: "DEP-01", kind: "depot", nameAr: "مستودع الرصافة", nameEn: "Rusafa depot" },
    { id: site, code: "BGD-C1", kind: "collection", nameAr: "موقع بغداد", nameEn: "Baghdad site" },
  ],
};
const weapon1 = "33333333-3333-4333-8333-333333333333";
const weapon2 = "44444444-4444-4444-8444-444444444444";
const transferId = "55555555-5555-4555-8555-555555555555";
const inTransit = {
  id: transferId,
  fromSiteId: site,
  toSiteId: depot,
  manifest: "weapon",
  seals: ["S-100", "S-101"],
  countAtDispatch: 2,
  countAtReceipt: null,
  dispatchedAt: "2026-03-01T08:00:00.000Z",
  receivedAt: null,
  status: "in_transit",
  dispatchSeq: 5,
  receiptSeq: null,
};
const manifest = {
  items: [
    { kind: "weapon", id: weapon1, tag: "W-BGD01-000001", category: "rifle", serial: "AK-1" },
    { kind: "weapon", id: weapon2, tag: "W-BGD01-000002", category: "pistol", serial: null },
  ],
};
const byTag = (tag: string) => `GET /api/v1/items?tag=${encodeURIComponent(tag)}`;
/** What GET /api/v1/items?tag= answers for a weapon's label. */
const weaponLabel = (id: string, tag: string) => ({
  kind: "weapon",
  id,
  tag,
  category: "rifle",
  state: "in_custody",
  holderSiteId: site,
});

const type = (label: string | RegExp, value: string, scope: Pick<typeof screen, "getByLabelText"> = screen) =>
  fireEvent.change(scope.getByLabelText(label), { target: { value } });

/** Scans a tag into the item picker (the scanner types it and presses Enter). */
async function scan(tag: string, t = en.custody.items) {
  const field = screen.getByLabelText(t.tag);
  fireEvent.change(field, { target: { value: tag } });
  fireEvent.keyDown(field, { key: "Enter" });
  // The picked list names it (the manifest may show the same tag too).
  await screen.findByRole("button", { name: t.remove.replace("{{item}}", tag) });
}

describe("the transfers screen", () => {
  it("dispatches a load scanned by tag, shows the server's refusal at its field, then records it", async () => {
    const t = en.custody;
    const api = commandRoute(({ payload }) =>
      (payload.seals as string[]).includes("S-1")
        ? {
            status: 422,
            code: "rule.violated",
            detail: "Seal S-1 was already used on another transfer; use new seals.",
            errors: [{ path: "payload.seals", message: "seal reused" }],
          }
        : { data: { ...payload, transferId } },
    );
    fakeApi({
      "GET /api/v1/me": { ...account("custodian"), scope: { sites: [site], governorates: "all" } },
      "GET /api/v1/sites": sites,
      "GET /api/v1/transfers": { items: [] },
      [byTag("W-BGD01-000001")]: weaponLabel(weapon1, "W-BGD01-000001"),
      [byTag("W-BGD01-000002")]: weaponLabel(weapon2, "W-BGD01-000002"),
      [byTag("NOPE")]: { status: 404, code: "resource.not-found" },
      [`GET /api/v1/sites/${site}/items?kind=weapon`]: {
        items: [weapon1, weapon2].map((id, n) => ({
          kind: "weapon",
          id,
          tag: `W-BGD01-00000${n + 1}`,
          category: "rifle",
          serial: `AK-${n}`,
          state: "in_custody",
          flagged: false,
          location: null,
        })),
      },
      "POST /api/v1/commands": api.route,
    });
    renderAt("/transfers", { language: "en", digits: "latn" });
    fireEvent.click(await screen.findByRole("button", { name: t.dispatch.open }));
    // The dispatching site is the custodian's own; the destination is chosen.
    await screen.findAllByRole("option", { name: "Rusafa depot (DEP-01)" });
    expect((screen.getByLabelText(t.dispatch.from) as HTMLSelectElement).value).toBe(site);
    type(t.dispatch.to, depot);
    await scan("W-BGD01-000001");
    // The second from the list of what the dispatching site holds (the first is ticked already).
    fireEvent.click(screen.getByText(t.items.fromList));
    const listed = await screen.findByRole("checkbox", { name: /W-BGD01-000002/u });
    expect(screen.getByRole("checkbox", { name: /W-BGD01-000001/u })).toHaveProperty("checked", true);
    fireEvent.click(listed);
    const field = screen.getByLabelText(t.items.tag);
    fireEvent.change(field, { target: { value: "nope" } });
    fireEvent.keyDown(field, { key: "Enter" });
    expect(await screen.findByText(t.items.noSuchTag.replace("{{tag}}", "NOPE"))).toBeTruthy();
    expect(screen.getByText(t.items.count.replace("{{n}}", "2"))).toBeTruthy();
    type(t.dispatch.count, "2");
    type(t.dispatch.seals, "S-1, S-2");
    type(t.dispatch.vehicle, "Truck 12");
    const second = screen.getByRole("group", { name: t.countersignedBy });
    type(t.name, "Hassan Ali", within(second));
    type(t.affiliation, "Depot guard", within(second));
    fireEvent.click(screen.getByRole("button", { name: t.dispatch.submit }));

    // Refused: the problem's sentence above the button, the exact reason at the seals field.
    const notice = (await screen.findByText(/Seal S-1 was already used/)).closest(".notice")!;
    expect(within(notice as HTMLElement).getByText(en.problems["rule.violated"])).toBeTruthy();
    expect(screen.getByLabelText(t.dispatch.seals).getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText(/seal reused/)).toBeTruthy();
    type(t.dispatch.seals, "S-7\nS-8");
    fireEvent.click(screen.getByRole("button", { name: t.dispatch.submit }));
    expect(await screen.findByText(/Dispatched\. Items: 2/)).toBeTruthy();

    expect(api.sent.map((c) => c.type)).toEqual(["custody.dispatch", "custody.dispatch"]);
    const [refused, recorded] = api.sent;
    expect(recorded!.commandId).not.toBe(refused!.commandId);
    expect(recorded!.payload).toMatchObject({
      fromSiteId: site,
      toSiteId: depot,
      items: [
        { kind: "weapon", id: weapon1 },
        { kind: "weapon", id: weapon2 },
      ],
      countAtDispatch: 2,
      seals: ["S-7", "S-8"],
      vehicle: "Truck 12",
      escort: [],
      countersignedBy: { name: "Hassan Ali", affiliation: "Depot guard" },
    });
  });

  it("receives a load with an item missing and a seal broken, in Arabic, and names the discrepancies opened", async () => {
    const t = ar.custody;
    const api = commandRoute(({ payload }) => ({
      data: {
        ...payload,
        discrepancies: [
          { kind: "missing_item", item: { kind: "weapon", id: weapon2 } },
          { kind: "broken_seal", seal: "S-101" },
        ],
      },
    }));
    fakeApi({
      "GET /api/v1/me": account("custodian"),
      "GET /api/v1/sites": sites,
      "GET /api/v1/transfers": { items: [inTransit] },
      [byTag("W-BGD01-000001")]: weaponLabel(weapon1, "W-BGD01-000001"),
      [`GET /api/v1/transfers/${transferId}/items`]: manifest,
      "POST /api/v1/commands": api.route,
    });
    renderAt("/transfers", { language: "ar", digits: "arab" });
    fireEvent.click(
      await screen.findByRole("button", { name: t.receive.open.replace("{{id}}", transferId.slice(0, 8)) }),
    );
    await scan("W-BGD01-000001", t.items);
    // Counted against the manifest, in the reader's digits.
    expect(
      await screen.findByText(t.receive.manifest.counted.replace("{{n}}", "١").replace("{{of}}", "٢")),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole("checkbox", { name: "S-100" }));
    type(t.receive.count, "١");
    type(t.location.store, "المخزن أ");
    type(t.location.rack, "R-3");
    const second = screen.getByRole("group", { name: t.countersignedBy });
    type(t.name, "علي حسن", within(second));
    type(t.affiliation, "حرس المستودع", within(second));
    fireEvent.click(screen.getByRole("button", { name: t.receive.submit }));

    expect(await screen.findByText(t.receive.discrepancies.replace("{{n}}", "٢"))).toBeTruthy();
    expect(screen.getByText(ar.discrepancies.kinds.missing_item)).toBeTruthy();
    expect(screen.getByText(ar.discrepancies.kinds.broken_seal)).toBeTruthy();
    expect(screen.getByRole("link", { name: t.receive.seeDiscrepancies }).getAttribute("href")).toBe(
      "/discrepancies",
    );
    expect(api.sent).toHaveLength(1);
    expect(api.sent[0]!.commandId).toMatch(/^[0-9a-f-]{36}$/u);
    expect(api.sent[0]!.payload).toMatchObject({
      transferId,
      items: [{ kind: "weapon", id: weapon1 }],
      sealsIntact: ["S-100"],
      unexpected: [],
      countAtReceipt: 1,
      location: { store: "المخزن أ", rack: "R-3" },
      countersignedBy: { name: "علي حسن", affiliation: "حرس المستودع" },
    });
  });

  it("lists the manifest at receipt: scanned or ticked items are counted against it, the rest named", async () => {
    const t = en.custody;
    const stray = "66666666-6666-4666-8666-666666666666";
    const api = commandRoute(({ payload }) => ({ data: { ...payload, discrepancies: [] } }));
    const calls = fakeApi({
      "GET /api/v1/me": account("custodian"),
      "GET /api/v1/sites": sites,
      "GET /api/v1/transfers": { items: [inTransit] },
      [byTag("W-BGD01-000001")]: weaponLabel(weapon1, "W-BGD01-000001"),
      [byTag("W-BGD01-000009")]: weaponLabel(stray, "W-BGD01-000009"),
      [`GET /api/v1/transfers/${transferId}/items`]: manifest,
      "POST /api/v1/commands": api.route,
    });
    renderAt("/transfers", { language: "en", digits: "latn" });
    fireEvent.click(
      await screen.findByRole("button", { name: t.receive.open.replace("{{id}}", transferId.slice(0, 8)) }),
    );
    const list = await screen.findByRole("table", { name: t.receive.manifest.title });
    expect(within(list).getByText(en.trail.weapon + ": " + en.categories.pistol)).toBeTruthy();
    expect(within(list).getByText("AK-1")).toBeTruthy();
    const counted = (n: number) =>
      t.receive.manifest.counted.replace("{{n}}", String(n)).replace("{{of}}", "2");
    expect(screen.getByText(counted(0))).toBeTruthy();
    // Scanned: ticked on the manifest.
    await scan("W-BGD01-000001", t.items);
    const first = within(list).getByRole("checkbox", {
      name: t.receive.manifest.arrivedOne.replace("{{item}}", "W-BGD01-000001"),
    }) as HTMLInputElement;
    expect(first.checked).toBe(true);
    // Ticked on the manifest instead of scanned: the tick adds the item too.
    fireEvent.click(
      within(list).getByRole("checkbox", {
        name: t.receive.manifest.arrivedOne.replace("{{item}}", "W-BGD01-000002"),
      }),
    );
    expect(screen.getByText(counted(2))).toBeTruthy();
    // Something in the truck that the manifest does not list is named apart.
    await scan("W-BGD01-000009", t.items);
    expect(screen.getByText(new RegExp(t.receive.manifest.notListed.replace("{{n}}", "1")))).toBeTruthy();
    type(t.receive.count, "3");
    type(t.location.store, "Store A");
    const second = screen.getByRole("group", { name: t.countersignedBy });
    type(t.name, "Ali Hasan", within(second));
    type(t.affiliation, "Depot guard", within(second));
    fireEvent.click(screen.getByRole("button", { name: t.receive.submit }));
    expect(await screen.findByText(t.receive.done)).toBeTruthy();
    expect(api.sent[0]!.payload.items).toEqual([
      { kind: "weapon", id: weapon1 },
      { kind: "weapon", id: weapon2 },
      { kind: "weapon", id: stray },
    ]);
    expect(calls).toContain(`GET /api/v1/transfers/${transferId}/items`);
  });

  it("shows a monitor the transfers without the dispatch form or the receipt buttons", async () => {
    fakeApi({
      "GET /api/v1/me": account("monitor"),
      "GET /api/v1/sites": sites,
      "GET /api/v1/transfers": { items: [inTransit] },
    });
    renderAt("/transfers", { language: "en", digits: "latn" });
    await screen.findByText("S-100");
    expect(screen.queryByRole("button", { name: en.custody.dispatch.open })).toBeNull();
    expect(screen.queryByRole("columnheader", { name: en.custody.receive.column })).toBeNull();
  });
});
