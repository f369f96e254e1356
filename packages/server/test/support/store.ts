import { scratchStore } from "../../src/store/scratch.ts";

/**
 * A fresh, migrated store for one test file: PGlite in memory, or, when DATABASE_URL is set, a
 * new database created on that server (and dropped afterwards), so the same tests run on both.
 */
export function freshStore() {
  return scratchStore(process.env.DATABASE_URL);
}
