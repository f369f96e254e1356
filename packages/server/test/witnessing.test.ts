import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKey, parseSignerKey } from "@armsledger/ledger";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/http/app.ts";
import { integrate, latestCosignedCheckpoint } from "../src/log/checkpointer.ts";
import { collectCosignatures } from "../src/log/witnessing.ts";
import { createWitnessApp, generateWitnessKey } from "../src/witness/app.ts";
import { checkWitnessed, parsePolicy } from "../src/witness/policy.ts";
import { executeCommand } from "../src/write-path/execute.ts";
import { admin, command, sitePayload } from "./support/fixtures.ts";
import { freshStore } from "./support/store.ts";

// One log key, two databases that tell different stories: the split view witnesses exist to catch.
const origin = "split.armsledger.local/log";
const logKeys = generateKey(origin, new Uint8Array(randomBytes(32)));
const signer = parseSignerKey(logKeys.signerKey);

type Witness = { app: FastifyInstance; url: string; stateDir: string; verifierKey: string; name: string };
const witnesses: Witness[] = [];
let honest: Awaited<ReturnType<typeof freshStore>>;
let forked: Awaited<ReturnType<typeof freshStore>>;

async function startWitness(name: string): Promise<Witness> {
  const keys = generateWitnessKey(name);
  const stateDir = mkdtempSync(join(tmpdir(), "armsledger-witness-"));
  const app = await createWitnessApp({
    signerKeyText: keys.signerKeyText,
    stateDir,
    logs: [{ origin, verifierKeyText: logKeys.verifierKey }],
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, url: address, stateDir, verifierKey: keys.verifierKeyText, name };
}

const policyFor = (ws: Witness[], quorum: string) =>
  parsePolicy(
    `log ${logKeys.verifierKey}\n${ws.map((w) => `witness ${w.name} ${w.verifierKey} ${w.url}`).join("\n")}\ngroup all-witnesses all ${ws.map((w) => w.name).join(" ")}\nquorum ${quorum}\n`,
  );

async function record(store: typeof honest, codes: string[]) {
  for (const code of codes) await executeCommand(store, command("site.register", sitePayload(code)), admin);
  return (await integrate(store, { signer }))!;
}

beforeAll(async () => {
  honest = await freshStore();
  forked = await freshStore();
  witnesses.push(await startWitness("w1.example"), await startWitness("w2.example"));
});
afterAll(async () => {
  for (const w of witnesses) await w.app.close();
  await honest.dispose();
  await forked.dispose();
});

describe("witnessing", () => {
  it("collects cosignatures from every witness and reaches the quorum", async () => {
    const policy = policyFor(witnesses, "all-witnesses");
    const checkpoint = await record(honest, ["S-1", "S-2"]);
    expect((await collectCosignatures(honest, policy, checkpoint)).sort()).toEqual([
      "w1.example",
      "w2.example",
    ]);
    const cosigned = (await latestCosignedCheckpoint(honest.db))!;
    expect(checkWitnessed(cosigned.note, logKeys.verifierKey, policy)).toMatchObject({
      witnessed: true,
      missing: [],
    });

    // Growth: each witness is asked from the size it last cosigned, with a consistency proof.
    const next = await record(honest, ["S-3"]);
    expect((await collectCosignatures(honest, policy, next)).length).toBe(2);
    const app = await buildApp({ store: honest, ledger: { logVerifierKey: logKeys.verifierKey, policy } });
    const json = (await app.inject({ method: "GET", url: "/api/v1/ledger/checkpoint" })).json();
    expect(json).toMatchObject({ size: 3, witnessed: true, missingWitnesses: [] });
    // The witnesses' keys are published, so a reader checks the cosignatures itself (the ledger page does).
    expect(json.witnesses).toEqual(
      policy.witnesses.map((w) => ({ name: w.name, verifierKey: w.verifierKey })),
    );
    expect(json.witnesses).toHaveLength(2);
    expect((await app.inject({ method: "GET", url: "/log/checkpoint" })).body.match(/^— /gmu)).toHaveLength(
      3,
    );
    await app.close();
  });

  it("refuses a split view: the same size with another root gets no cosignature, and the evidence is kept", async () => {
    const policy = policyFor(witnesses, "all-witnesses");
    const forkedCheckpoint = await record(forked, ["F-1", "F-2", "F-3"]);
    expect(forkedCheckpoint.size).toBe(3);
    expect(forkedCheckpoint.rootHash).not.toBe((await latestCosignedCheckpoint(honest.db))!.rootHash);
    expect(await collectCosignatures(forked, policy, forkedCheckpoint)).toEqual([]);
    for (const w of witnesses) {
      expect(existsSync(join(w.stateDir, "evidence"))).toBe(true);
      expect(readdirSync(join(w.stateDir, "evidence")).length).toBeGreaterThan(0);
    }
    const forkedNote = (await latestCosignedCheckpoint(forked.db))!.note;
    expect(checkWitnessed(forkedNote, logKeys.verifierKey, policy).witnessed).toBe(false);
  });

  it("makes a log that shows each witness a different history unable to reach a 2-of-2 quorum", async () => {
    const [w3, w4] = [await startWitness("w3.example"), await startWitness("w4.example")];
    witnesses.push(w3, w4);
    const both = policyFor([w3, w4], "all-witnesses");
    // The honest history to w3 only, the forked one to w4 only: each witness sees a consistent log.
    const honestNow = (await latestCosignedCheckpoint(honest.db))!;
    expect(
      await collectCosignatures(honest, policyFor([w3], "w3.example"), { ...honestNow, previousSize: 0 }),
    ).toEqual(["w3.example"]);
    const forkedNow = (await latestCosignedCheckpoint(forked.db))!;
    expect(
      await collectCosignatures(forked, policyFor([w4], "w4.example"), { ...forkedNow, previousSize: 0 }),
    ).toEqual(["w4.example"]);
    for (const store of [honest, forked]) {
      const note = (await latestCosignedCheckpoint(store.db))!.note;
      expect(checkWitnessed(note, logKeys.verifierKey, both).witnessed).toBe(false);
    }
  });
});
