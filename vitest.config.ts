import { defineConfig } from "vitest/config";

// One runner for the whole workspace. Store tests open a database per file (PGlite in memory,
// or a fresh database on the server named by DATABASE_URL), so files can run in parallel.
export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "bench/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
