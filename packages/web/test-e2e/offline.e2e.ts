import { createHash } from "node:crypto";
import type { CollectionProgressView } from "@armsledger/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Messages } from "../src/i18n/en.ts";
import { rawQueueText } from "../test/raw-queue.ts";
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

// Offline field mode (issue 6) through the real server: the registrar opens the lane, the
// network is cut in the browser, a person is registered and hands in a rifle with no readable
// serial (its photo taken), everything is kept in the device's queue (encrypted: IndexedDB holds
// no name); the network returns, the queue sends by itself (photo first, then the person, then
// the handover). A second rifle's serial was typed as a placeholder: the server refuses the
// handover, which needs attention with the reason; the officer corrects it in the same form and it
// is sent. The receipt is then verified by the browser on the public page, and the rifles count on
// the administrator's dashboard.

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const people = {
  en: {
    latin: ["Sattar", "Jabbar", "al-Zubaidi"],
    arabic: ["ستار", "جبار", "الزبيدي"],
    year: "1984",
    id: "198433006611",
    serial: "E2E-OFFLINE-EN-5521",
  },
  ar: {
    latin: ["Muntadhar", "Karim", "al-Lami"],
    arabic: ["منتظر", "كريم", "اللامي"],
    year: "1991",
    id: "199144007722",
    serial: "E2E-OFFLINE-AR-5522",
  },
} as const;
const parts = ["given", "father", "family"] as const;

/** A 1×1 PNG, made unique per language so each run stores its own photo. */
const photo = (language: string) =>
  Buffer.concat([
    Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    ),
    Buffer.from(`offline e2e ${language} ${Date.now()}`),
  ]);

/** A figure as shown (Arabic-Indic or Western digits, grouped) read back as a number. */
const westernNumber = (shown: string) =>
  Number(shown.replace(/[٠-٩]/gu, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[^0-9]/gu, ""));

/** Rifles collected so far, as the dashboard's API gives them to the administrator. */
async function collectedRifles(language: (typeof languages)[number]): Promise<number> {
  const { context, page } = await openIn(browser, language);
  await signIn(page, language, "admin");
  const response = await page.request.get("/api/v1/reports/collection-progress");
  expect(response.status()).toBe(200);
  const progress = (await response.json()) as CollectionProgressView;
  await context.close();
  return progress.byCategory.find((c) => c.category === "rifle")?.collected ?? 0;
}

