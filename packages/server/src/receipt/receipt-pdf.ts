// The printed receipt a person leaves the collection site with (IDDRS 4.10, ISACS 05.30 hand
// over records). It is bilingual (Arabic and English), names the person in the script(s) the name
// was entered in, lists every item handed in, and carries a QR code that points at the public
// ledger entry.
//
// It NEVER shows the armed group: ReceiptData has no field for it, and the renderer reads only
// the fields below, so extra properties on the object passed in are never printed. A receipt is
// carried on the person and may be seen at a checkpoint; it must not reveal an affiliation.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { receiptQrText } from "@armsledger/core";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { type BidiLine, cleanParagraphs, type Direction, layoutParagraph } from "./bidi-text.ts";
import {
  AMMUNITION_KINDS,
  type Bilingual,
  ELIGIBILITY_REASONS,
  ELIGIBILITY_STATUS,
  LABELS,
  lookup,
  QUANTITY_UNITS,
  WEAPON_CATEGORIES,
} from "./labels.ts";

export { parseReceiptQrText, RECEIPT_QR_PREFIX, type ReceiptQrFields, receiptQrText } from "@armsledger/core";

interface NameParts {
  given: string;
  father?: string;
  grandfather?: string;
  family?: string;
}

export interface ReceiptData {
  receiptNumber: string;
  leafIndex: number;
  leafHash: string;
  handedAt: string;
  site: { code: string; name: { ar: string; en: string } };
  from:
    | { kind: "person"; name: { arabic?: NameParts; latin?: NameParts } }
    | { kind: "group"; representative: string };
  eligibility: { status: "eligible" | "ineligible" | "not_applicable"; reasons: string[] };
  weapons: {
    tag: string;
    category: string;
    type: string;
    make?: string;
    model?: string;
    calibre?: string;
    serial?: string;
    noReadableSerial: boolean;
    serviceable: boolean;
  }[];
  ammunition: { tag: string; kind: string; calibreOrType: string; quantity: number; unit: string }[];
  verifyingOfficer: { name: string; affiliation: string };
  programmeName: { ar: string; en: string };
}

export interface RenderOptions {
  /** Deflate page content (default true); tests turn it off to read the PDF. */
  compress?: boolean;
  /** Called with every text the receipt prints, in logical order (for tests and audits). */
  onText?: (text: string) => void;
}

// ---------------------------------------------------------------------------------------------
// Fonts: IBM Plex Sans Arabic carries Arabic and Latin glyphs in one face, so mixed lines keep
// one look and one set of metrics. Loaded from node_modules, never from the network.

const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: "@expo-google-fonts/ibm-plex-sans-arabic/400Regular/IBMPlexSansArabic_400Regular.ttf",
  bold: "@expo-google-fonts/ibm-plex-sans-arabic/600SemiBold/IBMPlexSansArabic_600SemiBold.ttf",
} as const;
type FontName = keyof typeof FONT_FILES;

let fontsLoading: Promise<Record<FontName, Buffer>> | undefined;
function loadFonts(): Promise<Record<FontName, Buffer>> {
  fontsLoading ??= (async () => {
    const [regular, bold] = await Promise.all([
      readFile(require.resolve(FONT_FILES.regular)),
      readFile(require.resolve(FONT_FILES.bold)),
    ]);
    return { regular, bold };
  })();
  fontsLoading.catch(() => {
    fontsLoading = undefined;
  });
  return fontsLoading;
}

// ---------------------------------------------------------------------------------------------
// Page geometry (A4, points).

const PAGE_W = 595.28;
const PAGE_H = 841.89;
const MARGIN = 36;
const LEFT = MARGIN;
const RIGHT = PAGE_W - MARGIN;
const WIDTH = RIGHT - LEFT;
const FOOTER_TOP = PAGE_H - MARGIN - 14;
const BOTTOM = FOOTER_TOP - 10;
/** 100 pt = 35.3 mm for the symbol itself, plus a 4-module quiet zone around it. */
const QR_SIZE = 100;
const LINE = 1.5;

