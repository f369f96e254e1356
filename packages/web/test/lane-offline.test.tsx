import "fake-indexeddb/auto";
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { IDBFactory } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ar } from "../src/i18n/ar.ts";
import { en } from "../src/i18n/en.ts";
import { account, fakeApi } from "./fake-api.ts";
import { commands, queueKey, renderLane } from "./lane-api.tsx";
import { rawQueueText } from "./raw-queue.ts";

// The collection lane with the network down (issue 6): what is made offline is queued on the
// device (encrypted), shown in the queue panel, and sent by itself when the browser is back
// online; a refusal is corrected in its own form and sent again; another account's queued work
// is counted, never shown.

afterEach(() => vi.unstubAllGlobals());
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

const siteId = "11111111-1111-4111-8111-111111111111";
const sites = {
  items: [{ id: siteId, code: "BGD-C1", kind: "collection", nameAr: "موقع الرصافة", nameEn: "Rusafa site" }],
};
const handoverId = "44444444-4444-4444-8444-444444444444";
const recordedHandover = {
  seq: 8,
  data: {
    handoverId,
    receiptNumber: "R-0000008-3",
    eligibility: { status: "eligible", reasons: ["eligible_weapon"] },
    weapons: [{ itemId: "w1", tag: "W-0000008-01", category: "rifle" }],
    ammunition: [],
  },
};
const failToFetch = () => {
  throw new TypeError("Failed to fetch");
};

/** What the lane asks of the API, for `who`; the searches the registration makes answer `search`. */
const laneRoutes = (
  sync: unknown,
  search: unknown = { items: [] },
  who: object = account("registrar"),
  key = queueKey,
) => ({
  "GET /api/v1/me": who,
  "GET /api/v1/sites": sites,
  "GET /api/v1/groups": { items: [] },
  "GET /api/v1/me/queue-key": key,
  [`GET /api/v1/persons/search?${new URLSearchParams({ q: "Salam al-Obaidi", limit: "10" })}`]: search,
  [`GET /api/v1/persons/search?${new URLSearchParams({ q: "Salam", limit: "10" })}`]: search,
  "POST /api/v1/commands/sync": sync,
});

const type = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

/** Fills and sends the registration of "Salam al-Obaidi", in the lane's language `t`. */
async function register(t: typeof en.lane, nationalId = "A1234567") {
  fireEvent.click(await screen.findByRole("button", { name: t.registerNew }));
  type(t.latinName.given, "Salam");
  type(t.latinName.family, "al-Obaidi");
  type(t.birthYear, "1993");
  type(t.sex, "male");
  type(t.governorate, "IQ-BG");
  type(t.nationalId, nationalId);
  fireEvent.click(screen.getByLabelText(t.consent));
  fireEvent.click(screen.getByRole("button", { name: t.register }));
}

/** Registers "Salam al-Obaidi" and records a rifle for him, in the lane's language `t`. */
async function registerAndHandOver(t: typeof en.lane) {
  await register(t);
  await screen.findByRole("heading", { name: t.itemsHeading });
  type(t.verifierName, "Observer One");
  type(t.verifierAffiliation, "Monitoring mission");
  type(t.weapon.category, "rifle");
  type(t.weapon.type, "assault rifle");
  type(t.weapon.serial, "AK-47-123456");
  type(t.weapon.condition, "good");
  type(t.weapon.serviceable, "yes");
  fireEvent.click(screen.getByRole("button", { name: t.record }));
}

