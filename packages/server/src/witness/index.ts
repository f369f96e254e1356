// C2SP witnessing for ArmsLedger: the witness (tlog-witness server), the log's client for it, and
// tlog-policy quorums over cosigned checkpoints.
export {
  createWitnessApp,
  DEFAULT_WITNESS_PORT,
  generateWitnessKey,
  type RunWitnessOptions,
  runWitness,
  WITNESS_BODY_LIMIT,
  type WitnessAppOptions,
  type WitnessLogConfig,
  type WitnessStop,
  writeWitnessKeyFile,
} from "./app.ts";
export {
  type AddCheckpointToWitnessOptions,
  addCheckpointToWitness,
  WitnessClientError,
  type WitnessClientErrorCode,
  WitnessInvalidCosignatureError,
  WitnessInvalidResponseError,
  WitnessRefusedError,
  WitnessUnreachableError,
} from "./client.ts";
export { checkConsistency, verifyConsistencyBig } from "./consistency.ts";
export {
  attachCosignatures,
  checkWitnessed,
  formatPolicy,
  groupThreshold,
  POLICY_LIMITS,
  PolicyError,
  type PolicyGroup,
  type PolicyLog,
  type PolicyWitness,
  parsePolicy,
  policySatisfied,
  type WitnessedCheck,
  type WitnessPolicy,
} from "./policy.ts";
export {
  type AddCheckpointRequest,
  formatAddCheckpointBody,
  MAX_PROOF_LINES,
  MalformedRequestError,
  parseAddCheckpointBody,
  TLOG_SIZE_CONTENT_TYPE,
} from "./request.ts";
export { type CosignedState, type Evidence, type EvidenceKind, WitnessStateError } from "./state.ts";
