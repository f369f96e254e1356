import "fake-indexeddb/auto";
import { handover, person } from "@armsledger/core";
import { fireEvent, screen, within } from "@testing-library/react";
import { IDBFactory } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ar } from "../src/i18n/ar.ts";
import { en } from "../src/i18n/en.ts";
import { account, fakeApi } from "./fake-api.ts";
import { commands, queueKey, renderLane } from "./lane-api.tsx";

afterEach(() => vi.unstubAllGlobals());
// Each test starts with an empty device (the lane's queue lives in IndexedDB).
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

const siteId = "11111111-1111-4111-8111-111111111111";
const sites = {
  items: [
    {
      id: "22222222-2222-4222-8222-222222222222",
      code: "DEP-01",
      kind: "depot",
      nameAr: "مستودع",
      nameEn: "Depot",
    },
    { id: siteId, code: "BGD-C1", kind: "collection", nameAr: "موقع الرصافة", nameEn: "Rusafa site" },
  ],
};
const personId = "33333333-3333-4333-8333-333333333333";
const handoverId = "44444444-4444-4444-8444-444444444444";
const earlier = {
  matchedWords: 2,
  person: {
    id: "55555555-5555-4555-8555-555555555555",
    siteId,
    kind: "combatant",
    name: { latin: { given: "Salaam", family: "Obaidi" }, arabic: { given: "سلام", family: "العبيدي" } },
    motherName: null,
    birthDate: null,
    birthYear: 1990,
    sex: "male",
    governorate: "IQ-BG",
    groupId: null,
    role: null,
    nationalId: "A1234567",
    listedByGroup: false,
    registeredOn: "2026-01-05",
    ageGroup: "adult",
    eligible: false,
    registeredSeq: 4,
    duplicateReview: "none",
  },
};
const search = (q: string) => `GET /api/v1/persons/search?${new URLSearchParams({ q, limit: "10" })}`;

/** Types into the field labelled `label` (within one item's group when given). */
const type = (label: string, value: string, scope: Pick<typeof screen, "getByLabelText"> = screen) =>
  fireEvent.change(scope.getByLabelText(label), { target: { value } });

