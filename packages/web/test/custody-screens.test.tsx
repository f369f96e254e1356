import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ar } from "../src/i18n/ar.ts";
import { en } from "../src/i18n/en.ts";
import { account, commandRoute, fakeApi } from "./fake-api.ts";
import { renderAt } from "./render.tsx";

afterEach(() => vi.unstubAllGlobals());

const depot = "11111111-1111-4111-8111-111111111111";
const destructionSite = "22222222-2222-4222-8222-222222222222";
const sites = {
  items: [
    { id: depot, code: "BGD-D1", kind: "depot", nameAr: "مستودع التاجي", nameEn: "Taji depot" },
    {
      id: destructionSite,
      code: "ANB-X1",
      kind: "destruction",
      nameAr: "موقع إتلاف الأنبار",
      nameEn: "Anbar destruction site",
    },
  ],
};
const weapon = "33333333-3333-4333-8333-333333333333";
const checkId = "44444444-4444-4444-8444-444444444444";
const batchId = "55555555-5555-4555-8555-555555555555";
const cacheId = "66666666-6666-4666-8666-666666666666";

const type = (label: string | RegExp, value: string, scope: Pick<typeof screen, "getByLabelText"> = screen) =>
  fireEvent.change(scope.getByLabelText(label), { target: { value } });

const stockReads = {
  "GET /api/v1/sites": sites,
  "GET /api/v1/stock-checks?status=open": { items: [] },
  "GET /api/v1/stock-checks?status=completed&limit=50": { items: [] },
  "GET /api/v1/stock-checks/schedule?overdue=true": {
    asOf: "2026-03-10T00:00:00.000Z",
    items: [
      {
        siteId: depot,
        code: "BGD-D1",
        lastCheck: null,
        lastFullCheck: null,
        weeklyDue: "2026-03-01T00:00:00.000Z",
        fullDue: "2026-08-30T00:00:00.000Z",
        weeklyOverdue: true,
        fullOverdue: false,
        checkUnderWay: null,
      },
    ],
  },
};

