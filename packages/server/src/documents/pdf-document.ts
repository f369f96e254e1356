// What every printed ArmsLedger document shares (the handover receipt, the destruction
// certificate): A4 pages set in IBM Plex Sans Arabic, text in Arabic and English laid out
// right-to-left where it must be (bidi-text.ts), a title block, bilingual label/value rows beside
// a QR code of the ledger leaf, tables that flow onto further pages with their heading repeated,
// boxed notices, signature lines, and a footer on every page saying which document it belongs to.
//
// A document reads only the fields it is given and prints them through a Writer, so nothing else
// can reach the page; the same input gives the same bytes (no clock, no random ids).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { type BidiLine, cleanParagraphs, type Direction, layoutParagraph } from "./bidi-text.ts";
import { type Bilingual, COMMON } from "./labels.ts";

export interface RenderOptions {
  /** Deflate page content (default true); tests turn it off to read the PDF. */
  compress?: boolean;
  /** Called with every text the document prints, in logical order (for tests and audits). */
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
export function loadFonts(): Promise<Record<FontName, Buffer>> {
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

export const PAGE_W = 595.28;
export const PAGE_H = 841.89;
export const MARGIN = 36;
export const LEFT = MARGIN;
export const RIGHT = PAGE_W - MARGIN;
export const WIDTH = RIGHT - LEFT;
/** Half the text width, less a gutter: the English column on the left, the Arabic on the right. */
export const HALF = WIDTH / 2 - 6;
export const FOOTER_TOP = PAGE_H - MARGIN - 14;
export const BOTTOM = FOOTER_TOP - 10;
/** 100 pt = 35.3 mm for the symbol itself, plus a 4-module quiet zone around it. */
export const QR_SIZE = 100;
/** The QR code's panel at the top right, caption included. */
export const QR_BOX = QR_SIZE + 24;
/** The width left for label/value rows beside the QR panel. */
export const BESIDE_QR = WIDTH - QR_BOX - 10;
const LINE = 1.5;

export const INK = "#111111";
export const MUTED = "#555555";
export const RULE = "#999999";
export const SHADE = "#eeeeee";

type Align = "start" | "end" | "left" | "right" | "center";

export interface Style {
  size: number;
  bold?: boolean;
  color?: string;
  align?: Align;
  dir?: Direction;
}

export interface Para {
  text: string;
  style: Style;
}

/** Draws text through bidi-text's layout; every printed string passes through `text`. */
export class Writer {
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
// Styles and formats.

export const LABEL_EN: Style = { size: 8, bold: true, color: MUTED, dir: "ltr" };
export const LABEL_AR: Style = { size: 8.5, bold: true, color: MUTED, dir: "rtl" };
export const VALUE: Style = { size: 10 };
export const VALUE_STRONG: Style = { size: 10.5, bold: true };
export const SMALL: Style = { size: 8.5 };
export const CELL: Style = { size: 8 };
export const CELL_AR: Style = { size: 8.5, dir: "rtl" };
const HEAD_EN: Style = { size: 7.5, bold: true, dir: "ltr" };
const HEAD_AR: Style = { size: 8, bold: true, dir: "rtl" };

/** The English wording, then the Arabic one if there is one, each in its own direction. */
export function bilingualParas(b: Bilingual, en: Style, ar: Style): Para[] {
  const out: Para[] = [{ text: b.en, style: { ...en, dir: "ltr" } }];
  if (b.ar) out.push({ text: b.ar, style: { ...ar, dir: "rtl" } });
  return out;
}

/** "2025-03-14 09:41 UTC"; `what` names the field in the error when `iso` is not a date. */
export function formatUtc(iso: string, what: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new RangeError(`${what} ${JSON.stringify(iso)} is not a date`);
  const s = at.toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)} UTC`;
}

export function formatQuantity(n: number): string {
  return new Intl.NumberFormat("en-GB", { maximumFractionDigits: 3 }).format(n);
}

/** The hash in groups of eight, so it can be read out and compared. */
export function groupedHash(hash: string): string {
  return (hash.toLowerCase().match(/.{1,8}/gu) ?? []).join(" ");
}

// ---------------------------------------------------------------------------------------------
// The document and its page frame.

export interface DocumentInfo {
  /** The PDF's Title. */
  title: string;
  /** The PDF's Subject. */
  subject: string;
  /** The PDF's CreationDate: the time of the recorded event, so the same record gives the same bytes. */
  createdAt: Date;
  /** Page size in points, [width, height]; A4 unless given (a card is ID-1, see card-pdf.ts). */
  size?: [number, number];
}

export interface OpenDocument {
  doc: PDFKit.PDFDocument;
  w: Writer;
  /** Ends the document; resolves to its bytes. */
  finish(): Promise<Uint8Array>;
}

/** A document (A4 unless told) with the fonts registered and its first page open, the Writer at the top margin. */
export async function openDocument(info: DocumentInfo, options: RenderOptions = {}): Promise<OpenDocument> {
  const fonts = await loadFonts();
  const doc = new PDFDocument({
    size: info.size ?? [PAGE_W, PAGE_H],
    margin: 0,
    bufferPages: true,
    compress: options.compress ?? true,
    autoFirstPage: true,
    info: {
      Title: info.title,
      Subject: info.subject,
      Creator: "ArmsLedger",
      Producer: "ArmsLedger",
      CreationDate: info.createdAt,
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
  return {
    doc,
    w: new Writer(doc, options.onText),
    finish: () => {
      doc.end();
      return done;
    },
  };
}

/** The programme's name over a rule, then the document's title, English left and Arabic right. */
export function drawTitleBlock(w: Writer, programmeName: Bilingual, title: Bilingual): void {
  const progH = Math.max(
    w.text(programmeName.en, LEFT, w.y, HALF, { size: 10, bold: true, dir: "ltr" }),
    w.text(programmeName.ar, RIGHT - HALF, w.y, HALF, { size: 11, bold: true, dir: "rtl" }),
  );
  w.y += progH + 2;
  w.rule(w.y, INK, 1);
  w.y += 6;
  const titleH = Math.max(
    w.text(title.en, LEFT, w.y, HALF, { size: 18, bold: true, dir: "ltr" }),
    w.text(title.ar, RIGHT - HALF, w.y, HALF, { size: 19, bold: true, dir: "rtl" }),
  );
  w.y += titleH + 2;
}

/** A function that opens a continuation page headed with `heading` (which document this is). */
export function continuationPages(w: Writer, heading: Bilingual): () => void {
  return () => {
    w.doc.addPage({ size: [PAGE_W, PAGE_H], margin: 0 });
    w.y = MARGIN;
    const h = Math.max(
      w.text(heading.en, LEFT, w.y, HALF, { size: 10, bold: true, dir: "ltr" }),
      w.text(heading.ar, RIGHT - HALF, w.y, HALF, { size: 10.5, bold: true, dir: "rtl" }),
    );
    w.y += h + 2;
    w.rule(w.y, INK, 1);
    w.y += 8;
  };
}

/** Footers: the document's reference and the page count on every page, so pages cannot be mixed up. */
export function drawFooters(w: Writer, reference: string): void {
  const range = w.doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    w.doc.switchToPage(range.start + i);
    const page = i + 1;
    w.rule(FOOTER_TOP - 3, RULE, 0.5);
    w.text(
      `ArmsLedger · ${reference} · ${COMMON.page.en} ${page} ${COMMON.of.en} ${range.count}`,
      LEFT,
      FOOTER_TOP,
      HALF,
      { size: 7.5, color: MUTED, dir: "ltr" },
    );
    w.text(`${COMMON.page.ar} ${page} ${COMMON.of.ar} ${range.count}`, RIGHT - HALF, FOOTER_TOP, HALF, {
      size: 8,
      color: MUTED,
      dir: "rtl",
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Label/value rows: the English label on the left, the Arabic label on the right, the value
// between them.

export interface LabelValueRows {
  /** Draws one row at w.y and moves w.y below it. */
  row(label: Bilingual, value: Para[]): void;
  /** Closes the rows with a rule. */
  end(): void;
}

/** Rows starting at LEFT and `width` wide (BESIDE_QR beside the QR panel). */
export function labelValueRows(w: Writer, width: number): LabelValueRows {
  const enW = 96;
  const arW = 92;
  const gap = 8;
  const valueX = LEFT + enW + gap;
  const valueW = width - enW - arW - 2 * gap;
  return {
    row(label, value) {
      const h = Math.max(
        w.stackHeight([{ text: label.en, style: LABEL_EN }], enW),
        w.stackHeight([{ text: label.ar, style: LABEL_AR }], arW),
        w.stackHeight(value, valueW),
      );
      w.rule(w.y, "#dddddd", 0.4, LEFT, LEFT + width);
      w.y += 4;
      w.text(label.en, LEFT, w.y + 1, enW, LABEL_EN);
      w.text(label.ar, LEFT + width - arW, w.y, arW, LABEL_AR);
      w.stack(value, valueX, w.y, valueW);
      w.y += h + 3;
    },
    end() {
      w.rule(w.y, "#dddddd", 0.4, LEFT, LEFT + width);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The QR code.

/** Draws `text` as a QR code (error correction M) with its top-left corner at (x, y). */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
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

/**
 * The QR panel at the top right of the first page, its top at `top` (where the rows beside it
 * began), captioned "Scan to verify"; moves w.y below whichever of the rows and the panel ends lower.
 */
export function drawQrPanel(w: Writer, text: string, top: number): void {
  const qrX = RIGHT - QR_BOX + 12;
  const qrY = top + 12;
  drawQr(w.doc, text, qrX, qrY, QR_SIZE);
  let capY = qrY + QR_SIZE + 10;
  capY += w.text(COMMON.scan.en, RIGHT - QR_BOX, capY, QR_BOX, {
    size: 8,
    bold: true,
    align: "center",
    dir: "ltr",
  });
  capY += w.text(COMMON.scan.ar, RIGHT - QR_BOX, capY, QR_BOX, {
    size: 8.5,
    bold: true,
    align: "center",
    dir: "rtl",
  });
  w.y = Math.max(w.y, capY) + 10;
}

// ---------------------------------------------------------------------------------------------
// Boxed notices.

/** A framed statement, English then Arabic, kept whole on one page. */
export function drawNotice(w: Writer, notice: Bilingual, newPage: () => void): void {
  const en: Style = { size: 10, bold: true, dir: "ltr" };
  const ar: Style = { size: 11, bold: true, dir: "rtl" };
  const h = w.height(notice.en, WIDTH - 16, en) + w.height(notice.ar, WIDTH - 16, ar) + 12;
  if (w.y + h > BOTTOM) newPage();
  w.doc.save().rect(LEFT, w.y, WIDTH, h).lineWidth(1.2).strokeColor(INK).stroke().restore();
  let y = w.y + 6;
  y += w.text(notice.en, LEFT + 8, y, WIDTH - 16, en);
  w.text(notice.ar, LEFT + 8, y, WIDTH - 16, ar);
  w.y += h + 14;
}

// ---------------------------------------------------------------------------------------------
// Tables that flow onto further pages.

export interface Column<T> {
  head: Bilingual;
  width: number;
  cell: (item: T, index: number) => Para[];
}

const CELL_PAD_X = 4;
const CELL_PAD_Y = 3;

/**
 * A titled table of `items`, one row each, the columns' widths adding up to WIDTH. A row that
 * does not fit opens a new page (through `newPage`), where the title ("continued") and the
 * heading are repeated. An empty list prints "None".
 */
export function drawTable<T>(
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
    const more = continued ? ` (${COMMON.continued.en})` : "";
    const moreAr = continued ? ` (${COMMON.continued.ar})` : "";
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
    w.y += w.text(`${COMMON.none.en} · ${COMMON.none.ar}`, LEFT, w.y, WIDTH, { ...SMALL, dir: "ltr" }) + 6;
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

/** The "#" column: the row's number, from 1. */
export function numberColumn<T>(width: number): Column<T> {
  return { head: { en: "#", ar: "" }, width, cell: (_, i) => [{ text: String(i + 1), style: CELL }] };
}

// ---------------------------------------------------------------------------------------------
// Signature lines.

export interface Signatory {
  /** What the person signs as ("Disposal officer", "Witness 1"). */
  role: Bilingual;
  /** Printed under the line; empty leaves a line to write the name on. */
  name: string;
  affiliation?: string | undefined;
}

const SIGN_GAP = 16;
const SIGN_SPACE = 26;
const SIGN_PER_ROW = 3;

/** Signature lines, three to a row, each with the role above and the name (and affiliation) below. */
export function drawSignatures(w: Writer, signatories: Signatory[], newPage: () => void): void {
  const boxW = (WIDTH - (SIGN_PER_ROW - 1) * SIGN_GAP) / SIGN_PER_ROW;
  const blocks = signatories.map((s) => {
    const above: Para[] = [{ text: `${s.role.en} · ${s.role.ar}`, style: { ...LABEL_EN, dir: "ltr" } }];
    const below: Para[] = [
      {
        text: `${COMMON.signature.en} · ${COMMON.signature.ar}`,
        style: { size: 7, color: MUTED, dir: "ltr" },
      },
    ];
    if (s.name) below.push({ text: s.name, style: { ...VALUE_STRONG, size: 9.5 } });
    if (s.affiliation) below.push({ text: s.affiliation, style: { size: 8.5, color: MUTED } });
    return { above, below };
  });
  const heightOf = (b: { above: Para[]; below: Para[] }) =>
    w.stackHeight(b.above, boxW) + SIGN_SPACE + 3 + w.stackHeight(b.below, boxW);
  const rows: (typeof blocks)[] = [];
  for (let i = 0; i < blocks.length; i += SIGN_PER_ROW) rows.push(blocks.slice(i, i + SIGN_PER_ROW));
  for (const row of rows) {
    const rowH = Math.max(...row.map(heightOf));
    if (w.y + rowH > BOTTOM) newPage();
    row.forEach((b, j) => {
      const x = LEFT + j * (boxW + SIGN_GAP);
      let y = w.y + w.stack(b.above, x, w.y, boxW) + SIGN_SPACE;
      w.rule(y, INK, 0.8, x, x + boxW);
      y += 3;
      w.stack(b.below, x, y, boxW);
    });
    w.y += rowH + 12;
  }
}

export interface DocumentHead {
  /** The document kind, e.g. "Handover receipt / إيصال تسليم". */
  heading: Bilingual;
  programmeName: Bilingual;
  /** The identifier printed large under the heading (receipt number, batch id), and its label. */
  idLabel: Bilingual;
  id: string;
  idSize: number;
  createdAt: Date;
}

/**
 * Opens a document and draws what every printed document begins with: the programme and the
 * heading, then the identifier beside the place kept for the QR code. Answers the writer, the
 * `finish` function and the top of that block (where the QR panel goes).
 */
export async function openHeadedDocument(head: DocumentHead, options: RenderOptions = {}) {
  const opened = await openDocument(
    {
      title: `${head.heading.en} ${head.id}`,
      subject: `${head.heading.en} / ${head.heading.ar}`,
      createdAt: head.createdAt,
    },
    options,
  );
  const { w } = opened;
  drawTitleBlock(w, head.programmeName, head.heading);
  const top = w.y;
  w.text(`${head.idLabel.en} · ${head.idLabel.ar}`, LEFT, w.y, BESIDE_QR, {
    size: 8.5,
    bold: true,
    color: MUTED,
    dir: "ltr",
  });
  w.y += 13;
  w.y += w.text(head.id, LEFT, w.y, BESIDE_QR, { size: head.idSize, bold: true, dir: "ltr" });
  w.y += 4;
  return { ...opened, top };
}
