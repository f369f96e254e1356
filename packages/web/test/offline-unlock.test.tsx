import "fake-indexeddb/auto";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { IDBFactory } from "fake-indexeddb";
import { MemoryRouter } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App, AppProviders, newQueryClient } from "../src/app/App.tsx";
import { offerUpdate, resetUpdate } from "../src/app/update.ts";
import { en } from "../src/i18n/en.ts";
import { openJson, sealJson } from "../src/lane/queue/crypto.ts";
import {
  forgetOffline,
  keepForOffline,
  offlineUnlockAvailable,
  unlockOffline,
} from "../src/session/offline.ts";
import type { Account } from "../src/session/session.ts";
import { account, fakeApi, signedOut } from "./fake-api.ts";
import { queueKey } from "./lane-api.tsx";

// A page reloaded or reopened with the network down (issue 6): the service worker gives the app
// back, but the session and the queue key were in memory. The copy kept at sign-in, sealed under
// the password, opens the lane again; it goes with the session. And a new version waiting in the
// service worker is taken on a fresh load, offered later.

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  resetUpdate();
});
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

const FAST = 1_000; // PBKDF2 iterations for tests: the real count is the slow part, not the logic.
const future = "2099-01-01T00:00:00Z";
const registrar: Account = account("registrar") as Account;
const siteId = "11111111-1111-4111-8111-111111111111";
const reference = {
  sites: {
    items: [
      { id: siteId, code: "BGD-C1", kind: "collection", nameAr: "موقع الرصافة", nameEn: "Rusafa site" },
    ],
  },
  groups: { items: [] },
};
const unreachable = () => {
  throw new TypeError("Failed to fetch");
};

function renderApp(path: string) {
  return render(
    <AppProviders
      client={newQueryClient()}
      settings={{ language: "en", digits: "latn" }}
      router={(app) => <MemoryRouter initialEntries={[path]}>{app}</MemoryRouter>}
    >
      <App />
    </AppProviders>,
  );
}

/** Everything IndexedDB holds for the offline copy, as text (the sealed bytes decoded too). */
async function rawCopyText(): Promise<string> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open("armsledger-offline");
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const all = await new Promise<unknown[]>((resolve) => {
    const get = db.transaction("unlock").objectStore("unlock").getAll();
    get.onsuccess = () => resolve(get.result);
  });
  db.close();
  const decoder = new TextDecoder("latin1");
  return JSON.stringify(all, (_k, v) =>
    v instanceof ArrayBuffer || ArrayBuffer.isView(v)
      ? decoder.decode(v instanceof ArrayBuffer ? v : (v as Uint8Array))
      : v,
  );
}

describe("the copy kept for offline work", () => {
  it("opens with the password only, gives the same queue key, and holds nothing in the clear", async () => {
    await keepForOffline(registrar, "correct horse", future, queueKey.key, reference, FAST);
    expect(await offlineUnlockAvailable()).toBe(true);
    expect(await unlockOffline("wrong horse")).toBeUndefined();
    const opened = await unlockOffline("correct horse");
    expect(opened?.account).toEqual(registrar);
    expect(opened?.reference).toEqual(reference);
    // The key opened is the session's: what it seals, the server's key opens (and the other way).
    const { importQueueKey } = await import("../src/lane/queue/crypto.ts");
    const sealed = await sealJson(opened!.queueKey, "c1", { n: 1 });
    expect(await openJson(await importQueueKey(queueKey.key), "c1", sealed)).toEqual({ n: 1 });

    const raw = await rawCopyText();
    for (const secret of [registrar.displayName, registrar.username, "correct horse", queueKey.key, "Rusafa"])
      expect(raw).not.toContain(secret);
  });

  it("is refused and deleted once the session has expired; forgotten on demand", async () => {
    await keepForOffline(registrar, "pw", "2026-01-01T00:00:00Z", queueKey.key, {}, FAST);
    expect(await unlockOffline("pw", new Date("2026-01-02T00:00:00Z"))).toBeUndefined();
    expect(await offlineUnlockAvailable(new Date("2025-01-01T00:00:00Z"))).toBe(false); // deleted, not just refused

    await keepForOffline(registrar, "pw", future, queueKey.key, {}, FAST);
    await forgetOffline();
    expect(await offlineUnlockAvailable()).toBe(false);
  });

  it("is kept at sign-in for a lane account (with the real PBKDF2 count), and not for others", async () => {
    let me: unknown = signedOut;
    fakeApi({
      get "GET /api/v1/me"() {
        return me;
      },
      "POST /api/v1/auth/login": (init: RequestInit) => {
        me = account(JSON.parse(String(init.body)).username);
        return Response.json({ account: me, expiresAt: future });
      },
      "GET /api/v1/me/queue-key": queueKey,
      "GET /api/v1/sites": reference.sites,
      "GET /api/v1/groups": reference.groups,
      "POST /api/v1/auth/logout": () => {
        me = signedOut;
        return new Response(null, { status: 204 });
      },
    });
    renderApp("/sign-in");
    fireEvent.change(await screen.findByLabelText(en.session.username), { target: { value: "registrar" } });
    fireEvent.change(screen.getByLabelText(en.session.password), { target: { value: "s3cret pass" } });
    fireEvent.click(screen.getByRole("button", { name: en.session.submit }));
    await waitFor(() => expect(offlineUnlockAvailable()).resolves.toBe(true), { timeout: 10_000 });
    expect((await unlockOffline("s3cret pass"))?.reference).toEqual(reference);

    // Signing out takes the copy with the session.
    fireEvent.click(await screen.findByRole("button", { name: en.session.signOut }));
    await waitFor(() => expect(offlineUnlockAvailable()).resolves.toBe(false));

    // A monitor does not work in the lane: nothing is kept, and a copy left by a registrar goes.
    await keepForOffline(registrar, "pw", future, queueKey.key, {}, FAST);
    fireEvent.click(await screen.findByRole("link", { name: en.nav.signIn }));
    fireEvent.change(await screen.findByLabelText(en.session.username), { target: { value: "monitor" } });
    fireEvent.change(screen.getByLabelText(en.session.password), { target: { value: "other" } });
    fireEvent.click(screen.getByRole("button", { name: en.session.submit }));
    await screen.findByRole("button", { name: en.session.signOut });
    await waitFor(() => expect(offlineUnlockAvailable()).resolves.toBe(false));
  }, 20_000);

  it("is deleted when the server says the session is over", async () => {
    await keepForOffline(registrar, "pw", future, queueKey.key, {}, FAST);
    fakeApi({ "GET /api/v1/me": signedOut });
    renderApp("/lane");
    await screen.findByText(en.session.required, { exact: false });
    await waitFor(() => expect(offlineUnlockAvailable()).resolves.toBe(false));
  });
});

