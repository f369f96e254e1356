import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { computePublicTotals, parseLeafEntry } from "@armsledger/core";
import { hashEntryBundle } from "@armsledger/ledger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  canonicalJson,
  decodeEntryBundle,
  encodeBase64,
  encodeEntryBundle,
} from "../../../ledger/src/index.ts";
import {
  buildLog,
  type LogFiles,
  logKey,
  otherLogKey,
  signCheckpoint,
  witnessKeys,
} from "../../../ledger/test/verify/support.ts";
import { type Audit, HashPool, type RunVerifyOptions, runVerify } from "../../src/verify/index.ts";

// ---------------------------------------------------------------------------------------------
// An ArmsLedger log: canonical leaves of the public parts of real event shapes.

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const GROUP = uuid(0x10);
const SITE = uuid(0x20);

function leafText(index: number, type: string, data: Record<string, unknown>, personal = true): string {
  return canonicalJson({
    v: 1,
    index,
    type,
    at: `2025-03-01T10:${String(Math.floor(index / 60) % 60).padStart(2, "0")}:00.000Z`,
    actor: uuid(0xacc0),
    command: uuid(0x100000 + index),
    data,
    ...(personal ? { personal: "ab".repeat(32) } : {}),
  });
}

function armsLedgerEntries(n: number): Uint8Array[] {
  const texts: string[] = [
    leafText(0, "group.registered", { groupId: GROUP, code: "GRP-NORTH", name: { ar: "لواء", en: "North" } }),
    leafText(
      1,
      "site.registered",
      {
        siteId: SITE,
        code: "BG-01",
        kind: "collection",
        governorate: "IQ-BG",
        name: { ar: "م", en: "Site" },
      },
      false,
    ),
  ];
  for (let i = 2; i < n; i++) {
    if (i % 3 !== 0) {
      texts.push(
        leafText(i, "person.registered", {
          siteId: SITE,
          kind: "combatant",
          sex: i % 2 === 0 ? "male" : "female",
          governorate: i % 5 === 0 ? "IQ-NI" : "IQ-BG",
          groupId: GROUP,
          listedByGroup: true,
          registeredOn: "2025-02-01",
          ageGroup: i % 50 === 1 ? "child" : "adult",
        }),
      );
    } else {
      texts.push(
        leafText(i, "handover.recorded", {
          handoverId: uuid(0x200000 + i),
          receiptNumber: `R-${i}`,
          siteId: SITE,
          handedAt: "2025-03-01T09:30:00+03:00",
          fromKind: "person",
          groupId: GROUP,
          governorate: "IQ-BG",
          receivingOfficer: uuid(0xacc0),
          weapons: [
            {
              itemId: uuid(0x300000 + i),
              tag: `W-${i}`,
              category: "rifle",
              type: "AK-47",
              serviceable: i % 2 === 0,
              condition: "good",
            },
          ],
          ammunition: [
            {
              lotId: uuid(0x400000 + i),
              tag: `A-${i}`,
              kind: "cartridge",
              calibreOrType: "7.62x39mm",
              quantity: 30,
              unit: "rounds",
            },
          ],
          eligibility: { status: "eligible", reasons: ["eligible_weapon"] },
        }),
      );
    }
  }
  return texts.map((t) => new TextEncoder().encode(t));
}

const SIZE = 600;
const entries = armsLedgerEntries(SIZE);
const expectedTotals = computePublicTotals(entries.map((e) => parseLeafEntry(e)));
const good = buildLog(entries, { cosigners: [0, 1] }).files;

// ---------------------------------------------------------------------------------------------
// Serving a log: a directory in the exact C2SP layout, and HTTP under /log/.

let scratch: string;
let server: Server;
let baseUrl: string;
/** What the HTTP server serves now (tests swap it). */
let served: LogFiles = good;

