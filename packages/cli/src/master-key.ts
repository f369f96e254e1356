import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { findMasterKey, initMasterKeyFile, type KeyProvider } from "@armsledger/server";
import type { config } from "./config.ts";

type Settings = ReturnType<typeof config>;

/**
 * The master key the store is opened with. ARMSLEDGER_MASTER_KEY or ARMSLEDGER_MASTER_KEY_FILE
 * when set; on a PostgreSQL server nothing else (openStore refuses to start without one). The
 * embedded database keeps its key in <data>/master.key, beside (never inside) the database
 * directory <data>/db, made on first start.
 */
export function masterKeyOf(settings: Settings): KeyProvider | undefined {
  const configured = findMasterKey(settings.masterKey);
  if (configured || settings.databaseUrl) return configured;
  const file = settings.masterKey.embeddedFile;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    initMasterKeyFile(file);
  }
  return findMasterKey({ file });
}
