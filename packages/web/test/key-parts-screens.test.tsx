import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ar } from "../src/i18n/ar.ts";
import { en } from "../src/i18n/en.ts";
import { account, commandRoute, fakeApi } from "./fake-api.ts";
import { renderAt } from "./render.tsx";

// Loose key parts in the browser (issue 4): recorded off the weapons of a load at its receipt,
// separated from a weapon and put back from the item's trail, the part's label, manifests named.

afterEach(() => vi.unstubAllGlobals());

const depot = "11111111-1111-4111-8111-111111111111";
const site = "22222222-2222-4222-8222-222222222222";
const sites = {
  items: [
    { id: depot, code: "DEP-01", kind: "depot", nameAr: "مستودع الرصافة", nameEn: "Rusafa depot" },
    { id: site, code: "BGD-C1", kind: "collection", nameAr: "موقع بغداد", nameEn: "Baghdad site" },
  ],
};
const weapon = "33333333-3333-4333-8333-333333333333";
const bolt = "66666666-6666-4666-8666-666666666666";
const transferId = "55555555-5555-4555-8555-555555555555";
const inTransit = {
  id: transferId,
  fromSiteId: site,
  toSiteId: depot,
  manifest: "weapon",
  seals: ["S-100"],
  countAtDispatch: 1,
  countAtReceipt: null,
  dispatchedAt: "2026-03-01T08:00:00.000Z",
  receivedAt: null,
  status: "in_transit",
  dispatchSeq: 5,
  receiptSeq: null,
};
const partsInTransit = { ...inTransit, id: "77777777-7777-4777-8777-777777777777", manifest: "key_part" };

const type = (label: string | RegExp, value: string, scope: Pick<typeof screen, "getByLabelText"> = screen) =>
  fireEvent.change(scope.getByLabelText(label), { target: { value } });
const n = (s: string, no: string) => s.replace("{{n}}", no);

const step = (leafIndex: number, type: string) => ({
  leafIndex,
  type,
  recordedAt: "2026-03-01T08:00:00.000Z",
  leafHash: "ab".repeat(32),
  data: {},
});
const weaponTrail = {
  item: {
    kind: "weapon",
    id: weapon,
    tag: "W-BGD01-000001",
    state: "in_custody",
    holderSiteId: depot,
    location: null,
    flagged: false,
    keyParts: [
      { id: bolt, part: "bolt", serial: "B-1", state: "in_custody", holderSiteId: depot, separatedSeq: 7 },
    ],
  },
  steps: [step(1, "handover.recorded"), step(7, "weapon.part_separated")],
};
const boltTrail = {
  item: {
    kind: "key_part",
    id: bolt,
    tag: "W-BGD01-000001/P1",
    state: "in_custody",
    holderSiteId: depot,
    location: null,
    flagged: false,
    part: "bolt",
    serial: "B-1",
    weapon: { id: weapon, tag: "W-BGD01-000001", state: "in_custody" },
  },
  steps: [step(7, "weapon.part_separated")],
};

