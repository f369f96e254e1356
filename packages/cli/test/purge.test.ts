import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { armsledger as run } from "./support/cli.ts";
import { describeEmbedded } from "./support/embedded-only.ts";

const env = {
  ...process.env,
  ARMSLEDGER_DATA: mkdtempSync(join(tmpdir(), "armsledger-purge-")),
  DATABASE_URL: "",
};
const armsledger = (...args: string[]) => run(env, ...args);

const purgeAll = ["purge", "--all-personal-data", "--as", "admin", "--reason", "the depot is about to fall"];

describeEmbedded("armsledger purge --all-personal-data", () => {
  it("refuses without the exact phrase, then destroys the key; verify still passes and says what was purged", async () => {
    expect((await armsledger("seed", "--demo")).code).toBe(0);
    const found = await armsledger("search", "person", "Muhammad Jassem as-Soudani");
    expect(found.stdout).toMatch(/^[1-9]\d* person\(s\)/);

    // One person first: found before, not after; the ledger still verifies.
    const json0 = JSON.parse(
      (await armsledger("search", "person", "Muhammad Jassem as-Soudani", "--json")).stdout,
    );
    const personId = (JSON.stringify(json0).match(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/,
    ) ?? [])[0]!;
    expect(personId).toBeDefined();
    const noReason = await armsledger("purge", "--person", personId, "--as", "admin");
    expect(noReason.code).not.toBe(0);
    const one = await armsledger(
      "purge",
      "--person",
      personId,
      "--as",
      "admin",
      "--reason",
      "consent withdrawn in writing",
    );
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/Purged person .* private parts of [1-9]\d* event/);
    // The demo person has no roster entry nor photo: the command says so rather than staying silent.
    expect(one.stdout).toMatch(/0 entr\(y\/ies\) of their group.s rosters, 0 photo file/);
    expect(
      JSON.stringify(
        JSON.parse((await armsledger("search", "person", "Muhammad Jassem as-Soudani", "--json")).stdout),
      ),
    ).not.toContain(personId);
    const afterOne = await armsledger("verify", "--database");
    expect(afterOne.code).toBe(0);
    expect(afterOne.stdout).toMatch(/[1-9]\d* private parts purged/);

    const refused = await armsledger(...purgeAll, "--confirm", "destroy all data");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Nothing was purged/);
    expect((await armsledger(...purgeAll)).code).toBe(2);
    // Refused, they changed nothing: only the one person's parts are purged.
    const stillOne = JSON.parse((await armsledger("verify", "--database", "--json")).stdout);
    expect(stillOne.purged).toBe(Number(afterOne.stdout.match(/(\d+) private parts purged/)![1]));

    const purged = await armsledger(...purgeAll, "--confirm", "destroy all personal data");
    expect(purged.code).toBe(0);
    expect(purged.stdout).toMatch(/Destroyed data key 1/);
    expect(purged.stdout).toMatch(/BACKUPS taken before this purge/);

    const verified = await armsledger("verify", "--database");
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/\d+ private parts purged/);
    expect(verified.stdout).toMatch(/VERIFIED/);
    const json = JSON.parse((await armsledger("verify", "--database", "--json")).stdout);
    expect(json).toMatchObject({ ok: true, ledger: [], projections: [], purgedLeftovers: 0 });
    expect(json.purged).toBeGreaterThan(0);
    // The name keys are gone: no one is found by name any more.
    expect((await armsledger("search", "person", "Muhammad Jassem as-Soudani")).stdout).toMatch(
      /^0 person\(s\)/,
    );
  }, 240_000);
});