describe("the stock checks screen", () => {
  it("starts a check, shows the sample the server drew by tag, records the count and names the investigations opened", async () => {
    const t = en.stockChecks;
    let starts = 0;
    const api = commandRoute(({ type: kind, payload }) => {
      if (kind === "stock_check.start" && starts++ === 0)
        return {
          status: 422,
          code: "rule.violated",
          detail: "A stock check is under way at this site; record its result before moving items in or out.",
          errors: [{ path: "payload.siteId", message: "stock check under way" }],
        };
      if (kind === "stock_check.start")
        return {
          data: {
            ...payload,
            checkId,
            expected: [{ kind: "weapon", id: weapon }],
            expectedCounts: { "weapon:rifle": 3, "ammunition:cartridge": 1 },
            outOfStore: 0,
            sample: [{ kind: "weapon", id: weapon }],
          },
        };
      return {
        data: {
          ...payload,
          findings: [
            { id: "9:0", kind: "sample_missing", item: { kind: "weapon", id: weapon }, category: "rifle" },
          ],
        },
      };
    });
    fakeApi({
      ...stockReads,
      "GET /api/v1/me": account("custodian"),
      [`GET /api/v1/items/weapon/${weapon}/trail`]: { item: { tag: "W0000007-01" }, steps: [] },
      "POST /api/v1/commands": api.route,
    });
    renderAt("/stock-checks", { language: "en", digits: "latn" });
    // The overdue list.
    expect(await screen.findByText(`(${t.late})`, { exact: false })).toBeTruthy();

    await screen.findAllByRole("option", { name: "Taji depot (BGD-D1)" });
    type(t.depot, depot);
    fireEvent.click(screen.getByRole("button", { name: t.startSubmit }));
    expect(await screen.findByText(/A stock check is under way/)).toBeTruthy();
    expect(screen.getByLabelText(t.depot).getAttribute("aria-invalid")).toBe("true");
    fireEvent.click(screen.getByRole("button", { name: t.startSubmit }));

    // The sample, named by the tag the keeper looks for; the counts by type.
    await screen.findByText(t.sample.replace("{{n}}", "1"));
    const found = await screen.findByLabelText(t.found.replace("{{item}}", "W0000007-01"));
    type(`${en.trail.weapon}: ${en.categories.rifle}`, "2");
    type(`${en.trail.ammunition}: ${en.lane.ammunitionKinds.cartridge}`, "1");
    fireEvent.change(found, { target: { value: "no" } });
    const counted = screen.getByRole("group", { name: t.countedBy });
    type(en.custody.name, "Karim Jasim", within(counted));
    type(en.custody.affiliation, "Depot", within(counted));
    fireEvent.click(screen.getByRole("button", { name: t.recordSubmit }));
    expect(await screen.findByText(t.investigations.replace("{{n}}", "1"))).toBeTruthy();
    expect(screen.getByText(new RegExp(t.findings.sample_missing))).toBeTruthy();

    const [refused, started, recorded] = api.sent;
    // Sent again unchanged once the other check was done: a refusal records nothing, so the same id.
    expect(started!.commandId).toBe(refused!.commandId);
    expect(started!.payload).toMatchObject({ siteId: depot, kind: "weekly" });
    expect(recorded!.type).toBe("stock_check.record");
    expect(recorded!.payload).toMatchObject({
      checkId,
      counts: [
        { kind: "ammunition", category: "cartridge", count: 1 },
        { kind: "weapon", category: "rifle", count: 2 },
      ],
      sample: [{ kind: "weapon", id: weapon, found: false }],
      countedBy: [{ name: "Karim Jasim", affiliation: "Depot" }],
    });
  });

  it("shows an analyst the checks and the overdue list, in Arabic, without the forms", async () => {
    fakeApi({ ...stockReads, "GET /api/v1/me": account("analyst") });
    renderAt("/stock-checks", { language: "ar", digits: "arab" });
    await screen.findByRole("heading", { level: 1, name: ar.stockChecks.title });
    await screen.findByText(`(${ar.stockChecks.late})`, { exact: false });
    expect(screen.queryByRole("button", { name: ar.stockChecks.startSubmit })).toBeNull();
    expect(screen.queryByRole("columnheader", { name: ar.stockChecks.result })).toBeNull();
  });
});

