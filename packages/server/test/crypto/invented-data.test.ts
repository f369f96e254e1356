import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { inventedDataRandomness } from "../../src/crypto/invented-data.ts";
import type { WriteRandomness } from "../../src/crypto/write-randomness.ts";
import { ledgerHead } from "../../src/log/ledger-head.ts";
import * as t from "../../src/store/schema.ts";
import { executeBatch } from "../../src/write-path/execute.ts";
import { admin, groupPayload, handoverPayload, personPayload, sitePayload } from "../support/fixtures.ts";
import { freshStore } from "../support/store.ts";

// The write path's ids and salts: cryptographic unless the scenario generator (or a test) hands
// in the invented-data source, which makes them a function of a seed and the command id, so that
// the same commands give the same ledger root. Runs on PGlite, or on PostgreSQL with DATABASE_URL.

const stores: Awaited<ReturnType<typeof freshStore>>[] = [];
afterAll(async () => {
  for (const store of stores) await store.dispose();
});

const clock = { now: () => new Date("2026-02-01T12:00:00Z") };
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** The same commands, with the same ids, into a new database: the ledger root, item ids, salts. */
async function record(randomness?: WriteRandomness) {
  const store = await freshStore();
  stores.push(store);
  const person = { ...personPayload(id(101)), personId: id(102) };
  person.nationalId = "199000000001";
  const commands = [
    { commandId: id(1), type: "site.register", payload: { ...sitePayload(), siteId: id(101) } },
    { commandId: id(2), type: "group.register", payload: groupPayload() }, // its id drawn by the write path
    { commandId: id(3), type: "person.register", payload: person },
    { commandId: id(4), type: "handover.record", payload: handoverPayload(id(101), id(102)) },
  ];
  await executeBatch(store, commands, admin, clock, ...(randomness ? [randomness] : []));
  const [weapon] = await store.db.select({ id: t.weaponItems.id }).from(t.weaponItems);
  const salts = (await store.db.select({ salt: t.eventPrivate.salt }).from(t.eventPrivate)).map(
    (r) => r.salt,
  );
  return { head: await ledgerHead(store.db), weapon: weapon!.id, salts };
}

describe("the write path's randomness", () => {
  it("is the same for the same seed with the invented-data source, and only then", async () => {
    const a = await record(inventedDataRandomness("seed A"));
    const b = await record(inventedDataRandomness("seed A"));
    expect(b).toEqual(a);
    expect(a.salts.length).toBeGreaterThan(0);

    const other = await record(inventedDataRandomness("seed B"));
    expect(other.head.root).not.toBe(a.head.root);
    expect(other.weapon).not.toBe(a.weapon);

    // By default (every route, every import): cryptographic, a new weapon id and salt each time.
    const live1 = await record();
    const live2 = await record();
    expect(live1.head.size).toBe(a.head.size);
    expect(live2.weapon).not.toBe(live1.weapon);
    expect(live2.salts).not.toEqual(live1.salts);
    expect(live2.head.root).not.toBe(live1.head.root);
  }, 60_000);

  it("draws per command: the same command gets the same values whatever ran before it", () => {
    const r = inventedDataRandomness("seed A");
    const first = r.forCommand(id(9));
    const firstValues = [first.newId(), first.newId(), first.salt()];
    r.forCommand(id(8)).newId();
    const again = r.forCommand(id(9));
    expect([again.newId(), again.newId(), again.salt()]).toEqual(firstValues);
    expect(firstValues[0]).not.toBe(firstValues[1]);
    expect(firstValues[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("is imported by the scenario generator only, never by a route, an import or the server", () => {
    const root = fileURLToPath(new URL("../../../..", import.meta.url));
    const allowed = new Set([
      "packages/server/src/crypto/write-randomness.ts",
      "packages/server/src/crypto/invented-data.ts",
      "packages/cli/src/seed/scenario/run.ts",
    ]);
    const users: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== "node_modules" && entry.name !== "test" && entry.name !== "dist") walk(path);
        } else if (/\.(ts|tsx|js)$/.test(entry.name)) {
          const text = readFileSync(path, "utf8");
          if (/invented-data|inventedDataRandomness/.test(text)) users.push(relative(root, path));
        }
      }
    };
    for (const dir of ["packages", "bench/src"]) walk(join(root, dir));
    expect(users.filter((u) => !allowed.has(u))).toEqual([]);
    expect(users).toContain("packages/cli/src/seed/scenario/run.ts");
  });
});
