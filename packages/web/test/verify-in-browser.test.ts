import { randomBytes } from "node:crypto";
import { receiptNumber } from "@armsledger/core";
import { formatCheckpoint, generateKey, parseSignerKey, signNote } from "@armsledger/ledger";
import { buildApp, executeCommand, integrate } from "@armsledger/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  command,
  groupPayload,
  handoverPayload,
  personPayload,
  rifle,
  sitePayload,
} from "../../server/test/support/fixtures.ts";
import { freshStore } from "../../server/test/support/store.ts";
import { ApiError } from "../src/api/client.ts";
import { checkContinuity } from "../src/ledger/continuity.ts";
import {
  checkReceipt,
  type LedgerSource,
  readReceiptInput,
  westernDigits,
} from "../src/receipt-check/check-receipt.ts";

// The browser's checks (a receipt; a checkpoint against the last one seen) on proofs made by the real server code: a store with one
// handover, a checkpoint signed by the checkpointer, and the public routes answering through
// Fastify's inject (the same bytes the browser would fetch).

const origin = "test.armsledger.local/log";
const keys = generateKey(origin, new Uint8Array(randomBytes(32)));
const other = generateKey(origin, new Uint8Array(randomBytes(32)));

let store: Awaited<ReturnType<typeof freshStore>>;
let app: Awaited<ReturnType<typeof buildApp>>;
let receipt: { number: string; index: number; leafHash: string };

async function get(url: string) {
  const r = await app.inject({ method: "GET", url });
  if (r.statusCode >= 400) {
    const problem = r.json() as { code: "resource.not-found"; detail: string };
    const retryAfter = r.headers["retry-after"];
    throw new ApiError(
      r.statusCode,
      problem.code,
      problem.detail,
      retryAfter ? Number(retryAfter) : undefined,
    );
  }
  return r;
}

/** The public API as check-receipt reads it, with an optional tampering step per resource. */
function source(
  tamper: { proof?: (t: string) => string; bundle?: (b: Uint8Array) => Uint8Array; key?: string } = {},
): LedgerSource {
  return {
    checkpoint: async () => {
      const c = (await get("/api/v1/ledger/checkpoint")).json();
      return { ...c, logVerifierKey: tamper.key ?? c.logVerifierKey };
    },
    proof: async (n) => (tamper.proof ?? ((t) => t))((await get(`/api/v1/receipts/${n}/proof`)).body),
    entryBundle: async (path) =>
      (tamper.bundle ?? ((b) => b))(new Uint8Array((await get(`/log/${path}`)).rawPayload)),
  };
}

beforeAll(async () => {
  store = await freshStore();
  app = await buildApp({ store, ledger: { logVerifierKey: keys.verifierKey } });
  const siteId = (await executeCommand(store, command("site.register", sitePayload()), admin)).data
    .siteId as string;
  const groupId = (await executeCommand(store, command("group.register", groupPayload()), admin)).data
    .groupId as string;
  const personId = (
    await executeCommand(store, command("person.register", personPayload(siteId, groupId)), admin)
  ).data.personId as string;
  const h = await executeCommand(store, command("handover.record", handoverPayload(siteId, personId)), admin);
  receipt = { number: h.data.receiptNumber as string, index: h.leafIndex, leafHash: h.leafHash };
  await integrate(store, { signer: parseSignerKey(keys.signerKey) });
});
afterAll(async () => {
  await app?.close();
  await store?.dispose();
});

describe("reading what was typed", () => {
  it("takes a receipt number, in Western or Arabic-Indic digits, with or without dashes", () => {
    expect(readReceiptInput(receipt.number)?.index).toBe(receipt.index);
    const arabic = receipt.number.replace(/[0-9]/gu, (d) => String.fromCodePoint(0x660 + Number(d)));
    expect(westernDigits(arabic)).toBe(receipt.number);
    expect(readReceiptInput(` ${arabic.toLowerCase()} `)?.index).toBe(receipt.index);
    expect(readReceiptInput(receipt.number.replaceAll("-", ""))?.index).toBe(receipt.index);
  });

  it("refuses a number whose check digit does not match, and anything else", () => {
    const wrong = receipt.number.slice(0, -1) + String((Number(receipt.number.at(-1)) + 1) % 10);
    expect(readReceiptInput(wrong)).toBeUndefined();
    expect(readReceiptInput("")).toBeUndefined();
    expect(readReceiptInput("R-12-3")).toBeUndefined();
    expect(readReceiptInput("armsledger:receipt:v1:nonsense")).toBeUndefined();
  });

  it("takes the text of the receipt's QR code, with its leaf hash", () => {
    const qr = `armsledger:receipt:v1:${receipt.number}:${receipt.index}:${receipt.leafHash}`;
    expect(readReceiptInput(qr)).toEqual({
      receiptNumber: receipt.number,
      index: receipt.index,
      qrLeafHash: receipt.leafHash,
    });
  });
});