describe("the disposition screen", () => {
  it("records a destruction only with an independent witness and a photograph, then links its certificate", async () => {
    const t = en.dispositions;
    const api = commandRoute(({ payload }) => ({ data: { ...payload, batchId } }));
    fakeApi({
      "GET /api/v1/me": account("disposal_officer"),
      "GET /api/v1/sites": sites,
      "GET /api/v1/items?tag=W0000007-01": { kind: "weapon", id: weapon, tag: "W0000007-01" },
      "POST /api/v1/commands": api.route,
      // The photograph is stored first; the batch names it by the SHA-256 the upload answers.
      "POST /api/v1/files": async (init: RequestInit) => {
        uploaded.push(init.body as Uint8Array);
        return new Response(JSON.stringify({ sha256: photoSha256, created: true }), {
          status: 201,
          headers: { "content-type": "application/json" },
        });
      },
    });
    const uploaded: Uint8Array[] = [];
    const photoSha256 = "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81";
    renderAt("/dispositions", { language: "en", digits: "latn" });
    await screen.findByRole("heading", { level: 2, name: t.kinds.destroy });
    // Only the destruction site is offered for a destruction.
    await screen.findByRole("option", { name: "Anbar destruction site (ANB-X1)" });
    expect(screen.queryByRole("option", { name: "Taji depot (BGD-D1)" })).toBeNull();
    type(t.site, destructionSite);
    type(t.method, "cutting");
    const tag = screen.getByLabelText(en.custody.items.tag);
    fireEvent.change(tag, { target: { value: "W0000007-01" } });
    fireEvent.keyDown(tag, { key: "Enter" });
    await screen.findByText("W0000007-01", { selector: "code" });
    const operator = screen.getByRole("group", { name: t.operator.replace("{{n}}", "1") });
    type(en.custody.name, "Omar Said", within(operator));
    type(en.custody.affiliation, "Commission", within(operator));
    const witness = screen.getByRole("group", { name: t.witness.replace("{{n}}", "1") });
    type(en.custody.name, "Layla Hamid", within(witness));
    type(en.custody.affiliation, "Civil society", within(witness));
    fireEvent.click(within(witness).getByRole("checkbox", { name: t.independent }));
    // The rule is said where the witnesses are named, as an alert once no witness is independent.
    expect(screen.getByText(t.witnessRule).getAttribute("role")).toBe("alert");
    fireEvent.click(screen.getByRole("button", { name: t.submit.destroy }));
    // The browser's check (core's schema) refuses it at the witnesses and the photos; nothing is sent.
    expect(await screen.findByText(/at least one independent third-party witness/)).toBeTruthy();
    expect(screen.getByLabelText(t.photos).getAttribute("aria-invalid")).toBe("true");
    expect(api.sent).toEqual([]);

    fireEvent.click(within(witness).getByRole("checkbox", { name: t.independent }));
    const photo = new File([new Uint8Array([1, 2, 3])], "batch.jpg", { type: "image/jpeg" });
    fireEvent.change(screen.getByLabelText(t.photos), { target: { files: [photo] } });
    await screen.findByText(/^039058c6f2c0cb49/u);
    expect(uploaded.map((b) => [...b])).toEqual([[1, 2, 3]]);
    fireEvent.click(screen.getByRole("button", { name: t.submit.destroy }));
    const link = await screen.findByRole("link", { name: t.certificate });
    expect(link.getAttribute("href")).toBe(`/api/v1/dispositions/${batchId}/certificate.pdf`);
    expect(api.sent).toHaveLength(1);
    expect(api.sent[0]!.type).toBe("disposition.destroy");
    expect(api.sent[0]!.payload).toMatchObject({
      siteId: destructionSite,
      method: "cutting",
      items: [{ kind: "weapon", id: weapon }],
      operators: [{ name: "Omar Said", affiliation: "Commission" }],
      witnesses: [{ name: "Layla Hamid", affiliation: "Civil society", independent: true }],
      // SHA-256 of the bytes 1, 2, 3.
      photos: ["039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81"],
    });
  });

  it("lists past batches, newest first, in Arabic with Arabic-Indic digits, each destruction with its certificate", async () => {
    const t = ar.dispositions.past;
    const retained = "77777777-7777-4777-8777-777777777777";
    const calls = fakeApi({
      "GET /api/v1/me": account("disposal_officer"),
      "GET /api/v1/sites": sites,
      "GET /api/v1/dispositions": {
        items: [
          {
            id: retained,
            kind: "retention",
            siteId: depot,
            method: "training",
            at: "2026-03-02T09:00:00.000Z",
            itemCount: 2,
            independentWitnesses: 0,
            seq: 12,
          },
          {
            id: batchId,
            kind: "destruction",
            siteId: destructionSite,
            method: "cutting",
            at: "2026-03-01T09:00:00.000Z",
            itemCount: 14,
            independentWitnesses: 1,
            seq: 11,
          },
        ],
      },
    });
    renderAt("/dispositions", { language: "ar", digits: "arab" });
    const table = await screen.findByRole("table", { name: t.title });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(within(rows[0]!).getByText(t.kinds.retention)).toBeTruthy();
    expect(within(rows[0]!).getByText(ar.dispositions.purposes.training)).toBeTruthy();
    expect(within(rows[1]!).getByText(ar.dispositions.methods.cutting)).toBeTruthy();
    expect(within(rows[1]!).getByText("١٤")).toBeTruthy();
    // Only a destruction has a certificate.
    expect(within(rows[0]!).queryByRole("link")).toBeNull();
    const link = within(rows[1]!).getByRole("link", {
      name: t.certificateOf.replace("{{batch}}", batchId.slice(0, 8)),
    });
    expect(link.getAttribute("href")).toBe(`/api/v1/dispositions/${batchId}/certificate.pdf`);
    expect(calls).toContain("GET /api/v1/dispositions");
  });

  it("is not offered to a monitor, and says so when opened by its address", async () => {
    fakeApi({ "GET /api/v1/me": account("monitor"), "GET /api/v1/sites": sites });
    renderAt("/dispositions", { language: "en", digits: "latn" });
    expect(await screen.findByText(en.session.forbidden.replace("{{role}}", en.roles.monitor))).toBeTruthy();
    const nav = screen.getByRole("navigation", { name: en.nav.label });
    expect(within(nav).queryByRole("link", { name: en.nav.dispositions })).toBeNull();
    expect(within(nav).getByRole("link", { name: en.nav.caches })).toBeTruthy();
  });
});

