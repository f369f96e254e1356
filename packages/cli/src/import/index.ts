export * from "./columns.ts";
export {
  describeRejection,
  type ImportKind,
  type ImportOptions,
  type ImportReport,
  importFile,
} from "./import-file.ts";
export {
  type CodeLookups,
  type CommandEnvelope,
  importCommandId,
  type MappedCommand,
  type Mapping,
  type RowProblem,
} from "./mapping.ts";
export { mapPersonRows } from "./persons.ts";
export { readTable, type Table, TableError, type TableRow } from "./read-table.ts";
export { mapRosterRows, type RosterTarget } from "./roster.ts";
export { mapWeaponRows } from "./weapons.ts";
