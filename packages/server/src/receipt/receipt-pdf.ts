// The printed receipt a person leaves the collection site with (IDDRS 4.10, ISACS 05.30 hand
// over records). It is bilingual (Arabic and English), names the person in the script(s) the name
// was entered in, lists every item handed in, and carries a QR code that points at the public
// ledger entry.
//
// It NEVER shows the armed group: ReceiptData has no field for it, and the renderer reads only
// the fields below, so extra properties on the object passed in are never printed. A receipt is
// carried on the person and may be seen at a checkpoint; it must not reveal an affiliation.
import { receiptQrText } from "@armsledger/core";
import { ammunitionColumns, weaponColumns } from "../documents/item-tables.ts";
import { type Bilingual, COMMON, lookup } from "../documents/labels.ts";
import {
  BESIDE_QR,
  bilingualParas,
  CELL,
  type Column,
  continuationPages,
  drawFooters,
  drawNotice,
  drawQrPanel,
  drawTable,
  formatUtc,
  groupedHash,
  labelValueRows,
  MUTED,
  openHeadedDocument,
  type Para,
  type RenderOptions,
  SMALL,
  VALUE,
  VALUE_STRONG,
  WIDTH,
} from "../documents/pdf-document.ts";
import { joinName, type NameParts } from "../documents/person-name.ts";
import { ELIGIBILITY_REASONS, ELIGIBILITY_STATUS, LABELS } from "./labels.ts";

export { parseReceiptQrText, RECEIPT_QR_PREFIX, type ReceiptQrFields, receiptQrText } from "@armsledger/core";
export type { RenderOptions } from "../documents/pdf-document.ts";

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

type WeaponLine = ReceiptData["weapons"][number];

function receiptWeaponColumns(): Column<WeaponLine>[] {
  return [
    ...weaponColumns<WeaponLine>({
      number: 20,
      tag: 68,
      category: 74,
      type: 76,
      makeModel: 80,
      calibre: 56,
      serial: 92,
    }),
    {
      head: LABELS.serviceable,
      width: WIDTH - 466,
      cell: (w) => {
        const b = w.serviceable ? COMMON.yes : COMMON.no;
        return [{ text: `${b.en} · ${b.ar}`, style: { ...CELL, dir: "ltr" } }];
      },
    },
  ];
}

/** Renders the receipt; see renderReceiptPdf. */
export async function renderReceipt(data: ReceiptData, options: RenderOptions = {}): Promise<Uint8Array> {
  const qrText = receiptQrText(data);
  const handedAt = formatUtc(data.handedAt, "handedAt");
  const { w, finish, top } = await openHeadedDocument(
    {
      heading: LABELS.receipt,
      programmeName: data.programmeName,
      idLabel: LABELS.receiptNumber,
      id: data.receiptNumber,
      idSize: 30,
      createdAt: new Date(data.handedAt),
    },
    options,
  );

  const rows = labelValueRows(w, BESIDE_QR);
  rows.row(COMMON.dateTimeUtc, [{ text: handedAt, style: { ...VALUE_STRONG, dir: "ltr" } }]);
  rows.row(LABELS.site, [
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
    rows.row(LABELS.person, names);
  } else {
    rows.row(LABELS.representative, [{ text: data.from.representative, style: VALUE_STRONG }]);
  }
  const status: Bilingual =
    ELIGIBILITY_STATUS[data.eligibility.status] ?? lookup({}, data.eligibility.status);
  rows.row(LABELS.eligibility, [
    { text: `${status.en} · ${status.ar}`, style: { ...VALUE_STRONG, dir: "ltr" } },
    ...data.eligibility.reasons.flatMap((code) =>
      bilingualParas(
        lookup(ELIGIBILITY_REASONS, code),
        { ...SMALL, color: MUTED },
        { ...SMALL, color: MUTED },
      ),
    ),
  ]);
  rows.row(LABELS.officer, [
    { text: data.verifyingOfficer.name, style: VALUE_STRONG },
    { text: data.verifyingOfficer.affiliation, style: VALUE },
  ]);
  rows.row(COMMON.ledger, [
    { text: String(data.leafIndex), style: { ...VALUE_STRONG, dir: "ltr" } },
    { text: `SHA-256 ${groupedHash(data.leafHash)}`, style: { size: 7.5, color: MUTED, dir: "ltr" } },
  ]);
  rows.end();

  // The QR code, top right, with its caption.
  drawQrPanel(w, qrText, top);

  // Continuation pages repeat the receipt number at the top.
  const newPage = continuationPages(w, {
    en: `${LABELS.receipt.en} ${data.receiptNumber}`,
    ar: `${LABELS.receipt.ar} ${data.receiptNumber}`,
  });

  // What the person must know.
  drawNotice(w, LABELS.keep, newPage);

  // The items.
  drawTable(w, COMMON.weapons, receiptWeaponColumns(), data.weapons, newPage);
  drawTable(w, COMMON.ammunition, ammunitionColumns(), data.ammunition, newPage);

  // Footers: the receipt number and page count on every page, so pages cannot be mixed up.
  drawFooters(w, data.receiptNumber);
  return finish();
}

/** The receipt as a PDF (A4, one page or more). */
export function renderReceiptPdf(data: ReceiptData): Promise<Uint8Array> {
  return renderReceipt(data);
}