describe("the collection lane", () => {
  it("registers a person with duplicate warnings, refuses a placeholder serial at its field, records the handover and starts the next person", async () => {
    const t = en.lane;
    let handovers = 0;
    let dropNext = false;
    const api = commands(({ type: kind, payload }) => {
      if (kind === "person.register")
        return { body: { seq: 7, data: { ...payload, personId, registeredOn: "2026-03-01" } } };
      handovers++;
      if (dropNext) {
        dropNext = false;
        throw new TypeError("Failed to fetch");
      }
      const weapons = payload.weapons as { serial?: string }[];
      if (weapons[0]?.serial === "xxx")
        return {
          status: 422,
          body: {
            status: 422,
            code: "serial.placeholder",
            detail: "“xxx” is a placeholder, not a serial number.",
            errors: [{ path: "payload.weapons.0.serial", message: "placeholder" }],
          },
        };
      return {
        body: {
          seq: 8,
          data: {
            handoverId,
            receiptNumber: "R-0000008-3",
            eligibility: { status: "eligible", reasons: ["eligible_weapon"] },
            weapons: [{ itemId: "w1", tag: "W-0000008-01", category: "rifle" }],
            ammunition: [{ lotId: "a1", tag: "A-0000008-01", quantity: 120, unit: "rounds" }],
          },
        },
      };
    });
    const calls = fakeApi({
      "GET /api/v1/me": account("registrar"),
      "GET /api/v1/sites": sites,
      "GET /api/v1/groups": { items: [] },
      [search("Salam")]: { items: [earlier] },
      [search("Salam al-Obaidi")]: {
        items: [
          earlier,
          // Shares one word of two: listed by a search, but not a likely duplicate.
          {
            matchedWords: 1,
            person: {
              ...earlier.person,
              id: "66666666-6666-4666-8666-666666666666",
              name: { latin: { given: "Salam", family: "Haddad" } },
            },
          },
        ],
      },
      "GET /api/v1/me/queue-key": queueKey,
      "POST /api/v1/commands/sync": api.route,
    });
    renderLane({ language: "en", digits: "latn" });
    await screen.findByRole("heading", { level: 1, name: t.title });
    // Only the collection site is offered (a depot records no handovers).
    const site = (await screen.findByLabelText(t.site)) as HTMLSelectElement;
    expect([...site.options].map((o) => o.textContent)).toEqual(["Rusafa site (BGD-C1)"]);

    // Find: the search waits for a pause, then shows who is registered, in either script.
    type(t.search, "Salam");
    const found = await screen.findByRole("table", { name: t.searchResults });
    expect(within(found).getByText("Salaam Obaidi")).toBeTruthy();
    expect(calls.filter((c) => c.startsWith("GET /api/v1/persons/search"))).toHaveLength(1);

    // Register: the browser checks the form with core's schema first (nothing is sent).
    fireEvent.click(screen.getByRole("button", { name: t.registerNew }));
    fireEvent.click(screen.getByRole("button", { name: t.register }));
    expect(await screen.findByLabelText(t.sex)).toHaveProperty("ariaInvalid", "true");
    expect(api.sent).toHaveLength(0);
    type(t.latinName.given, "Salam");
    type(t.latinName.family, "al-Obaidi");
    // Live duplicate warning as the name is typed.
    expect(await screen.findByText(/Already registered with a similar name: 1\./)).toBeTruthy();
    const similar = screen.getByRole("table", { name: t.similarPeople });
    expect(within(similar).getByText("Salaam Obaidi")).toBeTruthy();
    expect(within(similar).queryByText("Salam Haddad")).toBeNull();
    type(t.birthYear, "1993");
    type(t.sex, "male");
    type(t.governorate, "IQ-BG");
    fireEvent.click(screen.getByLabelText(t.consent));
    fireEvent.click(screen.getByRole("button", { name: t.register }));
    await screen.findByRole("heading", { name: t.itemsHeading });
    const registration = api.sent[0]!;
    expect(registration.type).toBe("person.register");
    expect(registration.commandId).toMatch(/^[0-9a-f-]{36}$/);
    expect(person.safeParse(registration.payload).success).toBe(true);
    expect(registration.payload).toMatchObject({ siteId, birth: { year: 1993 }, consent: { given: true } });

    // The handover: a placeholder serial is refused by the server, next to the serial field.
    type(t.verifierName, "Observer One");
    type(t.verifierAffiliation, "Monitoring mission");
    type(t.weapon.category, "rifle");
    type(t.weapon.type, "assault rifle");
    type(t.weapon.serial, "xxx");
    type(t.weapon.condition, "good");
    type(t.weapon.serviceable, "yes");
    fireEvent.click(screen.getByRole("button", { name: t.addAmmunition }));
    // Each item is a group named by its legend; the new one has the focus, ready to type.
    const lot = within(screen.getByRole("group", { name: "Ammunition lot 1" }));
    expect(document.activeElement).toBe(lot.getByLabelText(t.ammunition.kind));
    type(t.ammunition.kind, "cartridge", lot);
    type(t.ammunition.calibreOrType, "7.62x39mm", lot);
    type(t.ammunition.quantity, "120", lot);
    type(t.ammunition.condition, "stable", lot);
    type(t.ammunition.safeToMove, "yes", lot);
    fireEvent.click(screen.getByRole("button", { name: t.record }));
    const serial = screen.getByLabelText(t.weapon.serial);
    await vi.waitFor(() => expect(serial.getAttribute("aria-invalid")).toBe("true"));
    const serialError = document.getElementById(serial.getAttribute("aria-describedby")!.split(" ").at(-1)!)!;
    expect(serialError.textContent).toContain(en.problems["serial.placeholder"]);
    expect(serialError.textContent).toContain("placeholder");
    expect(screen.getByText("“xxx” is a placeholder, not a serial number.")).toBeTruthy();
    // Shown at its field, so not again in the list of errors no field shows.
    expect(screen.queryByText("payload.weapons.0.serial")).toBeNull();

    // Refused: kept in the queue as needing attention, with the reason.
    const panel = within(screen.getByRole("region", { name: en.queue.heading }));
    expect(panel.getByText(en.queue.statuses.attention)).toBeTruthy();

    // Corrected and sent again: a new command (new id), recorded; the result and the receipt.
    type(t.weapon.serial, "AK-47-123456");
    // The link drops: the handover is kept in the queue, and the queue sends it again with the
    // same command id (here at once, with "Send now"), so it is recorded once.
    dropNext = true;
    fireEvent.click(screen.getByRole("button", { name: t.record }));
    expect(await screen.findByText(en.queue.queuedHandover)).toBeTruthy();
    expect(panel.getByText(en.queue.stopped)).toBeTruthy();
    fireEvent.click(panel.getByRole("button", { name: en.queue.sendNow }));
    const result = within(await screen.findByRole("region", { name: t.resultHeading }));
    expect(result.getByText(t.eligibility.eligible)).toBeTruthy();
    expect(result.getByText(t.reasons.eligible_weapon)).toBeTruthy();
    expect(result.getByText("R-0000008-3")).toBeTruthy();
    expect(result.getByText("W-0000008-01")).toBeTruthy();
    expect(result.getByRole("link", { name: t.printReceipt }).getAttribute("href")).toBe(
      `/api/v1/handovers/${handoverId}/receipt.pdf`,
    );
    // The labels, on the roll size chosen (remembered for the next person).
    type(t.labelSize, "101x51");
    expect(result.getByRole("link", { name: t.printLabels }).getAttribute("href")).toBe(
      `/api/v1/handovers/${handoverId}/labels.pdf?size=101x51`,
    );
    expect(localStorage.getItem("armsledger.labelSize")).toBe("101x51");
    const [refused, lost, recorded] = api.sent.slice(1);
    expect(handovers).toBe(3);
    expect(recorded!.commandId).not.toBe(refused!.commandId);
    expect(recorded!.commandId).toBe(lost!.commandId);
    expect(recorded!.payload).toEqual(lost!.payload);
    expect(handover.safeParse(recorded!.payload).success).toBe(true);
    expect(recorded!.payload).toMatchObject({
      siteId,
      from: { kind: "person", personId },
      verifyingOfficer: { name: "Observer One", affiliation: "Monitoring mission" },
      weapons: [{ category: "rifle", serial: "AK-47-123456", serviceable: true, noReadableSerial: false }],
      ammunition: [{ kind: "cartridge", quantity: 120, unit: "rounds", safeToMove: true }],
    });

    // Next person: the lane starts again, the verifying officer stays.
    fireEvent.click(screen.getByRole("button", { name: t.nextPerson }));
    expect(((await screen.findByLabelText(t.search)) as HTMLInputElement).value).toBe("");
    expect(screen.queryByRole("region", { name: t.resultHeading })).toBeNull();
    // The queue keeps the record of what was sent (the refused handover as corrected since).
    expect(panel.getByText(/Waiting to send: 0 · Sent: 2 · Needs attention: 0/u)).toBeTruthy();
    expect(panel.getByText(en.queue.statuses.replaced)).toBeTruthy();
  });

  it("says in Arabic that a registration held for duplicate review blocks the receipt", async () => {
    const t = ar.lane;
    const api = commands(({ payload }) => ({
      body: { seq: 9, data: { ...payload, personId, duplicateReview: "pending" } },
    }));
    fakeApi({
      "GET /api/v1/me": account("registrar"),
      "GET /api/v1/sites": sites,
      "GET /api/v1/groups": { items: [] },
      [search("سلام")]: { items: [earlier] },
      "GET /api/v1/me/queue-key": queueKey,
      "POST /api/v1/commands/sync": api.route,
    });
    renderLane({ language: "ar", digits: "arab" });
    fireEvent.click(await screen.findByRole("button", { name: t.registerNew }));
    type(t.arabicName.given, "سلام");
    expect(await screen.findByRole("table", { name: t.similarPeople })).toBeTruthy();
    // The count in the reader's digits.
    expect(screen.getByText(/مسجّلون من قبل بأسماء مشابهة: ١\./)).toBeTruthy();
    type(t.birthDate, "1993-04-02");
    type(t.sex, "male");
    type(t.governorate, "IQ-BG");
    fireEvent.click(screen.getByRole("button", { name: t.register }));
    expect(await screen.findByText(t.reviewPendingTitle)).toBeTruthy();
    expect(screen.getByText(t.reviewPendingText)).toBeTruthy();
    // No handover form: the server would refuse it until a reviewer decides.
    expect(screen.queryByRole("button", { name: t.record })).toBeNull();
    expect(api.sent[0]!.payload).toMatchObject({
      name: { arabic: { given: "سلام" } },
      birth: { date: "1993-04-02" },
    });
    expect(document.documentElement.dir).toBe("rtl");
  });
});