describe("the collection lane offline", () => {
  it("queues a registration and a handover with the network down, then sends them in order when it returns", async () => {
    const t = en.lane;
    let online = false;
    const api = commands(({ type: kind, payload }) =>
      kind === "person.register"
        ? { body: { seq: 7, data: { ...payload, registeredOn: "2026-03-01" } } }
        : { body: recordedHandover },
    );
    const calls = fakeApi(
      laneRoutes((init: RequestInit) => (online ? api.route(init) : failToFetch()), failToFetch),
    );
    renderLane({ language: "en", digits: "latn" });
    const panel = within(await screen.findByRole("region", { name: en.queue.heading }));
    // The browser says it is offline (the query library would hold mutations back: the lane's must not wait).
    window.dispatchEvent(new Event("offline"));
    await registerAndHandOver(t);
    expect(await screen.findByText(en.queue.queuedHandover)).toBeTruthy();
    expect(screen.getByText(en.queue.queuedPerson)).toBeTruthy();
    expect(panel.getByText("Waiting to send: 2 · Sent: 0 · Needs attention: 0")).toBeTruthy();
    expect(panel.getByText(en.queue.stopped)).toBeTruthy();
    expect(api.sent).toHaveLength(0);

    // At rest on the device: no name, no national id, no serial in the clear.
    const raw = await rawQueueText();
    expect(raw).toContain("person.register");
    for (const secret of ["Salam", "al-Obaidi", "A1234567", "AK-47-123456", "Observer One"])
      expect(raw).not.toContain(secret);

    // The network returns: the browser says so, and the queue sends by itself.
    online = true;
    window.dispatchEvent(new Event("online"));
    expect(await panel.findByText("Waiting to send: 0 · Sent: 2 · Needs attention: 0")).toBeTruthy();
    const [registration, handover] = api.sent;
    expect(registration!.type).toBe("person.register");
    expect(handover!.type).toBe("handover.record");
    // The handover names the person by the id the lane made for them offline.
    expect((handover!.payload.from as { personId: string }).personId).toBe(registration!.payload.personId);
    // Still at the table: the result and the receipt appear once sent.
    const result = within(await screen.findByRole("region", { name: t.resultHeading }));
    expect(result.getByText("R-0000008-3")).toBeTruthy();
    expect(panel.getByText("R-0000008-3")).toBeTruthy();
    expect(calls.filter((c) => c === "POST /api/v1/commands/sync").length).toBeGreaterThanOrEqual(3);
  });

  it("puts a refused registration in needs attention (Arabic), holds its handover, and sends both once corrected", async () => {
    const t = ar.lane;
    let online = false;
    const api = commands(({ type: kind, payload }) => {
      if (kind === "person.register")
        return payload.nationalId === "A1234567"
          ? {
              status: 422,
              body: {
                status: 422,
                code: "rule.violated",
                detail: "This national id is already registered to another person.",
                errors: [{ path: "payload.nationalId", message: "already registered" }],
              },
            }
          : { body: { seq: 7, data: { ...payload, registeredOn: "2026-03-01" } } };
      return api.sent.some((s) => s.type === "person.register" && s.payload.nationalId !== "A1234567")
        ? { body: recordedHandover }
        : { status: 422, body: { status: 422, code: "reference.unknown", detail: "no such person" } };
    });
    fakeApi(laneRoutes((init: RequestInit) => (online ? api.route(init) : failToFetch())));
    renderLane({ language: "ar", digits: "arab" });
    const panel = within(await screen.findByRole("region", { name: ar.queue.heading }));
    await registerAndHandOver(t as unknown as typeof en.lane);
    expect(await screen.findByText(ar.queue.queuedHandover)).toBeTruthy();

    online = true;
    fireEvent.click(panel.getByRole("button", { name: ar.queue.sendNow }));
    // The reason in the reader's language, and the handover waiting for its person.
    expect(await panel.findByText(ar.problems["rule.violated"], { exact: false })).toBeTruthy();
    expect(panel.getByText(ar.queue.heldBy)).toBeTruthy();
    expect(panel.getAllByText(ar.queue.statuses.attention)).toHaveLength(2);

    // Correct: the registration form opens as typed, the refusal at its field.
    fireEvent.click(panel.getByRole("button", { name: ar.queue.correct }));
    expect(await screen.findByRole("heading", { name: ar.queue.correctingHeading })).toBeTruthy();
    const nationalId = screen.getByLabelText(t.nationalId) as HTMLInputElement;
    expect(nationalId.value).toBe("A1234567");
    expect(nationalId.getAttribute("aria-invalid")).toBe("true");
    type(t.nationalId, "B7654321");
    fireEvent.click(screen.getByRole("button", { name: t.register }));
    expect(await panel.findByText(/أُرسل: ٢/u)).toBeTruthy();
    expect(panel.getByText(ar.queue.statuses.replaced)).toBeTruthy();
    expect(panel.queryByText(ar.queue.statuses.attention)).toBeNull();
    // A new command for the corrected registration, the same person; the handover unchanged.
    const registrations = api.sent.filter((s) => s.type === "person.register");
    expect(registrations).toHaveLength(2);
    expect(registrations[1]!.commandId).not.toBe(registrations[0]!.commandId);
    expect(registrations[1]!.payload.personId).toBe(registrations[0]!.payload.personId);
    const handovers = api.sent.filter((s) => s.type === "handover.record");
    expect(handovers.at(-1)!.commandId).toBe(handovers[0]!.commandId);
    expect(api.sent.at(-1)!.type).toBe("handover.record");
  });

  it("counts another account's queued work on this device without showing it", async () => {
    const t = en.lane;
    fakeApi(laneRoutes(failToFetch));
    renderLane({ language: "en", digits: "latn" });
    await registerAndHandOver(t);
    expect(await screen.findByText(en.queue.queuedHandover)).toBeTruthy();
    cleanup();

    // Another registrar signs in on the same laptop: its own key opens none of it.
    const other = { ...account("registrar"), id: "0190f5a2-7c1e-7b3a-9f00-00000000000b" };
    const otherKey = {
      ...queueKey,
      key: btoa(String.fromCharCode(...new Uint8Array(32).fill(9))).replace(/=+$/u, ""),
    };
    fakeApi(laneRoutes({ results: [] }, { items: [] }, other, otherKey));
    renderLane({ language: "en", digits: "latn" });
    expect(await screen.findByText(en.queue.othersWaiting.replace("{{n}}", "2"))).toBeTruthy();
    expect(screen.queryByText(/Salam/u)).toBeNull();
    expect(screen.getByText("Waiting to send: 0 · Sent: 0 · Needs attention: 0")).toBeTruthy();
  });

  it("discards a refused command only after a confirmation, and keeps it listed as discarded", async () => {
    const t = en.lane;
    const api = commands(() => ({
      status: 422,
      body: {
        status: 422,
        code: "rule.violated",
        detail: "This national id is already registered to another person.",
        errors: [{ path: "payload.nationalId", message: "already registered" }],
      },
    }));
    fakeApi(laneRoutes(api.route));
    renderLane({ language: "en", digits: "latn" });
    const panel = within(await screen.findByRole("region", { name: en.queue.heading }));
    await register(t);
    // Refused while online: at its field in the form, and in the queue as needing attention.
    expect(await panel.findByText(en.queue.statuses.attention)).toBeTruthy();
    await vi.waitFor(() =>
      expect((screen.getByLabelText(t.nationalId) as HTMLInputElement).getAttribute("aria-invalid")).toBe(
        "true",
      ),
    );
    fireEvent.click(panel.getByRole("button", { name: en.queue.discard }));
    expect(panel.getByText(en.queue.discardConfirm)).toBeTruthy();
    // The focus is on "Keep it": Enter by habit keeps the command.
    expect(document.activeElement).toBe(panel.getByRole("button", { name: en.queue.discardNo }));
    fireEvent.click(panel.getByRole("button", { name: en.queue.discardNo }));
    expect(panel.getByText(en.queue.statuses.attention)).toBeTruthy();
    fireEvent.click(panel.getByRole("button", { name: en.queue.discard }));
    fireEvent.click(panel.getByRole("button", { name: en.queue.discardYes }));
    expect(await panel.findByText(en.queue.statuses.discarded)).toBeTruthy();
    expect(panel.getByText("Waiting to send: 0 · Sent: 0 · Needs attention: 0")).toBeTruthy();
    expect(api.sent).toHaveLength(1);
  });
});