const INK = "#111111";
const MUTED = "#555555";
const RULE = "#999999";
const SHADE = "#eeeeee";

type Align = "start" | "end" | "left" | "right" | "center";

interface Style {
  size: number;
  bold?: boolean;
  color?: string;
  align?: Align;
  dir?: Direction;
}

interface Para {
  text: string;
  style: Style;
}

class Writer {
  readonly doc: PDFKit.PDFDocument;
  readonly onText: ((text: string) => void) | undefined;
  y = MARGIN;

  constructor(doc: PDFKit.PDFDocument, onText: ((text: string) => void) | undefined) {
    this.doc = doc;
    this.onText = onText;
  }

  private use(style: Style): void {
    this.doc.font(style.bold ? "bold" : "regular").fontSize(style.size);
  }

  private measure(text: string, style: Style): number {
    this.use(style);
    return this.doc.widthOfString(text);
  }

  layout(text: string, width: number, style: Style): BidiLine[] {
    return cleanParagraphs(text).flatMap((p) =>
      layoutParagraph(p, width, (s) => this.measure(s, style), style.dir ?? "auto"),
    );
  }

  /** Height of a paragraph set in `width`. */
  height(text: string, width: number, style: Style): number {
    return this.layout(text, width, style).length * style.size * LINE;
  }

  /** Draws text in the box starting at (x, y) of the given width; returns the height used. */
  text(text: string, x: number, y: number, width: number, style: Style): number {
    if (text.trim() === "") return 0;
    this.onText?.(text);
    const lines = this.layout(text, width, style);
    const lineHeight = style.size * LINE;
    let top = y;
    for (const line of lines) {
      const widths = line.pieces.map((p) => this.measure(p.draw, style));
      const total = widths.reduce((a, b) => a + b, 0);
      const align = style.align ?? "start";
      const right = align === "right" || (align === "start" && line.rtl) || (align === "end" && !line.rtl);
      let px = align === "center" ? x + (width - total) / 2 : right ? x + width - total : x;
      this.use(style);
      this.doc.fillColor(style.color ?? INK);
      line.pieces.forEach((piece, i) => {
        if (!piece.space) this.doc.text(piece.draw, px, top, { lineBreak: false });
        px += widths[i]!;
      });
      top += lineHeight;
    }
    return top - y;
  }

  /** Height of stacked paragraphs. */
  stackHeight(paras: Para[], width: number): number {
    return paras.reduce((h, p) => h + this.height(p.text, width, p.style), 0);
  }

  stack(paras: Para[], x: number, y: number, width: number): number {
    let top = y;
    for (const p of paras) top += this.text(p.text, x, top, width, p.style);
    return top - y;
  }

