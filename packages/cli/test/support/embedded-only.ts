import { describe } from "vitest";

/**
 * For test files that pin the embedded database (`DATABASE_URL: ""`) whatever the environment
 * says. CI runs the suite twice, once on PGlite and once with DATABASE_URL set; such a file would
 * run the same embedded test again in the second pass, and these spawn the CLI many times (about
 * a minute each), so they run in the PGlite pass only.
 */
export const describeEmbedded = describe.skipIf(Boolean(process.env.DATABASE_URL));
