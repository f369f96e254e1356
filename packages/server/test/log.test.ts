import { randomBytes } from "node:crypto";
import {
  decodeBase64,
  decodeEntryBundle,
  fromHex,
  generateKey,
  leafHash,
  openCheckpoint,
  opensCommitment,
  parseSignerKey,
  parseVerifierKey,
  TileReader,
  tilePath,
  verifyConsistency,
  verifyInclusion,
  verifyTlogProof,
} from "@armsledger/ledger";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/http/app.ts";
import { integrate } from "../src/log/checkpointer.ts";
import { executeCommand } from "../src/write-path/execute.ts";
import {
  admin,
  command,
  groupPayload,
  handoverPayload,
  personPayload,
  rifle,
  sitePayload,
} from "./support/fixtures.ts";
import { freshStore } from "./support/store.ts";

const origin = "test.armsledger.local/log";
const keys = generateKey(origin, new Uint8Array(randomBytes(32)));
const signer = parseSignerKey(keys.signerKey);
const verifier = parseVerifierKey(keys.verifierKey);

let store: Awaited<ReturnType<typeof freshStore>>;
let app: Awaited<ReturnType<typeof buildApp>>;
let siteId: string;
let personId: string;
let receipt: { number: string; index: number; leafHash: string };

const get = (url: string) => app.inject({ method: "GET", url });
const fetchTile = async (path: string) => new Uint8Array((await get(`/log/${path}`)).rawPayload);

beforeAll(async () => {
  store = await freshStore();
  app = await buildApp({ store });
  siteId = (await executeCommand(store, command("site.register", sitePayload()), admin)).data
    .siteId as string;
  const groupId = (await executeCommand(store, command("group.register", groupPayload()), admin)).data
    .groupId as string;
  personId = (await executeCommand(store, command("person.register", personPayload(siteId, groupId)), admin))
    .data.personId as string;
  const h = await executeCommand(store, command("handover.record", handoverPayload(siteId, personId)), admin);
  receipt = { number: h.data.receiptNumber as string, index: h.leafIndex, leafHash: h.leafHash };
});
afterAll(async () => {
  await app.close();
  await store.dispose();
});

describe("checkpoints and tiles", () => {
  let firstSize = 0;
  let firstRoot: Uint8Array;

  it("signs a checkpoint that verifies with the log's public key", async () => {
    const issued = await integrate(store, { signer });
    expect(issued?.size).toBe(4);
    const body = (await get("/log/checkpoint")).body;
    const opened = openCheckpoint(body, origin, verifier);
    expect(opened.checkpoint.size).toBe(4n);
    firstSize = 4;
    firstRoot = opened.checkpoint.rootHash;
    expect(await integrate(store, { signer })).toBeUndefined();
  });

  it("serves entry bundles whose entries hash to the leaves", async () => {
    const bundle = decodeEntryBundle(await fetchTile("tile/entries/000.p/4"), 4);
    const rows = await store.db.execute(sql`select leaf_hash from events order by seq`);
    const stored = (rows as unknown as { rows: { leaf_hash: string }[] }).rows.map((r) => r.leaf_hash);
    expect(bundle.map((e) => Buffer.from(leafHash(e)).toString("hex"))).toEqual(stored);
    expect((await get("/log/tile/entries/000.p/5")).statusCode).toBe(404);
    expect((await get("/log/tile/0/001")).statusCode).toBe(404);
    expect((await get("/log/tile/0/0001")).statusCode).toBe(404);
  });

  it("grows past full tiles, and every proof from its tiles verifies", async () => {
    for (let i = 0; i < 300; i++)
      await executeCommand(
        store,
        command("handover.record", handoverPayload(siteId, personId, [rifle(`SN-${i}`)])),
        admin,
      );
    await integrate(store, { signer });
    const opened = openCheckpoint((await get("/log/checkpoint")).body, origin, verifier);
    const size = Number(opened.checkpoint.size);
    expect(size).toBe(304);
    const full = await get("/log/tile/0/000");
    expect(full.statusCode).toBe(200);
    expect(full.headers["cache-control"]).toContain("immutable");
    const tiles = new Map<string, Uint8Array>();
    for (const path of ["tile/0/000", "tile/0/001.p/48", "tile/1/000.p/1"])
      tiles.set(path, await fetchTile(path));
    const reader = new TileReader(size, (_tile, path) => tiles.get(path)!);
    expect(Buffer.from(reader.root()).equals(Buffer.from(opened.checkpoint.rootHash))).toBe(true);

    for (const index of [0, 3, 255, 256, 303]) {
      const answer = (await get(`/api/v1/ledger/inclusion?index=${index}`)).json();
      expect(
        verifyInclusion(
          decodeBase64(answer.leafHash),
          index,
          size,
          answer.proof.map(decodeBase64),
          opened.checkpoint.rootHash,
        ),
      ).toBe(true);
    }
    const consistency = (await get(`/api/v1/ledger/consistency?from=${firstSize}`)).json();
    expect(
      verifyConsistency(
        firstSize,
        size,
        firstRoot,
        opened.checkpoint.rootHash,
        consistency.proof.map(decodeBase64),
      ),
    ).toBe(true);
    expect(tilePath({ level: 1, index: 0, width: 1 })).toBe("tile/1/000.p/1");
  });

  it("gives a fighter's receipt a portable proof that verifies offline", async () => {
    const r = await get(`/api/v1/receipts/${receipt.number}/proof`);
    expect(r.statusCode).toBe(200);
    const result = verifyTlogProof(r.body, Buffer.from(receipt.leafHash, "hex"), origin, verifier);
    expect(result.index).toBe(receipt.index);
    const other = generateKey(origin, new Uint8Array(randomBytes(32)));
    expect(() =>
      verifyTlogProof(
        r.body,
        Buffer.from(receipt.leafHash, "hex"),
        origin,
        parseVerifierKey(other.verifierKey),
      ),
    ).toThrow();
    expect(() => verifyTlogProof(r.body, new Uint8Array(32), origin, verifier)).toThrow(/not at index/);
    expect((await get("/api/v1/receipts/R-0000003-0/proof")).statusCode).toBe(400);
  });

  it("opens one leaf to an auditor, and the opening checks against the leaf's commitment", async () => {
    const { createUser } = await import("../src/access/accounts.ts");
    await createUser(store, {
      username: "auditor-admin",
      displayName: "A",
      password: "a long enough password",
      role: "admin",
    });
    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: "auditor-admin", password: "a long enough password" },
    });
    const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
    const opening = (
      await app.inject({ method: "GET", url: "/api/v1/ledger/leaves/2/opening", headers: { cookie } })
    ).json();
    const leaf = JSON.parse(opening.entry);
    expect(leaf.type).toBe("person.registered");
    expect(opensCommitment(fromHex(leaf.personal), fromHex(opening.salt), opening.personal)).toBe(true);
    expect(opening.personal.name.arabic.given).toBe("محمد");
    expect((await get("/api/v1/ledger/leaves/2/opening")).statusCode).toBe(401);
  });

  it("refuses to rewrite a full tile or a checkpoint", async () => {
    const cause = (e: unknown) => String((e as { cause?: { message?: string } }).cause?.message);
    for (const statement of [
      sql`update log_tiles set data = data where level = 0 and idx = 0`,
      sql`delete from log_tiles where level = 0 and idx = 0`,
      sql`update checkpoints set note = 'x'`,
      sql`delete from checkpoints`,
    ])
      expect(cause(await store.db.execute(statement).catch((e) => e))).toMatch(/append-only/);
  });
});
