// The demobilisation card: an ID-1 card (85.60 × 53.98 mm, the size of a bank card) with a box
// for the photo, the holder's name in Arabic script and in Latin letters as registered, the card
// number, the date of issue and a QR code of the card number and its check value (card-qr.ts).
//
// It NEVER shows or encodes the armed group: CardData has no field for it, the renderer reads
// only the fields below (extra properties of the object passed in are never printed), and the QR
// carries no name at all. The card is carried on the person and shown at checkpoints, where an
// affiliation can cost a life (DOMAIN.md: the demobilisation card never shows the group's name).
//
// No photo bytes exist in the system: the box shows the photo's reference (the SHA-256 of the
// file taken at registration), and the photo is glued or printed into it where the card is made.
import { cardQrText } from "@armsledger/core";
import QRCode from "qrcode";
import type { Bilingual } from "../documents/labels.ts";
import {
  drawQr,
  INK,
  MUTED,
  openDocument,
  type Para,
  type RenderOptions,
  type Style,
  type Writer,
} from "../documents/pdf-document.ts";
import { joinName, type PrintedName } from "../documents/person-name.ts";
import { CARD_LABELS } from "./labels.ts";

export type { RenderOptions } from "../documents/pdf-document.ts";

export interface CardData {
  cardNumber: string;
  /** The check value of the card's QR code: the start of its issuing leaf's hash (card-qr.ts). */
  check: string;
  /** When the card was issued (its event was recorded), UTC ISO-8601. */
  issuedAt: string;
  holder: {
    name: PrintedName;
    /** The reference (SHA-256, hex) of the photo taken at registration, if one was. */
    photo?: string | undefined;
  };
  programmeName: Bilingual;
}

/** ISO/IEC 7810 ID-1, in points (1 mm = 72 / 25.4 pt). */
const MM = 72 / 25.4;
export const CARD_W = 85.6 * MM;
export const CARD_H = 53.98 * MM;
const PAD = 3 * MM;
const INNER = CARD_W - 2 * PAD;
const PHOTO_W = 20 * MM;
const PHOTO_H = 25 * MM;
const QR = 21 * MM;
const BODY_TOP = 12.5 * MM;
const FOOTER_Y = CARD_H - PAD - 7;
const GAP = 2 * MM;

const LABEL: Style = { size: 5, bold: true, color: MUTED, dir: "ltr" };

function dateOfIssue(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new RangeError(`issuedAt ${JSON.stringify(iso)} is not a date`);
  return at.toISOString().slice(0, 10);
}

function bilingualLabel(b: Bilingual): string {
  return `${b.en} · ${b.ar}`;
}

/** The header: the programme on the left (English) and right (Arabic), then the card's title. */
function drawHeader(w: Writer, programmeName: Bilingual): void {
  const half = INNER / 2 - 2;
  const prog = Math.max(
    w.text(programmeName.en, PAD, PAD, half, { size: 5.5, bold: true, dir: "ltr" }),
    w.text(programmeName.ar, CARD_W - PAD - half, PAD - 0.5, half, { size: 6, bold: true, dir: "rtl" }),
  );
  const ruleY = PAD + prog + 1;
  w.rule(ruleY, INK, 0.6, PAD, CARD_W - PAD);
  w.text(CARD_LABELS.card.en, PAD, ruleY + 2, half, { size: 8.5, bold: true, dir: "ltr" });
  w.text(CARD_LABELS.card.ar, CARD_W - PAD - half, ruleY + 1.5, half, { size: 9, bold: true, dir: "rtl" });
}

