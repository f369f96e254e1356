import { readFile, writeFile } from "node:fs/promises";
import { findDecryptedWithPassphrase, setExportScryptWorkFactorForTests } from "@armsledger/server";
import {
  type ExportOptions,
  type ExportResult,
  exportTable,
  personalExports,
} from "../../src/export/index.ts";

// Every file importing this helper makes files with a cheaper scrypt (export-file.test.ts checks the real one).
setExportScryptWorkFactorForTests(10);

/** A passphrase the export policy accepts (long, unrelated words). */
export const EXPORT_PASSPHRASE = "umbrella quarry saddle nineteen lantern";

/**
 * An export as its recipient reads it: the personal ones are written encrypted to `path`.age and
 * opened into `path` with the passphrase; the others are written to `path` as they are.
 */
export async function exportAndOpen(options: ExportOptions): Promise<ExportResult> {
  if (!personalExports.includes(options.what)) return exportTable(options);
  const encryptedPath = `${options.path}.age`;
  const result = await exportTable({ ...options, path: encryptedPath, passphrase: EXPORT_PASSPHRASE });
  const plain = await findDecryptedWithPassphrase(await readFile(encryptedPath), EXPORT_PASSPHRASE);
  if (!plain) throw new Error(`${encryptedPath} does not open with the test passphrase`);
  await writeFile(options.path, plain);
  return result;
}
