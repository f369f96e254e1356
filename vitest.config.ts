import { availableParallelism } from "node:os";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// One runner for the whole workspace. Store tests open a database per file (PGlite in memory,
// or a fresh database on the server named by DATABASE_URL), so files can run in parallel.
// Two projects: everything in Node, and the browser app's screens (`.test.tsx`) in jsdom.
// Files that replace a module (vi.mock) for themselves: they need modules of their own.
const mockingModules = ["packages/server/test/api/permissions.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest would leave one of a 2-core machine's cores idle; store tests wait on the database
    // often enough that one worker per core is faster (PGlite suite: 306 s → 196 s).
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          include: ["packages/*/test/**/*.test.ts", "bench/test/**/*.test.ts"],
          // The slow ones run under `npm run test:reliability` (vitest.reliability.config.ts).
          exclude: ["**/node_modules/**", "**/*.reliability.test.ts", ...mockingModules],
          // Files share a worker's modules instead of loading the server package again each (a
          // third of the PGlite pass went to that). So a test file sets what it depends on
          // (a work factor, say) itself, and none may count on a support module's fresh state.
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: "node-isolated", include: mockingModules },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: "web",
          include: ["packages/web/test/**/*.test.tsx"],
          environment: "jsdom",
          setupFiles: ["packages/web/test/setup.ts"],
        },
      },
    ],
  },
});
