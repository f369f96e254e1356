import type { CollectionProgressView, Role } from "@armsledger/core";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App, AppProviders, newQueryClient } from "../src/app/App.tsx";
import { SitesMap } from "../src/dashboard/SitesMap.tsx";
import type { Settings } from "../src/settings/settings.tsx";
import { account, fakeApi, type Routes } from "./fake-api.ts";

afterEach(() => vi.unstubAllGlobals());

function renderAt(path: string, settings: Settings) {
  return render(
    <AppProviders
      client={newQueryClient()}
      settings={settings}
      router={(app) => <MemoryRouter initialEntries={[path]}>{app}</MemoryRouter>}
    >
      <App />
    </AppProviders>,
  );
}

const fajr = "0190f5a2-0000-7000-8000-000000000001";
const weaponId = "44444444-4444-4444-8444-444444444444";
const siteA = "11111111-1111-4111-8111-111111111111";
const depot = "22222222-2222-4222-8222-222222222222";

const progress: CollectionProgressView = {
  wholeProgramme: true,
  byGroup: [
    {
      group: fajr,
      declared: { version: 1, asOf: "2026-01-15", weapons: { rifle: 900, machine_gun: 45 } },
      collected: { weapons: { rifle: 3 }, lots: 2, quantity: { rounds: 620 } },
    },
    { group: "none", declared: null, collected: { weapons: { pistol: 1 }, lots: 0, quantity: {} } },
  ],
  byCategory: [
    { category: "machine_gun", declared: 45, collected: 0 },
    { category: "pistol", declared: 0, collected: 1 },
    { category: "rifle", declared: 900, collected: 3 },
  ],
  ammunition: [{ kind: "cartridge", unit: "rounds", lots: 2, quantity: 620 }],
  byDay: [
    { day: "2026-02-01", handovers: 1, weapons: 3, lots: 1 },
    { day: "2026-02-03", handovers: 1, weapons: 1, lots: 1 },
  ],
};

const site = (
  id: string,
  code: string,
  kind: string,
  nameEn: string,
  nameAr: string,
  lat: number,
  lon: number,
) => ({
  id,
  code,
  kind,
  nameEn,
  nameAr,
  governorate: "IQ-BG",
  lat,
  lon,
});

const routes = (role: Role): Routes => ({
  "GET /api/v1/me": account(role),
  "GET /api/v1/reports/collection-progress": progress,
  "GET /api/v1/groups": {
    items: [{ id: fajr, code: "FAJR", nameAr: "كتائب الفجر", nameEn: "Dawn Brigades" }],
  },
  "GET /api/v1/sites": {
    items: [
      site(siteA, "BGD-C1", "collection", "Rusafa collection site", "موقع جمع الرصافة", 33.34, 44.42),
      site(depot, "BGD-D1", "depot", "Taji depot", "مستودع التاجي", 33.52, 44.26),
    ],
  },
  "GET /api/v1/caches?limit=1000": {
    items: [
      { id: "c1", governorate: "IQ-BG", status: "reported" },
      { id: "c2", governorate: "IQ-BG", status: "verified" },
    ],
  },
  "GET /api/v1/anomalies?limit=50": {
    items: [
      {
        id: "a1",
        kind: "duplicate_serial",
        raisedSeq: 42,
        subjectKind: "weapon",
        subjectId: weaponId,
        detail: "serial AK-1 was recorded before",
      },
    ],
  },
});

const rowOf = (table: HTMLElement, first: string) =>
  within(table)
    .getAllByRole("row")
    .find((r) => r.querySelector("td")?.textContent === first)!;
const cells = (row: HTMLElement) => [...row.querySelectorAll("td")].map((c) => c.textContent);

