import { rosterColumns } from "./columns.ts";
import {
  blockKey,
  cell,
  columnFor,
  defined,
  governorateCodeOf,
  importCommandId,
  type Mapping,
  type RowProblem,
  unknownColumns,
  wholeNumber,
} from "./mapping.ts";
import { namePaths, SEX } from "./persons.ts";
import type { Table } from "./read-table.ts";

/** Payload path of one entry (without "entries.N.") → the column it was read from. */
const entryPaths: Record<string, string> = {
  memberNumber: "member_number",
  ...namePaths,
  birthYear: "birth_year",
  sex: "sex",
  governorate: "governorate",
};

export interface RosterTarget {
  groupId: string;
  /** ISO date the group handed the list over. */
  submittedOn: string;
}

/**
 * Turns the rows of a roster file into one `roster.submit` command (the whole list is one version),
 * built exactly as the API takes it. Cells that cannot be read are reported with their line; the
 * rules' refusals are pointed back at the row and column by `locate`.
 */
export function mapRosterRows(table: Table, target: RosterTarget): Mapping {
  const problems: RowProblem[] = unknownColumns(table.columns, rosterColumns, table.headerLine);
  const blocked = new Set<string>();
  const entries = table.rows.map((row) => {
    const v = (column: string) => cell(row.values, column);
    const birthYear = wholeNumber(v("birth_year"), "1990");
    if (birthYear !== null && typeof birthYear === "object") {
      problems.push({ line: row.line, reason: `birth_year: ${birthYear.error}` });
      blocked.add(blockKey(row.line, "birth_year"));
    }
    const chain = (suffix: string) => {
      const c = defined({
        given: v(`given_${suffix}`),
        father: v(`father_${suffix}`),
        grandfather: v(`grandfather_${suffix}`),
        family: v(`family_${suffix}`),
      });
      return Object.keys(c).length > 0 ? c : undefined;
    };
    const mother = defined({ arabic: v("mother_ar"), latin: v("mother_latin") });
    const sex = v("sex");
    return defined({
      memberNumber: v("member_number"),
      name: defined({ arabic: chain("ar"), latin: chain("latin") }),
      motherName: Object.keys(mother).length > 0 ? mother : undefined,
      birthYear: typeof birthYear === "number" ? birthYear : undefined,
      sex: sex === undefined ? undefined : (SEX[sex.normalize("NFC").toLowerCase()] ?? sex.toLowerCase()),
      governorate: governorateCodeOf(v("governorate")),
    });
  });
  const payload = { groupId: target.groupId, submittedOn: target.submittedOn, entries };
  const lines = table.rows.map((r) => r.line);
  return {
    commands: [
      {
        // The same file for the same group and day is one command: importing it again records nothing.
        envelope: {
          commandId: importCommandId("roster.submit", target.groupId, payload, 0),
          type: "roster.submit",
          payload,
        },
        lines,
        blocked,
        locate(path) {
          const m = /^entries\.(\d+)(?:\.(.*))?$/u.exec(path);
          const row = m ? table.rows[Number(m[1])] : undefined;
          if (!row)
            return { line: table.headerLine, column: path === "submittedOn" ? "--submitted-on" : undefined };
          const column = m?.[2] ? columnFor(entryPaths, m[2]) : undefined;
          return { line: row.line, column, value: column ? row.values[column] : undefined };
        },
        locateMessage: () => table.headerLine,
      },
    ],
    problems,
  };
}
