// The master key: held outside the database (an environment variable or a file beside, never
// inside, the data), it only wraps and unwraps the database's data keys. A KMS can take its place
// by implementing KeyProvider; nothing else ever sees the master key.

import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";

/** Wraps and unwraps data keys. Implemented here by a local AES-256-GCM master key; a KMS could implement it too. */
export interface KeyProvider {
  wrap(dataKey: Uint8Array): Promise<string>;
  unwrap(wrapped: string): Promise<Uint8Array>;
}

const WRAP_AAD = Buffer.from("armsledger/data-key/v1");
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 32-byte master key in memory, wrapping data keys with AES-256-GCM (node:crypto, OpenSSL). */
export class LocalMasterKey implements KeyProvider {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new Error("the master key must be 32 bytes (base64 of 32 random bytes)");
    this.#key = Buffer.from(key);
  }

  async wrap(dataKey: Uint8Array): Promise<string> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(WRAP_AAD);
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return `mk1:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url")}`;
  }

  async unwrap(wrapped: string): Promise<Uint8Array> {
    const [version, payload] = wrapped.split(":");
    if (version !== "mk1" || !payload) throw new Error("a data key is wrapped in an unknown format");
    const bytes = Buffer.from(payload, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", this.#key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(WRAP_AAD);
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return new Uint8Array(
        Buffer.concat([
          decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
          decipher.final(),
        ]),
      );
    } catch {
      throw new Error(
        "the master key does not open this database's data key: ARMSLEDGER_MASTER_KEY or ARMSLEDGER_MASTER_KEY_FILE names another key",
      );
    }
  }
}

/** A new random master key for one process (tests, a throw-away in-memory database): never written anywhere. */
export function ephemeralMasterKey(): KeyProvider {
  return new LocalMasterKey(randomBytes(32));
}

function parseMasterKey(text: string, where: string): LocalMasterKey {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== 32 || key.toString("base64") !== text.trim())
    throw new Error(
      `${where} must be the base64 of 32 random bytes (make one with \`armsledger keys init-master\`)`,
    );
  return new LocalMasterKey(key);
}

/** Reads a master key file, refusing one that others may read. */
export function readMasterKeyFile(file: string): KeyProvider {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new Error(`${file} may be read by others (mode ${mode.toString(8)}); chmod 600 it first`);
  return parseMasterKey(readFileSync(file, "utf8"), file);
}

/** Makes a new master key file (mode 0600). Refuses to replace one: its data keys would be lost with it. */
export function initMasterKeyFile(file: string): void {
  if (existsSync(file))
    throw new Error(
      `${file} exists already; without it the data it protects cannot be read. Move it away first if you really mean to replace it.`,
    );
  writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
}

export interface MasterKeySource {
  /** ARMSLEDGER_MASTER_KEY: base64 of 32 bytes. */
  text?: string | undefined;
  /** ARMSLEDGER_MASTER_KEY_FILE. */
  file?: string | undefined;
}

/** The configured master key, if any (the variable wins over the file). */
export function findMasterKey(source: MasterKeySource): KeyProvider | undefined {
  if (source.text) return parseMasterKey(source.text, "ARMSLEDGER_MASTER_KEY");
  if (source.file) return readMasterKeyFile(source.file);
  return undefined;
}
