import {
  cosign,
  formatCheckpoint,
  generateCosignerKey,
  generateKey,
  MemoryTree,
  parseCosignerSignerKey,
  parseSignerKey,
  signNote,
} from "@armsledger/ledger";
import { fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkCosignatures, checkSignature, type PublishedCheckpoint } from "../src/ledger/LedgerPage.tsx";
import { account, fakeApi } from "./fake-api.ts";
import { renderAt } from "./render.tsx";

afterEach(() => vi.unstubAllGlobals());

const siteA = "11111111-1111-4111-8111-111111111111";
const siteB = "22222222-2222-4222-8222-222222222222";
const sites = {
  items: [
    { id: siteA, code: "BGD-01", nameAr: "موقع بغداد", nameEn: "Baghdad site" },
    { id: siteB, code: "DEP-01", nameAr: "مستودع الرصافة", nameEn: "Rusafa depot" },
  ],
};
const transfer = (status: string, manifest: string) => ({
  id: `${status}-id`,
  fromSiteId: siteA,
  toSiteId: siteB,
  manifest,
  seals: ["S-1"],
  countAtDispatch: 12,
  countAtReceipt: status === "in_transit" ? null : 11,
  dispatchedAt: "2026-03-01T08:00:00.000Z",
  receivedAt: status === "in_transit" ? null : "2026-03-02T08:00:00.000Z",
  status,
  dispatchSeq: 5,
  receiptSeq: null,
});

describe("the trail screen", () => {
  it("follows a loose key part, naming the weapon it was taken off", async () => {
    const partId = "33333333-3333-4333-8333-333333333333";
    const weaponId = "44444444-4444-4444-8444-444444444444";
    const calls = fakeApi({
      "GET /api/v1/me": account("custodian"),
      "GET /api/v1/sites": sites,
      [`GET /api/v1/items/key_part/${partId}/trail`]: {
        item: {
          kind: "key_part",
          id: partId,
          tag: null,
          state: "in_transit",
          holderSiteId: siteA,
          location: null,
          flagged: false,
          part: "bolt",
          serial: "B-4471",
          weapon: { id: weaponId, tag: "W-BGD01-000001", state: "in_custody" },
        },
        steps: [
          {
            leafIndex: 7,
            type: "weapon.part_separated",
            recordedAt: "2026-03-01T08:00:00.000Z",
            leafHash: "a".repeat(64),
            data: {},
          },
        ],
      },
    });
    renderAt("/trail", { language: "en", digits: "latn" });
    fireEvent.change(await screen.findByLabelText("Kind"), { target: { value: "key_part" } });
    fireEvent.change(screen.getByLabelText(/Item id/), { target: { value: partId } });
    fireEvent.click(screen.getByRole("button", { name: "Show the trail" }));
    expect(await screen.findByText("Key part of weapon")).toBeTruthy();
    expect(screen.getByText("W-BGD01-000001 · bolt")).toBeTruthy();
    expect(screen.getByText(weaponId)).toBeTruthy();
    expect(screen.getByText("weapon.part_separated")).toBeTruthy();
    expect(calls).toContain(`GET /api/v1/items/key_part/${partId}/trail`);
  });
});

describe("the transfers screen", () => {
  it("lists transfers with site names in the reader's language and filters by status", async () => {
    const calls = fakeApi({
      "GET /api/v1/me": account("custodian"),
      "GET /api/v1/sites": sites,
      "GET /api/v1/transfers": {
        items: [transfer("in_transit", "بيان ٧"), transfer("received_with_discrepancies", "M-8")],
      },
      "GET /api/v1/transfers?status=in_transit": { items: [transfer("in_transit", "بيان ٧")] },
    });
    renderAt("/transfers", { language: "ar", digits: "arab" });
    const table = await screen.findByRole("table", { name: "عمليات النقل" });
    expect(await within(table).findAllByText("مستودع الرصافة")).toHaveLength(2);
    expect(within(table).getByText("بيان ٧").tagName).toBe("BDI");
    expect(within(table).getByText("مستلَم مع فروقات")).toBeTruthy();
    expect(within(table).getAllByText("١٢")).toHaveLength(2);

    fireEvent.change(screen.getByLabelText("الحالة"), { target: { value: "in_transit" } });
    await vi.waitFor(() => expect(calls).toContain("GET /api/v1/transfers?status=in_transit"));
    await vi.waitFor(() => expect(within(screen.getByRole("table")).queryByText("M-8")).toBeNull());
  });

  it("shows the API's refusal in the reader's language, with a way to try again", async () => {
    fakeApi({
      "GET /api/v1/me": account("custodian"),
      "GET /api/v1/sites": sites,
      "GET /api/v1/transfers": { status: 503, code: "store.unavailable", detail: "The database is down." },
    });
    renderAt("/transfers", { language: "ar", digits: "arab" });
    expect(
      await screen.findByText("قاعدة البيانات غير متاحة. أعِد المحاولة بعد قليل.", {}, { timeout: 5000 }),
    ).toBeTruthy();
    expect(screen.getByText("The database is down.").getAttribute("lang")).toBe("en");
    expect(screen.getByRole("button", { name: "أعِد المحاولة" })).toBeTruthy();
  });
});

