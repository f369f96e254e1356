import { encodeBase64, tryDecodeBase64 } from "./base64.ts";
import { NoteError } from "./errors.ts";
import type { Signer, Verifier } from "./keys.ts";
import { checkText, hasControlCharacters, hex32, isValidKeyName, tryDecodeUtf8, utf8 } from "./text.ts";

// C2SP signed-note v1.0.0 (c2sp.org/signed-note@v1.0.0), following Go's golang.org/x/mod/sumdb/note.

/** Notes with more signature lines than this are rejected as malformed (Go's limit; the spec asks ≥ 16). */
export const MAX_NOTE_SIGNATURES = 100;

const SIGNATURE_PREFIX = "\u2014 "; // em dash, space

/** One signature line: key name, uint32 key ID and the base64 of keyID(4) || signature as written. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly base64: string;
}

export interface OpenedNote {
  /** The signed text, ending in "\n" (without the blank separator line). */
  readonly text: string;
  /** Signatures by known keys, all verified; one per (name, key ID), in note order. */
  readonly verifiedSignatures: readonly NoteSignature[];
  /** Signatures by unknown (name, key ID) pairs, not checked; identical lines listed once. */
  readonly unverifiedSignatures: readonly NoteSignature[];
}

function malformed(why: string): never {
  throw new NoteError("malformed-note", `malformed note: ${why}`);
}

/** Key of a (name, id) pair; names never contain '+', so this is unambiguous. */
function keyLabel(name: string, keyId: number): string {
  return `${name}+${hex32(keyId)}`;
}

function isUint32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}

/**
 * Signs `text` (which must end in "\n") with each signer, in order, and returns the UTF-8 note:
 * text, a blank line, then one "— <name> <base64(keyID || signature)>" line per signer.
 */
export function signNote(text: string, signers: readonly Signer[]): Uint8Array {
  checkText(text, "malformed-note", "note text");
  if (!text.endsWith("\n")) malformed("text must end in a newline");
  if (signers.length === 0) throw new NoteError("invalid-argument", "signNote needs at least one signer");
  const message = utf8(text);
  let lines = "";
  for (const signer of signers) {
    if (!isValidKeyName(signer.name) || !isUint32(signer.keyId)) {
      throw new NoteError("invalid-signer", `invalid signer ${JSON.stringify(signer.name)}`);
    }
    const signature = signer.sign(message);
    const payload = new Uint8Array(4 + signature.length);
    new DataView(payload.buffer).setUint32(0, signer.keyId, false);
    payload.set(signature, 4);
    lines += `${SIGNATURE_PREFIX}${signer.name} ${encodeBase64(payload)}\n`;
  }
  return utf8(`${text}\n${lines}`);
}

/**
 * Parses a signed note and checks every signature from a known key (one whose name and key ID
 * match a verifier). Signatures from unknown keys are kept as unverified and never cause rejection.
 * Throws NoteError: "malformed-note" (syntax), "invalid-signature" (a known key's signature fails),
 * "ambiguous-key" (two verifiers share a name and ID and one is needed), "unverified-note" (no
 * known key signed it).
 */
export function openNote(note: Uint8Array | string, verifiers: readonly Verifier[]): OpenedNote {
  let decoded: string | undefined;
  if (typeof note === "string") {
    decoded = note.isWellFormed() ? note : undefined;
  } else {
    decoded = tryDecodeUtf8(note);
  }
  if (decoded === undefined) malformed("not valid UTF-8");
  const all = decoded;
  if (hasControlCharacters(all)) malformed("contains a control character other than newline");

  // The text is separated from the signatures by the LAST blank line.
  const split = all.lastIndexOf("\n\n");
  if (split < 0) malformed("no blank line before the signatures");
  const text = all.slice(0, split + 1);
  const block = all.slice(split + 2);
  if (block === "" || !block.endsWith("\n"))
    malformed("signature block must be non-empty and end in a newline");
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > MAX_NOTE_SIGNATURES) malformed(`more than ${MAX_NOTE_SIGNATURES} signatures`);

  const known = new Map<string, Verifier[]>();
  for (const verifier of verifiers) {
    const label = keyLabel(verifier.name, verifier.keyId);
    const list = known.get(label);
    if (list) list.push(verifier);
    else known.set(label, [verifier]);
  }

  const message = utf8(text);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const verifiedKeys = new Set<string>();
  const checkedLines = new Set<string>();
  const unverifiedLines = new Set<string>();

  for (const line of lines) {
    if (!line.startsWith(SIGNATURE_PREFIX))
      malformed("signature line must start with an em dash and a space");
    const body = line.slice(SIGNATURE_PREFIX.length);
    const space = body.indexOf(" ");
    const name = space < 0 ? body : body.slice(0, space);
    const base64 = space < 0 ? "" : body.slice(space + 1);
    if (!isValidKeyName(name)) malformed("invalid key name in a signature line");
    const raw = tryDecodeBase64(base64);
    if (raw === undefined || raw.length < 5)
      malformed("signature is not canonical base64 of keyID || signature");
    const keyId = new DataView(raw.buffer, raw.byteOffset, 4).getUint32(0, false);
    const signature = raw.subarray(4);
    const label = keyLabel(name, keyId);

    const candidates = known.get(label);
    if (candidates === undefined) {
      if (!unverifiedLines.has(line)) {
        unverifiedLines.add(line);
        unverified.push({ name, keyId, base64 });
      }
      continue;
    }
    if (candidates.length > 1) throw new NoteError("ambiguous-key", `ambiguous key ${label}`);
    // Every distinct signature line from a known key is verified (the spec's MUST), not only the first.
    if (!checkedLines.has(line)) {
      if (!candidates[0]!.verify(message, signature)) {
        throw new NoteError("invalid-signature", `invalid signature for key ${label}`);
      }
      checkedLines.add(line);
    }
    if (!verifiedKeys.has(label)) {
      verifiedKeys.add(label);
      verified.push({ name, keyId, base64 });
    }
  }

  if (verified.length === 0) throw new NoteError("unverified-note", "note has no verifiable signatures");
  return { text, verifiedSignatures: verified, unverifiedSignatures: unverified };
}
