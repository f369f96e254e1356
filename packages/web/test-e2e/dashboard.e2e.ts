import type { CollectionProgressView } from "@armsledger/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  accessibilityViolations,
  languages,
  launch,
  messages,
  openIn,
  pageErrors,
  screenshot,
  signIn,
} from "./browser.ts";

// The programme dashboard, signed in as the administrator on the real server with the demo
// programme: the figures the API gives, the chart, the map and the anomalies, axe over all of it,
// in both languages. Other specs record handovers meanwhile, so collected figures are compared
// with what the API answered just before and just after the page was read.

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const number = (language: string, n: number) =>
  new Intl.NumberFormat(language, { numberingSystem: language === "ar" ? "arab" : "latn" }).format(n);

async function progress(page: Page): Promise<CollectionProgressView> {
  const response = await page.request.get("/api/v1/reports/collection-progress");
  expect(response.status()).toBe(200);
  return (await response.json()) as CollectionProgressView;
}

const collectedRifles = (p: CollectionProgressView) =>
  p.byCategory.find((c) => c.category === "rifle")?.collected ?? 0;

describe.each(languages)("in %s", (language) => {
  const t = messages[language];

  it("the administrator reads the demo programme's dashboard, and axe finds nothing", async () => {
    const { context, page } = await openIn(browser, language);
    const elsewhere: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(inject("baseUrl")) && !r.url().startsWith("data:")) elsewhere.push(r.url());
    });
    await signIn(page, language, "admin");
    const before = await progress(page);
    await page
      .getByRole("navigation", { name: t.nav.label })
      .getByRole("link", { name: t.nav.dashboard })
      .click();
    await page.getByRole("heading", { level: 1, name: t.dashboard.title }).waitFor();

    // Declared against collected: the demo's Dawn Brigades declared 900 rifles, 45 machine guns
    // and 9 mortars; every group's rifles together are 900 + 650 + 420.
    const byGroup = page.getByRole("table", { name: t.dashboard.byGroup });
    const dawn = byGroup
      .getByRole("row")
      .filter({ hasText: language === "ar" ? "كتائب الفجر" : "Dawn Brigades" });
    // The group's name shows once the groups are read, alongside the figures.
    await dawn.waitFor();
    expect((await dawn.getByRole("cell").allTextContents())[1]).toBe(number(language, 954));
    const rifle = page
      .getByRole("table", { name: t.dashboard.byCategory })
      .getByRole("row")
      .filter({ hasText: t.categories.rifle });
    await rifle.waitFor();
    const [, declared, collected] = await rifle.getByRole("cell").allTextContents();
    expect(declared).toBe(number(language, 1970));
    const after = await progress(page);
    const possible = Array.from({ length: collectedRifles(after) - collectedRifles(before) + 1 }, (_, i) =>
      number(language, collectedRifles(before) + i),
    );
    expect(possible).toContain(collected);

    // Progress: the charts, named, and the table beside them.
    // By day, or by week once other specs have recorded handovers months after the demo's.
    await page
      .getByRole("img", { name: t.dashboard.perDay })
      .or(page.getByRole("img", { name: t.dashboard.perWeek }))
      .waitFor();
    await page.getByRole("img", { name: t.dashboard.cumulative, exact: false }).waitFor();
    const periods = page.getByRole("table", { name: t.dashboard.progressTable }).getByRole("row");
    expect(await periods.count()).toBeGreaterThan(1);

    // The map: drawn from the app's own data (no request leaves the server's origin), each site a
    // named link to its line in the list.
    const map = page.getByRole("group", { name: t.dashboard.mapLabelCaches });
    const rusafa = map.getByRole("link", {
      name: t.dashboard.siteLabel
        .replace("{{name}}", language === "ar" ? "موقع جمع الرصافة" : "Rusafa collection site")
        .replace("{{kind}}", t.dashboard.siteKinds.collection)
        .replace("{{governorate}}", language === "ar" ? "بغداد" : "Baghdad"),
    });
    await rusafa.focus();
    await page.keyboard.press("Enter");
    expect(new URL(page.url()).hash).toMatch(/^#map-site-/u);
    expect(await map.getByRole("link").count()).toBeGreaterThanOrEqual(5);

    // The demo's duplicate serial is an anomaly to look at, linked to the weapon's trail.
    const anomalies = page.getByRole("table", { name: t.dashboard.anomaliesHeading });
    await anomalies.getByText(t.dashboard.anomalyKinds.duplicate_serial).first().waitFor();
    const trail = anomalies.getByRole("link").first();
    expect(await trail.getAttribute("href")).toMatch(/^\/trail\?kind=weapon&id=/u);

    const violations = await accessibilityViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await screenshot(page, `${language}-admin-dashboard`);

    await trail.click();
    await page.getByRole("heading", { level: 1, name: t.trail.title }).waitFor();
    await page.getByRole("table", { name: t.trail.title }).getByText("handover.recorded").waitFor();
    expect(elsewhere).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
