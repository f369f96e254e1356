import {
  ammunitionOnlyColumns,
  handoverColumns,
  itemExportOnlyColumns,
  weaponFileColumns,
  weaponOnlyColumns,
} from "./columns.ts";
import {
  blockKey,
  type CodeLookups,
  cell,
  columnFor,
  defined,
  enumText,
  importCommandId,
  type MappedCommand,
  type Mapping,
  occurrenceCounter,
  photoList,
  type RowProblem,
  unknownColumns,
  wholeNumber,
  yesNo,
} from "./mapping.ts";
import type { Table, TableRow } from "./read-table.ts";

/** Handover payload path (without "payload.") → the column it was read from. */
const handoverPaths: Record<string, string> = {
  "": "handover_ref",
  siteId: "site_code",
  handedAt: "handed_at",
  verifyingOfficer: "verifier_name / verifier_affiliation",
  "verifyingOfficer.name": "verifier_name",
  "verifyingOfficer.affiliation": "verifier_affiliation",
  from: "person_id / group_code",
  "from.personId": "person_id",
  "from.groupId": "group_code",
  "from.representative": "representative",
  notes: "notes",
};

const weaponPaths: Record<string, string> = {
  tag: "tag",
  category: "category",
  type: "type",
  make: "make",
  model: "model",
  calibre: "calibre",
  serial: "serial",
  componentSerials: "serial",
  noReadableSerial: "no_readable_serial",
  countryOfManufacture: "country",
  yearOfManufacture: "year",
  alteredMarks: "altered_marks",
  condition: "condition",
  serviceable: "serviceable",
  listCheck: "list_check",
  source: "source",
  photos: "photo",
};

const ammunitionPaths: Record<string, string> = {
  tag: "tag",
  kind: "kind",
  calibreOrType: "calibre_or_type",
  quantity: "quantity",
  unit: "unit",
  lotMark: "lot_mark",
  headstamp: "headstamp",
  hazardDivision: "hazard_division",
  condition: "condition",
  safeToMove: "safe_to_move",
  destroyedInSitu: "destroyed_in_situ",
  source: "source",
  photos: "photo",
};

const ITEM_KINDS: Record<string, "weapon" | "ammunition"> = {
  weapon: "weapon",
  weapons: "weapon",
  سلاح: "weapon",
  ammunition: "ammunition",
  ammo: "ammunition",
  ammunition_lot: "ammunition",
  ذخيرة: "ammunition",
  عتاد: "ammunition",
};

/** "2026-02-01 09:30+03:00" as ISO 8601 ("2026-02-01T09:30+03:00"); other text unchanged. */
function isoDateTime(text: string | undefined): string | undefined {
  return text?.replace(/^([0-9]{4}-[0-9]{2}-[0-9]{2}) +([0-9])/u, "$1T$2");
}

type Checked = <T>(column: string, value: T | undefined | { error: string }) => T | undefined;

function weaponOf(v: (column: string) => string | undefined, checked: Checked) {
  return defined({
    tag: v("tag"),
    category: enumText(v("category")),
    type: v("type"),
    make: v("make"),
    model: v("model"),
    calibre: v("calibre"),
    serial: v("serial"),
    noReadableSerial: checked<boolean>("no_readable_serial", yesNo(v("no_readable_serial"))),
    countryOfManufacture: v("country")?.toUpperCase(),
    yearOfManufacture: checked<number>("year", wholeNumber(v("year"), "1975")),
    alteredMarks: checked<boolean>("altered_marks", yesNo(v("altered_marks"))),
    condition: enumText(v("condition")),
    serviceable: checked<boolean>("serviceable", yesNo(v("serviceable"))),
    listCheck: enumText(v("list_check")),
    source: enumText(v("source")),
    photos: photoList(v("photo")),
  });
}

function ammunitionOf(v: (column: string) => string | undefined, checked: Checked) {
  return defined({
    tag: v("tag"),
    kind: enumText(v("kind")),
    calibreOrType: v("calibre_or_type"),
    quantity: checked<number>("quantity", wholeNumber(v("quantity"), "120")),
    unit: enumText(v("unit")),
    lotMark: v("lot_mark"),
    headstamp: v("headstamp"),
    hazardDivision: v("hazard_division"),
    condition: enumText(v("condition")),
    safeToMove: checked<boolean>("safe_to_move", yesNo(v("safe_to_move"))),
    destroyedInSitu: checked<boolean>("destroyed_in_situ", yesNo(v("destroyed_in_situ"))),
    source: enumText(v("source")),
    photos: photoList(v("photo")),
  });
}

/**
 * Turns the rows of a weapon items file into `handover.record` commands: one per handover_ref,
 * with the rows' weapons and ammunition lots in file order. Rows of one handover must agree on
 * the handover's columns (an empty cell agrees with anything: it repeats the handover's value).
 */
export function mapWeaponRows(table: Table, lookups: CodeLookups): Mapping {
  const problems: RowProblem[] = unknownColumns(
    table.columns,
    [...weaponFileColumns, ...itemExportOnlyColumns],
    table.headerLine,
  );
  const groups = new Map<string, TableRow[]>();
  for (const row of table.rows) {
    const ref = cell(row.values, "handover_ref");
    if (!ref) {
      problems.push({
        line: row.line,
        reason:
          "handover_ref: is required; give every row of one handover the same reference, e.g. the form number",
      });
      continue;
    }
    const rows = groups.get(ref) ?? [];
    rows.push(row);
    groups.set(ref, rows);
  }
  const commands: MappedCommand[] = [];
  const occurrence = occurrenceCounter();
  for (const [ref, rows] of groups) {
    const mapped = mapHandover(ref, rows, lookups);
    problems.push(...mapped.problems);
    const key = `${ref}\n${JSON.stringify(mapped.payload)}`;
    commands.push({
      ...mapped.command,
      ref,
      envelope: {
        commandId: importCommandId("handover.record", ref, mapped.payload, occurrence(key)),
        type: "handover.record",
        payload: mapped.payload,
      },
    });
  }
  return { commands, problems };
}

