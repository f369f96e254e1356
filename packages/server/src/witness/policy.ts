import {
  type Checkpoint,
  decodeBase64,
  type Ed25519Verifier,
  isValidKeyName,
  MAX_NOTE_SIGNATURES,
  NoteError,
  openCosignedCheckpoint,
  parseCosignerVerifierKey,
  parseVerifierKey,
} from "@armsledger/ledger";

// C2SP tlog-policy (c2sp.org/tlog-policy): which logs and witnesses are known and which quorum of
// witness cosignatures makes a checkpoint valid. Line based; fields separated by spaces/tabs:
//   log <vkey> [<url>]                    (vkey of type 0x01; its key name is the log's origin)
//   witness <name> <vkey> [<url>]         (vkey of type 0x04, a cosigner key)
//   group <name> <all|any|k> <name>...    (1 ≤ k ≤ n; members defined on earlier lines)
//   quorum <name>                         (exactly one; a witness, a group or "none")
// Blank lines and lines starting with "#" (after optional whitespace) are ignored.

export interface PolicyLog {
  /** The log's vkey (type 0x01), as written. */
  readonly verifierKey: string;
  /** The vkey's key name, which is the log's origin line. */
  readonly origin: string;
  readonly url?: string;
}

export interface PolicyWitness {
  /** Local name, used only inside the policy (groups and quorum). */
  readonly name: string;
  /** The witness's cosigner vkey (type 0x04), as written. */
  readonly verifierKey: string;
  /** Its submission prefix, if the policy gives one. */
  readonly url?: string;
}

export interface PolicyGroup {
  readonly name: string;
  /** "all", "any" or k (1 ≤ k ≤ members.length). */
  readonly threshold: "all" | "any" | number;
  /** Names of witnesses or earlier groups. */
  readonly members: readonly string[];
}

export interface WitnessPolicy {
  readonly logs: readonly PolicyLog[];
  readonly witnesses: readonly PolicyWitness[];
  readonly groups: readonly PolicyGroup[];
  /** A witness or group name, or "none" (no cosignature needed). */
  readonly quorum: string;
}

/** A policy that does not follow c2sp.org/tlog-policy; `line` is 1-based when known. */
export class PolicyError extends Error {
  readonly line: number | undefined;

  constructor(message: string, line?: number) {
    super(line === undefined ? message : `policy line ${line}: ${message}`);
    this.name = "PolicyError";
    this.line = line;
  }
}

/** Well above the spec's recommended minimum of 32 logs, 32 witnesses and 32 groups. */
export const POLICY_LIMITS = { logs: 256, witnesses: 256, groups: 256 } as const;

const NONE = "none";
const WHITESPACE = /[ \t]+/;
const DECIMAL = /^[1-9][0-9]{0,5}$/;

function publicKeyHex(verifier: Ed25519Verifier): string {
  return Buffer.from(verifier.publicKey).toString("hex");
}

/** Numeric k of a group. */
export function groupThreshold(group: PolicyGroup): number {
  if (group.threshold === "all") return group.members.length;
  if (group.threshold === "any") return 1;
  return group.threshold;
}

function checkCharacters(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f) {
      const line = text.slice(0, i).split("\n").length;
      throw new PolicyError(`control character U+${c.toString(16).padStart(4, "0")} is not allowed`, line);
    }
  }
}

