import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrationsFolder } from "./database.ts";

/**
 * A short hash of the migrations and the PGlite version: the name under which a migrated empty
 * database is kept for throw-away stores (embedded-template.ts, server-template.ts), so that a new
 * migration or another PGlite never reuses an older one.
 */
export function migrationsFingerprint(): string {
  const hash = createHash("sha256");
  // PGlite's package.json is not exported; it sits above the entry point's dist/ folder.
  const entry = fileURLToPath(import.meta.resolve("@electric-sql/pglite"));
  hash.update(readFileSync(join(dirname(dirname(entry)), "package.json")));
  for (const name of readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    hash.update(name);
    try {
      hash.update(readFileSync(join(migrationsFolder, name)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EISDIR") throw error;
    }
  }
  return hash.digest("hex").slice(0, 16);
}
