import { defineConfig } from "vitest/config";

// `npm run test:reliability`: the slow tests of what happens when things break (the server
// killed mid-storm, the database lost, backups restored). Kept out of `npm test` so that stays
// fast; CI runs both. One file at a time: they start servers and time their own faults.
export default defineConfig({
  test: {
    name: "reliability",
    include: ["packages/*/test/**/*.reliability.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    fileParallelism: false,
  },
});