async function writeDir(files: LogFiles): Promise<string> {
  const dir = await mkdtemp(join(scratch, "log-"));
  for (const [path, data] of files) {
    const file = join(dir, ...path.split("/"));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, data);
  }
  return dir;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "armsledger-verify-"));
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const data = path.startsWith("/log/") ? served.get(path.slice("/log/".length)) : undefined;
    if (!data) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream" }).end(Buffer.from(data));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/log/`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(scratch, { recursive: true, force: true });
});

class Capture extends Writable {
  text = "";
  isTTY = false;
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

async function verify(
  source: string,
  extra: Partial<RunVerifyOptions> = {},
): Promise<{ code: number; out: string; err: string }> {
  const out = new Capture();
  const err = new Capture();
  const code = await runVerify({
    source,
    logKey: logKey.verifierKey,
    witnessKeys: [],
    json: false,
    out,
    err,
    ...extra,
  });
  return { code, out: out.text, err: err.text };
}

async function audit(
  source: string,
  extra: Partial<RunVerifyOptions> = {},
): Promise<{ code: number; audit: Audit }> {
  const { code, out } = await verify(source, { ...extra, json: true });
  return { code, audit: JSON.parse(out) as Audit };
}

/** Runs the same check on a directory and over HTTP; both must agree. */
async function both(files: LogFiles, extra: Partial<RunVerifyOptions> = {}) {
  const dir = await writeDir(files);
  served = files;
  const fromDir = await audit(dir, extra);
  const fromUrl = await audit(baseUrl, extra);
  served = good;
  expect({ ...fromUrl.audit, source: "" }).toEqual({ ...fromDir.audit, source: "" });
  expect(fromUrl.code).toBe(fromDir.code);
  return fromDir;
}

function copy(files: LogFiles): LogFiles {
  return new Map([...files].map(([k, v]) => [k, v.slice()]));
}

function editBundle(files: LogFiles, path: string, change: (es: Uint8Array[]) => Uint8Array[]) {
  files.set(path, encodeEntryBundle(change(decodeEntryBundle(files.get(path)!))));
}

// ---------------------------------------------------------------------------------------------

describe("armsledger verify", () => {
  it("verifies a faithful log from a directory and over HTTP, with the public totals", async () => {
    const { code, audit: a } = await both(good, {
      witnessKeys: witnessKeys.map((w) => w.verifierKey),
      quorum: 2,
    });
    expect(code).toBe(0);
    expect(a.ok).toBe(true);
    expect(a.problems).toEqual([]);
    expect(a.entries).toBe(SIZE);
    expect(a.checkpoint?.size).toBe(SIZE);
    expect(a.quorumMet).toBe(true);
    expect(a.signatures.witnesses.filter((w) => w.verified)).toHaveLength(2);
    expect(a.totals).toEqual(expectedTotals);
    expect(a.totals.persons.registered).toBe(399);
    expect(a.totals.handovers.count).toBe(199);
    expect(a.totals.weapons).toMatchObject({ total: 199, serviceable: 99, unserviceable: 100 });
    expect(a.totals.ammunition.rounds).toEqual({ total: 199 * 30, byCalibreOrType: { "7.62x39mm": 5970 } });
  });

  it("prints a report a person can read", async () => {
    const { code, out } = await verify(await writeDir(good), {
      witnessKeys: [witnessKeys[0]!.verifierKey, witnessKeys[2]!.verifierKey],
      quorum: 1,
    });
    expect(code).toBe(0);
    expect(out).toContain("Checkpoint   test.armsledger.example/log, size 600, root ");
    expect(out).toContain("Log key      signature verified");
    expect(out).toContain("Witnesses    1 of 2 cosigned; quorum 1 met");
    expect(out).toMatch(/NO {2}witness-c\.example\+[0-9a-f]{8}: no cosignature/);
    expect(out).toContain("Entries      600 read and re-hashed");
    expect(out).toContain("VERIFIED: the signatures, every entry, every tile and the root hold.");
    expect(out).toContain("Public totals, recomputed from the verified entries:");
    expect(out).toMatch(/Persons registered\s+399/);
    expect(out).toMatch(/by group\s+GRP-NORTH 399/);
    expect(out).toMatch(/Weapons\s+199 \(99 serviceable, 100 not\)/);
    expect(out).toMatch(/rounds by calibre\s+7\.62x39mm 5,970/);
  });

  it("hashes in worker threads with the same result", async () => {
    const dir = await writeDir(good);
    const inline = await audit(dir, { workers: 0 });
    const pooled = await audit(dir, { workers: 2 });
    expect(pooled).toEqual(inline);
    expect(pooled.code).toBe(0);
  });

  it("draws a progress bar only on a terminal", async () => {
    const dir = await writeDir(good);
    const tty = new Capture();
    tty.isTTY = true;
    await runVerify({
      source: dir,
      logKey: logKey.verifierKey,
      witnessKeys: [],
      json: true,
      out: new Capture(),
      err: tty,
    });
    expect(tty.text).toContain("\rVerifying [");
    expect(tty.text).toContain("600 / 600 entries (100%)");
    const { err } = await verify(dir);
    expect(err).toBe("");
  });

  it("an entry byte changed: located at its leaf", async () => {
    const files = copy(good);
    editBundle(files, "tile/entries/001", (es) => {
      const e = es[44]!;
      const at = new TextDecoder().decode(e).indexOf("IQ-BG");
      e[at + 3] = "N".charCodeAt(0); // IQ-BG → IQ-NG: still canonical JSON
      return es;
    });
    const { code, audit: a } = await both(files);
    expect(code).toBe(1);
    expect(a.ok).toBe(false);
    expect(a.problems).toContainEqual(
      expect.objectContaining({ kind: "leaf-mismatch", index: 300, tile: "tile/0/001" }),
    );
    expect(a.problems.map((p) => p.kind)).toContain("root-mismatch");
  });

  it("an entry removed", async () => {
    const files = copy(good);
    editBundle(files, "tile/entries/000", (es) => es.filter((_, i) => i !== 77));
    const { code, audit: a } = await both(files);
    expect(code).toBe(1);
    expect(a.problems).toContainEqual(
      expect.objectContaining({ kind: "leaf-mismatch", index: 77, tile: "tile/0/000" }),
    );
    expect(a.problems).toContainEqual(
      expect.objectContaining({ kind: "entries-malformed", tile: "tile/entries/000" }),
    );
    // The entries after the gap now sit at the wrong leaf: their own index says so.
    expect(a.problems).toContainEqual(
      expect.objectContaining({
        kind: "entry-index-mismatch",
        index: 77,
        detail: "the entry at leaf 77 says it is leaf 78",
      }),
    );
  });

  it("two entries swapped", async () => {
    const files = copy(good);
    editBundle(files, "tile/entries/002.p/88", (es) => {
      [es[3], es[40]] = [es[40]!, es[3]!];
      return es;
    });
    const { code, audit: a } = await both(files);
    expect(code).toBe(1);
    const leaf = a.problems.find((p) => p.kind === "leaf-mismatch")!;
    expect(leaf).toMatchObject({ index: 515, tile: "tile/0/002.p/88" });
    expect(leaf.detail).toContain("515, 552");
    expect(a.problems).toContainEqual(expect.objectContaining({ kind: "entry-index-mismatch", index: 552 }));
  });

  it("a tile byte changed", async () => {
    const files = copy(good);
    const tile = files.get("tile/0/001")!;
    tile[32 * 9] = tile[32 * 9]! ^ 0x80;
    const { code, audit: a } = await both(files);
    expect(code).toBe(1);
    expect(a.problems).toEqual([
      expect.objectContaining({ kind: "leaf-mismatch", index: 265, tile: "tile/0/001" }),
    ]);
  });

  it("a checkpoint re-signed with another key", async () => {
    const files = copy(good);
    const text = new TextDecoder().decode(good.get("checkpoint")!).split("\n\n")[0]!;
    files.set("checkpoint", signCheckpoint(`${text}\n`, { signerKey: otherLogKey.signerKey }));
    const { code, audit: a } = await both(files);
    expect(code).toBe(1);
    expect(a.signatures.log).toBe(false);
    expect(a.problems).toEqual([
      expect.objectContaining({ kind: "checkpoint-signature", tile: "checkpoint" }),
    ]);
  });

  it("a checkpoint whose root does not match", async () => {
    const files = buildLog(entries, { rootOverride: new Uint8Array(32).fill(9) }).files;
    const { code, audit: a } = await both(files);
    expect(code).toBe(1);
    expect(a.signatures.log).toBe(true);
    expect(a.problems).toEqual([expect.objectContaining({ kind: "root-mismatch", tile: "checkpoint" })]);
    expect(a.computedRoot).toBe(a.problems[0]!.detail.split("the entries give ")[1]);
    expect(a.checkpoint?.root).toBe(encodeBase64(new Uint8Array(32).fill(9)));
  });

  it("a missing tile", async () => {
    const files = copy(good);
    files.delete("tile/0/002.p/88");
    const { code, audit: a } = await both(files);
    expect(code).toBe(1);
    expect(a.problems).toEqual([expect.objectContaining({ kind: "tile-missing", tile: "tile/0/002.p/88" })]);
  });

  it("witnesses short of the quorum", async () => {
    const { code, audit: a } = await both(good, { witnessKeys: witnessKeys.map((w) => w.verifierKey) });
    expect(code).toBe(1);
    expect(a.quorumMet).toBe(false);
    expect(a.problems).toEqual([expect.objectContaining({ kind: "quorum-not-met" })]);
  });

  it("an entry that is not canonical JSON, in a log whose tree is otherwise sound", async () => {
    const texts = entries.map((e) => new TextDecoder().decode(e));
    texts[5] = texts[5]!.replace('{"actor"', '{ "actor"');
    const files = buildLog(texts.map((t) => new TextEncoder().encode(t))).files;
    const { code, audit: a } = await both(files);
    expect(code).toBe(1);
    expect(a.problems).toEqual([
      expect.objectContaining({
        kind: "entry-invalid",
        index: 5,
        tile: "tile/entries/000",
        detail: expect.stringMatching(/canonical/),
      }),
    ]);
    expect(a.totals.entries).toBe(SIZE - 1);
  });

  it("an unreachable log and bad arguments", async () => {
    const gone = await audit(join(scratch, "no-such-dir"));
    expect(gone.code).toBe(1);
    expect(gone.audit.problems).toEqual([expect.objectContaining({ kind: "checkpoint-unavailable" })]);

    const refused = await audit("http://127.0.0.1:9/log/");
    expect(refused.code).toBe(1);
    expect(refused.audit.problems[0]).toMatchObject({
      kind: "checkpoint-unavailable",
      detail: expect.stringMatching(/failed/),
    });

    const badKey = await verify(baseUrl, { logKey: "not a key" });
    expect(badKey.code).toBe(2);
    expect(badKey.err).toMatch(/^armsledger verify: /);
    const badQuorum = await verify(baseUrl, { witnessKeys: [witnessKeys[0]!.verifierKey], quorum: 3 });
    expect(badQuorum.code).toBe(2);
  });
});

describe("HashPool", () => {
  it("answers what hashEntryBundle answers, from worker threads", async () => {
    const pool = new HashPool(2);
    try {
      const bundles = [good.get("tile/entries/000")!, good.get("tile/entries/002.p/88")!];
      const answers = await Promise.all([
        pool.hashBundle(bundles[0]!, 256),
        pool.hashBundle(bundles[1]!, 88),
      ]);
      expect(answers[0]).toEqual(hashEntryBundle(bundles[0]!, 256));
      expect(answers[1]).toEqual(hashEntryBundle(bundles[1]!, 88));
      expect(answers[0]!.leaves).toEqual(good.get("tile/0/000"));
      await expect(pool.hashBundle(bundles[1]!, 256)).rejects.toThrow(/entry bundle/);
    } finally {
      await pool.close();
    }
    await expect(pool.hashBundle(new Uint8Array(2), 1)).rejects.toThrow(/closed/);
  });
});