describe.each(languages)("in %s", (language) => {
  const t: Messages = messages[language];
  const l = t.lane;
  const q = t.queue;
  const who = people[language];
  const digits = (n: number) => n.toLocaleString(language === "ar" ? "ar-u-nu-arab" : "en-u-nu-latn");
  const counts = (pending: number, sent: number, attention: number) =>
    q.counts
      .replace("{{pending}}", digits(pending))
      .replace("{{sent}}", digits(sent))
      .replace("{{attention}}", digits(attention));

  it("the registrar registers a person and records a handover offline, corrects the refused serial, and the receipt verifies and counts on the dashboard", async () => {
    const riflesBefore = await collectedRifles(language);
    const { context, page } = await openIn(browser, language);
    await signIn(page, language, "registrar");
    await page.getByRole("navigation", { name: t.nav.label }).getByRole("link", { name: t.nav.lane }).click();
    const panel = page.getByRole("region", { name: q.heading });
    // The queue is open (the session's key fetched) before the network goes.
    await panel.getByText(/·/u).first().waitFor();

    await context.setOffline(true);
    await page.getByRole("button", { name: l.registerNew }).click();
    for (const [i, part] of parts.entries()) {
      await page.getByLabel(l.arabicName[part], { exact: true }).fill(who.arabic[i]!);
      await page.getByLabel(l.latinName[part], { exact: true }).fill(who.latin[i]!);
    }
    await page.getByLabel(l.birthYear).fill(who.year);
    await page.getByLabel(l.sex).selectOption("male");
    await page.getByLabel(l.governorate).selectOption("IQ-BG");
    await page.getByLabel(l.nationalId).fill(who.id);
    await page.getByLabel(l.consent).check();
    await page.getByRole("button", { name: l.register }).click();
    await page.getByText(q.queuedPerson).waitFor();

    await page.getByLabel(l.verifierName).fill("E2E Observer");
    await page.getByLabel(l.verifierAffiliation).fill("Monitoring mission");
    const weapon = page.getByRole("group", { name: l.weapon.legend.replace("{{n}}", "1") });
    await weapon.getByLabel(l.weapon.category).selectOption("rifle");
    await weapon.getByLabel(l.weapon.type).fill("assault rifle");
    await weapon.getByLabel(l.weapon.make).fill("Kalashnikov");
    await weapon.getByLabel(l.weapon.model).fill("AKM");
    await weapon.getByLabel(l.weapon.calibre).fill("7.62x39mm");
    await weapon.getByLabel(l.weapon.noReadableSerial).check();
    const bytes = photo(language);
    await weapon
      .getByLabel(l.weapon.photoFile)
      .setInputFiles({ name: "marking.png", mimeType: "image/png", buffer: bytes });
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    await expect.poll(() => weapon.getByLabel(l.weapon.photo, { exact: true }).inputValue()).toBe(sha256);
    await weapon.getByLabel(l.weapon.condition).selectOption("good");
    await weapon.getByLabel(l.weapon.serviceable).selectOption("yes");
    // A second rifle whose serial the officer typed as a placeholder: offline, nothing can refuse
    // it yet, so the handover is queued; the server will.
    await page.getByRole("button", { name: l.addWeapon }).click();
    const second = page.getByRole("group", { name: l.weapon.legend.replace("{{n}}", "2") });
    await second.getByLabel(l.weapon.category).selectOption("rifle");
    await second.getByLabel(l.weapon.type).fill("assault rifle");
    await second.getByLabel(l.weapon.make).fill("Kalashnikov");
    await second.getByLabel(l.weapon.model).fill("AKM");
    await second.getByLabel(l.weapon.calibre).fill("7.62x39mm");
    await second.getByLabel(l.weapon.serial).fill("xxx");
    await second.getByLabel(l.weapon.condition).selectOption("good");
    await second.getByLabel(l.weapon.serviceable).selectOption("yes");
    await page.getByRole("button", { name: l.record }).click();
    await page.getByText(q.queuedHandover).waitFor();
    await panel.getByText(counts(2, 0, 0)).waitFor();
    await screenshot(page, `${language}-registrar-lane-offline-queued`);
    expect(await accessibilityViolations(page), "lane (offline, queued)").toEqual([]);

    // On the device: ciphertext only (no name, national id or photo bytes in IndexedDB).
    const stored = await page.evaluate(rawQueueText);
    expect(stored).toContain("handover.record");
    for (const secret of [...who.latin, ...who.arabic, who.id, "offline e2e"])
      expect(stored).not.toContain(secret);

    // The network returns: the queue sends by itself. The person is recorded; the server refuses
    // the placeholder serial, so the handover needs attention, with the reason.
    await context.setOffline(false);
    await panel.getByText(counts(0, 1, 1)).waitFor({ timeout: 45_000 });
    await panel.getByText(t.problems["serial.placeholder"], { exact: false }).first().waitFor();
    await screenshot(page, `${language}-registrar-lane-offline-attention`);
    // Corrected and sent again: the form opens as typed, the refusal at its field.
    await panel.getByRole("button", { name: q.correct }).click();
    await page.getByRole("heading", { name: q.correctingHeading }).waitFor();
    const serial = page
      .getByRole("group", { name: l.weapon.legend.replace("{{n}}", "2") })
      .getByLabel(l.weapon.serial);
    expect(await serial.inputValue()).toBe("xxx");
    await expect.poll(() => serial.getAttribute("aria-invalid")).toBe("true");
    await serial.fill(who.serial);
    await page.getByRole("button", { name: l.record }).click();
    // Sent: the queue lists the corrected handover with its receipt (the refused one is kept as
    // history, "refused, then corrected").
    await panel.getByText(counts(0, 2, 0)).waitFor({ timeout: 45_000 });
    const result = panel.getByRole("row").filter({ hasText: /R-\d{7,}-\d/u });
    await result.waitFor();
    await panel.getByText(q.statuses.replaced).waitFor();
    // The lane shows the corrected handover's result, not its "kept on this device" notice.
    await page.getByRole("region", { name: l.resultHeading }).waitFor();
    expect(await page.getByText(q.queuedHandover).count()).toBe(0);
    await screenshot(page, `${language}-registrar-lane-offline-synced`);
    const pdf = await page.request.get(
      (await result.getByRole("link", { name: l.printReceipt }).getAttribute("href"))!,
    );
    expect(pdf.status()).toBe(200);
    // The photo travelled with its command: stored under its SHA-256, readable by its uploader.
    const stored2 = await page.request.get(`/api/v1/files/${sha256}`);
    expect(stored2.status()).toBe(200);
    expect(Buffer.from(await stored2.body()).equals(bytes)).toBe(true);
    // The person is on the record.
    const found = await page.request.get(
      `/api/v1/persons/search?q=${encodeURIComponent(who.latin.join(" "))}`,
    );
    expect(((await found.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);

    // The receipt, verified by the browser itself on the public page once a signed checkpoint
    // covers it (the server signs every second).
    const number = (await result.textContent())?.match(/R-\d{7,}-\d/u)?.[0];
    expect(number, "the receipt number in the queue").toBeDefined();
    await expect
      .poll(async () => (await page.request.get(`/api/v1/receipts/${number}/proof`)).status(), {
        timeout: 20_000,
      })
      .toBe(200);
    await page.goto("/receipt");
    await page.getByLabel(t.receipt.number).fill(number!);
    await page.getByRole("button", { name: t.receipt.check }).click();
    const verified = page.locator('[data-outcome="verified"]');
    await verified.waitFor();
    expect(await verified.textContent()).toContain(number!);
    expect(pageErrors(page)).toEqual([]);
    await context.close();

    // On the dashboard: the administrator sees both rifles among those collected (other specs
    // record handovers meanwhile, so the figure is at least what it was before plus these two).
    const admin = await openIn(browser, language);
    await signIn(admin.page, language, "admin");
    await admin.page
      .getByRole("navigation", { name: t.nav.label })
      .getByRole("link", { name: t.nav.dashboard })
      .click();
    const rifle = admin.page
      .getByRole("table", { name: t.dashboard.byCategory })
      .getByRole("row")
      .filter({ hasText: t.categories.rifle });
    await rifle.waitFor();
    const collected = (await rifle.getByRole("cell").allTextContents())[2] ?? "";
    expect(westernNumber(collected)).toBeGreaterThanOrEqual(riflesBefore + 2);
    await admin.context.close();
  });

  it("a lane reloaded with the network down still opens (service worker), unlocks with the password, queues a registration and sends it when the network returns", async () => {
    const { context, page } = await openIn(browser, language);
    await signIn(page, language, "registrar");
    await page.getByRole("navigation", { name: t.nav.label }).getByRole("link", { name: t.nav.lane }).click();
    const panel = page.getByRole("region", { name: q.heading });
    await panel.getByText(/·/u).first().waitFor();
    // The service worker has precached the app, and sign-in kept the sealed copy for offline work.
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.state)))
      .toBe("activated");
    await expect.poll(() => page.evaluate(offlineCopyKept)).toBe(true);

    await context.setOffline(true);
    await page.reload();
    // The app came from the service worker's cache; the server cannot say who is signed in.
    await page.getByRole("heading", { name: t.offline.title }).waitFor();
    await page.getByLabel(t.session.password).fill("not the password");
    await page.getByRole("button", { name: t.offline.submit }).click();
    await page.getByText(t.offline.wrong).waitFor();
    await page.getByLabel(t.session.password).fill(account("registrar").password);
    await page.getByRole("button", { name: t.offline.submit }).click();
    await panel.getByText(/·/u).first().waitFor();
    await screenshot(page, `${language}-registrar-lane-reloaded-offline`);
    expect(await accessibilityViolations(page), "lane (reloaded offline)").toEqual([]);

    const who = reloaded[language];
    await page.getByRole("button", { name: l.registerNew }).click();
    for (const [i, part] of parts.entries()) {
      await page.getByLabel(l.arabicName[part], { exact: true }).fill(who.arabic[i]!);
      await page.getByLabel(l.latinName[part], { exact: true }).fill(who.latin[i]!);
    }
    await page.getByLabel(l.birthYear).fill(who.year);
    await page.getByLabel(l.sex).selectOption("male");
    await page.getByLabel(l.governorate).selectOption("IQ-NI");
    await page.getByLabel(l.nationalId).fill(who.id);
    await page.getByLabel(l.consent).check();
    await page.getByRole("button", { name: l.register }).click();
    await page.getByText(q.queuedPerson).waitFor();
    await panel.getByText(counts(1, 0, 0)).waitFor();

    // Reopened in a new tab, still offline: the app again, the queue behind the password again
    // (the key is in no page's memory but the one that opened it).
    const reopened = await context.newPage();
    await reopened.goto("/lane");
    await reopened.getByRole("heading", { name: t.offline.title }).waitFor();
    await reopened.close();

    await context.setOffline(false);
    await panel.getByText(counts(0, 1, 0)).waitFor({ timeout: 45_000 });
    const found = await page.request.get(
      `/api/v1/persons/search?q=${encodeURIComponent(who.latin.join(" "))}`,
    );
    expect(((await found.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    // The service worker's caches hold the app's files, never an API answer.
    const cached = await page.evaluate(cachedUrls);
    expect(cached.some((u) => new URL(u).pathname === "/index.html")).toBe(true);
    expect(cached.filter((u) => /\/(api|log)\//u.test(new URL(u).pathname))).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});

const reloaded = {
  en: {
    latin: ["Haidar", "Salim", "al-Obaidi"],
    arabic: ["حيدر", "سالم", "العبيدي"],
    year: "1987",
    id: "198755008833",
  },
  ar: {
    latin: ["Mustafa", "Hamid", "al-Shammari"],
    arabic: ["مصطفى", "حامد", "الشمري"],
    year: "1993",
    id: "199366009944",
  },
} as const;

/** In the page: whether sign-in kept the sealed copy that opens the queue offline (session/offline.ts). */
const offlineCopyKept = () =>
  new Promise<boolean>((resolve) => {
    const open = indexedDB.open("armsledger-offline");
    open.onerror = () => resolve(false);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains("unlock")) return resolve(false);
      const get = db.transaction("unlock").objectStore("unlock").count();
      get.onsuccess = () => {
        resolve(get.result > 0);
        db.close();
      };
    };
  });

/** In the page: every URL held in the Cache Storage (the service worker's precache). */
const cachedUrls = async () => {
  const urls: string[] = [];
  for (const name of await caches.keys())
    for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
  return urls;
};
