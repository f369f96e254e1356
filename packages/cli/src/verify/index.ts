export { directoryFetcher, fetcherFor, httpFetcher, isHttpSource, type LogFetcher } from "./fetchers.ts";
export { formatAudit } from "./format.ts";
export { HashPool } from "./hash-pool.ts";
export {
  type Audit,
  type AuditProblem,
  type EntryProblem,
  type RunVerifyOptions,
  runVerify,
} from "./run-verify.ts";
