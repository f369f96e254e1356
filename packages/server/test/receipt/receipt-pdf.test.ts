import { createRequire } from "node:module";
import { receiptNumber } from "@armsledger/core";
import QRCode from "qrcode";
import { describe, expect, expectTypeOf, it } from "vitest";
import { layoutParagraph, visualPieces } from "../../src/documents/bidi-text.ts";
import {
  parseReceiptQrText,
  type ReceiptData,
  receiptQrText,
  renderReceipt,
  renderReceiptPdf,
} from "../../src/receipt/receipt-pdf.ts";
import { groupReceipt, LEAF_HASH, manyWeapons, personReceipt } from "./fixtures.ts";

// jsqr is CommonJS whose typings declare an ES default export; require() gives the function.
const jsQR = createRequire(import.meta.url)("jsqr") as typeof import("jsqr").default;

const latin1 = (pdf: Uint8Array) => Buffer.from(pdf).toString("latin1");
const pageCount = (pdf: Uint8Array) => latin1(pdf).match(/\/Type \/Page\b(?!s)/gu)?.length ?? 0;

async function render(data: ReceiptData) {
  const printed: string[] = [];
  const pdf = await renderReceipt(data, { compress: false, onText: (t) => printed.push(t) });
  return { pdf, printed, all: printed.join("\n") };
}

function expectValidPdf(pdf: Uint8Array) {
  const text = latin1(pdf);
  expect(text.startsWith("%PDF-")).toBe(true);
  expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
  expect(text).toMatch(/\/FontFile2 /u); // the font is embedded, not referenced
}

describe("renderReceiptPdf", () => {
  it("renders a person's handover as a one-page PDF with the name in both scripts", async () => {
    const pdf = await renderReceiptPdf(personReceipt());
    expectValidPdf(pdf);
    expect(pageCount(pdf)).toBe(1);

    const { all } = await render(personReceipt());
    for (const expected of [
      "R-0000012-5",
      "2025-03-14 09:41 UTC",
      "BGD-01",
      "Baghdad Central (site 1)",
      "بغداد المركزية (الموقع 1)",
      "محمد عبد الله حسن الجبوري",
      "Mohammed Abdullah Hassan Al-Jubouri",
      "Eligible · مؤهل",
      "An eligible weapon was handed in",
      "تم تسليم سلاح مؤهل",
      "Capt. Layla Hameed / النقيب ليلى حميد",
      "UNAMI DDR Section",
      "National DDR Programme",
      "برنامج نزع السلاح والتسريح وإعادة الإدماج",
      "Receipt number · رقم الإيصال",
      "Keep this receipt: it proves your handover is in the public ledger.",
      "احتفظ بهذا الإيصال: فهو يثبت أن تسليمك مسجّل في السجل العام.",
      "W0000012-01",
      "KL-4471923",
      "1,200 rounds",
      "1,200 طلقة",
      "Cartridges",
      "F1 قنبلة دفاعية",
      "Page 1 of 1",
    ])
      expect(all).toContain(expected);
  });

  it("shows only the script a name was entered in", async () => {
    const data = personReceipt({
      from: { kind: "person", name: { latin: { given: "Karim", family: "Saleh" } } },
    });
    const { pdf, all } = await render(data);
    expectValidPdf(pdf);
    expect(all).toContain("Karim Saleh");
    expect(all).not.toContain("محمد");
  });

  it("renders a group handover with the representative and no person", async () => {
    const { pdf, all } = await render(groupReceipt());
    expectValidPdf(pdf);
    expect(pageCount(pdf)).toBe(1);
    expect(all).toContain("R-0004051-4");
    expect(all).toContain("أبو علي الساعدي");
    expect(all).toContain("Group representative (collective handover)");
    expect(all).toContain("Not applicable · لا ينطبق");
    expect(all).toContain("Collective handover: individual eligibility does not apply");
    expect(all).not.toContain("Mohammed");
  });

  it("says so in both languages when an item has no readable serial", async () => {
    const data = personReceipt();
    const { printed } = await render(data);
    expect(printed).toContain("no readable serial");
    expect(printed).toContain("لا يوجد رقم مقروء");
    expect(printed.filter((t) => t === "no readable serial")).toHaveLength(1);
  });

  it("flows 60 weapons onto further pages, with the receipt number on every page", async () => {
    const data = personReceipt({ weapons: manyWeapons(60) });
    const { pdf, printed, all } = await render(data);
    expectValidPdf(pdf);
    const pages = pageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (const w of data.weapons) expect(printed).toContain(w.tag);
    for (let p = 1; p <= pages; p++) {
      expect(all).toContain(`ArmsLedger · R-0000012-5 · Page ${p} of ${pages}`);
      expect(all).toContain(`صفحة ${p} من ${pages}`);
    }
    expect(all).toContain("Weapons (60) (continued)");
    expect(pageCount(await renderReceiptPdf(data))).toBe(pages);
  });

  it("renders empty item lists and unknown codes readably", async () => {
    const data = personReceipt({
      weapons: [],
      ammunition: [],
      eligibility: { status: "ineligible", reasons: ["some_new_reason", "registered_after_cut_off"] },
    });
    const { pdf, all } = await render(data);
    expectValidPdf(pdf);
    expect(all).toContain("None · لا يوجد");
    expect(all).toContain("Some new reason");
    expect(all).toContain("Registered after the programme's cut-off date");
    expect(all).toContain("Not eligible · غير مؤهل");
  });

  it("refuses data it cannot print truthfully", async () => {
    await expect(renderReceiptPdf(personReceipt({ handedAt: "yesterday" }))).rejects.toThrow(/handedAt/u);
    await expect(renderReceiptPdf(personReceipt({ leafHash: "abc" }))).rejects.toThrow(/leaf hash/u);
    await expect(renderReceiptPdf(personReceipt({ receiptNumber: "R-0000012-7" }))).rejects.toThrow(
      /receipt number/u,
    );
  });
});