/** Parses a policy file strictly (every line, including the last, ends in a newline). */
export function parsePolicy(text: string): WitnessPolicy {
  if (typeof text !== "string" || !text.isWellFormed()) throw new PolicyError("not well-formed text");
  checkCharacters(text);
  if (text !== "" && !text.endsWith("\n")) throw new PolicyError("the last line must end in a newline");
  const logs: PolicyLog[] = [];
  const witnesses: PolicyWitness[] = [];
  const groups: PolicyGroup[] = [];
  let quorum: string | undefined;
  const defined = new Set<string>();
  const usedAsMember = new Set<string>();
  const logKeys = new Set<string>();
  const witnessKeys = new Set<string>();

  const lines = text === "" ? [] : text.slice(0, -1).split("\n");
  lines.forEach((raw, index) => {
    const n = index + 1;
    const line = raw.replace(/^[ \t]+|[ \t]+$/g, "");
    if (line === "" || line.startsWith("#")) return;
    const fields = line.split(WHITESPACE);
    const keyword = fields[0]!;
    const fail: (why: string) => never = (why) => {
      throw new PolicyError(why, n);
    };
    const defineName = (name: string) => {
      if (name === NONE) fail(`"${NONE}" is predefined and cannot be redefined`);
      if (defined.has(name)) fail(`duplicate name ${JSON.stringify(name)}`);
      defined.add(name);
    };
    switch (keyword) {
      case "log": {
        if (fields.length < 2 || fields.length > 3) fail("expected: log <vkey> [<url>]");
        let verifier: Ed25519Verifier;
        try {
          verifier = parseVerifierKey(fields[1]!);
        } catch (error) {
          fail(`invalid log vkey (type 0x01 expected): ${(error as Error).message}`);
        }
        const key = publicKeyHex(verifier);
        if (logKeys.has(key)) fail("duplicate log public key");
        logKeys.add(key);
        if (logs.length >= POLICY_LIMITS.logs) fail(`more than ${POLICY_LIMITS.logs} logs`);
        logs.push({
          verifierKey: fields[1]!,
          origin: verifier.name,
          ...(fields[2] === undefined ? {} : { url: fields[2] }),
        });
        return;
      }
      case "witness": {
        if (fields.length < 3 || fields.length > 4) fail("expected: witness <name> <vkey> [<url>]");
        const name = fields[1]!;
        defineName(name);
        let verifier: Ed25519Verifier;
        try {
          verifier = parseCosignerVerifierKey(fields[2]!);
        } catch (error) {
          fail(`invalid witness vkey (type 0x04 expected): ${(error as Error).message}`);
        }
        const key = publicKeyHex(verifier);
        if (witnessKeys.has(key)) fail("duplicate witness public key");
        witnessKeys.add(key);
        if (witnesses.length >= POLICY_LIMITS.witnesses)
          fail(`more than ${POLICY_LIMITS.witnesses} witnesses`);
        witnesses.push({
          name,
          verifierKey: fields[2]!,
          ...(fields[3] === undefined ? {} : { url: fields[3] }),
        });
        return;
      }
      case "group": {
        if (fields.length < 4) fail("expected: group <name> <all|any|k> <name>...");
        const name = fields[1]!;
        const members = fields.slice(3);
        const k = fields[2]!;
        let threshold: PolicyGroup["threshold"];
        if (k === "all" || k === "any") {
          threshold = k;
        } else {
          if (!DECIMAL.test(k))
            fail(`threshold must be all, any or a decimal k ≥ 1, got ${JSON.stringify(k)}`);
          threshold = Number(k);
          if (threshold > members.length) fail(`threshold ${k} is above the ${members.length} members`);
        }
        for (const member of members) {
          if (member === NONE) fail(`"${NONE}" cannot be a group member`);
          if (!defined.has(member))
            fail(`member ${JSON.stringify(member)} is not defined on an earlier line`);
          if (usedAsMember.has(member)) fail(`${JSON.stringify(member)} is already listed as a group member`);
          usedAsMember.add(member);
        }
        defineName(name);
        if (groups.length >= POLICY_LIMITS.groups) fail(`more than ${POLICY_LIMITS.groups} groups`);
        groups.push({ name, threshold, members });
        return;
      }
      case "quorum": {
        if (fields.length !== 2) fail("expected: quorum <name>");
        if (quorum !== undefined) fail("a policy has exactly one quorum line");
        const name = fields[1]!;
        if (name !== NONE && !defined.has(name))
          fail(`quorum ${JSON.stringify(name)} is not defined earlier`);
        quorum = name;
        return;
      }
      default:
        fail(`unknown keyword ${JSON.stringify(keyword)}`);
    }
  });
  if (quorum === undefined) throw new PolicyError("no quorum line");
  return { logs, witnesses, groups, quorum };
}

/** Formats a policy (logs, witnesses, groups in order, then the quorum); checks it parses back. */
export function formatPolicy(policy: WitnessPolicy): string {
  const lines: string[] = [];
  for (const log of policy.logs) lines.push(["log", log.verifierKey, log.url].filter(Boolean).join(" "));
  for (const w of policy.witnesses)
    lines.push(["witness", w.name, w.verifierKey, w.url].filter(Boolean).join(" "));
  for (const g of policy.groups) lines.push(["group", g.name, String(g.threshold), ...g.members].join(" "));
  lines.push(`quorum ${policy.quorum}`);
  const text = `${lines.join("\n")}\n`;
  parsePolicy(text);
  return text;
}

/** Does the set of witnesses (by policy name) whose cosignatures verified satisfy the quorum? */
export function policySatisfied(policy: WitnessPolicy, verifiedWitnessNames: Iterable<string>): boolean {
  if (policy.quorum === NONE) return true;
  const verified = new Set(verifiedWitnessNames);
  const witnessNames = new Set(policy.witnesses.map((w) => w.name));
  const groups = new Map(policy.groups.map((g) => [g.name, g]));
  const memo = new Map<string, boolean>();
  const satisfied = (name: string, depth: number): boolean => {
    if (depth > policy.groups.length + 1) return false; // cannot happen for a parsed policy
    const known = memo.get(name);
    if (known !== undefined) return known;
    let result = false;
    if (witnessNames.has(name)) {
      result = verified.has(name);
    } else {
      const group = groups.get(name);
      if (group !== undefined) {
        let count = 0;
        for (const member of group.members) if (satisfied(member, depth + 1)) count++;
        result = count >= groupThreshold(group);
      }
    }
    memo.set(name, result);
    return result;
  };
  return satisfied(policy.quorum, 0);
}