describe("the lane opened with the server out of reach", () => {
  it("asks for the password, refuses a wrong one, then shows the lane with the lists kept at sign-in", async () => {
    await keepForOffline(registrar, "correct horse", future, queueKey.key, reference, FAST);
    const calls = fakeApi({
      "GET /api/v1/me": unreachable,
      "GET /api/v1/me/queue-key": unreachable,
      "GET /api/v1/sites": unreachable,
      "GET /api/v1/groups": unreachable,
      "POST /api/v1/commands/sync": unreachable,
    });
    renderApp("/lane");
    await screen.findByRole("heading", { name: en.offline.title });
    fireEvent.change(screen.getByLabelText(en.session.password), { target: { value: "nope" } });
    fireEvent.click(screen.getByRole("button", { name: en.offline.submit }));
    expect(await screen.findByText(en.offline.wrong)).toBeTruthy();

    fireEvent.change(screen.getByLabelText(en.session.password), { target: { value: "correct horse" } });
    fireEvent.click(screen.getByRole("button", { name: en.offline.submit }));
    expect(await screen.findByRole("button", { name: en.lane.registerNew })).toBeTruthy();
    expect(screen.getByRole("option", { name: "Rusafa site (BGD-C1)" })).toBeTruthy();
    // The key came from the device's copy, not from the server.
    expect(calls.filter((c) => c === "GET /api/v1/me/queue-key")).toEqual([]);
  });

  it("offers the way back to the lane from any page, instead of a sign-in that cannot work", async () => {
    fakeApi({ "GET /api/v1/me": unreachable });
    renderApp("/");
    const link = await screen.findByRole("link", { name: en.offline.title });
    expect(link.getAttribute("href")).toBe("/lane");
    expect(screen.queryByRole("link", { name: en.nav.signIn })).toBeNull();
  });

  it("says so when no account on this device can work offline", async () => {
    fakeApi({ "GET /api/v1/me": unreachable });
    renderApp("/lane");
    expect(await screen.findByText(en.offline.noCopy)).toBeTruthy();
  });
});

describe("a new version waiting in the service worker", () => {
  it("is taken at once on a fresh load, before anyone has typed", () => {
    const apply = vi.fn();
    resetUpdate(true);
    offerUpdate(apply, 500);
    expect(apply).toHaveBeenCalledOnce();
  });

  it("is offered once the officer is working, and taken only when they say so", async () => {
    fakeApi({ "GET /api/v1/me": signedOut });
    renderApp("/");
    const apply = vi.fn();
    resetUpdate(false);
    act(() => offerUpdate(apply, 500));
    expect(await screen.findByText(en.update.ready)).toBeTruthy();
    expect(apply).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: en.update.apply }));
    expect(apply).toHaveBeenCalledOnce();
  });

  it("is offered, not taken, when found long after the page opened", () => {
    const apply = vi.fn();
    resetUpdate(true);
    offerUpdate(apply, 60_000);
    expect(apply).not.toHaveBeenCalled();
  });
});