describe("the programme dashboard", () => {
  it("shows the declared and collected figures, the chart with its table, the map with its lists and the anomalies", async () => {
    const calls = fakeApi(routes("admin"));
    renderAt("/dashboard", { language: "en", digits: "latn" });
    const byGroup = await screen.findByRole("table", { name: "Weapons by armed group" });
    expect(
      cells(
        await within(byGroup)
          .findByText("Dawn Brigades")
          .then((c) => c.closest("tr")!),
      ),
    ).toEqual(["Dawn Brigades", "945", "3", "0.3%", "2", "620 Rounds"]);
    expect(cells(rowOf(byGroup, "No group"))).toEqual(["No group", "No declaration", "1", "", "0", ""]);
    const byCategory = screen.getByRole("table", { name: "Weapons by category" });
    expect(cells(rowOf(byCategory, "Rifle"))).toEqual(["Rifle", "900", "3", "0.3%"]);
    expect(cells(rowOf(screen.getByRole("table", { name: "Ammunition collected" }), "Cartridges"))).toEqual([
      "Cartridges",
      "Rounds",
      "2",
      "620",
    ]);

    // The chart and the same figures as a table, the empty day between included.
    const perDay = screen.getByRole("img", { name: /Weapons collected each day/ });
    expect(perDay.querySelectorAll("rect.chart-bar")).toHaveLength(3);
    expect(screen.getByRole("img", { name: /Weapons collected in all/ })).toBeTruthy();
    const periods = screen.getByRole("table", { name: "Collection by period" });
    expect(within(periods).getAllByRole("row").slice(1).map(cells)).toEqual([
      ["Feb 1, 2026", "1", "3", "1", "3"],
      ["Feb 2, 2026", "0", "0", "0", "3"],
      ["Feb 3, 2026", "1", "1", "1", "4"],
    ]);

    // Each point on the map is a link, named, to its line in the lists.
    const map = await screen.findByRole("group", { name: /sites and the cache reports by governorate/ });
    const point = within(map).getByRole("link", { name: "Rusafa collection site: Collection site, Baghdad" });
    expect(point.getAttribute("href")).toBe(`#map-site-${siteA}`);
    expect(document.getElementById(`map-site-${siteA}`)?.textContent).toContain(
      "latitude 33.34, longitude 44.42",
    );
    const caches = within(map).getByRole("link", { name: "Baghdad: cache reports 2" });
    expect(document.getElementById("map-caches-IQ-BG")?.textContent).toContain("Reported 1, Verified 1");
    expect(caches.getAttribute("href")).toBe("#map-caches-IQ-BG");
    // Caches by governorate only: the protected exact location is never asked for.
    expect(calls.some((c) => c.includes("/source"))).toBe(false);

    // An anomaly links to the weapon's trail.
    const trail = await screen.findByRole("link", { name: "Trail of weapon 44444444" });
    expect(trail.getAttribute("href")).toBe(`/trail?kind=weapon&id=${weaponId}`);
    fireEvent.click(trail);
    await screen.findByRole("heading", { name: "Item trail" });
    await vi.waitFor(() => expect(calls).toContain(`GET /api/v1/items/weapon/${weaponId}/trail`));
  });

  it("reads in Arabic, right to left, in Arabic-Indic digits", async () => {
    fakeApi(routes("monitor"));
    renderAt("/dashboard", { language: "ar", digits: "arab" });
    const byGroup = await screen.findByRole("table", { name: "الأسلحة حسب الجماعة المسلّحة" });
    const row = (await within(byGroup).findByText("كتائب الفجر")).closest("tr")!;
    expect(cells(row).slice(0, 3)).toEqual(["كتائب الفجر", "٩٤٥", "٣"]);
    expect(document.documentElement.dir).toBe("rtl");
    // Time runs right to left: the first day's bar stands to the right of the last day's.
    const bars = [...screen.getByRole("img", { name: /الأسلحة المجموعة كل يوم/ }).querySelectorAll("rect")];
    const x = (r: Element) => Number(r.getAttribute("x"));
    expect(x(bars[0]!)).toBeGreaterThan(x(bars[2]!));
    expect(screen.getByRole("img", { name: /الأسلحة المجموعة كل يوم/ }).textContent).toContain("٤");
    expect(await screen.findByRole("link", { name: "موقع جمع الرصافة: موقع جمع، بغداد" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "بغداد: بلاغات المخابئ ٢" })).toBeTruthy();
  });

  it.each(["registrar", "custodian", "case_worker"] as const)(
    "is not offered to a %s, and refused by URL without asking the API",
    async (role) => {
      const calls = fakeApi(routes(role));
      renderAt("/dashboard", { language: "en", digits: "latn" });
      expect(await screen.findByText(/may not use this page/)).toBeTruthy();
      const nav = screen.getByRole("navigation", { name: "Main navigation" });
      expect(within(nav).queryByRole("link", { name: "Dashboard" })).toBeNull();
      expect(calls.filter((c) => c.includes("/reports/") || c.includes("/caches"))).toEqual([]);
    },
  );

  it("is in the menu of the roles that may read it", async () => {
    fakeApi(routes("analyst"));
    renderAt("/", { language: "en", digits: "latn" });
    const nav = await screen.findByRole("navigation", { name: "Main navigation" });
    expect((await within(nav).findByRole("link", { name: "Dashboard" })).getAttribute("href")).toBe(
      "/dashboard",
    );
  });

  it("draws no cache at all for a reader who may not read cache reports", async () => {
    const calls = fakeApi(routes("admin"));
    render(
      <AppProviders client={newQueryClient()} settings={{ language: "en", digits: "latn" }}>
        <SitesMap showCaches={false} />
      </AppProviders>,
    );
    const map = await screen.findByRole("group", { name: "Map of Iraq with the programme's sites" });
    expect(
      within(map)
        .getAllByRole("link")
        .map((l) => l.getAttribute("aria-label")),
    ).toEqual(["Rusafa collection site: Collection site, Baghdad", "Taji depot: Depot, Baghdad"]);
    expect(map.querySelector(".map-cache")).toBeNull();
    expect(screen.queryByText(/cache/i)).toBeNull();
    expect(calls.filter((c) => c.includes("/caches"))).toEqual([]);
  });
});
