/** What can be wrong with a log, each found at a place a person can go and look. */
export type VerifyProblemKind =
  /** `checkpoint` could not be fetched (missing, or the fetch failed). */
  | "checkpoint-unavailable"
  /** The checkpoint is not a well-formed signed note or tlog-checkpoint. */
  | "checkpoint-malformed"
  /** The checkpoint carries no valid signature by the log's key. */
  | "checkpoint-signature"
  /** The checkpoint names another origin than the one expected. */
  | "checkpoint-origin"
  /** Fewer witnesses cosigned the checkpoint than the quorum asks. */
  | "quorum-not-met"
  /** The tree is larger than this verifier can address (2^53 − 1 leaves). */
  | "size-unsupported"
  /** An entry bundle could not be fetched. `tile` is its path, `index` its first leaf. */
  | "entries-missing"
  /** An entry bundle is truncated or holds the wrong number of entries; `index` is where it breaks. */
  | "entries-malformed"
  /** Entries hash to other leaf hashes than the log's level-0 tile holds; `index` is the first. */
  | "leaf-mismatch"
  /** A tile could not be fetched. */
  | "tile-missing"
  /** A tile is not the number of 32-byte hashes its path says. */
  | "tile-malformed"
  /** A tile above level 0 differs from the one recomputed from the entries; `index` is the first leaf below the first differing hash. */
  | "tile-mismatch"
  /** The root recomputed from the entries is not the checkpoint's root. */
  | "root-mismatch"
  /** Missing entries and tiles leave no way to recompute the root. */
  | "root-unverifiable";

export interface VerifyProblem {
  readonly kind: VerifyProblemKind;
  /** The leaf index the problem starts at, when it has one. */
  readonly index?: number;
  /** The resource the problem was found in: `checkpoint`, `tile/…` or `tile/entries/…`. */
  readonly tile?: string;
  readonly detail: string;
}

export interface WitnessReport {
  readonly name: string;
  /** Key id, 8 hex digits. */
  readonly keyId: string;
  readonly verified: boolean;
  /** When the witness cosigned (UTC, ISO 8601), for a verified cosignature. */
  readonly time?: string;
  /** Why it did not verify. */
  readonly detail?: string;
}

export interface VerifyReport {
  /** True only when every check held: signatures, quorum, every tile, every entry, the root. */
  readonly ok: boolean;
  /** The checkpoint as read (even when its signature failed); absent when it could not be read. */
  readonly checkpoint?: {
    readonly origin: string;
    readonly size: number;
    /** Base64, as in the checkpoint's third line. */
    readonly root: string;
  };
  /** The root recomputed from the entries (base64), when it could be. */
  readonly computedRoot?: string;
  readonly signatures: {
    readonly log: boolean;
    readonly witnesses: readonly WitnessReport[];
  };
  readonly quorum: number;
  readonly quorumMet: boolean;
  /** Entries read from the bundles and hashed. */
  readonly entries: number;
  /** Tiles fetched and compared with the ones recomputed from the entries. */
  readonly tiles: number;
  readonly problems: readonly VerifyProblem[];
  /** Problems found beyond `maxProblems` and not listed. */
  readonly problemsOmitted: number;
}