describe("checking a receipt in the browser", () => {
  it("verifies a real receipt: the entry is a handover, in the tree the log signed", async () => {
    const result = await checkReceipt(readReceiptInput(receipt.number)!, source());
    expect(result).toMatchObject({
      verified: true,
      index: receipt.index,
      size: 4,
      weapons: 1,
      ammunition: 1,
      logKey: keys.verifierKey,
      leafHash: receipt.leafHash,
      qrMatched: false,
    });
  });

  it("checks the QR code's leaf hash too", async () => {
    const qr = `armsledger:receipt:v1:${receipt.number}:${receipt.index}:${receipt.leafHash}`;
    expect(await checkReceipt(readReceiptInput(qr)!, source())).toMatchObject({
      verified: true,
      qrMatched: true,
    });
    const forged = `armsledger:receipt:v1:${receipt.number}:${receipt.index}:${"0".repeat(64)}`;
    expect(await checkReceipt(readReceiptInput(forged)!, source())).toMatchObject({
      verified: false,
      reason: "qrMismatch",
    });
  });

  it("refuses a proof whose path was tampered with", async () => {
    const flipFirstHash = (text: string) => {
      const lines = text.split("\n");
      const at = lines.findIndex((l) => l.startsWith("index ")) + 1;
      const hash = Buffer.from(lines[at]!, "base64");
      hash[0]! ^= 1;
      lines[at] = hash.toString("base64");
      return lines.join("\n");
    };
    expect(
      await checkReceipt(readReceiptInput(receipt.number)!, source({ proof: flipFirstHash })),
    ).toMatchObject({
      verified: false,
      reason: "notIncluded",
    });
  });

  it("refuses an entry that was altered (its hash no longer leads to the signed root)", async () => {
    const alter = (bundle: Uint8Array) => {
      const copy = bundle.slice();
      const text = new TextDecoder().decode(copy);
      const at = text.lastIndexOf('"handover.recorded"') + 2; // one byte inside the last entry's type
      copy[at] = "H".charCodeAt(0);
      return copy;
    };
    expect(await checkReceipt(readReceiptInput(receipt.number)!, source({ bundle: alter }))).toMatchObject({
      verified: false,
      reason: "notIncluded",
    });
  });

  it("refuses a checkpoint the published key did not sign", async () => {
    expect(
      await checkReceipt(readReceiptInput(receipt.number)!, source({ key: other.verifierKey })),
    ).toMatchObject({ verified: false, reason: "badSignature" });
  });

  it("refuses a checkpoint whose signed text was changed", async () => {
    const resize = (text: string) => text.replace(/\n4\n/u, "\n5\n");
    expect(await checkReceipt(readReceiptInput(receipt.number)!, source({ proof: resize }))).toMatchObject({
      verified: false,
      reason: "badSignature",
    });
  });

  it("says so when no handover has the number, or the server publishes no key", async () => {
    // Entry 0 is the site's registration: a well-formed number, but no handover's.
    expect(await checkReceipt(readReceiptInput(receiptNumber(0))!, source())).toMatchObject({
      verified: false,
      reason: "notFound",
    });
    // Past the signed size, and nobody's: not "not yet", which would claim it was recorded.
    expect(await checkReceipt(readReceiptInput(receiptNumber(99))!, source())).toMatchObject({
      verified: false,
      reason: "notFound",
    });
    // Recorded, not yet signed: the server says to try again shortly, and the page says so.
    const siteId = (await executeCommand(store, command("site.register", sitePayload("BGD-08")), admin)).data
      .siteId as string;
    const personId = (await executeCommand(store, command("person.register", personPayload(siteId)), admin))
      .data.personId as string;
    const unsigned = await executeCommand(
      store,
      command("handover.record", handoverPayload(siteId, personId, [rifle("AK-UNSIGNED-1")])),
      admin,
    );
    expect(
      await checkReceipt(readReceiptInput(unsigned.data.receiptNumber as string)!, source()),
    ).toMatchObject({ verified: false, reason: "notYet" });
    const keyless = { ...source(), checkpoint: async () => ({ size: 4, logVerifierKey: null }) };
    expect(await checkReceipt(readReceiptInput(receipt.number)!, keyless)).toMatchObject({
      verified: false,
      reason: "noKey",
    });
  });
});

/** localStorage, for Node. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (k) => items.get(k) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (k) => void items.delete(k),
    setItem: (k, v) => void items.set(k, v),
  };
}

describe("remembering the ledger between visits", () => {
  const storage = memoryStorage();
  const signer = parseSignerKey(keys.signerKey);
  const note = async () => (await get("/log/checkpoint")).body;
  const consistency = async (from: number, to: number) =>
    (await get(`/api/v1/ledger/consistency?from=${from}&to=${to}`)).json();
  const continuity = async (text: string, key = keys.verifierKey) =>
    (await checkContinuity(text, key, consistency, storage)).kind;

  it("remembers the first checkpoint, and knows it again", async () => {
    expect(await continuity(await note())).toBe("first");
    expect(await continuity(await note())).toBe("same");
  });

  it("accepts a checkpoint that extends it, by a consistency proof from the server's tiles", async () => {
    const first = await note();
    await executeCommand(store, command("site.register", sitePayload("BGD-09")), admin);
    await integrate(store, { signer });
    const grown = await note();
    expect(grown).not.toBe(first);
    expect(await continuity(grown)).toBe("extends");
    expect(await continuity(first)).toBe("older");
  });

  it("catches a signed checkpoint of another history, and a key that changed", async () => {
    const current = await note();
    const size = Number(current.split("\n")[1]);
    const forged = (n: number) =>
      new TextDecoder().decode(
        signNote(formatCheckpoint({ origin, size: n, rootHash: new Uint8Array(32).fill(9) }), [signer]),
      );
    expect(await continuity(forged(size))).toBe("forked");
    await executeCommand(store, command("site.register", sitePayload("BGD-10")), admin);
    await integrate(store, { signer });
    expect(await continuity(forged(size + 1))).toBe("forked");
    const otherNote = new TextDecoder().decode(
      signNote(formatCheckpoint({ origin, size: 1, rootHash: new Uint8Array(32) }), [
        parseSignerKey(other.signerKey),
      ]),
    );
    expect(await continuity(otherNote, other.verifierKey)).toBe("keyChanged");
    // Still the real history: the forgeries were not remembered.
    expect(await continuity(await note())).toBe("extends");
  });
});
