// The columns that describe weapon items and ammunition lots, for every document that lists them.
import { AMMUNITION_KINDS, COMMON, lookup, QUANTITY_UNITS, WEAPON_CATEGORIES } from "./labels.ts";
import {
  bilingualParas,
  CELL,
  CELL_AR,
  type Column,
  formatQuantity,
  numberColumn,
  type Para,
  WIDTH,
} from "./pdf-document.ts";

/** What a document prints of a weapon item: never who handed it in. */
export interface WeaponRow {
  tag: string;
  category: string;
  type: string;
  make?: string | undefined;
  model?: string | undefined;
  calibre?: string | undefined;
  serial?: string | undefined;
  noReadableSerial: boolean;
}

/** What a document prints of an ammunition lot. */
export interface AmmunitionRow {
  tag: string;
  kind: string;
  calibreOrType: string;
  quantity: number;
  unit: string;
}

export interface WeaponColumnWidths {
  number: number;
  tag: number;
  category: number;
  type: number;
  makeModel: number;
  calibre: number;
  serial: number;
}

const text = (t: string | undefined): Para[] => (t ? [{ text: t, style: CELL }] : []);

/** #, tag, category, type, make / model, calibre, serial (or "no readable serial"), in these widths. */
export function weaponColumns<T extends WeaponRow>(widths: WeaponColumnWidths): Column<T>[] {
  return [
    numberColumn(widths.number),
    { head: COMMON.tag, width: widths.tag, cell: (w) => text(w.tag) },
    {
      head: COMMON.category,
      width: widths.category,
      cell: (w) => bilingualParas(lookup(WEAPON_CATEGORIES, w.category), CELL, CELL_AR),
    },
    { head: COMMON.type, width: widths.type, cell: (w) => text(w.type) },
    {
      head: COMMON.makeModel,
      width: widths.makeModel,
      cell: (w) => [...text(w.make), ...text(w.model)],
    },
    { head: COMMON.calibre, width: widths.calibre, cell: (w) => text(w.calibre) },
    {
      head: COMMON.serial,
      width: widths.serial,
      cell: (w) =>
        w.serial && !w.noReadableSerial
          ? [{ text: w.serial, style: { ...CELL, bold: true } }]
          : bilingualParas(COMMON.noReadableSerial, CELL, CELL_AR),
    },
  ];
}

/** #, tag, kind, calibre / type, quantity (with its unit in both languages), across the full width. */
export function ammunitionColumns<T extends AmmunitionRow>(): Column<T>[] {
  return [
    numberColumn(20),
    { head: COMMON.tag, width: 80, cell: (a) => [{ text: a.tag, style: CELL }] },
    {
      head: COMMON.kind,
      width: 120,
      cell: (a) => bilingualParas(lookup(AMMUNITION_KINDS, a.kind), CELL, CELL_AR),
    },
    { head: COMMON.calibreOrType, width: 150, cell: (a) => [{ text: a.calibreOrType, style: CELL }] },
    {
      head: COMMON.quantity,
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
