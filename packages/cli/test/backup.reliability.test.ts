import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { executeCommand, ledgerHead, openStore, type Store, tables } from "@armsledger/server";
import pg from "pg";
import * as tar from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  command,
  groupPayload,
  personPayload,
  sitePayload,
} from "../../server/test/support/fixtures.ts";
import { backup, restore } from "../src/backup/index.ts";
import { config } from "../src/config.ts";
import { testMasterKey, testMasterKeyText } from "./support/master-key.ts";
import { tempDir } from "./support/world.ts";

/** A few records of each kind, through the write path. */
async function record(store: Store): Promise<void> {
  const groupId = (await executeCommand(store, command("group.register", groupPayload("G1")), admin)).data
    .groupId as string;
  const siteId = (await executeCommand(store, command("site.register", sitePayload("BGD-01")), admin)).data
    .siteId as string;
  for (let i = 0; i < 3; i++)
    await executeCommand(store, command("person.register", personPayload(siteId, groupId)), admin);
}

async function personCount(store: Store): Promise<number> {
  return (await store.db.select({ id: tables.persons.id }).from(tables.persons)).length;
}

/** Rewrites a backup's manifest (what an edited or mixed-up backup looks like). */
async function withManifest(
  from: string,
  to: string,
  dir: string,
  edit: (m: Record<string, unknown>) => void,
) {
  const work = join(dir, `edit-${randomBytes(3).toString("hex")}`);
  await mkdir(work);
  await tar.extract({ file: from, cwd: work });
  const manifest = JSON.parse(await readFile(join(work, "manifest.json"), "utf8"));
  edit(manifest);
  await writeFile(join(work, "manifest.json"), JSON.stringify(manifest));
  await tar.create({ file: to, cwd: work }, readdirSync(work));
}

describe("backup and restore of the embedded database", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const settings = (name: string) =>
    config({ ARMSLEDGER_DATA: dir.path(name), ARMSLEDGER_MASTER_KEY: testMasterKeyText });
  let head: Awaited<ReturnType<typeof ledgerHead>>;

  beforeAll(async () => {
    dir = await tempDir();
    const store = await openStore({ dataDir: join(dir.path("source"), "db"), masterKey: testMasterKey });
    await store.migrate();
    await record(store);
    head = await ledgerHead(store.db);
    await store.close();
    await backup(dir.path("source.backup"), settings("source"));
  });
  afterAll(() => dir.remove());

  it("round-trips: the restored ledger has the backup's size and root, and verifies", async () => {
    expect(head.size).toBe(5);
    const restored = await restore(dir.path("source.backup"), settings("copy"));
    expect(restored.manifest).toMatchObject({ store: "embedded", ledger: head });
    expect(restored.verification).toMatchObject({ ok: true, leaves: 5 });
    const store = await openStore({ dataDir: join(dir.path("copy"), "db"), masterKey: testMasterKey });
    try {
      expect(await ledgerHead(store.db)).toEqual(head);
      expect(await personCount(store)).toBe(3);
    } finally {
      await store.close();
    }
    // Nothing is left beside the data directory.
    expect(readdirSync(dir.path("copy"))).toEqual(["db"]);
  });

  it("never overwrites a backup file", async () => {
    await expect(backup(dir.path("source.backup"), settings("source"))).rejects.toThrow(/exists already/);
  });

  it("refuses to restore over a database unless told, and then keeps the old one aside", async () => {
    await expect(restore(dir.path("source.backup"), settings("source"))).rejects.toThrow(
      /already holds a database.*--replace/,
    );
    const replaced = await restore(dir.path("source.backup"), settings("source"), { replace: true });
    expect(replaced.replaced).toMatch(/db\.before-restore-/);
    expect(existsSync(join(replaced.replaced!, "PG_VERSION"))).toBe(true);
  });

  it("refuses a damaged backup before touching anything", async () => {
    const bytes = await readFile(dir.path("source.backup"));
    // Flip a byte deep inside the payload (past the manifest's tar blocks).
    bytes[bytes.length - 4096] = bytes[bytes.length - 4096]! ^ 0xff;
    await writeFile(dir.path("damaged.backup"), bytes);
    await expect(restore(dir.path("damaged.backup"), settings("damaged"))).rejects.toThrow(/damaged/);
    expect(existsSync(dir.path("damaged"))).toBe(false);
  });

  it("refuses a backup whose ledger is not the one its manifest names, and leaves nothing behind", async () => {
    await withManifest(dir.path("source.backup"), dir.path("other-root.backup"), dir.path(""), (m) => {
      (m.ledger as { root: string }).root = "0".repeat(64);
    });
    await expect(restore(dir.path("other-root.backup"), settings("other"))).rejects.toThrow(
      /is not the one the backup recorded.*Nothing was changed/,
    );
    expect(readdirSync(dir.path("other"))).toEqual([]);
  });

  it("refuses what is not a backup, and a backup of the other kind of store", async () => {
    await writeFile(dir.path("not.backup"), "hello");
    await expect(restore(dir.path("not.backup"), settings("x"))).rejects.toThrow(/not an ArmsLedger backup/);
    await expect(restore(dir.path("missing.backup"), settings("x"))).rejects.toThrow(/no backup file/);
    await withManifest(dir.path("source.backup"), dir.path("kind.backup"), dir.path(""), (m) => {
      m.store = "server";
    });
    await expect(restore(dir.path("kind.backup"), settings("x"))).rejects.toThrow(/PostgreSQL server/);
  });
});

