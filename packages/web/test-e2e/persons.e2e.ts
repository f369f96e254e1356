import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  accessibilityViolations,
  account,
  languages,
  launch,
  messages,
  openIn,
  pageErrors,
  screenshot,
  signIn,
} from "./browser.ts";
import { rifleHandover, signedIn } from "./seed.ts";

// The administrator finds a person by an Arabic and by a Latin spelling of the name, opens the
// record (names in their own script, "this view is recorded", the access history below), in
// Arabic and in English; axe-core checks the search and the record. The registrar then screens
// the person (who handed in a rifle) and issues their card, through the record's forms.

let browser: Browser;
const who = {
  arabic: { given: "حيدر", father: "جاسم", grandfather: "كريم", family: "العبيدي" },
  latin: { given: "Haidar", father: "Jasim", grandfather: "Karim", family: "al-Obaidi" },
  nationalId: "198577005533",
} as const;

beforeAll(async () => {
  browser = await launch();
  const api = await signedIn(inject("baseUrl"), account("registrar"));
  const sites = (await api.get("/api/v1/sites")).items as { id: string; code: string }[];
  const siteId = sites.find((s) => s.code === "BGD-C1")!.id;
  const registered = await api.command("person.register", {
    siteId,
    kind: "combatant",
    name: { arabic: who.arabic, latin: who.latin },
    birth: { year: 1985 },
    sex: "male",
    governorate: "IQ-BG",
    nationalId: who.nationalId,
    listedByGroup: false,
    consent: { given: true, recordedOn: "2026-02-11" },
  });
  await api.command(
    "handover.record",
    rifleHandover(siteId, registered.data.personId as string, "E2E-PERSONS-0001", "2026-02-11T10:00:00Z"),
  );
});

afterAll(async () => {
  await browser?.close();
});

describe.each(languages)("in %s", (language) => {
  const t = messages[language];
  it("the administrator finds a person by an Arabic and a Latin spelling and opens the record", async () => {
    const { context, page } = await openIn(browser, language);
    await signIn(page, language, "admin");
    await page
      .getByRole("navigation", { name: t.nav.label })
      .getByRole("link", { name: t.nav.persons })
      .click();
    await page.getByRole("heading", { level: 1, name: t.persons.title }).waitFor();
    for (const spelling of ["حيدر العبيدي", "Haidar al-Obaidi"]) {
      await page.getByLabel(t.persons.searchLabel).fill(spelling);
      await page.getByRole("button", { name: t.persons.search }).click();
      await page
        .getByRole("table", { name: t.persons.results })
        .getByRole("link", { name: "حيدر جاسم كريم العبيدي" })
        .waitFor();
    }
    expect(await accessibilityViolations(page), "the search and its results").toEqual([]);
    await screenshot(page, `${language}-admin-person-search`);
    await page.getByRole("link", { name: "حيدر جاسم كريم العبيدي" }).click();
    await page.getByText("Haidar Jasim Karim al-Obaidi").waitFor();
    await page.getByText(t.persons.recorded).waitFor();
    await page.getByRole("table", { name: t.persons.accessHistory }).waitFor();
    expect(await accessibilityViolations(page), "the person's record").toEqual([]);
    await screenshot(page, `${language}-admin-person-record`);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});

it("the registrar records a screening and issues a card from the record", async () => {
  const t = messages.en;
  const { context, page } = await openIn(browser, "en");
  await signIn(page, "en", "registrar");
  await page
    .getByRole("navigation", { name: t.nav.label })
    .getByRole("link", { name: t.nav.persons })
    .click();
  await page.getByLabel(t.persons.searchLabel).fill("Haidar al-Obaidi");
  await page.getByRole("button", { name: t.persons.search }).click();
  await page.getByRole("link", { name: "حيدر جاسم كريم العبيدي" }).click();
  await page.getByRole("button", { name: t.standing.actions.screen }).click();
  await page.getByRole("button", { name: t.standing.submit.screen }).click();
  await page.getByText(t.standing.screenedAt, { exact: true }).waitFor();
  await page.getByRole("button", { name: t.cards.steps.issue }).click();
  await page.getByRole("button", { name: t.cards.submit.issue }).click();
  await page.getByRole("table", { name: t.cards.title }).getByText(t.cards.statuses.active).waitFor();
  expect(pageErrors(page)).toEqual([]);
  await context.close();
});
