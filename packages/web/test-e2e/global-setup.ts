import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { chromiumPath } from "./chromium.ts";
import { seed } from "./seed.ts";
import { type DemoAccount, startServer } from "./server.ts";

// One server for the whole run: started once, seeded once, handed to every spec via inject().

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    accounts: DemoAccount[];
    receiptNumber: string;
    unknownReceiptNumber: string;
    weaponId: string;
  }
}

export default async function setup(project: TestProject) {
  // Fail at once, and say why, rather than in every spec.
  if (!existsSync(chromiumPath))
    throw new Error(
      `No Chromium at ${chromiumPath}: install Debian's package (apt-get install chromium) or set ARMSLEDGER_CHROMIUM.`,
    );
  const server = await startServer();
  try {
    const seeded = await seed(server.baseUrl, server.accounts);
    project.provide("baseUrl", server.baseUrl);
    project.provide("accounts", server.accounts);
    project.provide("receiptNumber", seeded.receiptNumber);
    project.provide("unknownReceiptNumber", seeded.unknownReceiptNumber);
    project.provide("weaponId", seeded.weaponId);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return () => server.stop();
}
