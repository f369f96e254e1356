import type { Actor, Problem } from "@armsledger/core";
import { BatchRefused, type Db, executeBatch, type Store, tables } from "@armsledger/server";
import {
  blockKey,
  type CodeLookups,
  columnHints,
  type MappedCommand,
  type Mapping,
  type Origin,
  type RowProblem,
} from "./mapping.ts";
import { mapPersonRows } from "./persons.ts";
import { readTable, type Table, TableError } from "./read-table.ts";
import { mapRosterRows } from "./roster.ts";
import { mapWeaponRows } from "./weapons.ts";

export type ImportKind = "persons" | "weapons" | "roster";

export interface ImportOptions {
  store: Store;
  actor: Actor;
  kind: ImportKind;
  path: string;
  /** A roster file: the code of the group whose list it is, and the day it was handed over. */
  roster?: { groupCode: string; submittedOn: string } | undefined;
}

export type ImportReport =
  | {
      ok: true;
      /** Commands recorded by this run (rows of a file imported before are not recorded again). */
      recorded: number;
      /** Commands this run found already recorded by an earlier import of the same rows. */
      alreadyRecorded: number;
      /** Weapons files: the receipt number of each handover, by its handover_ref. */
      receipts: { handoverRef: string; receiptNumber: string }[];
    }
  | { ok: false; rejected: RowProblem[] };

/** How the lead's command line prints one refusal: "line 7: serial: …". */
export function describeRejection(problem: RowProblem): string {
  return `line ${problem.line}: ${problem.reason}`;
}

/**
 * Imports a persons file, a weapon items file or a group's roster, all or nothing: either every row is recorded,
 * or nothing is and every problem is reported with its line — problems found while reading the
 * rows (unknown codes, bad yes/no, disagreeing rows) together with the programme rules' refusals.
 * Importing the same rows again records nothing new.
 */
export async function importFile(options: ImportOptions): Promise<ImportReport> {
  const { store, actor, kind, path } = options;
  let table: Table;
  try {
    table = await readTable(path);
  } catch (error) {
    if (error instanceof TableError)
      return { ok: false, rejected: [{ line: error.line, reason: error.message }] };
    throw error;
  }
  if (table.rows.length === 0)
    return {
      ok: false,
      rejected: [{ line: table.headerLine, reason: "the file has a header but no rows under it" }],
    };

  const lookups = await codeLookups(store);
  let mapping: Mapping;
  if (kind === "roster") {
    const groupCode = options.roster?.groupCode ?? "";
    const groupId = lookups.groupId(groupCode);
    if (!groupId)
      return {
        ok: false,
        rejected: [
          { line: table.headerLine, reason: `"${groupCode}" is not the code of a registered group` },
        ],
      };
    mapping = mapRosterRows(table, { groupId, submittedOn: options.roster!.submittedOn });
  } else mapping = kind === "persons" ? mapPersonRows(table, lookups) : mapWeaponRows(table, lookups);
  const envelopes = mapping.commands.map((c) => c.envelope);
  const rejected = [...mapping.problems];
  const [state] = await store.db.select({ size: tables.ledgerState.size }).from(tables.ledgerState);
  const sizeBefore = state?.size ?? 0;
  try {
    if (rejected.length > 0) await dryRun(store, envelopes, actor);
    else {
      const answers = await executeBatch(store, envelopes, actor);
      const recorded = answers.filter((a) => a.seq >= sizeBefore).length;
      return {
        ok: true,
        recorded,
        alreadyRecorded: answers.length - recorded,
        receipts: answers.flatMap((a, i) => {
          const ref = mapping.commands[i]?.ref;
          const receiptNumber = a.data.receiptNumber;
          return ref && typeof receiptNumber === "string" ? [{ handoverRef: ref, receiptNumber }] : [];
        }),
      };
    }
  } catch (error) {
    if (!(error instanceof BatchRefused)) throw error;
    for (const { index, problem } of error.rejected) {
      const command = mapping.commands[index];
      if (command) rejected.push(...explain(problem, command));
      else rejected.push({ line: table.headerLine, reason: problem.message });
    }
  }
  return { ok: false, rejected: ordered(rejected) };
}

/** The sites' and groups' codes, read from the store. */
async function codeLookups(store: Store): Promise<CodeLookups> {
  const sites = await store.db.select({ id: tables.sites.id, code: tables.sites.code }).from(tables.sites);
  const groups = await store.db
    .select({ id: tables.armedGroups.id, code: tables.armedGroups.code })
    .from(tables.armedGroups);
  const siteByCode = new Map(sites.map((s) => [s.code, s.id]));
  const groupByCode = new Map(groups.map((g) => [g.code, g.id]));
  const fold = (code: string) => code.trim().toUpperCase();
  return {
    siteId: (code) => siteByCode.get(fold(code)),
    groupId: (code) => groupByCode.get(fold(code)),
  };
}

const rollback = new Error("dry run rolled back");

/**
 * Runs the commands through the rules inside a transaction that is always rolled back, so the
 * rules' refusals can be reported together with the rows that could not be read. Nothing stays.
 */
async function dryRun(store: Store, envelopes: unknown[], actor: Actor): Promise<void> {
  try {
    await store.db.transaction(async (tx) => {
      await executeBatch({ ...store, db: tx as unknown as Db }, envelopes, actor);
      throw rollback;
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
}

/** A refusal from the write path, pointed at the line and column it came from. */
function explain(problem: Problem, command: MappedCommand): RowProblem[] {
  if (problem.fields.length === 0)
    return [{ line: command.locateMessage(problem.message), reason: problem.message }];
  const origins = problem.fields
    .map((f) => ({ field: f, origin: command.locate(f.path.replace(/^payload\.?/u, "")) }))
    .filter(({ origin }) => !repeatsReadingProblem(command, origin));
  if (origins.length === 0) return [];
  if (problem.code !== "request.invalid") {
    const { field, origin } = origins[0]!;
    return [
      { line: origin.line, reason: `${label(origin, field.path, problem.message)}: ${problem.message}` },
    ];
  }
  return origins.map(({ field, origin }) => ({ line: origin.line, reason: describeField(origin, field) }));
}

/** A refusal caused by a cell the mapping already reported (and left out of the command). */
function repeatsReadingProblem(command: MappedCommand, origin: Origin): boolean {
  if (command.blocked.size === 0) return false;
  if (!origin.column || origin.column === "handover_ref") return true;
  return origin.column.split(" / ").some((c) => command.blocked.has(blockKey(origin.line, c)));
}

function label(origin: Origin, path: string, message: string): string {
  const column = origin.column ?? path;
  const value = origin.value?.trim();
  return value && !message.includes(value) ? `${column} "${value}"` : column;
}

function describeField(origin: Origin, field: { path: string; message: string }): string {
  const column = origin.column ?? field.path;
  const value = origin.value?.trim();
  if (!value && /received undefined|^Required$/u.test(field.message))
    return `${column}: is required; the cell is empty`;
  const hint = origin.column ? columnHints[origin.column] : undefined;
  const message = hint && value ? `${field.message.replace(/\.$/u, "")}; ${hint}` : field.message;
  return `${label(origin, field.path, field.message)}: ${message}`;
}

function ordered(problems: RowProblem[]): RowProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.line}\n${p.reason}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line);
}