const serverUrl = process.env.DATABASE_URL;

describe.skipIf(!serverUrl)("backup and restore on PostgreSQL", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const names: string[] = [];
  const admin_ = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const newDatabase = async () => {
    const name = `armsledger_restore_${randomBytes(5).toString("hex")}`;
    await admin_(
      `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
    );
    names.push(name);
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const settings = (url: string) =>
    config({
      DATABASE_URL: url,
      ARMSLEDGER_DATA: dir.path("data"),
      ARMSLEDGER_MASTER_KEY: testMasterKeyText,
    });
  let source: string;
  let head: Awaited<ReturnType<typeof ledgerHead>>;

  beforeAll(async () => {
    dir = await tempDir();
    source = await newDatabase();
    const store = await openStore({ databaseUrl: source, masterKey: testMasterKey });
    await store.migrate();
    await record(store);
    head = await ledgerHead(store.db);
    await store.close();
    await backup(dir.path("pg.backup"), settings(source));
  });
  afterAll(async () => {
    for (const name of names) await admin_(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await dir.remove();
  });

  it("round-trips into an empty database: same ledger size and root, and it verifies", async () => {
    const target = await newDatabase();
    const restored = await restore(dir.path("pg.backup"), settings(target));
    expect(restored.manifest).toMatchObject({ store: "server", ledger: head });
    expect(restored.verification).toMatchObject({ ok: true, leaves: 5 });
    const store = await openStore({ databaseUrl: target, masterKey: testMasterKey });
    try {
      expect(await ledgerHead(store.db)).toEqual(head);
      expect(await personCount(store)).toBe(3);
      // The restored database takes new commands where the backup left off.
      await executeCommand(store, command("group.register", groupPayload("G2")), admin);
      expect((await ledgerHead(store.db)).size).toBe(6);
    } finally {
      await store.close();
    }
  });

  it("refuses a database that is not empty, changing nothing in it", async () => {
    await expect(restore(dir.path("pg.backup"), settings(source))).rejects.toThrow(/not empty/);
    const store = await openStore({ databaseUrl: source, masterKey: testMasterKey });
    try {
      expect(await ledgerHead(store.db)).toEqual(head);
    } finally {
      await store.close();
    }
  });

  it("names a restored ledger that is not the backup's, and refuses a backup of the embedded database", async () => {
    await withManifest(dir.path("pg.backup"), dir.path("short.backup"), dir.path(""), (m) => {
      (m.ledger as { size: number }).size = 4;
    });
    await expect(restore(dir.path("short.backup"), settings(await newDatabase()))).rejects.toThrow(
      /size 5.*not the one the backup recorded.*size 4.*Do not serve/,
    );
    await withManifest(dir.path("pg.backup"), dir.path("kind.backup"), dir.path(""), (m) => {
      m.store = "embedded";
    });
    await expect(restore(dir.path("kind.backup"), settings(await newDatabase()))).rejects.toThrow(
      /embedded database/,
    );
  });

  it("backs up a database the server keeps writing to, with the head of the dumped snapshot", async () => {
    const store = await openStore({ databaseUrl: source, masterKey: testMasterKey });
    try {
      const writing = (async () => {
        for (let i = 0; i < 10; i++)
          await executeCommand(store, command("group.register", groupPayload(`W${i}`)), admin);
      })();
      const manifest = await backup(dir.path("live.backup"), settings(source));
      await writing;
      const restored = await restore(dir.path("live.backup"), settings(await newDatabase()));
      expect(restored.verification.ok).toBe(true);
      expect(restored.manifest.ledger).toEqual(manifest.ledger);
    } finally {
      await store.close();
    }
  });
});
