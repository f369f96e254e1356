import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { armsledger as run } from "./support/cli.ts";
import { describeEmbedded } from "./support/embedded-only.ts";

// The master key of people's data as an operator meets it: made on purpose for a server, made
// beside the embedded database on first start, and required before anything opens PostgreSQL.
const dir = mkdtempSync(join(tmpdir(), "armsledger-master-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const armsledger = (env: NodeJS.ProcessEnv, ...args: string[]) => run({ ...process.env, ...env }, ...args);

// Every case pins its own database (none reachable, or the embedded one), never the
// environment's: the PostgreSQL pass of CI would only run it again.
describeEmbedded("the master key", () => {
  it("is made by keys init-master as a 0600 file, and never over an existing one", async () => {
    const file = join(dir, "keys", "master.key");
    const made = await armsledger({}, "keys", "init-master", "--file", file);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain("ARMSLEDGER_MASTER_KEY_FILE=");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = readFileSync(file, "utf8");
    const again = await armsledger({}, "keys", "init-master", "--file", file);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists already/);
    expect(readFileSync(file, "utf8")).toBe(key);
    expect((await armsledger({}, "keys", "init-master")).code).toBe(2);
  });

  it("is required before the command opens a PostgreSQL database (nothing is connected to)", async () => {
    const refused = await armsledger(
      {
        DATABASE_URL: "postgres://postgres@127.0.0.1:1/none",
        ARMSLEDGER_MASTER_KEY: "",
        ARMSLEDGER_MASTER_KEY_FILE: "",
      },
      "migrate",
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/No master key for the PostgreSQL database/);
  });

  it("of the embedded database is made beside its directory on first use, and reused", async () => {
    const data = join(dir, "data");
    const env = {
      ARMSLEDGER_DATA: data,
      DATABASE_URL: "",
      ARMSLEDGER_MASTER_KEY: "",
      ARMSLEDGER_MASTER_KEY_FILE: "",
    };
    expect((await armsledger(env, "migrate")).code).toBe(0);
    expect(existsSync(join(data, "db", "PG_VERSION"))).toBe(true);
    expect(statSync(join(data, "master.key")).mode & 0o777).toBe(0o600);
    const key = readFileSync(join(data, "master.key"), "utf8");
    expect((await armsledger(env, "seed", "--demo")).code).toBe(0);
    const found = await armsledger(env, "search", "person", "Ali Hussein");
    expect(found.stdout).toContain("Ali Hussein Kadhim al-Saadi");
    expect(readFileSync(join(data, "master.key"), "utf8")).toBe(key);
  }, 120_000);
});