describe("key parts at a receipt", () => {
  it("records a bolt missing and a slide found apart, shows the server's refusal at the part, then names the missing part", async () => {
    const t = en.keyParts.receipt;
    const api = commandRoute(({ payload }) =>
      (payload.keyPartsMissing as { part: string }[])[0]?.part === "bolt_carrier"
        ? {
            status: 422,
            code: "rule.violated",
            detail: "This weapon's bolt carrier was separated from it before the dispatch.",
            errors: [{ path: "payload.keyPartsMissing.0.part", message: "already separated" }],
          }
        : {
            data: {
              ...payload,
              discrepancies: [
                {
                  kind: "missing_item",
                  item: { kind: "key_part", id: bolt },
                  weaponId: weapon,
                  part: "bolt",
                },
              ],
            },
          },
    );
    fakeApi({
      "GET /api/v1/me": account("custodian"),
      "GET /api/v1/sites": sites,
      "GET /api/v1/transfers": { items: [inTransit, partsInTransit] },
      "GET /api/v1/items?tag=W-BGD01-000001": { kind: "weapon", id: weapon, tag: "W-BGD01-000001" },
      "POST /api/v1/commands": api.route,
    });
    renderAt("/transfers", { language: "en", digits: "latn" });
    // Manifests are named by kind in the reader's language.
    expect(await screen.findByText(en.keyParts.manifests.key_part)).toBeTruthy();
    fireEvent.click(
      await screen.findByRole("button", {
        name: en.custody.receive.open.replace("{{id}}", transferId.slice(0, 8)),
      }),
    );
    // No weapon scanned yet: nothing to record a part off.
    expect(screen.getByText(t.noWeapon)).toBeTruthy();
    const field = screen.getByLabelText(en.custody.items.tag);
    fireEvent.change(field, { target: { value: "W-BGD01-000001" } });
    fireEvent.keyDown(field, { key: "Enter" });
    await screen.findByText("W-BGD01-000001", { selector: "code" });

    fireEvent.click(screen.getByRole("button", { name: t.add }));
    type(n(t.weapon, "1"), weapon);
    type(n(t.part, "1"), "bolt_carrier");
    expect((screen.getByLabelText(n(t.how, "1")) as HTMLSelectElement).value).toBe("missing");
    fireEvent.click(screen.getByRole("button", { name: t.add }));
    type(n(t.weapon, "2"), weapon);
    type(n(t.part, "2"), "slide");
    type(n(t.how, "2"), "apart");
    type(n(t.serial, "2"), "SL-9");
    fireEvent.click(screen.getByRole("checkbox", { name: "S-100" }));
    type(en.custody.receive.count, "1");
    type(en.custody.location.store, "Depot store");
    const second = screen.getByRole("group", { name: en.custody.countersignedBy });
    type(en.custody.name, "Hassan Ali", within(second));
    type(en.custody.affiliation, "Depot guard", within(second));
    fireEvent.click(screen.getByRole("button", { name: en.custody.receive.submit }));

    // Refused: the reason lands at the first part's field.
    await screen.findByText(/already separated/u);
    expect(screen.getByLabelText(n(t.part, "1")).getAttribute("aria-invalid")).toBe("true");
    type(n(t.part, "1"), "bolt");
    fireEvent.click(screen.getByRole("button", { name: en.custody.receive.submit }));
    expect(await screen.findByText(t.missingPart.replace("{{part}}", en.keyParts.names.bolt))).toBeTruthy();
    expect(api.sent.at(-1)!.payload).toMatchObject({
      transferId,
      items: [{ kind: "weapon", id: weapon }],
      keyPartsMissing: [{ weaponId: weapon, part: "bolt" }],
      keyPartsApart: [{ weaponId: weapon, part: "slide", serial: "SL-9" }],
    });
  });
});

describe("the discrepancies screen", () => {
  it("names a key part missing off a weapon, in Arabic, and links to the part's trail", async () => {
    fakeApi({
      "GET /api/v1/me": account("monitor"),
      "GET /api/v1/sites": sites,
      "GET /api/v1/discrepancies": {
        items: [
          {
            id: "12:0",
            transferId,
            kind: "missing_item",
            itemKind: "key_part",
            itemId: bolt,
            detail: {
              kind: "missing_item",
              item: { kind: "key_part", id: bolt },
              weaponId: weapon,
              part: "bolt",
            },
            status: "open",
            openedSeq: 12,
          },
        ],
      },
    });
    renderAt("/discrepancies", { language: "ar", digits: "arab" });
    expect(
      await screen.findByText(ar.keyParts.receipt.missingPart.replace("{{part}}", ar.keyParts.names.bolt)),
    ).toBeTruthy();
    expect(screen.getByRole("link", { name: `key_part ${bolt.slice(0, 8)}` }).getAttribute("href")).toBe(
      `/trail?kind=key_part&id=${bolt}`,
    );
  });
});

