import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  FieldDecryptionError,
  FieldKeys,
  findMasterKey,
  initMasterKeyFile,
  LocalMasterKey,
  PURGED,
  readMasterKeyFile,
} from "../../src/crypto/index.ts";
import { MasterKeyMissing, openStore } from "../../src/store/database.ts";

const keys = new FieldKeys({ id: 1, key: randomBytes(32) });
const place = { table: "persons", column: "name", row: "p-1" };

describe("field encryption (AES-256-GCM)", () => {
  it("round-trips any Unicode text, and never answers the plain text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (plain) => {
        const sealed = keys.encrypt(plain, place);
        expect(sealed).toMatch(/^v1:1:[A-Za-z0-9_-]+$/);
        expect(keys.decrypt(sealed, place)).toBe(plain);
      }),
    );
  });

  it("encrypts the same value differently each time (a random IV)", () => {
    expect(keys.encrypt("علي", place)).not.toBe(keys.encrypt("علي", place));
  });

  it("refuses a ciphertext moved to another row, column or table, or altered, with a clear error", () => {
    const sealed = keys.encrypt("علي حسين", place);
    const moved = [
      { ...place, row: "p-2" },
      { ...place, column: "mother_name" },
      { ...place, table: "group_roster_entries" },
    ];
    for (const elsewhere of moved) {
      expect(() => keys.decrypt(sealed, elsewhere)).toThrow(FieldDecryptionError);
      expect(() => keys.decrypt(sealed, elsewhere)).toThrow(/altered, or moved from another field or row/);
    }
    const body = sealed.split(":")[2]!;
    const flipped = Buffer.from(body, "base64url");
    flipped[14] = flipped[14]! ^ 1;
    expect(() => keys.decrypt(`v1:1:${flipped.toString("base64url")}`, place)).toThrow(
      "cannot decrypt persons.name of p-1: it was altered, or moved from another field or row",
    );
    expect(() => keys.decrypt(`v1:1:${body.slice(0, 20)}`, place)).toThrow(/truncated|altered/);
    expect(() => keys.decrypt(`v1:9:${body}`, place)).toThrow("data key 9 is unknown");
    expect(() => keys.decrypt("علي", place)).toThrow("not a v1 ciphertext");
  });

  it("reads a value of a destroyed data key as purged", () => {
    const old = new FieldKeys({ id: 1, key: randomBytes(32) });
    const sealed = old.encrypt("علي", place);
    const after = new FieldKeys({ id: 2, key: randomBytes(32) }, [], [1]);
    expect(after.decrypt(sealed, place)).toBe(PURGED);
  });

  it("makes keyed blind indexes: equal for equal values, different under another data key", () => {
    const other = new FieldKeys({ id: 1, key: randomBytes(32) });
    expect(keys.blindIndex("national-id", "1990100000")).toBe(keys.blindIndex("national-id", "1990100000"));
    expect(keys.blindIndex("national-id", "1990100000")).not.toBe(
      keys.blindIndex("national-id", "1990100001"),
    );
    expect(other.blindIndex("national-id", "1990100000")).not.toBe(
      keys.blindIndex("national-id", "1990100000"),
    );
  });
});

describe("the master key", () => {
  const dir = mkdtempSync(join(tmpdir(), "armsledger-master-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("wraps a data key that only the same master key unwraps", async () => {
    const master = new LocalMasterKey(randomBytes(32));
    const dataKey = new Uint8Array(randomBytes(32));
    const wrapped = await master.wrap(dataKey);
    expect(wrapped).not.toContain(Buffer.from(dataKey).toString("base64url"));
    expect(await master.unwrap(wrapped)).toEqual(dataKey);
    await expect(new LocalMasterKey(randomBytes(32)).unwrap(wrapped)).rejects.toThrow(
      /the master key does not open this database's data key/,
    );
  });

  it("is made as a 0600 file, never over an existing one, and a file others may read is refused", () => {
    const file = join(dir, "master.key");
    initMasterKeyFile(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, "utf8").trim(), "base64")).toHaveLength(32);
    const before = readFileSync(file, "utf8");
    expect(() => initMasterKeyFile(file)).toThrow(/exists already/);
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(readMasterKeyFile(file)).toBeInstanceOf(LocalMasterKey);
    chmodSync(file, 0o644);
    expect(() => readMasterKeyFile(file)).toThrow(/may be read by others/);
  });

  it("from the environment must be the base64 of 32 bytes", () => {
    expect(findMasterKey({ text: randomBytes(32).toString("base64") })).toBeInstanceOf(LocalMasterKey);
    expect(() => findMasterKey({ text: "short" })).toThrow(/base64 of 32 random bytes/);
    const bad = join(dir, "bad.key");
    writeFileSync(bad, "not a key\n", { mode: 0o600 });
    expect(() => findMasterKey({ file: bad })).toThrow(/base64 of 32 random bytes/);
  });

  it("is required for a PostgreSQL database and an embedded one on disk", async () => {
    await expect(openStore({ databaseUrl: "postgres://postgres@127.0.0.1:1/none" })).rejects.toThrow(
      MasterKeyMissing,
    );
    await expect(openStore({ dataDir: join(dir, "db") })).rejects.toThrow(/No master key/);
  });
});
