import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accessibilityViolations, languages, launch, messages, openIn, signIn } from "./browser.ts";

// axe-core over every main screen, in both languages, in the state a person sees it (a receipt
// checked, a trail shown): a serious or critical violation (contrast, a control without a label,
// a missing landmark or language) fails the run.

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function expectAccessible(page: Page, screen: string) {
  const violations = await accessibilityViolations(page);
  expect(violations, `${screen}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

it("catches what it is there to catch (faint text, an unnamed button)", async () => {
  const { context, page } = await openIn(browser, "en");
  await page.goto("/");
  await page.getByRole("heading", { level: 1, name: messages.en.home.title }).waitFor();
  await page.evaluate(() => {
    const main = document.getElementById("main")!;
    // Styled through the CSSOM: the content security policy refuses inline style attributes.
    const faint = document.createElement("p");
    faint.textContent = "faint";
    faint.style.color = "#bbb";
    main.append(faint, document.createElement("button"));
  });
  const found = (await accessibilityViolations(page)).map((v) => v.id);
  expect(found).toContain("color-contrast");
  expect(found).toContain("button-name");
  await context.close();
});

describe.each(languages)("in %s", (language) => {
  const t = messages[language];
  const h1 = (page: Page, name: string) => page.getByRole("heading", { level: 1, name }).waitFor();

  it("the public screens pass axe's WCAG A/AA checks", async () => {
    const { context, page } = await openIn(browser, language);
    await page.goto("/");
    await h1(page, t.home.title);
    await expectAccessible(page, "home");
    await page.goto("/sign-in");
    await h1(page, t.session.title);
    // With the errors of an empty form shown.
    await page.getByRole("button", { name: t.session.submit }).click();
    await page.getByText(t.common.required).first().waitFor();
    await expectAccessible(page, "sign-in");
    await page.goto("/figures");
    await h1(page, t.figures.title);
    await page.getByRole("heading", { level: 2, name: t.figures.totals }).waitFor();
    await expectAccessible(page, "figures");
    await page.goto("/ledger");
    await h1(page, t.ledger.title);
    await page.getByText(t.ledger.signatureOk).waitFor();
    await expectAccessible(page, "ledger");
    await page.goto(`/receipt?n=${inject("receiptNumber")}`);
    await h1(page, t.receipt.title);
    await page.getByRole("button", { name: t.receipt.check }).click();
    await page.locator('[data-outcome="verified"]').waitFor();
    await expectAccessible(page, "receipt (verified)");
    await page.getByLabel(t.receipt.number).fill(inject("unknownReceiptNumber"));
    await page.getByRole("button", { name: t.receipt.check }).click();
    await page.locator('[data-outcome="not-verified"]').waitFor();
    await expectAccessible(page, "receipt (not found)");
    await context.close();
  });

  it("the staff screens pass axe's WCAG A/AA checks", async () => {
    const { context, page } = await openIn(browser, language);
    await signIn(page, language, "admin");
    await h1(page, t.home.title);
    await expectAccessible(page, "home (signed in)");
    await page.goto("/trail");
    await h1(page, t.trail.title);
    await page.getByLabel(t.trail.id).fill(inject("weaponId"));
    await page.getByRole("button", { name: t.trail.show }).click();
    await page.getByRole("table", { name: t.trail.title }).waitFor();
    await expectAccessible(page, "trail");
    for (const screen of ["transfers", "discrepancies"] as const) {
      await page.goto(`/${screen}`);
      await h1(page, t[screen].title);
      await page.getByRole("table", { name: t[screen].title }).waitFor();
      await expectAccessible(page, screen);
    }
    await context.close();
  });
});
