import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { describeEmbedded } from "./support/embedded-only.ts";
import { armsledger as run } from "./support/server-process.ts";

const env = {
  ...process.env,
  ARMSLEDGER_DATA: mkdtempSync(join(tmpdir(), "armsledger-retention-")),
  DATABASE_URL: "",
};
const armsledger = (...args: string[]) => run(env, ...args);
const reportOn = async (asOf: string) =>
  JSON.parse((await armsledger("retention", "report", "--as-of", asOf, "--json")).stdout);

describeEmbedded("armsledger retention", () => {
  it("reports counts due, refuses bad input, applies the policy once, and the ledger still verifies", async () => {
    expect((await armsledger("seed", "--demo")).code).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    const now = await reportOn(today);
    // The demo programme sets retentionYears only: it is every type's period, sessions excepted.
    expect(now.policy).toMatchObject({ registration_not_eligible: 120, ended_session: 3 });
    expect(now.due.registration_not_eligible).toBe(0);

    const far = "2099-01-01";
    const due = await reportOn(far);
    expect(due.due.registration_not_eligible).toBeGreaterThan(0);
    const text = await armsledger("retention", "report", "--as-of", far);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/registration_not_eligible\s+120\s+[1-9]\d*/);

    // Refused: a day that is not one, no reason, no account, not an administrator. Nothing purged.
    expect((await armsledger("retention", "report", "--as-of", "2099-02-30")).code).toBe(2);
    expect((await armsledger("retention", "apply", "--as", "admin", "--as-of", far)).code).not.toBe(0);
    expect((await armsledger("retention", "apply", "--reason", "the programme's policy")).code).toBe(2);
    expect((await armsledger("retention", "purge")).code).toBe(2);
    expect(await reportOn(far)).toEqual(due);

    const applied = await armsledger(
      "retention",
      "apply",
      "--as",
      "admin",
      "--reason",
      "the programme's retention policy, yearly run",
      "--as-of",
      far,
    );
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(
      new RegExp(`registration_not_eligible\\s+${due.due.registration_not_eligible}\\b`),
    );
    const after = await reportOn(far);
    expect(Object.values(after.due).every((n) => n === 0)).toBe(true);
    const again = await armsledger(
      "retention",
      "apply",
      "--as",
      "admin",
      "--reason",
      "the programme's retention policy, run again",
      "--as-of",
      far,
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/registration_not_eligible\s+0\b/);
    const verified = await armsledger("verify", "--database");
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/[1-9]\d* private parts purged/);
  }, 300_000);
});
