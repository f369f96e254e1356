import { describe, expect, it } from "vitest";
import { type LabelsData, renderLabelsPdf } from "../../src/receipt/labels-pdf.ts";

const latin1 = (pdf: Uint8Array) => Buffer.from(pdf).toString("latin1");
const pageCount = (pdf: Uint8Array) => latin1(pdf).match(/\/Type \/Page\b(?!s)/gu)?.length ?? 0;

const data: LabelsData = {
  receiptNumber: "R-0000042-7",
  handedAt: "2026-02-01T09:30:00Z",
  weapons: [
    {
      tag: "W-0000042-00",
      category: "rifle",
      make: "Kalashnikov",
      model: "AKM",
      calibre: "7.62x39mm",
      serial: "AK123456",
      noReadableSerial: false,
    },
    { tag: "W-0000042-01", category: "pistol", noReadableSerial: true },
  ],
  ammunition: [
    { tag: "A-0000042-00", kind: "cartridge", calibreOrType: "7.62x39mm", quantity: 1200, unit: "rounds" },
  ],
};

async function render(size?: "62x29" | "101x51") {
  const printed: string[] = [];
  const pdf = await renderLabelsPdf(data, size, { compress: false, onText: (t) => printed.push(t) });
  return { pdf, printed };
}

describe("renderLabelsPdf", () => {
  it("prints one label per item: its tag, what it is in both languages, its serial and the receipt", async () => {
    const { pdf, printed } = await render();
    expect(latin1(pdf).startsWith("%PDF-")).toBe(true);
    expect(pageCount(pdf)).toBe(3);
    expect(printed.slice(0, 6)).toEqual([
      "W-0000042-00",
      "Rifle",
      "بندقية",
      "Kalashnikov AKM 7.62x39mm",
      "S/N AK123456",
      "R-0000042-7",
    ]);
    // An unreadable serial is said so, never left blank or filled with a placeholder.
    expect(printed).toContain("no readable serial");
    expect(printed).toContain("A-0000042-00");
    expect(printed.some((t) => t.startsWith("1,200") || t.startsWith("1200"))).toBe(true);
  });

  it("is the same bytes for the same handover (dated by the handover, not the print)", async () => {
    const a = await renderLabelsPdf(data);
    const b = await renderLabelsPdf(data);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it("fits each roll size's page", async () => {
    const mediaBox = (pdf: Uint8Array) =>
      latin1(pdf)
        .match(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/u)!
        .slice(1)
        .map(Number);
    const [w, h] = mediaBox((await render("101x51")).pdf);
    expect(w).toBeCloseTo((101 * 72) / 25.4, 1);
    expect(h).toBeCloseTo((51 * 72) / 25.4, 1);
  });
});

describe("a loose key part's label", () => {
  it("prints the part's tag (its weapon's, numbered), its name in both languages, its weapon and its serial", async () => {
    const printed: string[] = [];
    const pdf = await renderLabelsPdf(
      {
        receiptNumber: "R-0000042-7",
        handedAt: "2026-02-01T09:30:00Z",
        weapons: [],
        ammunition: [],
        keyParts: [
          { tag: "W-0000042-00/P1", part: "bolt", weaponTag: "W-0000042-00", serial: "B-4471" },
          { tag: "W-0000042-00/P2", part: "firing_pin", weaponTag: "W-0000042-00" },
        ],
      },
      "62x29",
      { compress: false, onText: (t) => printed.push(t) },
    );
    expect(pageCount(pdf)).toBe(2);
    expect(printed.slice(0, 6)).toEqual([
      "W-0000042-00/P1",
      "Bolt",
      "الترباس",
      "Part of W-0000042-00",
      "S/N B-4471",
      "R-0000042-7",
    ]);
    expect(printed).toContain("Firing pin");
    expect(printed).toContain("no readable serial");
  });
});
