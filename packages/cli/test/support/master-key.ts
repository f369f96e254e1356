import { randomBytes } from "node:crypto";
import { findMasterKey } from "@armsledger/server";

/**
 * The master key of this test run (never written to the repository): passed to the CLI and the
 * server processes as ARMSLEDGER_MASTER_KEY, and to the stores the tests open themselves.
 */
export const testMasterKeyText = randomBytes(32).toString("base64");
export const testMasterKey = findMasterKey({ text: testMasterKeyText })!;
