import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { type Ed25519Signer, generateKey, parseSignerKey } from "@armsledger/ledger";

/**
 * The log's signing key lives outside the database (a file or an environment variable), never in
 * the repository: whoever holds a database dump cannot sign checkpoints.
 */
export interface LogKeySource {
  /** The signer key text itself (PRIVATE+KEY+<origin>+<id>+<base64>), e.g. from ARMSLEDGER_LOG_KEY. */
  text?: string | undefined;
  /** A file holding the signer key text, e.g. ARMSLEDGER_LOG_KEY_FILE. */
  file?: string | undefined;
}

export function loadLogSigner(source: LogKeySource): Ed25519Signer | undefined {
  const text =
    source.text ?? (source.file && existsSync(source.file) ? readFileSync(source.file, "utf8") : undefined);
  if (!text) return undefined;
  return parseSignerKey(text.trim());
}

/** Makes a new key pair for the log named `origin`; writes the private key to `file` (mode 0600). */
export function initLogKey(origin: string, file: string): { verifierKey: string } {
  if (existsSync(file))
    throw new Error(
      `${file} exists already; the log keeps its key for life. Move it away first if you really mean to replace it.`,
    );
  const { signerKey, verifierKey } = generateKey(origin, new Uint8Array(randomBytes(32)));
  writeFileSync(file, `${signerKey}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return { verifierKey };
}
