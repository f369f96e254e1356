export { type FrontierState, MerkleFrontier } from "./frontier.ts";
export { MemoryTree } from "./memory-tree.ts";
export {
  consistencyProof,
  consistencyProofPlan,
  inclusionProof,
  inclusionProofPlan,
  type ProofPlan,
} from "./proofs.ts";
export { HASH_SIZE } from "./sizes.ts";
export { type NodeHashReader, type NodeId, rootAtSize, rootFromLeafHashes } from "./tree.ts";
export { verifyConsistency, verifyInclusion } from "./verify.ts";