/** The photo box with its label and the photo's reference (or "no photo"). */
function drawPhotoBox(w: Writer, photo: string | undefined): void {
  const x = PAD;
  const y = BODY_TOP;
  w.doc
    .save()
    .rect(x, y, PHOTO_W, PHOTO_H)
    .lineWidth(0.5)
    .dash(1.5, { space: 1.5 })
    .strokeColor(MUTED)
    .stroke();
  w.doc.undash().restore();
  let at = y + 3;
  at += w.text(bilingualLabel(CARD_LABELS.photo), x + 2, at, PHOTO_W - 4, { ...LABEL, align: "center" });
  at += 4;
  if (!photo) {
    at += w.text(CARD_LABELS.noPhoto.en, x + 2, at, PHOTO_W - 4, {
      size: 5,
      color: MUTED,
      align: "center",
      dir: "ltr",
    });
    w.text(CARD_LABELS.noPhoto.ar, x + 2, at, PHOTO_W - 4, {
      size: 5.5,
      color: MUTED,
      align: "center",
      dir: "rtl",
    });
    return;
  }
  at += w.text(bilingualLabel(CARD_LABELS.photoReference), x + 2, at, PHOTO_W - 4, {
    size: 4.5,
    color: MUTED,
    align: "center",
    dir: "ltr",
  });
  // The reference in four groups of 16, so it can be read out and compared with the record.
  const groups = photo.toLowerCase().match(/.{1,16}/gu) ?? [];
  for (const g of groups)
    at += w.text(g, x + 2, at, PHOTO_W - 4, { size: 4.2, color: MUTED, align: "center", dir: "ltr" });
}

/** The QR code at the right, with its caption under it. */
function drawQrBlock(w: Writer, text: string): void {
  const x = CARD_W - PAD - QR;
  const y = BODY_TOP;
  // drawQr paints a 4-module white quiet zone around the symbol: fit symbol and zone in the box,
  // so the zone covers nothing printed above it.
  const modules = QRCode.create(text, { errorCorrectionLevel: "M" }).modules.size;
  const m = QR / (modules + 8);
  drawQr(w.doc, text, x + 4 * m, y + 4 * m, modules * m);
  w.text(bilingualLabel(CARD_LABELS.scan), x - 4, y + QR + 1, QR + 8, {
    size: 4.5,
    color: MUTED,
    align: "center",
    dir: "ltr",
  });
}

/** Name, number and date between the photo and the QR, the name's size reduced until it all fits. */
function drawDetails(w: Writer, data: CardData): void {
  const x = PAD + PHOTO_W + GAP;
  const width = CARD_W - PAD - QR - GAP - x;
  const arabic = joinName(data.holder.name.arabic);
  const latin = joinName(data.holder.name.latin);
  const rest: Para[] = [
    { text: bilingualLabel(CARD_LABELS.cardNumber), style: { ...LABEL } },
    { text: data.cardNumber, style: { size: 10, bold: true, dir: "ltr" } },
    { text: bilingualLabel(CARD_LABELS.issuedOn), style: { ...LABEL } },
    { text: dateOfIssue(data.issuedAt), style: { size: 7.5, bold: true, dir: "ltr" } },
  ];
  const room = FOOTER_Y - 2 - BODY_TOP;
  let paras: Para[] = [];
  for (const size of [9, 8, 7, 6, 5]) {
    const names: Para[] = [];
    if (arabic) names.push({ text: arabic, style: { size, bold: true, dir: "rtl" } });
    if (latin) names.push({ text: latin, style: { size: size - 0.5, bold: true, dir: "ltr" } });
    paras = [{ text: bilingualLabel(CARD_LABELS.name), style: LABEL }, ...names, ...rest];
    if (w.stackHeight(paras, width) <= room) break;
  }
  w.stack(paras, x, BODY_TOP, width);
}

/** The card as a one-page PDF of ID-1 size. */
export async function renderCard(data: CardData, options: RenderOptions = {}): Promise<Uint8Array> {
  const qrText = cardQrText({ cardNumber: data.cardNumber, check: data.check });
  const issuedAt = new Date(data.issuedAt);
  dateOfIssue(data.issuedAt);
  const { w, finish } = await openDocument(
    {
      title: `${CARD_LABELS.card.en} ${data.cardNumber}`,
      subject: `${CARD_LABELS.card.en} / ${CARD_LABELS.card.ar}`,
      createdAt: issuedAt,
      size: [CARD_W, CARD_H],
    },
    options,
  );
  drawHeader(w, data.programmeName);
  drawPhotoBox(w, data.holder.photo);
  drawDetails(w, data);
  drawQrBlock(w, qrText);
  const half = INNER / 2 - 2;
  w.text(CARD_LABELS.found.en, PAD, FOOTER_Y, half, { size: 4.5, color: MUTED, dir: "ltr" });
  w.text(CARD_LABELS.found.ar, CARD_W - PAD - half, FOOTER_Y - 0.5, half, {
    size: 5,
    color: MUTED,
    dir: "rtl",
  });
  return finish();
}
