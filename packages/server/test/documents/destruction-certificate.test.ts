import { createRequire } from "node:module";
import { DISPOSITION_QR_PREFIX, dispositionQrText, parseDispositionQrText } from "@armsledger/core";
import QRCode from "qrcode";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type DestructionCertificateData,
  renderDestructionCertificate,
} from "../../src/documents/destruction-certificate.ts";
import { certificate, LEAF_HASH, weaponsFor } from "./fixtures.ts";

// jsqr is CommonJS whose typings declare an ES default export; require() gives the function.
const jsQR = createRequire(import.meta.url)("jsqr") as typeof import("jsqr").default;

const latin1 = (pdf: Uint8Array) => Buffer.from(pdf).toString("latin1");
const pageCount = (pdf: Uint8Array) => latin1(pdf).match(/\/Type \/Page\b(?!s)/gu)?.length ?? 0;

async function render(data: DestructionCertificateData) {
  const printed: string[] = [];
  const pdf = await renderDestructionCertificate(data, { compress: false, onText: (t) => printed.push(t) });
  return { pdf, printed, all: printed.join("\n") };
}

function expectValidPdf(pdf: Uint8Array) {
  const text = latin1(pdf);
  expect(text.startsWith("%PDF-")).toBe(true);
  expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
  expect(text).toMatch(/\/FontFile2 /u); // the font is embedded, not referenced
}

describe("renderDestructionCertificate", () => {
  it("renders a batch of 3 items on one page with everything the certificate must say", async () => {
    const data = certificate();
    const pdf = await renderDestructionCertificate(data);
    expectValidPdf(pdf);
    expect(pageCount(pdf)).toBe(1);

    const { all, printed } = await render(data);
    for (const expected of [
      "Certificate of destruction",
      "شهادة إتلاف",
      "National DDR Programme",
      "برنامج نزع السلاح والتسريح وإعادة الإدماج",
      "6f1c0e52-8a3b-4d1e-9b7a-2c4d5e6f7a8b",
      "2026-03-05 10:15 UTC",
      "DST-01 · Taji destruction site",
      "موقع الإتلاف في التاجي",
      "Cutting · القطع",
      "31",
      "SHA-256 9c1e2f7a 0b3d4c5e 6f708192 a3b4c5d6 e7f8091a 2b3c4d5e 6f708192 a3b4c5d6",
      // Operators and witnesses, with independence.
      "Sgt. Ali Kareem / العريف علي كريم",
      "National DDR Commission",
      "Hussein Jaber",
      "Dr. Anna Keller",
      "UNAMI DDR Section",
      "القاضي سعاد الربيعي",
      "Operator · القائم بالإتلاف",
      "Witness · الشاهد",
      "Yes · نعم",
      "No · لا",
      // Items.
      "Weapons (2)",
      "W0000031-01",
      "SN100000",
      "Kalashnikov",
      "AK-74",
      "7.62×39mm",
      "Ammunition and explosives (1)",
      "A0000031-01",
      "1,200 rounds",
      // Signatures: the officer and each witness.
      "Disposal officer · ضابط الإتلاف",
      "Capt. Layla Hameed",
      "Witness 1 · الشاهد 1",
      "Witness 2 · الشاهد 2",
      "Page 1 of 1",
    ])
      expect(all).toContain(expected);
    // The number of photos, in its own row.
    expect(printed[printed.indexOf("Photographs on record") + 2]).toBe("4");
  });

  it("flows 80 items onto further pages, every item listed, the batch on every page", async () => {
    const data = certificate({ weapons: weaponsFor(80) });
    const { pdf, printed, all } = await render(data);
    expectValidPdf(pdf);
    const pages = pageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (const w of data.weapons) expect(printed).toContain(w.tag);
    expect(printed.filter((t) => t === "no readable serial")).toHaveLength(
      data.weapons.filter((w) => w.noReadableSerial).length,
    );
    for (let p = 1; p <= pages; p++) {
      expect(all).toContain(`ArmsLedger · ${data.batchId} · Page ${p} of ${pages}`);
      expect(all).toContain(`صفحة ${p} من ${pages}`);
    }
    expect(all).toContain("Weapons (80) (continued)");
    // The signatures come last, after every item.
    expect(printed.lastIndexOf("Capt. Layla Hameed")).toBeGreaterThan(printed.indexOf("W0000031-80"));
    expect(pageCount(await renderDestructionCertificate(data))).toBe(pages);
  });

  it("leaves out a table that has no item, and prints an unknown method readably", async () => {
    const { all } = await render(certificate({ ammunition: [], method: "plasma_cutting" }));
    expect(all).not.toContain("Ammunition and explosives");
    expect(all).toContain("Plasma cutting");
    const lotsOnly = await render(certificate({ weapons: [] }));
    expect(lotsOnly.all).not.toContain("Weapons (");
    expect(lotsOnly.all).toContain("Ammunition and explosives (1)");
  });

  it("still renders when the personal part was purged (no operators, no witnesses)", async () => {
    const { pdf, all } = await render(certificate({ operators: [], witnesses: [], officer: { name: "" } }));
    expectValidPdf(pdf);
    expect(all).toContain("Operators and third-party witnesses (0)");
    expect(all).toContain("None · لا يوجد");
    expect(all).toContain("Disposal officer · ضابط الإتلاف");
  });

  it("refuses data it cannot print truthfully", async () => {
    await expect(renderDestructionCertificate(certificate({ destroyedAt: "last week" }))).rejects.toThrow(
      /destroyedAt/u,
    );
    await expect(renderDestructionCertificate(certificate({ leafHash: "abc" }))).rejects.toThrow(
      /leaf hash/u,
    );
    await expect(renderDestructionCertificate(certificate({ leafIndex: -1 }))).rejects.toThrow(/leaf index/u);
  });
});

