import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Role } from "@armsledger/core";
import axe from "axe-core";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { inject } from "vitest";
import { ar } from "../src/i18n/ar.ts";
import { en, type Messages } from "../src/i18n/en.ts";
import type { Language } from "../src/i18n/i18n.ts";
import { chromiumPath } from "./chromium.ts";

// What every spec does with the browser: launch it, open a page in a language, sign in as a
// demo account, save a screenshot, and run axe-core over what is on screen.

export const languages: Language[] = ["en", "ar"];
export const messages: Record<Language, Messages> = { en, ar };

const repo = fileURLToPath(new URL("../../..", import.meta.url));
export const artifacts = join(repo, "test-artifacts", "e2e");

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath });
}

/**
 * A fresh browser profile whose preferred language is `language`, as a visitor's browser would
 * say it: the app picks the language from navigator.languages on a first visit.
 */
export async function openIn(
  browser: Browser,
  language: Language,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: inject("baseUrl"),
    locale: language === "ar" ? "ar-IQ" : "en-GB",
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  // A script error or a server failure is a failure, not something to scroll past. Refusals
  // (401 from /api/v1/me when signed out, 404 for an unknown receipt) are answers, not errors.
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  page.on("response", (r) => {
    if (r.status() >= 500) errors.push(`${r.status()} ${r.url()}`);
  });
  (page as Page & { errors?: string[] }).errors = errors;
  return { context, page };
}

/** Console errors and uncaught exceptions the page had so far. */
export function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}

export function account(role: Role) {
  const found = inject("accounts").find((a) => a.role === role);
  if (!found) throw new Error(`no demo account for ${role}`);
  return found;
}

/** Signs in through the sign-in form, submitting with Enter as a keyboard user would. */
export async function signIn(page: Page, language: Language, role: Role): Promise<void> {
  const t = messages[language];
  const { username, password } = account(role);
  await page.goto("/sign-in");
  await page.getByLabel(t.session.username).fill(username);
  await page.getByLabel(t.session.password).fill(password);
  await page.getByLabel(t.session.password).press("Enter");
  await page.getByRole("button", { name: t.session.signOut }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

export interface Violation {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

/**
 * axe-core's WCAG 2 A/AA rules over the page as it is now; returns the serious and critical
 * violations. The source is evaluated through the DevTools protocol, which the page's content
 * security policy (no inline scripts) rightly does not let a <script> tag do.
 */
export async function accessibilityViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axe.source);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    }),
  );
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
}
