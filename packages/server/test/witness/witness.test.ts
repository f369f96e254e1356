import { readdir, readFile } from "node:fs/promises";
import {
  generateKey,
  openNote,
  parseCosignerVerifierKey,
  parseSignerKey,
  verifyCosignature,
} from "@armsledger/ledger";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { createWitnessApp, generateWitnessKey, type WitnessAppOptions } from "../../src/witness/index.ts";
import { addBody, join, signedCheckpoint, TestLog, tempDir } from "./helpers.ts";

const witnessKey = generateWitnessKey("witness.example/w1");
const witnessVerifier = parseCosignerVerifierKey(witnessKey.verifierKeyText);

const apps: FastifyInstance[] = [];
afterEach(async () => {
  while (apps.length > 0) await apps.pop()!.close();
});

async function witness(
  logs: readonly TestLog[],
  stateDir?: string,
  extra: Partial<WitnessAppOptions> = {},
): Promise<{ app: FastifyInstance; stateDir: string }> {
  const dir = stateDir ?? (await tempDir());
  const app = await createWitnessApp({
    signerKeyText: witnessKey.signerKeyText,
    stateDir: dir,
    logs: logs.map((l) => ({ origin: l.origin, verifierKeyText: l.verifierKey })),
    ...extra,
  });
  apps.push(app);
  return { app, stateDir: dir };
}

async function post(app: FastifyInstance, body: string | Buffer, url = "/add-checkpoint") {
  return app.inject({ method: "POST", url, payload: body, headers: { "content-type": "text/plain" } });
}

/** Checks a 200 answer is one valid cosignature by the witness on the checkpoint. */
function expectCosigned(
  response: { statusCode: number; body: string; headers: Record<string, unknown> },
  note: string,
) {
  expect(response.statusCode, response.body).toBe(200);
  expect(String(response.headers["content-type"])).toMatch(/^text\/plain/);
  expect(response.body).toMatch(/^\u2014 witness\.example\/w1 [A-Za-z0-9+/=]+\n$/);
  const text = note.slice(0, note.lastIndexOf("\n\n") + 1);
  const opened = openNote(`${text}\n${response.body}`, [witnessVerifier]);
  expect(opened.verifiedSignatures).toHaveLength(1);
  return opened;
}