describe("the armed group is never on the receipt", () => {
  it("has no field for it in ReceiptData", () => {
    expectTypeOf<keyof ReceiptData>().toEqualTypeOf<
      | "receiptNumber"
      | "leafIndex"
      | "leafHash"
      | "handedAt"
      | "site"
      | "from"
      | "eligibility"
      | "weapons"
      | "ammunition"
      | "verifyingOfficer"
      | "programmeName"
    >();
    expectTypeOf<Extract<ReceiptData["from"], { kind: "group" }>>().toEqualTypeOf<{
      kind: "group";
      representative: string;
    }>();
    expectTypeOf<keyof Extract<ReceiptData["from"], { kind: "person" }>>().toEqualTypeOf<"kind" | "name">();
    expectTypeOf<keyof ReceiptData["weapons"][number]>().not.toHaveProperty("group");
  });

  it("prints nothing from extra properties of the object passed in", async () => {
    const secret = "Kataib Secret Brigade";
    const plain = personReceipt();
    const base = personReceipt();
    const tainted: Record<string, unknown> = {
      ...base,
      group: { id: "g-1", name: secret },
      groupName: secret,
      from: { ...base.from, groupName: secret, group: secret },
      site: { ...base.site, group: secret },
      weapons: base.weapons.map((w) => ({ ...w, group: secret, notes: secret })),
      eligibility: { ...base.eligibility, groupId: secret },
    };

    const a = await render(plain);
    const b = await render(tainted as unknown as ReceiptData);
    expect(b.all).not.toContain("Kataib");
    expect(b.printed).toEqual(a.printed);
    // Same bytes: nothing of the extra properties reaches the document, metadata included.
    expect(Buffer.from(b.pdf).equals(Buffer.from(a.pdf))).toBe(true);
    expect(latin1(b.pdf)).not.toContain("Kataib");
  });
});