describe("a weapon's and a loose part's page", () => {
  it("separates a part from a weapon, in Arabic, and links to the new part's trail and label", async () => {
    const t = ar.keyParts;
    const newPart = "88888888-8888-4888-8888-888888888888";
    const api = commandRoute(({ payload }) => ({ data: { ...payload, partId: newPart } }));
    fakeApi({
      "GET /api/v1/me": account("custodian"),
      "GET /api/v1/sites": sites,
      [`GET /api/v1/items/weapon/${weapon}/trail`]: weaponTrail,
      "POST /api/v1/commands": api.route,
    });
    renderAt(`/trail?kind=weapon&id=${weapon}`, { language: "ar", digits: "arab" });
    await waitFor(() => expect(document.documentElement.dir).toBe("rtl"));
    // The part taken off already, by its name in Arabic, leads to its own trail.
    const link = await screen.findByRole("link", {
      name: t.state.replace("{{part}}", t.names.bolt).replace("{{state}}", ar.states.in_custody),
    });
    expect(link.getAttribute("href")).toBe(`/trail?kind=key_part&id=${bolt}`);
    fireEvent.click(screen.getByRole("button", { name: t.separate.open }));
    const form = screen.getByRole("form", { name: t.separate.title });
    fireEvent.click(within(form).getByRole("button", { name: t.separate.submit }));
    // Nothing chosen: core's schema refuses in the browser, at the part's field; nothing sent.
    await waitFor(() => expect(screen.getByLabelText(t.part).getAttribute("aria-invalid")).toBe("true"));
    expect(api.sent).toEqual([]);
    type(t.part, "barrel");
    type(t.serial, "BR-7");
    type(t.separate.store, "المخزن ب");
    type(t.note, "فُصلت للنقل المنفصل");
    fireEvent.click(within(form).getByRole("button", { name: t.separate.submit }));
    expect(await screen.findByText(t.separate.done)).toBeTruthy();
    expect(api.sent).toHaveLength(1);
    expect(api.sent[0]).toMatchObject({
      type: "weapon.separate_part",
      payload: {
        weaponId: weapon,
        part: "barrel",
        serial: "BR-7",
        location: { store: "المخزن ب" },
        note: "فُصلت للنقل المنفصل",
      },
    });
    expect(screen.getByRole("link", { name: t.showTrail }).getAttribute("href")).toBe(
      `/trail?kind=key_part&id=${newPart}`,
    );
    expect(screen.getByRole("link", { name: t.label }).getAttribute("href")).toBe(
      `/api/v1/key-parts/${newPart}/label.pdf?size=62x29`,
    );
  });

  it("prints a loose part's label and puts it back on its weapon", async () => {
    const t = en.keyParts;
    const api = commandRoute(({ payload }) => ({ data: { ...payload, weaponId: weapon, part: "bolt" } }));
    fakeApi({
      "GET /api/v1/me": account("custodian"),
      "GET /api/v1/sites": sites,
      [`GET /api/v1/items/key_part/${bolt}/trail`]: boltTrail,
      "POST /api/v1/commands": api.route,
    });
    renderAt(`/trail?kind=key_part&id=${bolt}`, { language: "en", digits: "latn" });
    expect(await screen.findByText("W-BGD01-000001/P1")).toBeTruthy();
    expect(
      screen.getByText((_, el) => el?.tagName === "DD" && /^Bolt\W+B-1\W*$/u.test(el.textContent ?? "")),
    ).toBeTruthy();
    expect(screen.getByRole("link", { name: "W-BGD01-000001" }).getAttribute("href")).toBe(
      `/trail?kind=weapon&id=${weapon}`,
    );
    expect(screen.getByRole("link", { name: t.label }).getAttribute("href")).toBe(
      `/api/v1/key-parts/${bolt}/label.pdf?size=62x29`,
    );
    // No separating a loose part: that is a weapon's action.
    expect(screen.queryByRole("button", { name: t.separate.open })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: t.reattach.open }));
    type(t.reattach.at, "2026-03-02T09:30");
    fireEvent.click(screen.getByRole("button", { name: t.reattach.submit }));
    expect(await screen.findByText(t.reattach.done)).toBeTruthy();
    expect(api.sent[0]).toMatchObject({ type: "weapon.reattach_part", payload: { partId: bolt } });
    expect(api.sent[0]!.payload.reattachedAt).toMatch(/^2026-03-02T\d\d:30:00\.000Z$/u);
  });

  it("corrects a loose part's name and serial from its trail, in Arabic, sending only what changed", async () => {
    const t = ar.keyParts;
    const api = commandRoute(({ payload }) => ({
      data: payload,
      anomalies: [{ kind: "near_duplicate_serial", subjectKind: "key_part", subjectId: bolt }],
    }));
    fakeApi({
      "GET /api/v1/me": account("custodian"),
      "GET /api/v1/sites": sites,
      [`GET /api/v1/items/key_part/${bolt}/trail`]: boltTrail,
      "POST /api/v1/commands": api.route,
    });
    renderAt(`/trail?kind=key_part&id=${bolt}`, { language: "ar", digits: "arab" });
    fireEvent.click(await screen.findByRole("button", { name: t.correct.open }));
    expect((screen.getByLabelText(t.correct.serial) as HTMLInputElement).value).toBe("B-1");
    // Nothing changed: the browser says so before anything is sent.
    type(t.correct.reason, "خطأ في الكتابة");
    fireEvent.click(screen.getByRole("button", { name: t.correct.submit }));
    await waitFor(() => expect(document.querySelector(".error, .notice")).toBeTruthy());
    expect(api.sent).toEqual([]);
    type(t.part, "slide");
    type(t.correct.serial, "S-1");
    fireEvent.click(screen.getByRole("button", { name: t.correct.submit }));
    expect(await screen.findByText(t.correct.done)).toBeTruthy();
    expect(screen.getByText(t.correct.flagged)).toBeTruthy();
    expect(api.sent[0]).toMatchObject({
      type: "record.correct",
      payload: {
        kind: "key_part",
        id: bolt,
        corrects: 7,
        changes: { part: "slide", serial: "S-1" },
        reason: "خطأ في الكتابة",
      },
    });
  });

  it("opens a loose part's trail from its label, scanned or typed, and says when no item carries the tag", async () => {
    fakeApi({
      "GET /api/v1/me": account("custodian"),
      "GET /api/v1/sites": sites,
      "GET /api/v1/items?tag=W-BGD01-000001%2FP1": { kind: "key_part", id: bolt, tag: "W-BGD01-000001/P1" },
      [`GET /api/v1/items/key_part/${bolt}/trail`]: boltTrail,
    });
    renderAt("/trail", { language: "en", digits: "latn" });
    const field = await screen.findByLabelText(en.trail.id);
    fireEvent.change(field, { target: { value: "W-BGD01-000009/P1" } });
    fireEvent.click(screen.getByRole("button", { name: en.trail.show }));
    expect(
      await screen.findByText(en.custody.items.noSuchTag.replace("{{tag}}", "W-BGD01-000009/P1")),
    ).toBeTruthy();
    fireEvent.change(field, { target: { value: " W-BGD01-000001/P1 " } });
    fireEvent.click(screen.getByRole("button", { name: en.trail.show }));
    expect(await screen.findByRole("link", { name: "W-BGD01-000001" })).toBeTruthy();
    expect((screen.getByLabelText(en.trail.kind) as HTMLSelectElement).value).toBe("key_part");
  });

  it("shows a monitor the part's trail without the forms or the label", async () => {
    fakeApi({
      "GET /api/v1/me": account("monitor"),
      "GET /api/v1/sites": sites,
      [`GET /api/v1/items/key_part/${bolt}/trail`]: boltTrail,
    });
    renderAt(`/trail?kind=key_part&id=${bolt}`, { language: "en", digits: "latn" });
    await screen.findByText("W-BGD01-000001/P1");
    expect(screen.queryByRole("link", { name: en.keyParts.label })).toBeNull();
    expect(screen.queryByRole("button", { name: en.keyParts.reattach.open })).toBeNull();
    expect(screen.queryByRole("button", { name: en.keyParts.correct.open })).toBeNull();
  });
});