describe("C2SP tlog-witness add-checkpoint", () => {
  it("cosigns the first checkpoint with old 0 and no proof, at the witness's clock", async () => {
    const log = new TestLog().grow(5);
    const { app } = await witness([log], undefined, { now: () => 1_700_000_000 });
    const note = log.checkpoint();
    const response = await post(app, addBody(0, [], note));
    expectCosigned(response, note);
    const line = response.body.slice(0, -1);
    const payload = Buffer.from(line.split(" ")[2]!, "base64");
    expect(payload.readBigUInt64BE(4)).toBe(1_700_000_000n);
    expect(verifyCosignature).toBeTypeOf("function");
  });

  it("accepts growth with a valid consistency proof, and records the new size", async () => {
    const log = new TestLog().grow(3);
    const { app } = await witness([log]);
    expectCosigned(await post(app, addBody(0, [], log.checkpoint())), log.checkpoint());
    for (const [from, add] of [
      [3, 1],
      [4, 4],
      [8, 13],
      [21, 100],
    ] as const) {
      log.grow(add);
      const note = log.checkpoint();
      expectCosigned(await post(app, addBody(from, log.proof(from), note)), note);
    }
    // The witness now holds 121: a request from 21 is stale.
    const stale = await post(app, addBody(21, log.proof(21), log.checkpoint()));
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toBe("121\n");
  });

  it("answers 409 text/x.tlog.size with its size when old does not match", async () => {
    const log = new TestLog().grow(10);
    const { app } = await witness([log]);
    expectCosigned(await post(app, addBody(0, [], log.checkpoint(4))), log.checkpoint(4));
    const tooOld = await post(app, addBody(0, [], log.checkpoint()));
    expect(tooOld.statusCode).toBe(409);
    expect(tooOld.headers["content-type"]).toBe("text/x.tlog.size");
    expect(tooOld.body).toBe("4\n");
    const wrong = await post(app, addBody(2, log.proof(2), log.checkpoint()));
    expect(wrong.statusCode).toBe(409);
    expect(wrong.body).toBe("4\n");
    expectCosigned(await post(app, addBody(4, log.proof(4), log.checkpoint())), log.checkpoint());
  });

  it("answers 422 for a wrong consistency proof, cosigns nothing and keeps evidence", async () => {
    const log = new TestLog().grow(6);
    const { app, stateDir } = await witness([log]);
    expectCosigned(await post(app, addBody(0, [], log.checkpoint())), log.checkpoint());
    log.grow(7);
    const good = log.proof(6);
    const bad = good.map((h, i) => (i === 0 ? new Uint8Array(h).map((b, j) => (j === 0 ? b ^ 1 : b)) : h));
    for (const proof of [bad, good.slice(1), [...good, good[0]!], []]) {
      const response = await post(app, addBody(6, proof, log.checkpoint()));
      expect(response.statusCode, response.body).toBe(422);
    }
    // State unchanged: still 6.
    const again = await post(app, addBody(0, [], log.checkpoint()));
    expect(again.body).toBe("6\n");
    const evidence = await readdir(join(stateDir, "evidence"));
    expect(evidence.filter((f) => f.startsWith("inconsistent-proof-"))).toHaveLength(4);
    expectCosigned(await post(app, addBody(6, good, log.checkpoint())), log.checkpoint());
  });

  it("refuses the same size with another root (split view, 409 per spec) and saves the evidence once", async () => {
    const log = new TestLog().grow(8);
    const fork = new TestLog(log.origin, "fork ").grow(9); // other entries, same origin
    const forkNote = signedCheckpoint(log.origin, 8, fork.tree.root(8), [log.signer]);
    const { app, stateDir } = await witness([log], undefined, { now: () => 1_800_000_000 });
    const honest = log.checkpoint();
    expectCosigned(await post(app, addBody(0, [], honest)), honest);
    const split = await post(app, addBody(8, [], forkNote));
    expect(split.statusCode).toBe(409);
    expect(split.headers["content-type"]).toBe("text/x.tlog.size");
    expect(split.body).toBe("8\n");
    await post(app, addBody(8, [], forkNote)); // the same again: one file, never overwritten
    const files = (await readdir(join(stateDir, "evidence"))).filter((f) => f.endsWith(".json"));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^root-mismatch-[0-9a-f]{32}\.json$/);
    const evidence = JSON.parse(await readFile(join(stateDir, "evidence", files[0]!), "utf8"));
    expect(evidence.kind).toBe("root-mismatch");
    expect(evidence.origin).toBe(log.origin);
    expect(evidence.cosigned.checkpoint).toBe(honest);
    expect(evidence.submitted.checkpoint).toBe(forkNote);
    expect(evidence.submitted.oldSize).toBe("8");
    expect(evidence.submitted.consistencyProof).toEqual([]);
    expect(Number.isNaN(Date.parse(evidence.observedAt))).toBe(false);
    // The same checkpoint again is fine: cosigned again.
    expectCosigned(await post(app, addBody(8, [], honest)), honest);
  });

  it("answers 404 for an unknown origin and 403 for a checkpoint without a valid trusted signature", async () => {
    const log = new TestLog().grow(2);
    const stranger = new TestLog().grow(2);
    const { app } = await witness([log]);
    expect((await post(app, addBody(0, [], stranger.checkpoint()))).statusCode).toBe(404);

    // Signed by another key under the log's name: unknown key id, so no trusted signature.
    const impostor = parseSignerKey(generateKey(log.origin, new Uint8Array(32).fill(7)).signerKey);
    expect((await post(app, addBody(0, [], log.checkpoint(2, [impostor])))).statusCode).toBe(403);

    // The log's key line with a corrupted signature: a known key's signature fails.
    const note = log.checkpoint();
    const lines = note.split("\n");
    const sigLine = lines.at(-2)!;
    const raw = Buffer.from(sigLine.split(" ")[2]!, "base64");
    raw[10] = raw[10]! ^ 0xff;
    lines[lines.length - 2] = `${sigLine.split(" ").slice(0, 2).join(" ")} ${raw.toString("base64")}`;
    expect((await post(app, addBody(0, [], lines.join("\n")))).statusCode).toBe(403);

    // A valid signature plus an unknown one is fine (unknown signatures are ignored).
    const both = log.checkpoint(2, [log.signer, impostor]);
    expectCosigned(await post(app, addBody(0, [], both)), both);
  });

  it("answers 400 for malformed requests and old sizes above the checkpoint", async () => {
    const log = new TestLog().grow(4);
    const { app } = await witness([log]);
    const note = log.checkpoint();
    const hash = Buffer.alloc(32).toString("base64");
    const cases = [
      "",
      note,
      `old 0\n${note}`,
      `old 00\n\n${note}`,
      `old -1\n\n${note}`,
      `old 1 \n\n${note}`,
      `Old 0\n\n${note}`,
      `old 18446744073709551616\n\n${note}`,
      `old 0\n${hash}\n\n${note}`, // a proof with old 0
      `old 2\n${hash.slice(0, -1)}\n\n${note}`, // not canonical base64
      `old 2\n${Buffer.alloc(31).toString("base64")}\n\n${note}`,
      `old 2\n${`${hash}\n`.repeat(64)}\n${note}`, // more than 63 lines
      `old 5\n\n${note}`, // old above the checkpoint size
      `old 0\n\n${note.replace("\n\n", "\n")}`, // no signature block
      `old 0\n\n${log.origin}\n4\nnot-base64\n\n${note.split("\n\n")[1]}`,
    ];
    for (const body of cases) {
      const response = await post(app, body);
      expect([400, 403], JSON.stringify(body.slice(0, 40))).toContain(response.statusCode);
    }
    expect(
      (await post(app, Buffer.from([0x6f, 0x6c, 0x64, 0x20, 0x30, 0x0a, 0x0a, 0xff, 0xfe]))).statusCode,
    ).toBe(400);
    // Status codes exactly where the spec names them.
    expect((await post(app, `old 5\n\n${note}`)).statusCode).toBe(400);
    expect((await post(app, `old 0\n${hash}\n\n${note}`)).statusCode).toBe(400);
  });

  it("limits the body size, takes any content type, and answers 405 to other methods", async () => {
    const log = new TestLog().grow(1);
    const { app } = await witness([log], undefined, { bodyLimit: 4096 });
    const big = await post(app, `old 0\n\n${"x".repeat(5000)}`);
    expect(big.statusCode).toBe(413);
    const note = log.checkpoint();
    const untyped = await app.inject({
      method: "POST",
      url: "/add-checkpoint",
      payload: addBody(0, [], note),
    });
    expectCosigned(untyped, note);
    const get = await app.inject({ method: "GET", url: "/add-checkpoint" });
    expect(get.statusCode).toBe(405);
    expect(get.headers.allow).toBe("POST");
  });

  it("serves under a submission prefix", async () => {
    const log = new TestLog().grow(1);
    const { app } = await witness([log], undefined, { prefix: "/witness/v1" });
    expect((await post(app, addBody(0, [], log.checkpoint()))).statusCode).toBe(404);
    expectCosigned(
      await post(app, addBody(0, [], log.checkpoint()), "/witness/v1/add-checkpoint"),
      log.checkpoint(),
    );
  });

  it("never answers 5xx to random bodies (fast-check)", async () => {
    const log = new TestLog().grow(7);
    const { app } = await witness([log]);
    const note = log.checkpoint();
    const valid = addBody(0, [], note);
    const body = fc.oneof(
      fc.string({ unit: "binary", maxLength: 400 }),
      fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
      // Mutations of a valid request: delete, insert or replace a few characters.
      fc
        .tuple(fc.nat(valid.length), fc.nat(8), fc.string({ unit: "binary", maxLength: 8 }))
        .map(([at, cut, insert]) => valid.slice(0, at) + insert + valid.slice(at + cut)),
      fc
        .tuple(
          fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
          fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 70 }),
        )
        .map(([old, proof]) => addBody(old, proof, note)),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const response = await post(app, payload);
        expect(response.statusCode).toBeLessThan(500);
        expect([200, 400, 403, 404, 409, 413, 422]).toContain(response.statusCode);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps its state across a restart on the same directory, and locks the directory", async () => {
    const log = new TestLog().grow(11);
    const first = await witness([log]);
    expectCosigned(await post(first.app, addBody(0, [], log.checkpoint(5))), log.checkpoint(5));
    await expect(
      createWitnessApp({
        signerKeyText: witnessKey.signerKeyText,
        stateDir: first.stateDir,
        logs: [{ origin: log.origin, verifierKeyText: log.verifierKey }],
      }),
    ).rejects.toThrow(/in use/);
    await first.app.close();
    apps.splice(apps.indexOf(first.app), 1);

    const second = await witness([log], first.stateDir);
    const stale = await post(second.app, addBody(0, [], log.checkpoint()));
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toBe("5\n");
    expectCosigned(await post(second.app, addBody(5, log.proof(5), log.checkpoint())), log.checkpoint());
    const files = await readdir(join(first.stateDir, "logs"));
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(files).toHaveLength(1);
    const saved = JSON.parse(await readFile(join(first.stateDir, "logs", files[0]!), "utf8"));
    expect(saved).toMatchObject({ origin: log.origin, size: "11", checkpoint: log.checkpoint() });
  });

  it("lets only one of many concurrent requests from the same old size succeed", async () => {
    const log = new TestLog().grow(40);
    const { app } = await witness([log]);
    expectCosigned(await post(app, addBody(0, [], log.checkpoint(10))), log.checkpoint(10));
    const sizes = [11, 15, 20, 25, 30, 33, 40, 12, 16, 39];
    const answers = await Promise.all(
      sizes.map((n) => post(app, addBody(10, log.proof(10, n), log.checkpoint(n)))),
    );
    const ok = answers.filter((a) => a.statusCode === 200);
    expect(ok).toHaveLength(1);
    const winner = sizes[answers.findIndex((a) => a.statusCode === 200)]!;
    for (const a of answers)
      if (a.statusCode !== 200) expect(a).toMatchObject({ statusCode: 409, body: `${winner}\n` });
    // Never rolled back: the recorded size is the winner's.
    expect((await post(app, addBody(0, [], log.checkpoint()))).body).toBe(`${winner}\n`);
  });

  it("never issues cosignature times that go backwards, even if the clock does", async () => {
    const log = new TestLog().grow(3);
    let clock = 2_000_000_000;
    const { app } = await witness([log], undefined, { now: () => clock });
    const time = (body: string) => Buffer.from(body.trim().split(" ")[2]!, "base64").readBigUInt64BE(4);
    const first = await post(app, addBody(0, [], log.checkpoint(2)));
    expect(time(first.body)).toBe(2_000_000_000n);
    clock -= 3600;
    const second = await post(app, addBody(2, log.proof(2, 3), log.checkpoint(3)));
    expect(second.statusCode).toBe(200);
    expect(time(second.body)).toBe(2_000_000_000n);
  });

  it("handles a cosigned empty tree: growth from size 0 needs no proof", async () => {
    const log = new TestLog();
    const { app } = await witness([log]);
    expectCosigned(await post(app, addBody(0, [], log.checkpoint(0))), log.checkpoint(0));
    log.grow(3);
    expectCosigned(await post(app, addBody(0, [], log.checkpoint())), log.checkpoint());
    expect((await post(app, addBody(0, [], log.checkpoint()))).body).toBe("3\n");
  });

  it("follows several logs independently and accepts several keys for one origin", async () => {
    const a = new TestLog().grow(2);
    const b = new TestLog().grow(3);
    const rotated = new TestLog(a.origin);
    const { app } = await witness([a, b, rotated]);
    expectCosigned(await post(app, addBody(0, [], a.checkpoint())), a.checkpoint());
    expectCosigned(await post(app, addBody(0, [], b.checkpoint())), b.checkpoint());
    a.grow(1);
    const byRotated = signedCheckpoint(a.origin, 3, a.tree.root(3), [rotated.signer]);
    expectCosigned(await post(app, addBody(2, a.proof(2), byRotated)), byRotated);
  });
});
