export { isProblem, Problem } from "@armsledger/core";
export * from "./access/accounts.ts";
export { checkExportPassphrase, MIN_EXPORT_PASSPHRASE } from "./access/export-passphrase.ts";
export { accessHistory, checkPurpose, logRead } from "./access/read-audit.ts";
export {
  encryptStreamWithPassphrase,
  encryptWithPassphrase,
  findDecryptedWithPassphrase,
  isAgeFile,
  setExportScryptWorkFactorForTests,
} from "./crypto/export-file.ts";
export * from "./crypto/index.ts";
export { isEmpty as storeIsEmpty, loadDemoProgramme } from "./demo/demo-programme.ts";
// payments
export { guardFormula, unguardFormula } from "./documents/formula-guard.ts";
export { confirmationPayload } from "./documents/payment-confirmation-file.ts";
export { type TableFormat, tableFile } from "./documents/table-file.ts";
export { buildApp } from "./http/app.ts";
export { Checkpointer, type IssuedCheckpoint, integrate, latestCheckpoint } from "./log/checkpointer.ts";
export { exportLog } from "./log/export.ts";
export { type LedgerHead, ledgerHead } from "./log/ledger-head.ts";
export { initLogKey, loadLogSigner } from "./log/log-key.ts";
export { consistencyProofFromTiles, inclusionProofFromTiles } from "./log/tile-store.ts";
export { collectCosignatures } from "./log/witnessing.ts";
export { applyEvent, type RecordedEvent } from "./projections/apply.ts";
// The encryption benchmark (bench/src/encryption) loads a registry as the projections write it
// and runs the write path's duplicate check on it.
export { nameIndexOf } from "./projections/duplicate-review.ts";
export { type PersonRegisteredData, personRowOf, sealPersonColumns } from "./projections/person.ts";
// The dashboard's aggregates, for the scenario benchmark (bench/src/scenario-queries.ts).
export { collectionProgress } from "./queries/collection-progress.ts";
export {
  dispositionBalance,
  getItemTrail,
  listDiscrepancies,
  listInvestigations,
  listStockChecks,
  listStoreAccess,
  listTransfers,
  stockCheckSchedule,
} from "./queries/custody.ts";
export { getCacheSource, listCaches } from "./queries/custody-caches.ts";
export { countDuplicateReviews, listDuplicateReviews, searchPersons } from "./queries/duplicate-reviews.ts";
export { eligibilityReport, getEligibilityHistory } from "./queries/eligibility.ts";
export { listFollowUps, pathwayOutcomeReport } from "./queries/pathways.ts";
export {
  getPaymentList,
  listPaymentLists,
  type PaymentListFile,
  paymentListColumns,
  paymentListFile,
  paymentsReport,
} from "./queries/payments.ts";
export { groupsWithRosters, rosterComparison, rosterComparisonEntries } from "./queries/rosters.ts";
export * from "./retention/index.ts";
export * from "./store/index.ts";
export { appendOnlyTables, type DatabaseRoles, grantDatabaseRoles } from "./store/roles.ts";
export { type DatabaseVerification, verifyDatabase } from "./verify/index.ts";
export * from "./witness/index.ts";
export {
  answerFor,
  BatchRefused,
  type CommandAnswer,
  executeBatch,
  executeCommand,
  executeSync,
  type RejectedCommand,
  SYNC_CHUNK,
} from "./write-path/execute.ts";
export { sqlRecordView } from "./write-path/record-view.ts";
