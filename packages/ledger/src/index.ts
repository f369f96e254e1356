export { canonicalBytes, canonicalJson } from "./canonical-json.ts";
export { commitment, opensCommitment, SALT_BYTES } from "./commitment.ts";
export { fromHex, toHex } from "./hex.ts";
export * from "./merkle/index.ts";
export * from "./note/index.ts";
export * from "./proof/tlog-proof.ts";
export * from "./tiles/index.ts";
export { emptyRoot, leafHash, nodeHash } from "./tree-hash.ts";
export * from "./verify/index.ts";
