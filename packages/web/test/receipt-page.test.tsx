import { receiptNumber } from "@armsledger/core";
import {
  canonicalJson,
  encodeEntryBundle,
  formatCheckpoint,
  formatTlogProof,
  generateKey,
  leafHash,
  MemoryTree,
  parseSignerKey,
  signNote,
} from "@armsledger/ledger";
import { fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it, vi } from "vitest";
import { AppProviders, newQueryClient } from "../src/app/App.tsx";
import type { LedgerSource } from "../src/receipt-check/check-receipt.ts";
import { ReceiptCheckPage } from "../src/receipt-check/ReceiptCheckPage.tsx";
import type { Settings } from "../src/settings/settings.tsx";

// The receipt page end to end in the DOM, over a tiny log built with packages/ledger alone (the
// server-made proofs are checked in check-receipt.test.ts): three entries, the third a handover.

const origin = "example.org/log";
const keys = generateKey(origin, new Uint8Array(32).fill(7));
// Copied into this realm's Uint8Array: jsdom's globals are not Node's, and the ledger checks types.
const utf8 = (s: string) => new Uint8Array(new TextEncoder().encode(s));
const entry = (index: number, type: string, data: object) =>
  utf8(
    canonicalJson({
      v: 1,
      index,
      type,
      at: "2026-03-01T10:15:00.000Z",
      actor: "registrar",
      command: `0190f5a2-7c1e-7b3a-9f00-2a4b5c6d7e8${index}`,
      data,
    }),
  );
const entries = [
  entry(0, "site.registered", { siteId: "s", code: "BGD-01", kind: "collection", governorate: "IQ-BG" }),
  entry(1, "group.registered", { groupId: "g", code: "G1" }),
  entry(2, "handover.recorded", { weapons: [{}, {}], ammunition: [{}] }),
];
const tree = new MemoryTree(entries.map(leafHash));
const note = new TextDecoder().decode(
  signNote(formatCheckpoint({ origin, size: 3, rootHash: tree.root() }), [parseSignerKey(keys.signerKey)]),
);
const proof = formatTlogProof({ index: 2, proof: tree.inclusionProof(2), checkpoint: note });

function ledger(tamper: (text: string) => string = (t) => t): LedgerSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    checkpoint: async () => ({ size: 3, logVerifierKey: keys.verifierKey }),
    proof: async (n) => {
      asked.push(n);
      return tamper(proof);
    },
    entryBundle: async (path) => {
      expect(path).toBe("tile/entries/000.p/3");
      return encodeEntryBundle(entries);
    },
  };
}

function renderPage(source: LedgerSource, settings: Settings) {
  vi.stubGlobal("fetch", async () => Response.json({ status: 401, code: "auth.required" }, { status: 401 }));
  return render(
    <AppProviders
      client={newQueryClient()}
      settings={settings}
      router={(app) => <MemoryRouter>{app}</MemoryRouter>}
    >
      <ReceiptCheckPage source={source} />
    </AppProviders>,
  );
}

const arabicIndic = (s: string) => s.replace(/[0-9]/gu, (d) => String.fromCodePoint(0x660 + Number(d)));

describe("the receipt page", () => {
  it("verifies a receipt typed with Arabic-Indic digits, and says what it checked", async () => {
    const source = ledger();
    renderPage(source, { language: "ar", digits: "arab" });
    fireEvent.change(screen.getByLabelText("رقم الإيصال"), {
      target: { value: arabicIndic(receiptNumber(2)) },
    });
    fireEvent.click(screen.getByRole("button", { name: "تحقّق" }));
    expect(await screen.findByText("تمّ التحقّق: هذا الإيصال موجود في السجلّ.")).toBeTruthy();
    expect(source.asked).toEqual([receiptNumber(2)]);
    const weapons = screen.getByText("الأسلحة المسلَّمة").nextElementSibling;
    expect(weapons?.textContent).toBe("٢"); // two weapons, in the chosen digits
    expect(screen.getByText(keys.verifierKey)).toBeTruthy();
  });

  it("refuses a tampered proof, with the reason", async () => {
    const source = ledger((text) => text.replace(/^index 2$/mu, "index 1"));
    renderPage(source, { language: "en", digits: "latn" });
    fireEvent.change(screen.getByLabelText("Receipt number"), { target: { value: receiptNumber(2) } });
    fireEvent.click(screen.getByRole("button", { name: "Check" }));
    expect(await screen.findByText("Not verified")).toBeTruthy();
    expect(screen.getByText("The proof is for another entry (1), not this receipt's (2).")).toBeTruthy();
  });

  it("refuses a checkpoint signed by another key", async () => {
    const other = generateKey(origin, new Uint8Array(32).fill(9));
    const source = { ...ledger(), checkpoint: async () => ({ size: 3, logVerifierKey: other.verifierKey }) };
    renderPage(source, { language: "en", digits: "latn" });
    fireEvent.change(screen.getByLabelText("Receipt number"), { target: { value: receiptNumber(2) } });
    fireEvent.click(screen.getByRole("button", { name: "Check" }));
    expect(await screen.findByText(/^The checkpoint's signature does not verify/u)).toBeTruthy();
  });

  it("catches a mistyped number before asking the server", () => {
    const source = ledger();
    renderPage(source, { language: "en", digits: "latn" });
    const input = screen.getByLabelText("Receipt number");
    const typo = receiptNumber(2).replace(/-(\d)$/u, (_m, d: string) => `-${(Number(d) + 1) % 10}`);
    fireEvent.change(input, { target: { value: typo } });
    fireEvent.click(screen.getByRole("button", { name: "Check" }));
    expect(screen.getByRole("alert").textContent).toMatch(/^That is not a receipt number/u);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(source.asked).toEqual([]);
  });
});
