export {
  type BundleHashes,
  type BundleLayout,
  defaultSha256,
  equalPrefix,
  hashBundleLeaves,
  hashEntryBundle,
  layoutEntryBundle,
  NodeHasher,
  type Sha256,
} from "./hashing.ts";
export type { VerifyProblem, VerifyProblemKind, VerifyReport, WitnessReport } from "./report.ts";
export { type VerifyLogOptions, verifyLog } from "./verify-log.ts";