const SIGNATURE_PREFIX = "\u2014 ";
const FATAL_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function noteString(note: string | Uint8Array): string {
  if (typeof note === "string") return note;
  try {
    return FATAL_UTF8.decode(note);
  } catch {
    throw new NoteError("malformed-note", "malformed note: not valid UTF-8");
  }
}

function checkSignatureLine(line: string): void {
  const fail: () => never = () => {
    throw new NoteError("malformed-cosignature", `malformed signature line ${JSON.stringify(line)}`);
  };
  if (!line.startsWith(SIGNATURE_PREFIX)) fail();
  const body = line.slice(SIGNATURE_PREFIX.length);
  const space = body.indexOf(" ");
  if (space <= 0) fail();
  if (!isValidKeyName(body.slice(0, space))) fail();
  let raw: Uint8Array;
  try {
    raw = decodeBase64(body.slice(space + 1));
  } catch {
    fail();
  }
  if (raw.length < 5) fail();
}

/**
 * Appends cosignature lines (e.g. witnesses' add-checkpoint answers) to a signed checkpoint note,
 * after its existing signatures. Lines already in the note are not repeated. Structure only: the
 * signatures are checked by checkWitnessed / openNote.
 */
export function attachCosignatures(
  signedCheckpointNote: string | Uint8Array,
  cosignatureLines: string | readonly string[],
): string {
  const note = noteString(signedCheckpointNote);
  const split = note.lastIndexOf("\n\n");
  if (split < 0 || !note.endsWith("\n") || split + 2 >= note.length) {
    throw new NoteError("malformed-note", "malformed note: expected text, a blank line and signatures");
  }
  const present = new Set(note.slice(split + 2, -1).split("\n"));
  const chunks = typeof cosignatureLines === "string" ? [cosignatureLines] : cosignatureLines;
  let added = "";
  for (const chunk of chunks) {
    const lines = chunk.endsWith("\n") ? chunk.slice(0, -1).split("\n") : chunk.split("\n");
    for (const line of lines) {
      checkSignatureLine(line);
      if (present.has(line)) continue;
      present.add(line);
      added += `${line}\n`;
    }
  }
  if (present.size > MAX_NOTE_SIGNATURES) {
    throw new NoteError("malformed-note", `a note carries at most ${MAX_NOTE_SIGNATURES} signatures`);
  }
  return note + added;
}

export interface WitnessedCheck {
  /** The policy's quorum is met by cosignatures that verify. */
  readonly witnessed: boolean;
  /** Policy names of the witnesses whose cosignatures verified. */
  readonly verifiedWitnesses: readonly string[];
  /** Policy names of the witnesses without a cosignature on this checkpoint. */
  readonly missing: readonly string[];
  readonly checkpoint: Checkpoint;
}

/**
 * Verifies a cosigned checkpoint against a policy: the log's signature (its key name must be the
 * origin) and every cosignature by a policy witness, then evaluates the quorum. Unknown signature
 * lines are ignored; a known key's invalid signature rejects the note (NoteError), as signed-note
 * requires. If the policy lists logs, `logVerifierKey` must be one of them.
 */
export function checkWitnessed(
  cosignedNote: string | Uint8Array,
  logVerifierKey: string,
  policy: WitnessPolicy,
): WitnessedCheck {
  const logVerifier = parseVerifierKey(logVerifierKey);
  if (
    policy.logs.length > 0 &&
    !policy.logs.some((l) => publicKeyHex(parseVerifierKey(l.verifierKey)) === publicKeyHex(logVerifier))
  ) {
    throw new PolicyError(`log key ${logVerifier.name} is not one of the policy's logs`);
  }
  const opened = openCosignedCheckpoint(
    noteString(cosignedNote),
    logVerifier,
    policy.witnesses.map((w) => parseCosignerVerifierKey(w.verifierKey)),
  );
  const verifiedWitnesses = policy.witnesses.filter((_, i) => opened.cosigned[i]).map((w) => w.name);
  const missing = policy.witnesses.filter((_, i) => !opened.cosigned[i]).map((w) => w.name);
  return {
    witnessed: policySatisfied(policy, verifiedWitnesses),
    verifiedWitnesses,
    missing,
    checkpoint: opened.checkpoint,
  };
}
