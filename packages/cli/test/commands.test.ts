import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { armsledger as run } from "./support/cli.ts";
import { describeEmbedded } from "./support/embedded-only.ts";

// The armsledger command on an embedded database in a temporary directory, run in this process
// (support/cli.ts); the last case runs the executable as a user does.
const data = mkdtempSync(join(tmpdir(), "armsledger-cli-"));
const env = { ...process.env, ARMSLEDGER_DATA: data, DATABASE_URL: "" };
const armsledger = (...args: string[]) => run(env, ...args);

describeEmbedded("the armsledger command", () => {
  it("loads the demo into an empty database once, printing each account once", async () => {
    const first = await armsledger("seed", "--demo");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/admin\s+[a-z0-9]{5}-[a-z0-9]{5}-[a-z0-9]{5}-[a-z0-9]{5}\s+\(admin\)/);
    const again = await armsledger("seed", "--demo");
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds records/);
  });

  it("finds a demo person by another spelling, and reports the (empty) duplicate review queue", async () => {
    const found = await armsledger("search", "person", "Muhammad Jassem as-Soudani");
    expect(found.code).toBe(0);
    expect(found.stdout).toMatch(/^1 person\(s\) for/mu);
    expect(found.stdout).toContain("محمد جاسم عباس السوداني");
    const arabic = await armsledger("search", "person", "حيدر الربيعي", "--json");
    expect(JSON.parse(arabic.stdout)[0].person.name.latin.given).toBe("Haidar");
    expect((await armsledger("search", "person", "محمد Mohammed")).stderr).toMatch(/mixes Arabic and Latin/u);
    expect((await armsledger("search", "person")).code).toBe(2);
    const queue = await armsledger("report", "duplicate-reviews");
    expect(queue.code).toBe(0);
    expect(queue.stdout).toMatch(/Duplicate reviews: pending 0, merged 0, dismissed 0; listed: pending/u);
    expect((await armsledger("report", "duplicate-reviews", "--status", "maybe")).code).toBe(2);
  });

  it("adds a user, refusing a taken name and a bad role with a message", async () => {
    const added = await armsledger("user", "add", "--username", "field.officer", "--role", "registrar");
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/Password \(shown once\): \S+/);
    expect(
      (await armsledger("user", "add", "--username", "field.officer", "--role", "registrar")).stderr,
    ).toMatch(/taken/);
    expect((await armsledger("user", "add", "--username", "someone", "--role", "king")).stderr).toMatch(
      /role/,
    );
    expect((await armsledger("user", "add")).code).toBe(2);
  });

  it("makes the log key once, outside the database, readable by its owner only", async () => {
    const made = await armsledger("keys", "init", "--origin", "cli.armsledger.local/log");
    expect(made.code).toBe(0);
    const file = join(data, "log-signer.key");
    expect(readFileSync(file, "utf8")).toMatch(/^PRIVATE\+KEY\+cli\.armsledger\.local\/log\+/);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect((await armsledger("keys", "init", "--origin", "cli.armsledger.local/log")).stderr).toMatch(
      /exists already/,
    );
  });

  it("verifies the database against its own ledger", async () => {
    const report = await armsledger("verify", "--database", "--json");
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ ok: true, ledger: [], projections: [] });
  });

  it("reports eligibility by group, governorate, sex and age group, naming no one", async () => {
    const json = await armsledger("report", "eligibility", "--json");
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as {
      rows: { registered: number; governorate: string; sex: string; ageGroup: string }[];
      totals: { registered: number; eligible: number };
    };
    // The demo registers people and records handovers: each counted once, in one cell.
    expect(report.totals.registered).toBeGreaterThan(0);
    expect(report.rows.reduce((n, r) => n + r.registered, 0)).toBe(report.totals.registered);
    expect(report.rows.every((r) => !("name" in r))).toBe(true);
    const text = await armsledger("report", "eligibility");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Eligibility by group, governorate, sex and age group/);
    expect(text.stdout).toMatch(new RegExp(`TOTAL\\s+registered\\s+${report.totals.registered}\\b`));
  });

  it("reports the balance with the lost split three ways, and follows a weapon's trail by kind", async () => {
    const json = await armsledger("report", "balance", "--json");
    expect(json.code).toBe(0);
    const balance = JSON.parse(json.stdout) as {
      balanced: boolean;
      byCategory: { kind: string; collected: number; states: Record<string, number> }[];
    };
    expect(balance.balanced).toBe(true);
    expect(balance.byCategory.length).toBeGreaterThan(0);
    for (const c of balance.byCategory) {
      expect(Object.keys(c.states)).toEqual(
        expect.arrayContaining(["lost_under_investigation", "confirmed_lost", "stolen"]),
      );
      expect(c.states).not.toHaveProperty("lost");
      expect(Object.values(c.states).reduce((a, b) => a + b, 0)).toBe(c.collected);
    }
    const text = await armsledger("report", "balance");
    expect(text.stdout).toMatch(/lost under investigation \+ confirmed lost \+ stolen/);
    expect(text.stdout).toMatch(/^BALANCED$/mu);
    // Any item kind is followed by its trail; an unknown kind is a usage error.
    expect((await armsledger("trail", "key_part", "00000000-0000-4000-8000-000000000000")).stderr).toMatch(
      /no key part with this id/,
    );
    expect((await armsledger("trail", "bolt", "00000000-0000-4000-8000-000000000000")).code).toBe(2);
  });

  // CI's smoke test runs `npx armsledger migrate` and `serve` against a database as well.
  it("as the executable a user runs: answers an unknown command with usage and exit code 2, help with 0", async () => {
    const executable = new URL("../bin/armsledger.js", import.meta.url).pathname;
    const spawned = promisify(execFile);
    const refused = await spawned(process.execPath, [executable, "frobnicate"], { env }).catch((e) => e);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/unknown command/);
    const help = await spawned(process.execPath, [executable, "help"], { env });
    expect(help.stdout).toMatch(/^Usage: armsledger <command>/m);
  });
});
