import { readFile } from "node:fs/promises";

/** The environment variable an export's (or a decryption's) passphrase may come from. */
export const PASSPHRASE_ENV = "ARMSLEDGER_EXPORT_PASSPHRASE";

/**
 * The passphrase from --passphrase-file (its first line) or else the environment; never from
 * the command line itself, which shell histories and process lists keep. Undefined when neither
 * gives one (the export then refuses, saying how to give it).
 */
export async function readPassphrase(
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  if (file !== undefined) {
    const text = await readFile(file, "utf8");
    return text.split(/\r?\n/u)[0];
  }
  return env[PASSPHRASE_ENV] || undefined;
}

export const PASSPHRASE_OPTIONS = {
  "passphrase-file": { type: "string" },
  // Accepted only to refuse it with a reason (parseArgs would say "unknown option").
  passphrase: { type: "string" },
} as const;

export function refusePassphraseArgument(values: { passphrase?: string | undefined }): void {
  if (values.passphrase !== undefined)
    throw new Error(
      `a passphrase on the command line ends up in the shell's history and the process list: give it with --passphrase-file FILE or ${PASSPHRASE_ENV}`,
    );
}

/** An encrypted export's file name ends in .age, so its recipient knows how to open it. */
export function agePath(path: string): string {
  return path.endsWith(".age") ? path : `${path}.age`;
}