describe("no armed group is ever on the certificate", () => {
  it("has no field for one", () => {
    expectTypeOf<keyof DestructionCertificateData>().toEqualTypeOf<
      | "programmeName"
      | "batchId"
      | "leafIndex"
      | "leafHash"
      | "destroyedAt"
      | "site"
      | "method"
      | "operators"
      | "witnesses"
      | "photoCount"
      | "weapons"
      | "ammunition"
      | "officer"
    >();
    expectTypeOf<keyof DestructionCertificateData["weapons"][number]>().not.toHaveProperty("group");
    expectTypeOf<keyof DestructionCertificateData["weapons"][number]>().not.toHaveProperty("groupId");
  });

  it("prints nothing from extra properties of the object passed in", async () => {
    const secret = "Kataib Secret Brigade";
    const base = certificate();
    const tainted: Record<string, unknown> = {
      ...base,
      group: { id: "g-1", name: secret },
      groupName: secret,
      notes: secret,
      site: { ...base.site, group: secret },
      operators: base.operators.map((o) => ({ ...o, group: secret })),
      witnesses: base.witnesses.map((w) => ({ ...w, group: secret })),
      weapons: base.weapons.map((w) => ({ ...w, group: secret, handedInBy: secret })),
      officer: { ...base.officer, group: secret },
    };
    const a = await render(base);
    const b = await render(tainted as unknown as DestructionCertificateData);
    expect(b.all).not.toContain("Kataib");
    expect(b.printed).toEqual(a.printed);
    // Same bytes: nothing of the extra properties reaches the document, metadata included.
    expect(Buffer.from(b.pdf).equals(Buffer.from(a.pdf))).toBe(true);
    expect(latin1(b.pdf)).not.toContain("Kataib");
  });
});

