// Weapon and ammunition labels, printed at the collection table as each item is handed in: one
// label per page, on the roll sizes common label printers take. Each carries the item's tag in
// large type and as a QR code (the QR holds the tag alone, so a custodian's scanner types it
// into a transfer, a stock check or the trail), what the item is in English and Arabic, its
// serial, and the receipt it came in with. Nothing about the person: labels travel with the
// item to the depot.
import {
  AMMUNITION_KINDS,
  COMMON,
  KEY_PARTS,
  lookup,
  QUANTITY_UNITS,
  WEAPON_CATEGORIES,
} from "../documents/labels.ts";
import {
  drawQr,
  formatQuantity,
  openDocument,
  type RenderOptions,
  type Style,
} from "../documents/pdf-document.ts";

const MM = 72 / 25.4;

/**
 * Roll sizes, width × height in millimetres: 62 × 29 is Brother's DK-11209 (QL printers), 101 × 51
 * is the 4 × 2 inch label of Zebra and other thermal printers, 89 × 36 is Dymo's 99012.
 */
export const labelSizes = {
  "62x29": [62, 29],
  "89x36": [89, 36],
  "101x51": [101, 51],
} as const satisfies Record<string, readonly [number, number]>;
export type LabelSize = keyof typeof labelSizes;

export interface LabelsData {
  receiptNumber: string;
  handedAt: string;
  weapons: {
    tag: string;
    category: string;
    make?: string;
    model?: string;
    calibre?: string;
    serial?: string;
    noReadableSerial: boolean;
  }[];
  ammunition: { tag: string; kind: string; calibreOrType: string; quantity: number; unit: string }[];
  /**
   * Loose key parts (issue 4): each with its derived tag (rules/key-part-tag.ts), its name, its
   * weapon's tag and its own serial if marked. The receipt line is its weapon's handover's.
   */
  keyParts?: { tag: string; part: string; weaponTag: string; serial?: string | undefined }[];
}

interface Label {
  tag: string;
  what: { en: string; ar: string };
  detail: string;
  serial: string;
}

/** Long values are cut to fit one line of a small label (the record holds them in full). */
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function labelsOf(data: LabelsData): Label[] {
  return [
    ...data.weapons.map((w) => ({
      tag: w.tag,
      what: lookup(WEAPON_CATEGORIES, w.category),
      detail: [w.make, w.model, w.calibre].filter(Boolean).join(" "),
      serial: w.serial ? `S/N ${w.serial}` : COMMON.noReadableSerial.en,
    })),
    ...data.ammunition.map((a) => ({
      tag: a.tag,
      what: lookup(AMMUNITION_KINDS, a.kind),
      detail: a.calibreOrType,
      serial: `${formatQuantity(a.quantity)} ${lookup(QUANTITY_UNITS, a.unit).en}`,
    })),
    ...(data.keyParts ?? []).map((p) => ({
      tag: p.tag,
      what: lookup(KEY_PARTS, p.part),
      // Which weapon it was taken off: what a custodian holding a loose bolt needs to know.
      detail: `Part of ${p.weaponTag}`,
      serial: p.serial ? `S/N ${p.serial}` : COMMON.noReadableSerial.en,
    })),
  ];
}

/**
 * The labels of one handover's items, in the order of the receipt (weapons, then ammunition
 * lots), or of a loose key part (`keyParts`, with no weapons or lots).
 */
export async function renderLabelsPdf(
  data: LabelsData,
  size: LabelSize = "62x29",
  options: RenderOptions = {},
): Promise<Uint8Array> {
  const [wMm, hMm] = labelSizes[size];
  const width = wMm * MM;
  const height = hMm * MM;
  // Everything scales with the label's height; 29 mm is the reference.
  const k = hMm / 29;
  const pad = 5 * k;
  const qr = height - 2 * pad - 4 * k;
  const textX = pad + qr + 6 * k;
  const textW = width - textX - pad;
  const chars = Math.floor(textW / (3.6 * k));
  const style = (size: number, extra: Partial<Style> = {}): Style => ({ size: size * k, ...extra });

  const { doc, w, finish } = await openDocument(
    {
      title: `Labels ${data.receiptNumber}`,
      subject: "Item labels of a handover",
      createdAt: new Date(data.handedAt),
      size: [width, height],
    },
    options,
  );
  labelsOf(data).forEach((label, i) => {
    if (i > 0) doc.addPage({ size: [width, height], margin: 0 });
    drawQr(doc, label.tag, pad + 2 * k, pad + 2 * k, qr);
    let y = pad - 2 * k;
    y += w.text(label.tag, textX, y, textW, style(10.5, { bold: true, dir: "ltr" }));
    y += w.text(cut(label.what.en, chars), textX, y, textW, style(6.5, { dir: "ltr" }));
    y += w.text(cut(label.what.ar, chars), textX, y, textW, style(6.5, { dir: "rtl", align: "start" }));
    if (label.detail) y += w.text(cut(label.detail, chars), textX, y, textW, style(6, { dir: "ltr" }));
    y += w.text(cut(label.serial, chars), textX, y, textW, style(6, { bold: true, dir: "ltr" }));
    w.text(data.receiptNumber, textX, y, textW, style(5.5, { dir: "ltr" }));
  });
  return finish();
}
