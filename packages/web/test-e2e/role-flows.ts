import { type Role, roleMay } from "@armsledger/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Messages } from "../src/i18n/en.ts";
import type { Language } from "../src/i18n/i18n.ts";
import { type Screen, screens } from "../src/navigation/screens.ts";
import {
  accessibilityViolations,
  launch,
  messages,
  openIn,
  pageErrors,
  screenshot,
  signIn,
} from "./browser.ts";

// Each role's main flow as far as the app goes today, in Arabic and in English: sign in through
// the form, see exactly the screens core's access policy (the table the server enforces) allows,
// reach a screen with the keyboard alone, be told no on a screen opened by its address without
// the role, and use what the role is for (an item's trail, transfers, discrepancies, the ledger,
// the groups and their declarations, the case worker's follow-ups, the destruction forms).

const roles: Role[] = [
  "admin",
  "registrar",
  "custodian",
  "monitor",
  "analyst",
  "case_worker",
  "disposal_officer",
];

const mayOpen = (role: Role, screen: Screen) => screen.access === "public" || roleMay(role, screen.access);

/** The h1 each screen shows. */
const titleOf = (t: Messages, screen: Screen) => (screen.id === "home" ? t.home.title : t[screen.id].title);

async function heading(page: Page, text: string) {
  await page.getByRole("heading", { level: 1, name: text }).waitFor();
}

/** Tab from the top of the page until `name`'s link in the main navigation has the focus. */
async function tabTo(page: Page, t: Messages, name: string) {
  const link = page.getByRole("navigation", { name: t.nav.label }).getByRole("link", { name, exact: true });
  for (let presses = 0; presses < 30; presses++) {
    await page.keyboard.press("Tab");
    if (await link.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`thirty presses of Tab did not reach the "${name}" link`);
}

/**
 * Every role's flow in one language: a spec file per language (roles-en, roles-ar), so that the
 * two, the longest of the end-to-end specs, run side by side.
 */
export function roleFlows(language: Language) {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  describe(`in ${language}`, () => {
    roleFlowsIn(language, () => browser);
  });
}

function roleFlowsIn(language: Language, browserOf: () => Browser) {
  const t = messages[language];

  it.each(roles)("%s signs in and works with the screens of the role", async (role) => {
    const { context, page } = await openIn(browserOf(), language);
    await signIn(page, language, role);
    expect(await page.locator("html").getAttribute("dir")).toBe(language === "ar" ? "rtl" : "ltr");
    expect(await page.locator("html").getAttribute("lang")).toBe(language);
    await page.getByText(t.roles[role], { exact: false }).first().waitFor();

    // Exactly the screens the policy allows, in menu order.
    const allowed = screens.filter((s) => mayOpen(role, s));
    const nav = page.getByRole("navigation", { name: t.nav.label }).getByRole("link");
    expect(await nav.allTextContents()).toEqual(allowed.map((s) => t.nav[s.id]));
    await heading(page, t.home.title);
    await screenshot(page, `${language}-${role}-home`);

    // Keyboard only: the first Tab reaches the skip link; more reach the role's first own screen
    // (or the public figures), and Enter opens it and moves the focus to the content.
    const target = allowed.find((s) => s.access !== "public") ?? allowed.find((s) => s.id === "figures")!;
    await page.goto("/");
    await heading(page, t.home.title);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(t.app.skipToContent);
    await tabTo(page, t, t.nav[target.id]);
    // The focus is visible: the focused link is drawn with an outline of some width.
    expect(
      await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement!);
        return style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 2;
      }),
    ).toBe(true);
    await page.keyboard.press("Enter");
    await heading(page, titleOf(t, target));
    expect(new URL(page.url()).pathname).toBe(target.path);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");

    // A screen the role may not use, opened by its address, says so.
    const refused = screens.find((s) => !mayOpen(role, s));
    if (refused) {
      await page.goto(refused.path);
      await page.getByText(t.session.forbidden.replace("{{role}}", t.roles[role])).waitFor();
    }

    if (roleMay(role, "item.trail")) {
      await page.goto("/trail");
      await heading(page, t.trail.title);
      await page.getByLabel(t.trail.id).fill(inject("weaponId"));
      await page.getByRole("button", { name: t.trail.show }).click();
      const steps = page.getByRole("table", { name: t.trail.title });
      await steps.getByText("handover.recorded").waitFor();
      expect(await page.locator("dd", { hasText: t.states.in_custody }).count()).toBe(1);
      await screenshot(page, `${language}-${role}-trail`);
    }
    if (roleMay(role, "transfer.read")) {
      for (const screen of ["transfers", "discrepancies"] as const) {
        await page.goto(`/${screen}`);
        await heading(page, t[screen].title);
        await page.getByRole("table", { name: t[screen].title }).waitFor();
        await screenshot(page, `${language}-${role}-${screen}`);
      }
    }
    if (role === "monitor" || role === "admin") {
      await page.goto("/ledger");
      await heading(page, t.ledger.title);
      await page.getByText(t.ledger.signatureOk).waitFor();
      await screenshot(page, `${language}-${role}-ledger`);
    }

    // The readers' main screen: the programme's figures (the administrator's is dashboard.e2e.ts).
    if (role === "monitor" || role === "analyst") {
      await page.goto("/dashboard");
      await heading(page, t.dashboard.title);
      await page.getByRole("table", { name: t.dashboard.byCategory }).waitFor();
      await screenshot(page, `${language}-${role}-dashboard`);
    }

    // Screens no other spec shows: once each, checked by axe and photographed.
    const own = { admin: "groups", case_worker: "reintegration", disposal_officer: "dispositions" } as const;
    if (role in own) {
      const screen = own[role as keyof typeof own];
      await page.goto(`/${screen}`);
      await heading(page, t[screen].title);
      await page.locator("table, form").first().waitFor();
      expect(await accessibilityViolations(page), screen).toEqual([]);
      await screenshot(page, `${language}-${role}-${screen}`);
    }

    // Signing out leaves only the public screens.
    await page.getByRole("button", { name: t.session.signOut }).click();
    await page.getByRole("banner").getByRole("link", { name: t.nav.signIn }).waitFor();
    expect(await nav.allTextContents()).toEqual(
      screens.filter((s) => s.access === "public").map((s) => t.nav[s.id]),
    );
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
}
