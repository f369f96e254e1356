import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { describeEmbedded } from "../support/embedded-only.ts";

// `armsledger seed --scenario` as a user runs it, on an embedded database in a temporary directory.
const run = promisify(execFile);
const main = new URL("../../src/main.ts", import.meta.url).pathname;
const env = {
  ...process.env,
  ARMSLEDGER_DATA: mkdtempSync(join(tmpdir(), "armsledger-seed-")),
  DATABASE_URL: "",
};

async function armsledger(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [main, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describeEmbedded("armsledger seed --scenario", () => {
  it("refuses a bad scenario, scale or seed with a usage error", async () => {
    expect((await armsledger("seed", "--scenario", "atlantis")).stderr).toMatch(/unknown scenario/);
    const scale = await armsledger("seed", "--scenario", "iraq-national", "--scale", "lots");
    expect(scale.code).toBe(2);
    expect(scale.stderr).toMatch(/--scale must be/);
    expect((await armsledger("seed", "--scenario", "iraq-national", "--seed", "1.5")).stderr).toMatch(
      /--seed must be/,
    );
  }, 120_000);

  it("seeds a tiny scenario, prints what it recorded and its fingerprint, then resumes to nothing", async () => {
    const first = await armsledger("seed", "--scenario", "iraq-national", "--scale", "0.0004", "--seed", "3");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Seeded iraq-national \(seed 3, scale 0.0004\): \d+ commands recorded/);
    expect(first.stdout).toMatch(/Scenario fingerprint .*: [0-9a-f]{64}/);
    expect(first.stderr).toMatch(/commands/); // the progress display
    const again = await armsledger("seed", "--scenario", "iraq-national", "--scale", "0.0004", "--seed", "3");
    expect(again.stdout).toMatch(/: 0 commands recorded/);
    expect(again.stdout.match(/fingerprint.*/)?.[0]).toBe(first.stdout.match(/fingerprint.*/)?.[0]);
    const other = await armsledger("seed", "--scenario", "iraq-national", "--scale", "0.0004", "--seed", "4");
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/not the iraq-national scenario with seed 4/);
  }, 180_000);
});
