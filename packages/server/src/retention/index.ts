export * from "./apply.ts";
export { dueRecords, type RetentionReport, retentionDay, retentionReport } from "./due.ts";