function mapHandover(
  ref: string,
  rows: TableRow[],
  lookups: CodeLookups,
): { problems: RowProblem[]; payload: Record<string, unknown>; command: Omit<MappedCommand, "envelope"> } {
  const problems: RowProblem[] = [];
  const blocked = new Set<string>();
  const first = rows[0]!;

  // The handover's own columns: the first value given, and every other value must agree.
  const given = new Map<string, { value: string; line: number }>();
  for (const row of rows)
    for (const column of handoverColumns) {
      const value = cell(row.values, column);
      if (value === undefined) continue;
      const earlier = given.get(column);
      if (!earlier) given.set(column, { value, line: row.line });
      else if (earlier.value !== value)
        problems.push({
          line: row.line,
          reason: `${column}: "${value}" differs from "${earlier.value}" on line ${earlier.line}; all rows of handover ${ref} must agree on ${column}`,
        });
    }
  const h = (column: string) => given.get(column)?.value;
  const lineOf = (column: string) => given.get(column)?.line ?? first.line;
  const fail = (column: string, message: string) => {
    problems.push({ line: lineOf(column), reason: `${column}: ${message}` });
    blocked.add(blockKey(lineOf(column), column));
  };

  const siteCode = h("site_code");
  const siteId = siteCode ? lookups.siteId(siteCode) : undefined;
  if (!siteCode) fail("site_code", `is required; give the code of the collection site of handover ${ref}`);
  else if (!siteId) fail("site_code", `"${siteCode}" is not the code of a registered site`);

  let from: Record<string, unknown> | undefined;
  const personId = h("person_id");
  const groupCode = h("group_code");
  const representative = h("representative");
  if (personId && groupCode)
    fail(
      "group_code",
      "give person_id for a person's handover or group_code for a group's handover, not both; the person's group is known from the registration",
    );
  else if (personId) {
    if (representative)
      fail("representative", "is only for a group's handover; leave it empty when person_id is given");
    from = { kind: "person", personId: personId.toLowerCase() };
  } else if (groupCode) {
    const groupId = lookups.groupId(groupCode);
    if (!groupId) fail("group_code", `"${groupCode}" is not the code of a registered group`);
    from = defined({ kind: "group", groupId, representative });
  } else
    fail(
      "person_id",
      `handover ${ref} names nobody: give person_id (a person's handover) or group_code and representative (a group's collective handover)`,
    );

  const weapons: Record<string, unknown>[] = [];
  const weaponRows: TableRow[] = [];
  const ammunition: Record<string, unknown>[] = [];
  const ammunitionRows: TableRow[] = [];
  for (const row of rows) {
    const v = (column: string) => cell(row.values, column);
    const rowFail = (column: string, message: string) => {
      problems.push({ line: row.line, reason: `${column}: ${message}` });
      blocked.add(blockKey(row.line, column));
    };
    const checked: Checked = (column, value) => {
      if (value !== null && typeof value === "object" && "error" in value) {
        rowFail(column, value.error);
        return undefined;
      }
      return value as never;
    };
    const itemText = v("item");
    const item = itemText === undefined ? undefined : ITEM_KINDS[enumText(itemText)!];
    if (!item) {
      rowFail(
        "item",
        itemText === undefined
          ? "is required; write weapon or ammunition"
          : `"${itemText}" is not weapon or ammunition`,
      );
      continue;
    }
    const foreign = item === "weapon" ? ammunitionOnlyColumns : weaponOnlyColumns;
    for (const column of foreign)
      if (v(column) !== undefined)
        rowFail(
          column,
          `is for ${item === "weapon" ? "ammunition" : "weapon"} rows; leave it empty on a ${item} row`,
        );
    if (item === "weapon") {
      weapons.push(weaponOf(v, checked));
      weaponRows.push(row);
    } else {
      ammunition.push(ammunitionOf(v, checked));
      ammunitionRows.push(row);
    }
  }
  const verifier = defined({ name: h("verifier_name"), affiliation: h("verifier_affiliation") });
  const payload = defined({
    siteId,
    handedAt: isoDateTime(h("handed_at")),
    verifyingOfficer: Object.keys(verifier).length > 0 ? verifier : undefined,
    from,
    weapons,
    ammunition,
    notes: h("notes"),
  });
  return {
    problems,
    payload,
    command: {
      lines: rows.map((r) => r.line),
      blocked,
      locate(path) {
        const [list, index, ...rest] = path.split(".");
        const itemRows = list === "weapons" ? weaponRows : list === "ammunition" ? ammunitionRows : undefined;
        const itemRow = itemRows && index !== undefined ? itemRows[Number(index)] : undefined;
        if (itemRow) {
          const column = columnFor(list === "weapons" ? weaponPaths : ammunitionPaths, rest.join("."));
          return { line: itemRow.line, column, value: column ? itemRow.values[column] : undefined };
        }
        const column = columnFor(handoverPaths, path);
        const single = column?.includes(" / ") ? undefined : column;
        return {
          line: single ? lineOf(single) : first.line,
          column,
          value: single ? h(single) : undefined,
        };
      },
      locateMessage(message) {
        const upper = message.toUpperCase();
        const tagged = rows.find((r) => {
          const tag = cell(r.values, "tag")?.toUpperCase();
          return tag !== undefined && upper.includes(tag);
        });
        return tagged?.line ?? first.line;
      },
    },
  };
}
