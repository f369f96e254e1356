import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { findDecryptedWithPassphrase, isAgeFile } from "@armsledger/server";
import {
  PASSPHRASE_ENV,
  PASSPHRASE_OPTIONS,
  readPassphrase,
  refusePassphraseArgument,
} from "./export/passphrase.ts";
import { UsageError } from "./usage-error.ts";

const USAGE = `usage: armsledger decrypt FILE.age --passphrase-file FILE [--out FILE] (or the passphrase in ${PASSPHRASE_ENV})`;

/**
 * `armsledger decrypt FILE.age --passphrase-file P [--out FILE]`: what the recipient of an
 * encrypted export runs (the standard `age -d` opens the same files). Writes FILE without its
 * .age, never over an existing file. No database is needed.
 */
export async function runDecrypt(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: "string" }, ...PASSPHRASE_OPTIONS },
  });
  refusePassphraseArgument(values);
  const [file] = positionals;
  if (!file || positionals.length !== 1) throw new UsageError(USAGE);
  const out = values.out ?? (file.endsWith(".age") ? file.slice(0, -".age".length) : undefined);
  if (!out) throw new UsageError(`${file} does not end in .age: say where to write it with --out FILE`);
  const passphrase = await readPassphrase(values["passphrase-file"], env);
  if (!passphrase) throw new UsageError(USAGE);
  const encrypted = new Uint8Array(await readFile(file));
  if (!isAgeFile(encrypted)) throw new Error(`${file} is not an age-encrypted file`);
  const plain = await findDecryptedWithPassphrase(encrypted, passphrase);
  if (!plain) throw new Error(`the passphrase does not open ${file} (or the file was altered)`);
  // "wx": never overwrite a file that is already there.
  await writeFile(out, plain, { flag: "wx" });
  console.log(`Wrote ${out} (${plain.length} bytes).`);
}
