import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  formatCheckpoint,
  generateKey,
  leafHash,
  MemoryTree,
  parseSignerKey,
  type Signer,
  signNote,
} from "@armsledger/ledger";

/** A test log: a MemoryTree and a key whose name is the origin. */
export class TestLog {
  readonly origin: string;
  readonly signerKey: string;
  readonly verifierKey: string;
  readonly signer: Signer;
  readonly tree = new MemoryTree();
  readonly #salt: string;
  #entries = 0;

  /** `salt` changes every entry, to build a fork of a log under the same origin. */
  constructor(origin = `example.org/log-${randomBytes(4).toString("hex")}`, salt = "") {
    this.origin = origin;
    this.#salt = salt;
    const keys = generateKey(origin, new Uint8Array(randomBytes(32)));
    this.signerKey = keys.signerKey;
    this.verifierKey = keys.verifierKey;
    this.signer = parseSignerKey(keys.signerKey);
  }

  /** Appends `n` entries. */
  grow(n: number): this {
    for (let i = 0; i < n; i++)
      this.tree.append(leafHash(new TextEncoder().encode(`${this.#salt}entry ${this.#entries++}`)));
    return this;
  }

  /** The signed checkpoint note of the tree at `size` (default: now). */
  checkpoint(size = this.tree.size, signers: readonly Signer[] = [this.signer]): string {
    return signedCheckpoint(this.origin, size, this.tree.root(size), signers);
  }

  proof(oldSize: number, newSize = this.tree.size): Uint8Array[] {
    return this.tree.consistencyProof(oldSize, newSize);
  }
}

export function signedCheckpoint(
  origin: string,
  size: number | bigint,
  rootHash: Uint8Array,
  signers: readonly Signer[],
): string {
  return new TextDecoder().decode(signNote(formatCheckpoint({ origin, size, rootHash }), signers));
}

export function addBody(oldSize: number | bigint, proof: readonly Uint8Array[], note: string): string {
  return `old ${oldSize}\n${proof.map((h) => `${Buffer.from(h).toString("base64")}\n`).join("")}\n${note}`;
}

export async function tempDir(label = "witness"): Promise<string> {
  return mkdtemp(join(tmpdir(), `armsledger-${label}-`));
}

export { join };
