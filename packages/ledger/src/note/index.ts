export { decodeBase64, encodeBase64 } from "./base64.ts";
export {
  type Checkpoint,
  type CheckpointInput,
  type CosignedCheckpoint,
  formatCheckpoint,
  MAX_TREE_SIZE,
  type OpenedCheckpoint,
  openCheckpoint,
  openCosignedCheckpoint,
  parseCheckpoint,
  parseTreeSize,
  ROOT_HASH_BYTES,
} from "./checkpoint.ts";
export {
  COSIGNATURE_V1_HEADER,
  type CosignatureSigner,
  type CosignatureVerifier,
  cosign,
  cosignatureMessage,
  cosignatureTimestamp,
  cosignerKeyId,
  generateCosignerKey,
  MAX_COSIGNATURE_TIMESTAMP,
  parseCosignerSignerKey,
  parseCosignerVerifierKey,
  verifyCosignature,
} from "./cosignature.ts";
export { NoteError, type NoteErrorCode } from "./errors.ts";
export {
  computeKeyId,
  type Ed25519Signer,
  type Ed25519Verifier,
  ed25519VerifierKey,
  generateKey,
  type KeyPairText,
  parseSignerKey,
  parseVerifierKey,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  type Signer,
  type Verifier,
} from "./keys.ts";
export { MAX_NOTE_SIGNATURES, type NoteSignature, type OpenedNote, openNote, signNote } from "./note.ts";
export { isValidKeyName } from "./text.ts";
