// The item-level certificate of destruction (ISACS 05.50, IDDRS 4.10): one batch destroyed at a
// destruction site, by one method, before operators and third-party witnesses, every item listed
// by tag and serial, with a QR code of the disposition event's ledger leaf so anyone can check
// that the batch is in the public ledger and that this paper matches it.
//
// It NEVER shows an armed group: DestructionCertificateData has no field for one, and the
// renderer reads only the fields below, so extra properties on the object passed in are never
// printed. Nor does it print the event's free-text notes, which could name anyone.
import { type destructionMethods, dispositionQrText } from "@armsledger/core";
import { type AmmunitionRow, ammunitionColumns, type WeaponRow, weaponColumns } from "./item-tables.ts";
import { type Bilingual, COMMON, lookup } from "./labels.ts";
import {
  BESIDE_QR,
  CELL,
  type Column,
  continuationPages,
  drawFooters,
  drawNotice,
  drawQrPanel,
  drawSignatures,
  drawTable,
  formatUtc,
  groupedHash,
  labelValueRows,
  MUTED,
  numberColumn,
  openHeadedDocument,
  type RenderOptions,
  type Signatory,
  VALUE,
  VALUE_STRONG,
  WIDTH,
} from "./pdf-document.ts";

type DestructionMethod = (typeof destructionMethods)[number];

export const CERTIFICATE_LABELS = {
  certificate: { en: "Certificate of destruction", ar: "شهادة إتلاف" },
  batch: { en: "Destruction batch", ar: "دفعة الإتلاف" },
  site: { en: "Destruction site", ar: "موقع الإتلاف" },
  method: { en: "Method of destruction", ar: "طريقة الإتلاف" },
  photos: { en: "Photographs on record", ar: "الصور الموثقة" },
  present: { en: "Operators and third-party witnesses", ar: "القائمون بالإتلاف والشهود من الطرف الثالث" },
  role: { en: "Role", ar: "الصفة" },
  operator: { en: "Operator", ar: "القائم بالإتلاف" },
  independent: { en: "Independent", ar: "مستقل" },
  statement: {
    en: "The undersigned certify that the items listed here were destroyed as stated above.",
    ar: "يشهد الموقعون أدناه بأن الأصناف المدرجة هنا قد تم إتلافها على النحو المبيّن أعلاه.",
  },
  officer: { en: "Disposal officer", ar: "ضابط الإتلاف" },
  witness: { en: "Witness", ar: "الشاهد" },
} satisfies Record<string, Bilingual>;

export const DESTRUCTION_METHODS: Record<DestructionMethod, Bilingual> = {
  cutting: { en: "Cutting", ar: "القطع" },
  crushing: { en: "Crushing", ar: "السحق" },
  melting: { en: "Melting", ar: "الصهر" },
  burning: { en: "Burning", ar: "الحرق" },
  open_detonation: { en: "Open detonation", ar: "التفجير في العراء" },
  open_burning: { en: "Open burning", ar: "الحرق في العراء" },
  other: { en: "Other", ar: "طريقة أخرى" },
};

export interface DestructionCertificateData {
  programmeName: { ar: string; en: string };
  batchId: string;
  /** The disposition event's ledger leaf. */
  leafIndex: number;
  leafHash: string;
  destroyedAt: string;
  site: { code: string; name: { ar: string; en: string } };
  /** One of core's destructionMethods; an unknown code is printed in readable English. */
  method: string;
  operators: { name: string; affiliation: string }[];
  witnesses: { name: string; affiliation: string; independent: boolean }[];
  photoCount: number;
  weapons: WeaponRow[];
  ammunition: AmmunitionRow[];
  /** The officer who recorded the destruction, who signs first. */
  officer: { name: string };
}

interface Present {
  role: "operator" | "witness";
  name: string;
  affiliation: string;
  independent?: boolean;
}

