import { personColumns, personExportOnlyColumns } from "./columns.ts";
import {
  blockKey,
  type CodeLookups,
  cell,
  columnFor,
  defined,
  enumText,
  governorateCodeOf,
  importCommandId,
  type MappedCommand,
  type Mapping,
  occurrenceCounter,
  type RowProblem,
  unknownColumns,
  westernDigits,
  wholeNumber,
  yesNo,
} from "./mapping.ts";
import type { Table } from "./read-table.ts";

/**
 * A name chain's and a mother's name's payload paths → the columns they are read from: persons
 * and rosters write names the same way, so a refusal names the same column in both files.
 */
export const namePaths: Record<string, string> = {
  name: "given_ar / given_latin",
  "name.arabic": "given_ar",
  "name.arabic.given": "given_ar",
  "name.arabic.father": "father_ar",
  "name.arabic.grandfather": "grandfather_ar",
  "name.arabic.family": "family_ar",
  "name.latin": "given_latin",
  "name.latin.given": "given_latin",
  "name.latin.father": "father_latin",
  "name.latin.grandfather": "grandfather_latin",
  "name.latin.family": "family_latin",
  motherName: "mother_ar / mother_latin",
  "motherName.arabic": "mother_ar",
  "motherName.latin": "mother_latin",
};

/** Payload path (without "payload.") → the column it was read from. */
const personPaths: Record<string, string> = {
  personId: "person_id",
  siteId: "site_code",
  kind: "kind",
  ...namePaths,
  birth: "birth_date / birth_year",
  "birth.date": "birth_date",
  "birth.year": "birth_year",
  sex: "sex",
  governorate: "governorate",
  groupId: "group_code",
  role: "role",
  nationalId: "national_id",
  photo: "photo",
  listedByGroup: "listed_by_group",
  consent: "consent_given / consent_date",
  "consent.given": "consent_given",
  "consent.recordedOn": "consent_date",
};

/** How sex is written on forms, in English and Arabic (shared with the roster import). */
export const SEX: Record<string, string> = {
  m: "male",
  male: "male",
  ذكر: "male",
  f: "female",
  female: "female",
  أنثى: "female",
  انثى: "female",
};

/**
 * Turns the rows of a persons file into `person.register` commands, one per row. Codes are
 * resolved through `lookups`; rows that cannot be turned into a command are reported instead.
 */
export function mapPersonRows(table: Table, lookups: CodeLookups): Mapping {
  const problems: RowProblem[] = unknownColumns(
    table.columns,
    [...personColumns, ...personExportOnlyColumns],
    table.headerLine,
  );
  const commands: MappedCommand[] = [];
  const occurrence = occurrenceCounter();
  for (const row of table.rows) {
    const v = (column: string) => cell(row.values, column);
    const blocked = new Set<string>();
    const fail = (column: string, message: string) => {
      problems.push({ line: row.line, reason: `${column}: ${message}` });
      blocked.add(blockKey(row.line, column));
    };

    const siteCode = v("site_code");
    const siteId = siteCode ? lookups.siteId(siteCode) : undefined;
    if (!siteCode) fail("site_code", "is required; give the code of the registration site");
    else if (!siteId) fail("site_code", `"${siteCode}" is not the code of a registered site`);
    const groupCode = v("group_code");
    const groupId = groupCode ? lookups.groupId(groupCode) : undefined;
    if (groupCode && !groupId)
      fail("group_code", `"${groupCode}" is not the code of a registered group; check it or leave it empty`);

    const checked = <T>(column: string, value: T | undefined | { error: string }): T | undefined => {
      if (value !== null && typeof value === "object" && "error" in value) {
        fail(column, value.error);
        return undefined;
      }
      return value as T | undefined;
    };
    const listedByGroup = checked("listed_by_group", yesNo(v("listed_by_group")));
    const consentGiven = checked("consent_given", yesNo(v("consent_given")));
    const birthYear = checked("birth_year", wholeNumber(v("birth_year"), "1990"));

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
    const consentDate = v("consent_date");
    const payload = defined({
      personId: v("person_id")?.toLowerCase(),
      siteId,
      kind: enumText(v("kind")),
      name: defined({ arabic: chain("ar"), latin: chain("latin") }),
      motherName: Object.keys(mother).length > 0 ? mother : undefined,
      birth: defined({ date: v("birth_date"), year: birthYear }),
      sex: sex === undefined ? undefined : (SEX[sex.normalize("NFC").toLowerCase()] ?? sex.toLowerCase()),
      governorate: governorateCodeOf(v("governorate")),
      groupId,
      role: v("role"),
      nationalId: v("national_id") === undefined ? undefined : westernDigits(v("national_id")!).toUpperCase(),
      photo: v("photo")?.toLowerCase(),
      listedByGroup,
      consent:
        consentGiven === undefined && consentDate === undefined
          ? undefined
          : defined({ given: consentGiven, recordedOn: consentDate }),
    });
    const key = JSON.stringify(payload);
    commands.push({
      envelope: {
        commandId: importCommandId("person.register", "", payload, occurrence(key)),
        type: "person.register",
        payload,
      },
      lines: [row.line],
      blocked,
      locate(path) {
        const column = columnFor(personPaths, path);
        return { line: row.line, column, value: column ? row.values[column] : undefined };
      },
      locateMessage: () => row.line,
    });
  }
  return { commands, problems };
}
