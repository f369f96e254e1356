import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Messages } from "../src/i18n/en.ts";
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

// The registrar's field workflow through the real server, in Arabic and in English: find the
// person already registered by the seed, register a new one, list a weapon and an ammunition lot,
// have a placeholder serial refused at its field, correct it, record the handover, fetch the
// receipt PDF, and start the next person. Screenshots of each step go to test-artifacts/e2e/.

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Each language registers its own person (the same one twice would be held for duplicate review). */
const people = {
  en: {
    arabic: ["كريم", "هادي", "صباح", "التميمي"],
    latin: ["Karim", "Hadi", "Sabah", "al-Tamimi"],
    year: "1988",
    nationalId: "198877004411",
    serial: "E2E-LANE-EN-7781",
  },
  ar: {
    arabic: ["حيدر", "علي", "جاسم", "الجبوري"],
    latin: ["Haidar", "Ali", "Jasim", "al-Jubouri"],
    year: "1979",
    nationalId: "197955002233",
    serial: "E2E-LANE-AR-5512",
  },
} as const;
const parts = ["given", "father", "grandfather", "family"] as const;

async function expectAccessible(page: Page, what: string) {
  expect(await accessibilityViolations(page), what).toEqual([]);
}

describe.each(languages)("in %s", (language) => {
  const t: Messages = messages[language];
  const l = t.lane;
  const who = people[language];

  it("the registrar records a full handover in the collection lane", async () => {
    const { context, page } = await openIn(browser, language);
    await signIn(page, language, "registrar");
    await page.getByRole("navigation", { name: t.nav.label }).getByRole("link", { name: t.nav.lane }).click();
    await page.getByRole("heading", { level: 1, name: l.title }).waitFor();

    // Find: the seeded person, by a Latin spelling of the Arabic name (either script finds them).
    await page.getByLabel(l.search).fill("Salam");
    const found = page.getByRole("table", { name: l.searchResults });
    await found.getByText("سلام ناصر جبار العبيدي").waitFor();
    await screenshot(page, `${language}-registrar-lane-search`);
    await expectAccessible(page, "lane (search results)");

    // Register a new person; the form is sent with Enter, as a keyboard user would.
    await page.getByRole("button", { name: l.registerNew }).click();
    for (const [i, part] of parts.entries()) {
      await page.getByLabel(l.arabicName[part], { exact: true }).fill(who.arabic[i]!);
      await page.getByLabel(l.latinName[part], { exact: true }).fill(who.latin[i]!);
    }
    await page.getByLabel(l.birthYear).fill(who.year);
    await page.getByLabel(l.sex).selectOption("male");
    await page.getByLabel(l.governorate).selectOption("IQ-BG");
    await page.getByLabel(l.nationalId).fill(who.nationalId);
    await page.getByLabel(l.consent).check();
    await screenshot(page, `${language}-registrar-lane-register`);
    await expectAccessible(page, "lane (registration form)");
    await page.getByLabel(l.nationalId).press("Enter");
    await page.getByRole("heading", { name: l.itemsHeading }).waitFor();
    await page.getByText(l.registered).waitFor();
    expect(await page.getByText(l.reviewPendingTitle).count()).toBe(0);

    // The items: one weapon with a placeholder serial, one ammunition lot.
    await page.getByLabel(l.verifierName).fill("E2E Observer");
    await page.getByLabel(l.verifierAffiliation).fill("Monitoring mission");
    const weapon = page.getByRole("group", { name: l.weapon.legend.replace("{{n}}", "1") });
    await weapon.getByLabel(l.weapon.category).selectOption("rifle");
    await weapon.getByLabel(l.weapon.type).fill("assault rifle");
    await weapon.getByLabel(l.weapon.make).fill("Kalashnikov");
    await weapon.getByLabel(l.weapon.model).fill("AKM");
    await weapon.getByLabel(l.weapon.calibre).fill("7.62x39mm");
    await weapon.getByLabel(l.weapon.serial).fill("xxx");
    await weapon.getByLabel(l.weapon.condition).selectOption("good");
    await weapon.getByLabel(l.weapon.serviceable).selectOption("yes");
    await page.getByRole("button", { name: l.addAmmunition }).click();
    const lot = page.getByRole("group", { name: l.ammunition.legend.replace("{{n}}", "1") });
    // The new lot has the focus: the officer goes on typing.
    expect(await lot.getByLabel(l.ammunition.kind).evaluate((el) => el === document.activeElement)).toBe(
      true,
    );
    await lot.getByLabel(l.ammunition.kind).selectOption("cartridge");
    await lot.getByLabel(l.ammunition.calibreOrType).fill("7.62x39mm");
    await lot.getByLabel(l.ammunition.quantity).fill("120");
    await lot.getByLabel(l.ammunition.condition).selectOption("stable");
    await lot.getByLabel(l.ammunition.safeToMove).selectOption("yes");
    await page.getByRole("button", { name: l.record }).click();

    // The server refuses the placeholder; its refusal is shown at the serial field.
    const serial = weapon.getByLabel(l.weapon.serial);
    await expect.poll(() => serial.getAttribute("aria-invalid")).toBe("true");
    await weapon.getByText(t.problems["serial.placeholder"]).waitFor();
    await screenshot(page, `${language}-registrar-lane-refused`);
    await expectAccessible(page, "lane (a refused serial)");

    // Corrected, recorded: the eligibility result, the receipt and the tags.
    await serial.fill(who.serial);
    await page.getByRole("button", { name: l.record }).click();
    await page.getByRole("heading", { name: l.resultHeading }).waitFor();
    const statuses = Object.values(l.eligibility);
    const shown = await page.getByRole("status").allTextContents();
    expect(shown.some((s) => statuses.some((x) => s.includes(x)))).toBe(true);
    // The result's links (the queue's list above links the same receipt once sent).
    const result = page.getByRole("region", { name: l.resultHeading });
    const receipt = result.getByRole("link", { name: l.printReceipt });
    const pdf = await page.request.get((await receipt.getAttribute("href"))!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toContain("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
    const labels = await page.request.get(
      (await result.getByRole("link", { name: l.printLabels }).getAttribute("href"))!,
    );
    expect(labels.status()).toBe(200);
    expect(labels.headers()["content-type"]).toContain("application/pdf");
    // One label per item: the weapon and the ammunition lot.
    expect((await labels.body()).toString("latin1").match(/\/Type \/Page\b(?!s)/gu)).toHaveLength(2);
    await screenshot(page, `${language}-registrar-lane-recorded`);
    await expectAccessible(page, "lane (recorded)");

    // The weapon is on the record under its serial.
    const weapons = await page.request.get(`/api/v1/weapons?make=Kalashnikov&model=AKM&serial=${who.serial}`);
    expect(((await weapons.json()) as { items: unknown[] }).items).toHaveLength(1);

    // Next person: the lane starts again.
    await page.getByRole("button", { name: l.nextPerson }).click();
    expect(await page.getByLabel(l.search).inputValue()).toBe("");
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
