export { isProblem, Problem } from "@armsledger/core";
export * from "./access/accounts.ts";
export * from "./crypto/index.ts";
export { isEmpty as storeIsEmpty, loadDemoProgramme } from "./demo/demo-programme.ts";
export { buildApp } from "./http/app.ts";
export { Checkpointer, type IssuedCheckpoint, integrate, latestCheckpoint } from "./log/checkpointer.ts";
export { exportLog } from "./log/export.ts";
export { type LedgerHead, ledgerHead } from "./log/ledger-head.ts";
export { initLogKey, loadLogSigner } from "./log/log-key.ts";
export { consistencyProofFromTiles, inclusionProofFromTiles } from "./log/tile-store.ts";
export { collectCosignatures } from "./log/witnessing.ts";
export { applyEvent, type RecordedEvent } from "./projections/apply.ts";
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
export * from "./store/index.ts";
export { type DatabaseVerification, verifyDatabase } from "./verify/index.ts";
export * from "./witness/index.ts";
export {
  answerFor,
  BatchRefused,
  type CommandAnswer,
  executeBatch,
  executeCommand,
  type RejectedCommand,
} from "./write-path/execute.ts";
