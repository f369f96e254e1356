import { createHash } from "node:crypto";
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
// the handover), the receipt appears and the queue is empty.

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
  },
  ar: {
    latin: ["Muntadhar", "Karim", "al-Lami"],
    arabic: ["منتظر", "كريم", "اللامي"],
    year: "1991",
    id: "199144007722",
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

  it("the registrar registers a person and records a handover offline; both are sent when the network returns", async () => {
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

    // The network returns: the queue sends by itself; the receipt appears; nothing waits.
    await context.setOffline(false);
    const result = page.getByRole("region", { name: l.resultHeading });
    await result.waitFor({ timeout: 45_000 });
    await panel.getByText(counts(0, 2, 0)).waitFor();
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
    expect(pageErrors(page)).toEqual([]);
    await context.close();
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