describe("the ledger screen", () => {
  const keys = generateKey("example.org/log", new Uint8Array(32).fill(3));
  const tree = new MemoryTree([new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)]);
  const body = formatCheckpoint({ origin: "example.org/log", size: 2, rootHash: tree.root() });
  const witness = generateCosignerKey("witness.example/w1", new Uint8Array(32).fill(5));
  const absent = generateCosignerKey("witness.example/w2", new Uint8Array(32).fill(6));
  // Signed by the log, then cosigned by w1 (a witness appends its line to the note); w2 never cosigned.
  const note =
    new TextDecoder().decode(signNote(body, [parseSignerKey(keys.signerKey)])) +
    cosign(body, parseCosignerSignerKey(witness.signerKey), 1_772_352_000);
  const published: PublishedCheckpoint = {
    origin: "example.org/log",
    size: 2,
    rootHash: "…",
    note,
    issuedAt: "2026-03-01T08:00:00.000Z",
    logVerifierKey: keys.verifierKey,
    witnessed: true,
    verifiedWitnesses: ["witness.example/w1"],
    missingWitnesses: ["witness.example/w2"],
    witnesses: [
      { name: "witness.example/w1", verifierKey: witness.verifierKey },
      { name: "witness.example/w2", verifierKey: absent.verifierKey },
    ],
  };

  it("checks the checkpoint's signature in the browser, and refuses an altered one", () => {
    expect(checkSignature(published)).toEqual({ ok: true });
    expect(checkSignature({ ...published, note: note.replace("\n2\n", "\n3\n") })?.ok).toBe(false);
    expect(checkSignature({ ...published, size: 3 })?.ok).toBe(false);
    expect(checkSignature({ ...published, logVerifierKey: null })).toBeUndefined();
  });

  it("checks each witness's cosignature in the browser with its published key", () => {
    expect(checkCosignatures(published)).toEqual([
      { name: "witness.example/w1", ok: true },
      { name: "witness.example/w2", ok: false },
    ]);
    // A server publishing another key for w1 (one that never cosigned) is not believed: the key
    // decides, not the name the server gives it.
    const otherKey = [{ name: "witness.example/w1", verifierKey: absent.verifierKey }];
    expect(checkCosignatures({ ...published, witnesses: otherKey })).toEqual([
      { name: "witness.example/w1", ok: false },
    ]);
    expect(
      checkCosignatures({ ...published, witnesses: [{ name: "bad", verifierKey: "nonsense" }] }),
    ).toEqual([{ name: "bad", ok: false }]);
    // An altered checkpoint: its log signature fails, and no cosignature counts.
    expect(
      checkCosignatures({ ...published, note: note.replace("\n2\n", "\n3\n") })?.every((w) => !w.ok),
    ).toBe(true);
    expect(checkCosignatures({ ...published, witnesses: [] })).toBeUndefined();
  });

  it("shows the checkpoint, its signature check and the witnesses to anyone", async () => {
    fakeApi({
      "GET /api/v1/me": { status: 401, code: "auth.required" },
      "GET /api/v1/ledger/checkpoint": published,
    });
    renderAt("/ledger", { language: "en", digits: "latn" });
    expect(
      await screen.findByText(
        "The checkpoint's signature verifies with the ledger's key (checked in this browser).",
      ),
    ).toBeTruthy();
    expect(screen.getByText("witness.example/w1")).toBeTruthy();
    expect(screen.getByText("Met")).toBeTruthy();
    expect(screen.getByText("witness.example/w1: verifies with its published key")).toBeTruthy();
    expect(screen.getByText("witness.example/w2: no valid cosignature")).toBeTruthy();
  });
});
