import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { armsledger as run } from "../support/cli.ts";
import { describeEmbedded } from "../support/embedded-only.ts";

// `armsledger seed --scenario` on an embedded database in a temporary directory.
const env = {
  ...process.env,
  ARMSLEDGER_DATA: mkdtempSync(join(tmpdir(), "armsledger-seed-")),
  DATABASE_URL: "",
};

const armsledger = (...args: string[]) => run(env, ...args);

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
