export {
  type ExportFormat,
  type ExportOptions,
  type ExportResult,
  type ExportWhat,
  exportTable,
  handoverExportColumns,
  itemExportColumns,
  personalExports,
  personExportColumns,
} from "./export-table.ts";
export { type CellValue, type WriteTableOptions, writeTable } from "./write-table.ts";