describe("disposition QR text", () => {
  const fields = { leafIndex: 31, leafHash: LEAF_HASH };

  it("round-trips", () => {
    const text = dispositionQrText(fields);
    expect(text).toBe(`armsledger:disposition:v1:31:${LEAF_HASH}`);
    expect(text.startsWith(DISPOSITION_QR_PREFIX)).toBe(true);
    expect(parseDispositionQrText(text)).toEqual(fields);
    expect(dispositionQrText({ ...fields, leafHash: LEAF_HASH.toUpperCase() })).toBe(text);
    for (const leafIndex of [0, 1, 123_456_789_012, Number.MAX_SAFE_INTEGER]) {
      expect(parseDispositionQrText(dispositionQrText({ leafIndex, leafHash: LEAF_HASH }))).toEqual({
        leafIndex,
        leafHash: LEAF_HASH,
      });
    }
    // Only the two fields come back, whatever else the object carried.
    expect(Object.keys(parseDispositionQrText(dispositionQrText(certificate()))!)).toEqual([
      "leafIndex",
      "leafHash",
    ]);
  });

  it.each([
    ["empty", ""],
    ["other version", `armsledger:disposition:v2:31:${LEAF_HASH}`],
    ["a receipt's prefix", `armsledger:receipt:v1:31:${LEAF_HASH}`],
    ["upper-case prefix", `ARMSLEDGER:DISPOSITION:V1:31:${LEAF_HASH}`],
    ["no prefix", `31:${LEAF_HASH}`],
    ["missing hash", "armsledger:disposition:v1:31"],
    ["missing index", `armsledger:disposition:v1:${LEAF_HASH}`],
    ["empty index", `armsledger:disposition:v1::${LEAF_HASH}`],
    ["extra field", `armsledger:disposition:v1:31:${LEAF_HASH}:x`],
    ["batch id in place of the index", `armsledger:disposition:v1:6f1c0e52-8a3b-4d1e:${LEAF_HASH}`],
    ["negative index", `armsledger:disposition:v1:-31:${LEAF_HASH}`],
    ["index with leading zero", `armsledger:disposition:v1:031:${LEAF_HASH}`],
    ["index with a plus sign", `armsledger:disposition:v1:+31:${LEAF_HASH}`],
    ["fractional index", `armsledger:disposition:v1:3.1:${LEAF_HASH}`],
    ["exponent index", `armsledger:disposition:v1:3e1:${LEAF_HASH}`],
    ["Arabic-Indic index", `armsledger:disposition:v1:٣١:${LEAF_HASH}`],
    ["unsafe index", `armsledger:disposition:v1:99999999999999999:${LEAF_HASH}`],
    ["short hash", `armsledger:disposition:v1:31:${LEAF_HASH.slice(1)}`],
    ["long hash", `armsledger:disposition:v1:31:${LEAF_HASH}0`],
    ["upper-case hash", `armsledger:disposition:v1:31:${LEAF_HASH.toUpperCase()}`],
    ["non-hex hash", `armsledger:disposition:v1:31:${"g".repeat(64)}`],
    ["leading space", ` armsledger:disposition:v1:31:${LEAF_HASH}`],
    ["trailing space", `armsledger:disposition:v1:31:${LEAF_HASH} `],
    ["trailing newline", `armsledger:disposition:v1:31:${LEAF_HASH}\n`],
  ])("rejects %s", (_, text) => {
    expect(parseDispositionQrText(text)).toBeUndefined();
  });

  it("refuses to encode fields it could not carry", () => {
    expect(() => dispositionQrText({ ...fields, leafIndex: -1 })).toThrow(RangeError);
    expect(() => dispositionQrText({ ...fields, leafIndex: 1.5 })).toThrow(RangeError);
    expect(() => dispositionQrText({ ...fields, leafIndex: Number.NaN })).toThrow(RangeError);
    expect(() => dispositionQrText({ ...fields, leafIndex: 2 ** 53 })).toThrow(RangeError);
    expect(() => dispositionQrText({ ...fields, leafHash: "00" })).toThrow(RangeError);
    expect(() => dispositionQrText({ ...fields, leafHash: `${LEAF_HASH.slice(2)}:0` })).toThrow(RangeError);
  });

  it("encodes at error correction M and decodes back from the module matrix", () => {
    const text = dispositionQrText(fields);
    const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
    expect(qr.errorCorrectionLevel.bit).toBe(0); // M
    const scale = 4;
    const side = (qr.modules.size + 8) * scale;
    const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++) {
        const row = Math.floor(y / scale) - 4;
        const col = Math.floor(x / scale) - 4;
        const dark =
          row >= 0 && col >= 0 && row < qr.modules.size && col < qr.modules.size && qr.modules.get(row, col);
        if (dark) pixels.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
      }
    const decoded = jsQR(pixels, side, side);
    expect(decoded?.data).toBe(text);
    expect(parseDispositionQrText(decoded!.data)).toEqual(fields);
  });
});