describe("receipt QR text", () => {
  const fields = { receiptNumber: "R-0000012-5", leafIndex: 12, leafHash: LEAF_HASH };

  it("round-trips", () => {
    const text = receiptQrText(fields);
    expect(text).toBe(`armsledger:receipt:v1:R-0000012-5:12:${LEAF_HASH}`);
    expect(parseReceiptQrText(text)).toEqual(fields);
    expect(receiptQrText({ ...fields, leafHash: LEAF_HASH.toUpperCase() })).toBe(text);
    const big = {
      receiptNumber: receiptNumber(123_456_789_012),
      leafIndex: 123_456_789_012,
      leafHash: LEAF_HASH,
    };
    expect(parseReceiptQrText(receiptQrText(big))).toEqual(big);
  });

  it.each([
    ["empty", ""],
    ["other prefix", `armsledger:receipt:v2:R-0000012-5:12:${LEAF_HASH}`],
    ["no prefix", `R-0000012-5:12:${LEAF_HASH}`],
    ["missing hash", "armsledger:receipt:v1:R-0000012-5:12"],
    ["extra field", `armsledger:receipt:v1:R-0000012-5:12:${LEAF_HASH}:x`],
    ["wrong check digit", `armsledger:receipt:v1:R-0000012-7:12:${LEAF_HASH}`],
    ["receipt number without dashes", `armsledger:receipt:v1:R00000125:12:${LEAF_HASH}`],
    ["negative index", `armsledger:receipt:v1:R-0000012-5:-12:${LEAF_HASH}`],
    ["index with leading zero", `armsledger:receipt:v1:R-0000012-5:012:${LEAF_HASH}`],
    ["fractional index", `armsledger:receipt:v1:R-0000012-5:1.5:${LEAF_HASH}`],
    ["unsafe index", `armsledger:receipt:v1:R-0000012-5:99999999999999999:${LEAF_HASH}`],
    ["short hash", `armsledger:receipt:v1:R-0000012-5:12:${LEAF_HASH.slice(1)}`],
    ["upper-case hash", `armsledger:receipt:v1:R-0000012-5:12:${LEAF_HASH.toUpperCase()}`],
    ["non-hex hash", `armsledger:receipt:v1:R-0000012-5:12:${"g".repeat(64)}`],
    ["trailing space", `armsledger:receipt:v1:R-0000012-5:12:${LEAF_HASH} `],
  ])("rejects %s", (_, text) => {
    expect(parseReceiptQrText(text)).toBeUndefined();
  });

  it("refuses to encode fields it could not carry", () => {
    expect(() => receiptQrText({ ...fields, leafIndex: -1 })).toThrow(RangeError);
    expect(() => receiptQrText({ ...fields, leafIndex: 1.5 })).toThrow(RangeError);
    expect(() => receiptQrText({ ...fields, receiptNumber: "R-0000012-5:1" })).toThrow(RangeError);
    expect(() => receiptQrText({ ...fields, leafHash: "00" })).toThrow(RangeError);
  });

  it("encodes at error correction M and decodes back from the module matrix", () => {
    const text = receiptQrText(fields);
    const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
    expect(qr.errorCorrectionLevel.bit).toBe(0); // M
    // The receipt draws these modules; rasterise them (4 px each, 4-module quiet zone) and scan.
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
    expect(parseReceiptQrText(decoded!.data)).toEqual(fields);
  });
});

describe("right-to-left layout", () => {
  const order = (text: string, dir?: "ltr" | "rtl") =>
    visualPieces(text, dir)
      .filter((p) => !p.space)
      .map((p) => p.draw);

  it("puts Arabic words right to left and leaves shaping to the font (logical order within a word)", () => {
    expect(order("محمد عبد الله")).toEqual(["الله", "عبد", "محمد"]);
  });

  it("keeps numbers and Latin runs left to right inside Arabic text", () => {
    expect(order("1,200 طلقة")).toEqual(["طلقة", "1,200"]);
    expect(order("موقع 12 بغداد")).toEqual(["بغداد", "12", "موقع"]);
    expect(order("النقيب ليلى UNAMI DDR")).toEqual(["UNAMI", "DDR", "ليلى", "النقيب"]);
  });

  it("keeps Arabic runs right to left inside English text", () => {
    expect(order("Eligible · مؤهل جدا")).toEqual(["Eligible", "·", "جدا", "مؤهل"]);
  });

  it("mirrors brackets in right-to-left text", () => {
    // Logical ")" ends the line on the left and shows as "(".
    expect(order("التاريخ والوقت (UTC)")).toEqual(["(", "UTC", ")", "والوقت", "التاريخ"]);
    // A word and its brackets go to the font as one piece, mirrored, for fontkit to reverse.
    expect(order("بغداد (الموقع)")).toEqual([")الموقع(", "بغداد"]);
  });

  it("hands Arabic-Indic digits to the font pre-reversed, since fontkit reverses Arabic-script runs", () => {
    expect(order("٣ طلقة")).toEqual(["طلقة", "٣"]);
    expect(order("١٢٣ طلقة")).toEqual(["طلقة", "٣٢١"]);
  });

  it("ignores embedded direction controls", () => {
    expect(order("\u202Eabc def\u202C")).toEqual(["abc", "def"]);
  });

  it("breaks lines in logical order, then orders each line", () => {
    const lines = layoutParagraph("واحد اثنان ثلاثة أربعة", 12, (s) => s.length, "auto");
    expect(lines.map((l) => l.rtl)).toEqual([true, true]);
    expect(lines.map((l) => l.pieces.filter((p) => !p.space).map((p) => p.draw))).toEqual([
      ["اثنان", "واحد"],
      ["أربعة", "ثلاثة"],
    ]);
    const hash = layoutParagraph("0123456789abcdef", 5, (s) => s.length);
    expect(hash.map((l) => l.pieces.map((p) => p.draw).join(""))).toEqual(["01234", "56789", "abcde", "f"]);
  });
});
