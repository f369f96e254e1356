import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { languages, launch, messages, openIn, pageErrors, screenshot } from "./browser.ts";

// The pages anyone may use without signing in: the home page, the public figures, and checking a
// receipt, whose proof the browser verifies itself. A receipt recorded through the API by the
// global setup must show as verified; a well-formed number the ledger lacks, as not found.

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** What `format.number` shows for a count in each language's usual digits. */
const digits = (language: string, n: number) =>
  new Intl.NumberFormat(language, { numberingSystem: language === "ar" ? "arab" : "latn" }).format(n);

describe.each(languages)("signed out, in %s", (language) => {
  const t = messages[language];

  it("lays the page out in the language's direction and offers only the public screens", async () => {
    const { context, page } = await openIn(browser, language);
    await page.goto("/");
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe(language);
    expect(await page.locator("html").getAttribute("dir")).toBe(language === "ar" ? "rtl" : "ltr");
    await page.getByRole("heading", { level: 1, name: t.home.title }).waitFor();
    const nav = page.getByRole("navigation", { name: t.nav.label }).getByRole("link");
    expect(await nav.allTextContents()).toEqual([t.nav.home, t.nav.receipt, t.nav.figures, t.nav.ledger]);
    await screenshot(page, `${language}-home-signed-out`);

    // A staff screen opened by its address asks to sign in.
    await page.goto("/transfers");
    await page.getByText(t.session.required).waitFor();
    await page.goto("/sign-in");
    await page.getByRole("heading", { level: 1, name: t.session.title }).waitFor();
    await screenshot(page, `${language}-sign-in`);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it("shows the public figures, in the language's digits", async () => {
    // Other specs record handovers against the same server meanwhile: the figure shown must be
    // one the API gave between just before the page loaded and just after it was read (the
    // ledger only grows), in the language's digits.
    const weaponsTotal = async () => {
      const figures = (await (await fetch(`${inject("baseUrl")}/api/v1/public/figures`)).json()) as {
        weapons: { total: number | null };
      };
      expect(figures.weapons.total).not.toBeNull();
      return figures.weapons.total!;
    };
    const before = await weaponsTotal();
    const { context, page } = await openIn(browser, language);
    await page.goto("/figures");
    await page.getByRole("heading", { level: 1, name: t.figures.title }).waitFor();
    const weapons = page
      .locator("dt", { hasText: t.figures.weapons })
      .locator("xpath=following-sibling::dd[1]");
    const shown = await weapons.textContent();
    const after = await weaponsTotal();
    expect(shown).toMatch(language === "ar" ? /^[٠-٩٬]+$/u : /^[0-9,]+$/u);
    const possible = Array.from({ length: after - before + 1 }, (_, i) => digits(language, before + i));
    expect(possible).toContain(shown);
    await screenshot(page, `${language}-figures`);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it("verifies a real receipt in the browser, and finds no entry for an unknown number", async () => {
    const { context, page } = await openIn(browser, language);
    await page.goto("/receipt");
    await page.getByRole("heading", { level: 1, name: t.receipt.title }).waitFor();
    const number = page.getByLabel(t.receipt.number);
    const check = page.getByRole("button", { name: t.receipt.check });

    await number.fill(inject("receiptNumber"));
    await check.click();
    const verified = page.locator('[data-outcome="verified"]');
    await verified.waitFor();
    expect(await verified.textContent()).toContain(t.receipt.verified);
    expect(await verified.textContent()).toContain(inject("receiptNumber"));
    await screenshot(page, `${language}-receipt-verified`);

    await number.fill(inject("unknownReceiptNumber"));
    await check.click();
    const refused = page.locator('[data-outcome="not-verified"]');
    await refused.waitFor();
    expect(await refused.textContent()).toContain(t.receipt.reasons.notFound);
    expect(await verified.count()).toBe(0);
    await screenshot(page, `${language}-receipt-not-found`);

    // One digit changed: the check digit catches it before any request.
    const mistyped = inject("receiptNumber").replace(/\d(?=\d-\d$)/u, (d) => String((Number(d) + 1) % 10));
    await number.fill(mistyped);
    await check.click();
    await page.getByText(t.receipt.invalid).waitFor();
    expect(await page.locator("[data-outcome]").count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});

describe("switching the language", () => {
  it("turns the whole page around at once, and is remembered after a reload", async () => {
    const { context, page } = await openIn(browser, "en");
    await page.goto("/figures");
    await page.getByRole("heading", { level: 1, name: messages.en.figures.title }).waitFor();
    expect(await page.locator("html").getAttribute("dir")).toBe("ltr");
    await page.getByLabel(messages.en.settings.language).selectOption("ar");
    await page.getByRole("heading", { level: 1, name: messages.ar.figures.title }).waitFor();
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    expect(await page.locator("html").getAttribute("lang")).toBe("ar");
    await page.reload();
    await page.getByRole("heading", { level: 1, name: messages.ar.figures.title }).waitFor();
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    await context.close();
  });
});