  rule(y: number, color = RULE, width = 0.6, from = LEFT, to = RIGHT): void {
    this.doc.save().moveTo(from, y).lineTo(to, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  vrule(x: number, y: number, h: number, color = "#d4d4d4"): void {
    this.doc
      .save()
      .moveTo(x, y)
      .lineTo(x, y + h)
      .lineWidth(0.4)
      .strokeColor(color)
      .stroke()
      .restore();
  }

  shade(x: number, y: number, w: number, h: number, color = SHADE): void {
    this.doc.save().rect(x, y, w, h).fillColor(color).fill().restore();
  }
}

// ---------------------------------------------------------------------------------------------
// Content helpers.

function joinName(parts: NameParts | undefined): string {
  if (!parts) return "";
  return [parts.given, parts.father, parts.grandfather, parts.family]
    .filter((p): p is string => !!p && p.trim() !== "")
    .join(" ");
}

/** "2025-03-14 09:41 UTC" */
function formatHandedAt(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new RangeError(`handedAt ${JSON.stringify(iso)} is not a date`);
  const s = at.toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)} UTC`;
}

function formatQuantity(n: number): string {
  return new Intl.NumberFormat("en-GB", { maximumFractionDigits: 3 }).format(n);
}

/** The hash in groups of eight, so it can be read out and compared. */
function groupedHash(hash: string): string {
  return (hash.toLowerCase().match(/.{1,8}/gu) ?? []).join(" ");
}

const LABEL_EN: Style = { size: 8, bold: true, color: MUTED, dir: "ltr" };
const LABEL_AR: Style = { size: 8.5, bold: true, color: MUTED, dir: "rtl" };
const VALUE: Style = { size: 10 };
const VALUE_STRONG: Style = { size: 10.5, bold: true };
const SMALL: Style = { size: 8.5 };
const CELL: Style = { size: 8 };
const CELL_AR: Style = { size: 8.5, dir: "rtl" };
const HEAD_EN: Style = { size: 7.5, bold: true, dir: "ltr" };
const HEAD_AR: Style = { size: 8, bold: true, dir: "rtl" };

function bilingualParas(b: Bilingual, en: Style, ar: Style): Para[] {
  const out: Para[] = [{ text: b.en, style: { ...en, dir: "ltr" } }];
  if (b.ar) out.push({ text: b.ar, style: { ...ar, dir: "rtl" } });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tables that flow onto further pages.

interface Column<T> {
  head: Bilingual;
  width: number;
  cell: (item: T, index: number) => Para[];
}

const CELL_PAD_X = 4;
const CELL_PAD_Y = 3;

function drawTable<T>(
  w: Writer,
  title: Bilingual,
  columns: Column<T>[],
  items: T[],
  newPage: () => void,
): void {
  const titleHeight = 22;
  const headParas = columns.map((c) => [
    { text: c.head.en, style: HEAD_EN },
    { text: c.head.ar, style: HEAD_AR },
  ]);
  const headHeight =
    Math.max(...columns.map((c, i) => w.stackHeight(headParas[i]!, c.width - 2 * CELL_PAD_X))) +
    2 * CELL_PAD_Y;

  const drawTitle = (continued: boolean) => {
    const count = ` (${items.length})`;
    const more = continued ? ` (${LABELS.continued.en})` : "";
    const moreAr = continued ? ` (${LABELS.continued.ar})` : "";
    w.text(`${title.en}${count}${more}`, LEFT, w.y + 4, WIDTH / 2, { size: 11, bold: true, dir: "ltr" });
    w.text(`${title.ar}${count}${moreAr}`, LEFT + WIDTH / 2, w.y + 4, WIDTH / 2, {
      size: 11.5,
      bold: true,
      dir: "rtl",
    });
    w.y += titleHeight;
  };
  const drawHead = () => {
    w.shade(LEFT, w.y, WIDTH, headHeight, "#dddddd");
    let x = LEFT;
    columns.forEach((c, i) => {
      if (i > 0) w.vrule(x, w.y, headHeight, "#bbbbbb");
      w.stack(headParas[i]!, x + CELL_PAD_X, w.y + CELL_PAD_Y, c.width - 2 * CELL_PAD_X);
      x += c.width;
    });
    w.y += headHeight;
  };

  if (w.y + titleHeight + headHeight + 30 > BOTTOM) newPage();
  drawTitle(false);
  if (items.length === 0) {
    w.y += w.text(`${LABELS.none.en} · ${LABELS.none.ar}`, LEFT, w.y, WIDTH, { ...SMALL, dir: "ltr" }) + 6;
    return;
  }
  drawHead();
  items.forEach((item, index) => {
    const cells = columns.map((c) => c.cell(item, index));
    const rowHeight =
      Math.max(...columns.map((c, i) => w.stackHeight(cells[i]!, c.width - 2 * CELL_PAD_X))) + 2 * CELL_PAD_Y;
    if (w.y + rowHeight > BOTTOM) {
      newPage();
      drawTitle(true);
      drawHead();
    }
    if (index % 2 === 1) w.shade(LEFT, w.y, WIDTH, rowHeight, "#f4f4f4");
    let x = LEFT;
    columns.forEach((c, i) => {
      if (i > 0) w.vrule(x, w.y, rowHeight);
      w.stack(cells[i]!, x + CELL_PAD_X, w.y + CELL_PAD_Y, c.width - 2 * CELL_PAD_X);
      x += c.width;
    });
    w.y += rowHeight;
    w.rule(w.y, "#cccccc", 0.4);
  });
  w.y += 10;
}

function weaponColumns(): Column<ReceiptData["weapons"][number]>[] {
  const text = (t: string | undefined): Para[] => (t ? [{ text: t, style: CELL }] : []);
  return [
    { head: { en: "#", ar: "" }, width: 20, cell: (_, i) => [{ text: String(i + 1), style: CELL }] },
    { head: LABELS.tag, width: 68, cell: (w) => text(w.tag) },
    {
      head: LABELS.category,
      width: 74,
      cell: (w) => bilingualParas(lookup(WEAPON_CATEGORIES, w.category), CELL, CELL_AR),
    },
    { head: LABELS.type, width: 76, cell: (w) => text(w.type) },
    {
      head: LABELS.makeModel,
      width: 80,
      cell: (w) => [...text(w.make), ...text(w.model)],
    },
    { head: LABELS.calibre, width: 56, cell: (w) => text(w.calibre) },
    {
      head: LABELS.serial,
      width: 92,
      cell: (w) =>
        w.serial && !w.noReadableSerial
          ? [{ text: w.serial, style: { ...CELL, bold: true } }]
          : bilingualParas(LABELS.noReadableSerial, CELL, CELL_AR),
    },
    {
      head: LABELS.serviceable,
      width: WIDTH - 466,
      cell: (w) => {
        const b = w.serviceable ? LABELS.yes : LABELS.no;
        return [{ text: `${b.en} · ${b.ar}`, style: { ...CELL, dir: "ltr" } }];
      },
    },
  ];
}

function ammunitionColumns(): Column<ReceiptData["ammunition"][number]>[] {
  return [
    { head: { en: "#", ar: "" }, width: 20, cell: (_, i) => [{ text: String(i + 1), style: CELL }] },
    { head: LABELS.tag, width: 80, cell: (a) => [{ text: a.tag, style: CELL }] },
    {
      head: LABELS.kind,
      width: 120,
      cell: (a) => bilingualParas(lookup(AMMUNITION_KINDS, a.kind), CELL, CELL_AR),
    },
    { head: LABELS.calibreOrType, width: 150, cell: (a) => [{ text: a.calibreOrType, style: CELL }] },
    {
      head: LABELS.quantity,
      width: WIDTH - 370,
      cell: (a) => {
        const unit = lookup(QUANTITY_UNITS, a.unit);
        const n = formatQuantity(a.quantity);
        const paras: Para[] = [{ text: `${n} ${unit.en}`, style: { ...CELL, bold: true, dir: "ltr" } }];
        if (unit.ar) paras.push({ text: `${n} ${unit.ar}`, style: CELL_AR });
        return paras;
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// The receipt.

function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const m = size / n;
  doc.save();
  doc
    .rect(x - 4 * m, y - 4 * m, size + 8 * m, size + 8 * m)
    .fillColor("#ffffff")
    .fill();
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && qr.modules.get(row, col)) col++;
      // A hair of overlap so no seam shows between modules at any zoom.
      doc.rect(x + start * m, y + row * m, (col - start) * m + 0.05, m + 0.05);
    }
  }
  doc.fillColor("#000000").fill();
  doc.restore();
}

/** Renders the receipt; see renderReceiptPdf. */
export async function renderReceipt(data: ReceiptData, options: RenderOptions = {}): Promise<Uint8Array> {
  const fonts = await loadFonts();
  const qrText = receiptQrText(data);
  const handedAt = formatHandedAt(data.handedAt);

  const doc = new PDFDocument({
    size: [PAGE_W, PAGE_H],
    margin: 0,
    bufferPages: true,
    compress: options.compress ?? true,
    autoFirstPage: true,
    info: {
      Title: `${LABELS.receipt.en} ${data.receiptNumber}`,
      Subject: `${LABELS.receipt.en} / ${LABELS.receipt.ar}`,
      Creator: "ArmsLedger",
      Producer: "ArmsLedger",
      CreationDate: new Date(data.handedAt),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on("error", reject);
  });
  doc.registerFont("regular", fonts.regular);
  doc.registerFont("bold", fonts.bold);

  const w = new Writer(doc, options.onText);

  // Programme and title.
  const half = WIDTH / 2 - 6;
  const progH = Math.max(
    w.text(data.programmeName.en, LEFT, w.y, half, { size: 10, bold: true, dir: "ltr" }),
    w.text(data.programmeName.ar, RIGHT - half, w.y, half, { size: 11, bold: true, dir: "rtl" }),
  );
  w.y += progH + 2;
  w.rule(w.y, INK, 1);
  w.y += 6;
  const titleH = Math.max(
    w.text(LABELS.receipt.en, LEFT, w.y, half, { size: 18, bold: true, dir: "ltr" }),
    w.text(LABELS.receipt.ar, RIGHT - half, w.y, half, { size: 19, bold: true, dir: "rtl" }),
  );
  w.y += titleH + 2;

  // Left: receipt number and the details; right: the QR code.
  const qrBox = QR_SIZE + 24;
  const leftW = WIDTH - qrBox - 10;
  const top = w.y;
  w.text(`${LABELS.receiptNumber.en} · ${LABELS.receiptNumber.ar}`, LEFT, w.y, leftW, {
    size: 8.5,
    bold: true,
    color: MUTED,
    dir: "ltr",
  });
  w.y += 13;
  w.y += w.text(data.receiptNumber, LEFT, w.y, leftW, { size: 30, bold: true, dir: "ltr" });
  w.y += 4;

  const enW = 96;
  const arW = 92;
  const gap = 8;
  const valueX = LEFT + enW + gap;
  const valueW = leftW - enW - arW - 2 * gap;
  const field = (label: Bilingual, value: Para[]) => {
    const h = Math.max(
      w.stackHeight([{ text: label.en, style: LABEL_EN }], enW),
      w.stackHeight([{ text: label.ar, style: LABEL_AR }], arW),
      w.stackHeight(value, valueW),
    );
    w.rule(w.y, "#dddddd", 0.4, LEFT, LEFT + leftW);
    w.y += 4;
    w.text(label.en, LEFT, w.y + 1, enW, LABEL_EN);
    w.text(label.ar, LEFT + leftW - arW, w.y, arW, LABEL_AR);
    w.stack(value, valueX, w.y, valueW);
    w.y += h + 3;
  };

  field(LABELS.handedAt, [{ text: handedAt, style: { ...VALUE_STRONG, dir: "ltr" } }]);
  field(LABELS.site, [
    { text: data.site.code, style: { ...VALUE_STRONG, dir: "ltr" } },
    { text: data.site.name.en, style: VALUE },
    { text: data.site.name.ar, style: VALUE },
  ]);
  if (data.from.kind === "person") {
    const arabic = joinName(data.from.name.arabic);
    const latin = joinName(data.from.name.latin);
    const names: Para[] = [];
    if (arabic) names.push({ text: arabic, style: { ...VALUE_STRONG, size: 11.5 } });
    if (latin) names.push({ text: latin, style: VALUE_STRONG });
    field(LABELS.person, names);
  } else {
    field(LABELS.representative, [{ text: data.from.representative, style: VALUE_STRONG }]);
  }
  const status = ELIGIBILITY_STATUS[data.eligibility.status] ?? lookup({}, data.eligibility.status);
  field(LABELS.eligibility, [
    { text: `${status.en} · ${status.ar}`, style: { ...VALUE_STRONG, dir: "ltr" } },
    ...data.eligibility.reasons.flatMap((code) =>
      bilingualParas(
        lookup(ELIGIBILITY_REASONS, code),
        { ...SMALL, color: MUTED },
        { ...SMALL, color: MUTED },
      ),
    ),
  ]);
  field(LABELS.officer, [
    { text: data.verifyingOfficer.name, style: VALUE_STRONG },
    { text: data.verifyingOfficer.affiliation, style: VALUE },
  ]);
  field(LABELS.ledger, [
    { text: String(data.leafIndex), style: { ...VALUE_STRONG, dir: "ltr" } },
    { text: `SHA-256 ${groupedHash(data.leafHash)}`, style: { size: 7.5, color: MUTED, dir: "ltr" } },
  ]);
  w.rule(w.y, "#dddddd", 0.4, LEFT, LEFT + leftW);

  // The QR code, top right, with its caption.
  const qrX = RIGHT - qrBox + 12;
  const qrY = top + 12;
  drawQr(doc, qrText, qrX, qrY, QR_SIZE);
  let capY = qrY + QR_SIZE + 10;
  capY += w.text(LABELS.scan.en, RIGHT - qrBox, capY, qrBox, {
    size: 8,
    bold: true,
    align: "center",
    dir: "ltr",
  });
  capY += w.text(LABELS.scan.ar, RIGHT - qrBox, capY, qrBox, {
    size: 8.5,
    bold: true,
    align: "center",
    dir: "rtl",
  });
  w.y = Math.max(w.y, capY) + 10;

  // Continuation pages repeat the receipt number at the top.
  const newPage = () => {
    doc.addPage({ size: [PAGE_W, PAGE_H], margin: 0 });
    w.y = MARGIN;
    const h = Math.max(
      w.text(`${LABELS.receipt.en} ${data.receiptNumber}`, LEFT, w.y, half, {
        size: 10,
        bold: true,
        dir: "ltr",
      }),
      w.text(`${LABELS.receipt.ar} ${data.receiptNumber}`, RIGHT - half, w.y, half, {
        size: 10.5,
        bold: true,
        dir: "rtl",
      }),
    );
    w.y += h + 2;
    w.rule(w.y, INK, 1);
    w.y += 8;
  };

  // What the person must know.
  const keepEn: Style = { size: 10, bold: true, dir: "ltr" };
  const keepAr: Style = { size: 11, bold: true, dir: "rtl" };
  const keepH =
    w.height(LABELS.keep.en, WIDTH - 16, keepEn) + w.height(LABELS.keep.ar, WIDTH - 16, keepAr) + 12;
  if (w.y + keepH > BOTTOM) newPage();
  w.doc.save().rect(LEFT, w.y, WIDTH, keepH).lineWidth(1.2).strokeColor(INK).stroke().restore();
  let ky = w.y + 6;
  ky += w.text(LABELS.keep.en, LEFT + 8, ky, WIDTH - 16, keepEn);
  w.text(LABELS.keep.ar, LEFT + 8, ky, WIDTH - 16, keepAr);
  w.y += keepH + 14;

  // The items.
  drawTable(w, LABELS.weapons, weaponColumns(), data.weapons, newPage);
  drawTable(w, LABELS.ammunition, ammunitionColumns(), data.ammunition, newPage);

  // Footers: the receipt number and page count on every page, so pages cannot be mixed up.
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const page = i + 1;
    w.rule(FOOTER_TOP - 3, RULE, 0.5);
    w.text(
      `ArmsLedger · ${data.receiptNumber} · ${LABELS.page.en} ${page} ${LABELS.of.en} ${range.count}`,
      LEFT,
      FOOTER_TOP,
      half,
      { size: 7.5, color: MUTED, dir: "ltr" },
    );
    w.text(`${LABELS.page.ar} ${page} ${LABELS.of.ar} ${range.count}`, RIGHT - half, FOOTER_TOP, half, {
      size: 8,
      color: MUTED,
      dir: "rtl",
    });
  }
  doc.end();
  return done;
}

/** The receipt as a PDF (A4, one page or more). */
export function renderReceiptPdf(data: ReceiptData): Promise<Uint8Array> {
  return renderReceipt(data);
}
