/** What went wrong, for callers that branch on it (the message is for people). */
export type NoteErrorCode =
  | "malformed-note"
  | "malformed-key"
  | "invalid-signer"
  | "invalid-signature"
  | "unverified-note"
  | "ambiguous-key"
  | "malformed-checkpoint"
  | "checkpoint-mismatch"
  | "malformed-cosignature"
  | "invalid-argument";

/** The one error type thrown by the signed-note, checkpoint and cosignature code. */
export class NoteError extends Error {
  readonly code: NoteErrorCode;

  constructor(code: NoteErrorCode, message: string) {
    super(message);
    this.name = "NoteError";
    this.code = code;
  }
}
