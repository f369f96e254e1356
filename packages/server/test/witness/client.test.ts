import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { cosign, parseCosignerSignerKey } from "@armsledger/ledger";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import {
  addCheckpointToWitness,
  createWitnessApp,
  generateWitnessKey,
  runWitness,
  WitnessInvalidCosignatureError,
  WitnessInvalidResponseError,
  WitnessRefusedError,
  type WitnessStop,
  WitnessUnreachableError,
  writeWitnessKeyFile,
} from "../../src/witness/index.ts";
import { join, signedCheckpoint, TestLog, tempDir } from "./helpers.ts";

const key = generateWitnessKey("witness.example/client-test");
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A real witness listening on 127.0.0.1 with an OS-chosen port. */
async function listeningWitness(logs: readonly TestLog[]): Promise<{ app: FastifyInstance; url: string }> {
  const app = await createWitnessApp({
    signerKeyText: key.signerKeyText,
    stateDir: await tempDir(),
    logs: logs.map((l) => ({ origin: l.origin, verifierKeyText: l.verifierKey })),
  });
  cleanups.push(() => app.close());
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

/** A fake witness answering every request with `status`, `body` and `contentType`. */
async function fakeWitness(status: number, body: string, contentType = "text/plain"): Promise<string> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(status, { "content-type": contentType });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function textOf(note: string): string {
  return note.slice(0, note.lastIndexOf("\n\n") + 1);
}

describe("addCheckpointToWitness over real HTTP", () => {
  it("gets a verified cosignature for the first checkpoint and for growth", async () => {
    const log = new TestLog().grow(4);
    const { url } = await listeningWitness([log]);
    const asked: bigint[] = [];
    const proofFor = async (old: bigint) => {
      asked.push(old);
      return log.proof(Number(old));
    };
    const line = await addCheckpointToWitness({
      url,
      witnessVerifierKeyText: key.verifierKeyText,
      signedCheckpoint: log.checkpoint(),
      oldSize: 0,
      proofFor,
    });
    expect(line).toMatch(/^\u2014 witness\.example\/client-test [A-Za-z0-9+/=]+\n$/);
    log.grow(9);
    const next = await addCheckpointToWitness({
      url: `${url}/add-checkpoint`,
      witnessVerifierKeyText: key.verifierKeyText,
      signedCheckpoint: new TextEncoder().encode(log.checkpoint()),
      oldSize: 4n,
      proofFor,
    });
    expect(next).toMatch(/^\u2014 witness\.example\/client-test /);
    expect(asked).toEqual([4n]);
  });

  it("retries once from the size a 409 reports (stale or wrong old size)", async () => {
    const log = new TestLog().grow(30);
    const { url } = await listeningWitness([log]);
    const proofFor = async (old: bigint) => log.proof(Number(old), 10);
    await addCheckpointToWitness({
      url,
      witnessVerifierKeyText: key.verifierKeyText,
      signedCheckpoint: log.checkpoint(10),
      oldSize: 0,
      proofFor,
    });
    // The log thinks the witness has nothing (old 0): 409 "10", then a proof from 10.
    const asked: bigint[] = [];
    const line = await addCheckpointToWitness({
      url,
      witnessVerifierKeyText: key.verifierKeyText,
      signedCheckpoint: log.checkpoint(20),
      oldSize: 0,
      proofFor: async (old) => {
        asked.push(old);
        return log.proof(Number(old), 20);
      },
    });
    expect(line).toMatch(/^\u2014 /);
    expect(asked).toEqual([10n]);
    // The log believes in a size the witness never saw (25): 409 "20", then a proof from 20.
    const asked2: bigint[] = [];
    await addCheckpointToWitness({
      url,
      witnessVerifierKeyText: key.verifierKeyText,
      signedCheckpoint: log.checkpoint(30),
      oldSize: 25,
      proofFor: async (old) => {
        asked2.push(old);
        return log.proof(Number(old), 30);
      },
    });
    expect(asked2).toEqual([25n, 20n]);
  });

  it("reports refusals with their status: split view (409 at the same size), bad proof (422), unknown log (404)", async () => {
    const log = new TestLog().grow(8);
    const fork = new TestLog(log.origin, "fork ").grow(8);
    const stranger = new TestLog().grow(1);
    const { url } = await listeningWitness([log]);
    const proofFor = async (old: bigint) => log.proof(Number(old));
    await addCheckpointToWitness({
      url,
      witnessVerifierKeyText: key.verifierKeyText,
      signedCheckpoint: log.checkpoint(5),
      oldSize: 0,
      proofFor,
    });
    const forked = signedCheckpoint(log.origin, 5, fork.tree.root(5), [log.signer]);
    const split = addCheckpointToWitness({
      url,
      witnessVerifierKeyText: key.verifierKeyText,
      signedCheckpoint: forked,
      oldSize: 0,
      proofFor,
    });
    await expect(split).rejects.toBeInstanceOf(WitnessRefusedError);
    await expect(split).rejects.toMatchObject({ status: 409, witnessSize: 5n, code: "refused" });

    const badProof = addCheckpointToWitness({
      url,
      witnessVerifierKeyText: key.verifierKeyText,
      signedCheckpoint: log.checkpoint(8),
      oldSize: 5,
      proofFor: async () => fork.proof(5, 8),
    });
    await expect(badProof).rejects.toMatchObject({ status: 422, code: "refused" });

    const unknown = addCheckpointToWitness({
      url,
      witnessVerifierKeyText: key.verifierKeyText,
      signedCheckpoint: stranger.checkpoint(),
      oldSize: 0,
      proofFor,
    });
    await expect(unknown).rejects.toMatchObject({ status: 404 });
  });

  it("rejects a witness answering a bad, foreign or missing cosignature", async () => {
    const log = new TestLog().grow(3);
    const note = log.checkpoint();
    const signer = parseCosignerSignerKey(key.signerKeyText);
    const impostor = parseCosignerSignerKey(
      generateWitnessKey("witness.example/client-test").signerKeyText, // same name, other key
    );
    const otherCheckpoint = textOf(signedCheckpoint(log.origin, 3, new Uint8Array(32), [log.signer]));
    const good = cosign(textOf(note), signer, 1_700_000_000);
    const tampered = good.replace(/[A-Za-z0-9+/]{8}(?==*\n$)/, "AAAAAAAA");
    const bodies: [string, new (...args: never[]) => Error][] = [
      [cosign(otherCheckpoint, signer, 1_700_000_000), WitnessInvalidCosignatureError], // wrong checkpoint
      [tampered, WitnessInvalidCosignatureError],
      [cosign(textOf(note), impostor, 1_700_000_000), WitnessInvalidCosignatureError], // unknown key id: none by ours
      ["", WitnessInvalidResponseError],
      ["ok\n", WitnessInvalidResponseError],
      [good.slice(0, -1), WitnessInvalidResponseError], // no final newline
    ];
    for (const [body, kind] of bodies) {
      const url = await fakeWitness(200, body);
      await expect(
        addCheckpointToWitness({
          url,
          witnessVerifierKeyText: key.verifierKeyText,
          signedCheckpoint: note,
          oldSize: 0,
          proofFor: async () => [],
        }),
        JSON.stringify(body),
      ).rejects.toBeInstanceOf(kind);
    }
    // The genuine line, plus a line from an unknown witness: accepted, and only ours returned.
    const url = await fakeWitness(200, `${cosign(textOf(note), impostor, 1)}${good}`);
    const line = await addCheckpointToWitness({
      url,
      witnessVerifierKeyText: key.verifierKeyText,
      signedCheckpoint: note,
      oldSize: 0,
      proofFor: async () => [],
    });
    expect(line).toBe(good);
  });

  it("rejects a 409 without a text/x.tlog.size body, and does not retry more than once", async () => {
    const log = new TestLog().grow(3);
    const base = {
      witnessVerifierKeyText: key.verifierKeyText,
      signedCheckpoint: log.checkpoint(),
      oldSize: 0,
      proofFor: async (old: bigint) => log.proof(Number(old)),
    };
    const noType = await fakeWitness(409, "2\n", "text/plain");
    await expect(addCheckpointToWitness({ ...base, url: noType })).rejects.toBeInstanceOf(
      WitnessInvalidResponseError,
    );
    const badSize = await fakeWitness(409, "02\n", "text/x.tlog.size");
    await expect(addCheckpointToWitness({ ...base, url: badSize })).rejects.toBeInstanceOf(
      WitnessInvalidResponseError,
    );
    const always = await fakeWitness(409, "2\n", "text/x.tlog.size");
    await expect(addCheckpointToWitness({ ...base, url: always })).rejects.toMatchObject({
      status: 409,
      witnessSize: 2n,
    });
    const ahead = await fakeWitness(409, "9\n", "text/x.tlog.size");
    await expect(addCheckpointToWitness({ ...base, url: ahead })).rejects.toMatchObject({ witnessSize: 9n });
  });

  it("reports an unreachable witness and a timeout", async () => {
    const log = new TestLog().grow(1);
    const base = {
      witnessVerifierKeyText: key.verifierKeyText,
      signedCheckpoint: log.checkpoint(),
      oldSize: 0,
      proofFor: async () => [],
    };
    const closed = await fakeWitness(200, "");
    await cleanups.pop()!(); // close it: nothing listens there any more
    const down = addCheckpointToWitness({ ...base, url: closed });
    await expect(down).rejects.toBeInstanceOf(WitnessUnreachableError);
    await expect(down).rejects.toMatchObject({ code: "unreachable", timedOut: false });

    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    const slow = addCheckpointToWitness({
      ...base,
      url: "http://127.0.0.1:9",
      fetchImpl: hanging,
      timeoutMs: 50,
    });
    await expect(slow).rejects.toMatchObject({ code: "unreachable", timedOut: true });
  });
});

describe("runWitness", () => {
  it("reads the key file, listens, witnesses, and stops", async () => {
    const dir = await tempDir("run");
    const keyFile = join(dir, "witness.key");
    const verifierKey = await writeWitnessKeyFile(keyFile, "witness.example/run");
    await expect(writeWitnessKeyFile(keyFile, "witness.example/run")).rejects.toThrow(/EEXIST/);
    const log = new TestLog().grow(2);
    const stop: WitnessStop = await runWitness({
      keyFile,
      stateDir: join(dir, "state"),
      logVerifierKeys: [log.verifierKey],
      port: 0,
      host: "127.0.0.1",
      logger: false,
    });
    cleanups.push(stop);
    expect(stop.verifierKey).toBe(verifierKey);
    expect(stop.url).toBe(`http://127.0.0.1:${stop.port}`);
    const line = await addCheckpointToWitness({
      url: stop.url,
      witnessVerifierKeyText: verifierKey,
      signedCheckpoint: log.checkpoint(),
      oldSize: 0,
      proofFor: async () => [],
    });
    expect(line).toMatch(/^\u2014 witness\.example\/run /);
  });
});
