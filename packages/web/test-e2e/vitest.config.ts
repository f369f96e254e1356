import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The end-to-end tests: a real server (`armsledger serve` on a new embedded database with the
// demo accounts) and Debian's Chromium driven by playwright-core. Kept out of the workspace's
// vitest.config.ts, so `npm test` runs without a browser; `npm run test:e2e` runs these.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "e2e",
    include: ["**/*.e2e.ts"],
    globalSetup: ["global-setup.ts"],
    // The specs share one server; three at a time (a browser each) keep a 2-core machine busy,
    // since each spends part of its time waiting on pages and the server (two: 202 s, three: 182
    // s; the longest test grows from 15 s to about 20, well within the timeout).
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
