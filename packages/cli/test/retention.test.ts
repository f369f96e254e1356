import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { armsledger as run } from "./support/cli.ts";
import { describeEmbedded } from "./support/embedded-only.ts";

const env = {
  ...process.env,
  ARMSLEDGER_DATA: mkdtempSync(join(tmpdir(), "armsledger-retention-")),
  DATABASE_URL: "",
};
const armsledger = (...args: string[]) => run(env, ...args);
const reportOn = async (asOf: string) =>
  JSON.parse((await armsledger("retention", "report", "--as-of", asOf, "--json")).stdout);

// The commands' wiring, output and refusals; what is due on which day, idempotence, an
// interrupted run and verify afterwards are the server's tests (test/retention*.test.ts).
describeEmbedded("armsledger retention", () => {
  it("reports counts due, refuses bad input, and applies the policy", async () => {
    expect((await armsledger("seed", "--demo")).code).toBe(0);
    const far = "2099-01-01";
    const due = await reportOn(far);
    // The demo programme sets retentionYears only: it is every type's period, sessions excepted.
    expect(due.policy).toMatchObject({ registration_not_eligible: 120, ended_session: 3 });
    expect(due.due.registration_not_eligible).toBeGreaterThan(0);

    // Refused: a day that is not one (usage, exit 2), an application without a reason.
    expect((await armsledger("retention", "report", "--as-of", "2099-02-30")).code).toBe(2);
    expect((await armsledger("retention", "apply", "--as", "admin", "--as-of", far)).code).not.toBe(0);

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
  }, 300_000);
});