/** Operators and witnesses in one table: a witness says whether they are independent. */
function presentColumns(): Column<Present>[] {
  const line = (b: Bilingual, bold = false) => [
    { text: `${b.en} · ${b.ar}`, style: { ...CELL, bold, dir: "ltr" as const } },
  ];
  return [
    numberColumn(20),
    {
      head: CERTIFICATE_LABELS.role,
      width: 118,
      cell: (p) => line(p.role === "operator" ? CERTIFICATE_LABELS.operator : CERTIFICATE_LABELS.witness),
    },
    { head: COMMON.name, width: 170, cell: (p) => [{ text: p.name, style: CELL }] },
    { head: COMMON.affiliation, width: 140, cell: (p) => [{ text: p.affiliation, style: CELL }] },
    {
      head: CERTIFICATE_LABELS.independent,
      width: WIDTH - 448,
      cell: (p) =>
        p.independent === undefined ? [] : line(p.independent ? COMMON.yes : COMMON.no, p.independent),
    },
  ];
}

const WEAPON_WIDTHS = {
  number: 22,
  tag: 74,
  category: 82,
  type: 88,
  makeModel: 92,
  calibre: 64,
  serial: WIDTH - 422,
};

/** Renders the certificate of destruction of one batch as a PDF (A4, one page or more). */
export async function renderDestructionCertificate(
  data: DestructionCertificateData,
  options: RenderOptions = {},
): Promise<Uint8Array> {
  const L = CERTIFICATE_LABELS;
  const qrText = dispositionQrText(data);
  const destroyedAt = formatUtc(data.destroyedAt, "destroyedAt");
  const { w, finish, top } = await openHeadedDocument(
    {
      heading: L.certificate,
      programmeName: data.programmeName,
      idLabel: L.batch,
      id: data.batchId,
      idSize: 13,
      createdAt: new Date(data.destroyedAt),
    },
    options,
  );

  const rows = labelValueRows(w, BESIDE_QR);
  rows.row(COMMON.dateTimeUtc, [{ text: destroyedAt, style: { ...VALUE_STRONG, dir: "ltr" } }]);
  rows.row(L.site, [
    { text: `${data.site.code} · ${data.site.name.en}`, style: { ...VALUE_STRONG, dir: "ltr" } },
    { text: data.site.name.ar, style: VALUE },
  ]);
  const method = lookup(DESTRUCTION_METHODS, data.method);
  rows.row(L.method, [
    { text: method.ar ? `${method.en} · ${method.ar}` : method.en, style: { ...VALUE_STRONG, dir: "ltr" } },
  ]);
  const weapons = data.weapons.length;
  const lots = data.ammunition.length;
  rows.row(L.photos, [{ text: String(data.photoCount), style: { ...VALUE_STRONG, dir: "ltr" } }]);
  rows.row(COMMON.ledger, [
    { text: String(data.leafIndex), style: { ...VALUE_STRONG, dir: "ltr" } },
    { text: `SHA-256 ${groupedHash(data.leafHash)}`, style: { size: 7.5, color: MUTED, dir: "ltr" } },
  ]);
  rows.end();
  drawQrPanel(w, qrText, top);

  // Continuation pages say which certificate they belong to; so do the footers, by batch.
  const newPage = continuationPages(w, L.certificate);

  const present: Present[] = [
    ...data.operators.map((o) => ({ role: "operator" as const, name: o.name, affiliation: o.affiliation })),
    ...data.witnesses.map((x) => ({
      role: "witness" as const,
      name: x.name,
      affiliation: x.affiliation,
      independent: x.independent,
    })),
  ];
  drawTable(w, L.present, presentColumns(), present, newPage);
  drawNotice(w, L.statement, newPage);
  if (weapons > 0 || lots === 0)
    drawTable(w, COMMON.weapons, weaponColumns<WeaponRow>(WEAPON_WIDTHS), data.weapons, newPage);
  if (lots > 0) drawTable(w, COMMON.ammunition, ammunitionColumns<AmmunitionRow>(), data.ammunition, newPage);

  const signatories: Signatory[] = [
    { role: L.officer, name: data.officer.name },
    ...data.witnesses.map((x, i) => ({
      role: { en: `${L.witness.en} ${i + 1}`, ar: `${L.witness.ar} ${i + 1}` },
      name: x.name,
      affiliation: x.affiliation,
    })),
  ];
  drawSignatures(w, signatories, newPage);

  drawFooters(w, data.batchId);
  return finish();
}