const cache = {
  id: cacheId,
  governorate: "IQ-AN",
  groupId: null,
  declaredContents: [{ kind: "weapon", category: "rifle", count: 12 }],
  status: "reported",
  reportedAt: "2026-03-01T08:00:00.000Z",
  reportSeq: 4,
  verifiedAt: null,
  clearedAt: null,
  residueReason: null,
  extractions: [],
  reconciliation: [],
};

describe("the caches screen", () => {
  it("lets an administrator read a cache's protected source and record its verification, showing a refusal first", async () => {
    const t = en.caches;
    let tries = 0;
    const api = commandRoute(({ payload }) =>
      tries++ === 0
        ? {
            status: 422,
            code: "rule.violated",
            detail: "The verification cannot come before the report.",
            errors: [{ path: "payload.verifiedAt", message: "before the report" }],
          }
        : { data: payload },
    );
    const calls = fakeApi({
      "GET /api/v1/me": account("admin"),
      "GET /api/v1/caches": { items: [cache] },
      [`GET /api/v1/caches/${cacheId}/source`]: {
        id: cacheId,
        source: { name: "Abu Ahmad", affiliation: "Tribal elder" },
        location: { description: "Orchard north of the road" },
      },
      "POST /api/v1/commands": api.route,
    });
    renderAt("/caches", { language: "en", digits: "latn" });
    expect(await screen.findByText(`${en.trail.weapon}: ${en.categories.rifle}: 12`)).toBeTruthy();
    expect(calls.some((c) => c.includes("/source"))).toBe(false);
    fireEvent.click(
      screen.getByRole("button", { name: t.showSource.replace("{{id}}", cacheId.slice(0, 8)) }),
    );
    expect(await screen.findByText("Abu Ahmad")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: en.custody.close }));

    fireEvent.click(screen.getByRole("button", { name: t.verify.replace("{{id}}", cacheId.slice(0, 8)) }));
    type(t.findings, "Twelve rifles in crates, as reported.");
    fireEvent.click(screen.getByRole("button", { name: t.verifySubmit }));
    expect(await screen.findByText(/cannot come before the report/)).toBeTruthy();
    expect(screen.getByLabelText(t.verifiedAt).getAttribute("aria-invalid")).toBe("true");
    fireEvent.click(screen.getByRole("button", { name: t.verifySubmit }));
    await waitFor(() => expect(screen.queryByRole("button", { name: t.verifySubmit })).toBeNull());
    expect(api.sent.map((c) => c.type)).toEqual(["cache.verify", "cache.verify"]);
    expect(api.sent[1]!.payload).toMatchObject({
      cacheId,
      findings: "Twelve rifles in crates, as reported.",
    });
  });

  it("shows an analyst the caches by status, in Arabic, with no way to their source", async () => {
    const calls = fakeApi({ "GET /api/v1/me": account("analyst"), "GET /api/v1/caches": { items: [cache] } });
    renderAt("/caches", { language: "ar", digits: "arab" });
    await screen.findByText(ar.caches.statuses.reported, { selector: "td" });
    // No report, verify, clear or source button: signing out is all there is to press.
    expect(screen.getAllByRole("button").map((b) => b.textContent)).toEqual([ar.session.signOut]);
    expect(calls.some((c) => c.includes("/source"))).toBe(false);
  });
});
