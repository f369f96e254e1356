import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { openStore, tables } from "@armsledger/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { command, personPayload } from "../../server/test/support/fixtures.ts";
import { armsledger } from "./support/cli.ts";
import { testMasterKey, testMasterKeyText } from "./support/master-key.ts";
import { freePort, prepareStore, type ServerProcess, startServer } from "./support/server-process.ts";
import { tempDir } from "./support/world.ts";

// The embedded database's disk fills up under a running server. A small tmpfs is the disk: it
// needs root (CAP_SYS_ADMIN), which CI's machine has; elsewhere the test is skipped.
const SIZE_MB = 64;

function mountTmpfs(dir: string): boolean {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${SIZE_MB}m`, "tmpfs", dir], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Writes a file until the file system refuses: the disk is then full. */
function fillDisk(path: string): number {
  const fd = openSync(path, "w");
  let written = 0;
  try {
    for (const size of [1 << 20, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          written += writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

const dir = await tempDir();
const disk = dir.path("disk");
mkdirSync(disk);
const mounted = process.platform === "linux" && mountTmpfs(disk);
if (!mounted) await dir.remove();

describe.skipIf(!mounted)("the embedded database's disk full", () => {
  const data = join(disk, "data");
  const env = {
    ...process.env,
    DATABASE_URL: "",
    ARMSLEDGER_DATA: data,
    ARMSLEDGER_MASTER_KEY: testMasterKeyText,
    ARMSLEDGER_LOG_KEY_FILE: dir.path("log.key"),
  };
  let server: ServerProcess;
  let token: string;
  let siteId: string;

  beforeAll(async () => {
    ({ token, siteId } = await prepareStore(
      { dataDir: join(data, "db"), masterKey: testMasterKey },
      dir.path("log.key"),
    ));
    server = await startServer(env, await freePort());
  });
  afterAll(async () => {
    await server?.stop("SIGKILL");
    if (mounted) execFileSync("umount", [disk]);
    await dir.remove();
  });

  const send = (c: object) =>
    fetch(`${server.url}/api/v1/commands`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(c),
    });
  const person = (i: number) =>
    command("person.register", { ...personPayload(siteId), nationalId: `7${String(i).padStart(8, "0")}` });

  it("refuses with 507 store.full and Retry-After, records nothing, and recovers once space is freed", async () => {
    expect((await send(person(0))).status).toBe(200);

    const filler = join(disk, "filler");
    expect(fillDisk(filler)).toBeGreaterThan(0);
    // Pages with room left still take a command or a few; then every write is refused.
    let accepted = 1;
    let next = 1;
    const refused: ReturnType<typeof person>[] = [];
    while (refused.length < 5 && next < 500) {
      const c = person(next++);
      const response = await send(c);
      if (response.status === 200 && refused.length === 0) {
        accepted++;
        await response.body?.cancel();
        continue;
      }
      expect(response.status).toBe(507);
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await response.json()).toMatchObject({ code: "store.full", status: 507 });
      refused.push(c);
    }
    expect(refused.length).toBe(5);
    // Reads still work while the disk is full.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    rmSync(filler);
    // The same commands, sent again with the same ids, are recorded now, once each.
    for (const c of refused) expect((await send(c)).status).toBe(200);
    expect((await send(refused[0]!)).status).toBe(200);
    await server.stop("SIGTERM");

    const verified = await armsledger(env, "verify", "--database", "--json");
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, ledger: [], projections: [] });
    const store = await openStore({ dataDir: join(data, "db"), masterKey: testMasterKey });
    try {
      const events = await store.db.select({ commandId: tables.events.commandId }).from(tables.events);
      // The site, the programme, the people accepted before the disk was full, and the five
      // refused then recorded; none of them twice.
      expect(events.length).toBe(2 + accepted + refused.length);
      expect(new Set(events.map((e) => e.commandId)).size).toBe(events.length);
    } finally {
      await store.close();
    }
  });
});
