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
    // One browser at a time on a 2-core machine; the specs share one server.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
