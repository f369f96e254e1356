import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api/client.ts";
import { sha256Hex } from "../src/format/sha256.ts";
import { importQueueKey } from "../src/lane/queue/crypto.ts";
import { CommandQueue, type SyncResult, type Transport } from "../src/lane/queue/queue.ts";

// The offline queue on its own (IndexedDB from fake-indexeddb, Web Crypto from the platform),
// against a fake server that behaves as POST /api/v1/commands/sync does: idempotent by command
// id, each command alone, a handover of an unknown person refused with reference.unknown.

const owner = "0190f5a2-7c1e-7b3a-9f00-2a4b5c6d7e8f";
const other = "0190f5a2-7c1e-7b3a-9f00-000000000002";
const keyText = (fill: number) =>
  btoa(String.fromCharCode(...new Uint8Array(32).fill(fill))).replace(/=+$/u, "");
let dbs = 0;
const open = async (who = owner, fill = 7, name = `queue-${++dbs}`) => ({
  name,
  queue: await CommandQueue.open(who, await importQueueKey(keyText(fill)), name),
});

const personId = "33333333-3333-4333-8333-333333333333";
const registration = (given = "Haidar") => ({
  personId,
  siteId: "11111111-1111-4111-8111-111111111111",
  name: { latin: { given, family: "al-Kadhimi" }, arabic: { given: "حيدر", family: "الكاظمي" } },
});
const handover = {
  from: { kind: "person", personId },
  weapons: [{ category: "rifle", photos: [] as string[] }],
};

/** The server's side: what it recorded, by command id, and whether the link is up. */
function fakeServer() {
  const recorded = new Map<string, { type: string; payload: unknown }>();
  const persons = new Set<string>();
  const files = new Map<string, Uint8Array>();
  const state = { online: true, loseAnswer: false, requests: [] as string[][] };
  const refuse = (commandId: string, status: number, code: string, detail: string, path?: string) =>
    ({
      commandId,
      outcome: "refused",
      problem: { status, code, detail, ...(path ? { errors: [{ path, message: detail }] } : {}) },
    }) as SyncResult;
  const transport: Transport = {
    async upload(bytes) {
      if (!state.online) throw new ApiError(0, "network", "Failed to fetch");
      if (bytes[0] !== 0x89) throw new ApiError(415, "request.unsupported-media-type", "not a photo");
      files.set(await sha256Hex(bytes), bytes);
      return {};
    },
    async sync(commands) {
      if (!state.online) throw new ApiError(0, "network", "Failed to fetch");
      state.requests.push(commands.map((c) => c.commandId));
      const results = commands.map(({ commandId, type, payload }): SyncResult => {
        const seen = recorded.get(commandId);
        if (seen)
          return JSON.stringify(seen.payload) === JSON.stringify(payload)
            ? {
                commandId,
                outcome: "recorded",
                answer: { commandId, seq: [...recorded.keys()].indexOf(commandId) },
              }
            : refuse(commandId, 409, "command.conflict", "id used for other content");
        const p = payload as {
          personId?: string;
          name?: { latin?: { given: string } };
          from?: { personId: string };
        };
        if (type === "person.register") {
          if (p.name?.latin?.given === "X")
            return refuse(commandId, 400, "request.invalid", "not a name", "payload.name.latin.given");
          persons.add(p.personId!);
        } else if (!persons.has(p.from!.personId))
          return refuse(commandId, 422, "reference.unknown", "no such person", "payload.from.personId");
        recorded.set(commandId, { type, payload });
        return { commandId, outcome: "recorded", answer: { commandId, seq: recorded.size - 1 } };
      });
      if (state.loseAnswer) {
        state.loseAnswer = false;
        throw new ApiError(0, "network", "the answer was lost");
      }
      return results;
    },
  };
  return { recorded, files, state, transport };
}

describe("the offline queue", () => {
  it("keeps commands made offline, sends them when the link is back, and a lost answer records once", async () => {
    const { queue } = await open();
    const server = fakeServer();
    server.state.online = false;
    const reg = await queue.enqueue({ type: "person.register", payload: registration() });
    const ho = await queue.enqueue({
      type: "handover.record",
      payload: handover,
      dependsOn: [reg.commandId],
    });
    const offline = await queue.sync(server.transport);
    expect(offline.stoppedBy).toBeInstanceOf(ApiError);
    expect((await queue.list()).map((e) => [e.status, e.attempts])).toEqual([
      ["pending", 1],
      ["pending", 1],
    ]);
    // The link comes back, but the answer is lost on the way: both stay pending, and are recorded.
    server.state.online = true;
    server.state.loseAnswer = true;
    await queue.sync(server.transport);
    expect((await queue.list()).map((e) => e.status)).toEqual(["pending", "pending"]);
    expect(server.recorded.size).toBe(2);
    // Sent again: the server answers what it recorded, and records nothing new.
    const report = await queue.sync(server.transport);
    expect(report).toEqual({ sent: 2, refused: 0, held: 0 });
    expect(server.recorded.size).toBe(2);
    expect(server.state.requests).toEqual([
      [reg.commandId, ho.commandId],
      [reg.commandId, ho.commandId],
    ]);
    const [r, h] = await queue.list();
    expect([r!.status, h!.status]).toEqual(["sent", "sent"]);
    expect(h!.answer).toEqual({ commandId: ho.commandId, seq: 1 });
    // Nothing left to send: no request.
    await queue.sync(server.transport);
    expect(server.state.requests).toHaveLength(2);
  });

  it("puts a refused command in needs attention, holds what depends on it, and sends both once corrected", async () => {
    const { queue } = await open();
    const server = fakeServer();
    const reg = await queue.enqueue({
      type: "person.register",
      payload: registration("X"),
      form: { given: "X" },
    });
    const ho = await queue.enqueue({
      type: "handover.record",
      payload: handover,
      dependsOn: [reg.commandId],
    });
    const report = await queue.sync(server.transport);
    expect(report).toEqual({ sent: 0, refused: 1, held: 1 });
    const [refused, held] = await queue.list();
    expect(refused).toMatchObject({
      status: "attention",
      form: { given: "X" },
      problem: { status: 400, code: "request.invalid", fields: [{ path: "payload.name.latin.given" }] },
    });
    // The server refused the handover too (unknown person): here it waits for its parent instead.
    expect(held).toMatchObject({ status: "attention", heldBy: reg.commandId, problem: undefined });
    // Another sync sends neither.
    await queue.sync(server.transport);
    expect(server.state.requests).toHaveLength(1);

    // Corrected: a new command (new id, same person id); the refused one is kept as history.
    const fixed = await queue.enqueue({
      type: "person.register",
      payload: registration(),
      replaces: reg.commandId,
    });
    expect(fixed.commandId).not.toBe(reg.commandId);
    const after = await queue.list();
    expect(after.find((e) => e.commandId === reg.commandId)).toMatchObject({
      status: "replaced",
      replacedBy: fixed.commandId,
    });
    expect(after.find((e) => e.commandId === ho.commandId)).toMatchObject({
      status: "pending",
      dependsOn: [fixed.commandId],
    });
    expect(await queue.sync(server.transport)).toEqual({ sent: 2, refused: 0, held: 0 });
    // In order: the person first, then their handover.
    expect(server.state.requests.at(-1)).toEqual([fixed.commandId, ho.commandId]);
    expect((await queue.list()).map((e) => e.status)).toEqual(["replaced", "sent", "sent"]);
  });

  it("gives the panel counts of everything, opening only the recent sent commands", async () => {
    const { queue } = await open();
    const server = fakeServer();
    for (const given of ["Ali", "Omar", "Zaid"])
      await queue.enqueue({
        type: "person.register",
        payload: { ...registration(given), personId: crypto.randomUUID() },
      });
    await queue.enqueue({ type: "person.register", payload: registration("X") });
    await queue.sync(server.transport);
    const overview = await queue.overview(1);
    expect(overview.counts).toEqual({ pending: 0, sent: 3, attention: 1, replaced: 0, discarded: 0 });
    expect(
      overview.entries.map((e) => [
        e.status,
        (e.payload as ReturnType<typeof registration>).name.latin.given,
      ]),
    ).toEqual([
      ["sent", "Zaid"],
      ["attention", "X"],
    ]);
    expect(overview.othersWaiting).toBe(0);
  });

  it("discards only what needs attention, and keeps it as a record", async () => {
    const { queue } = await open();
    const server = fakeServer();
    const reg = await queue.enqueue({ type: "person.register", payload: registration("X") });
    const pending = await queue.enqueue({
      type: "person.register",
      payload: { ...registration(), personId: crypto.randomUUID() },
    });
    server.state.online = false;
    await queue.sync(server.transport);
    await queue.discard(pending.commandId); // pending: not discarded (it may still be recorded)
    server.state.online = true;
    await queue.sync(server.transport);
    await queue.discard(reg.commandId);
    const entries = await queue.list();
    expect(entries.map((e) => e.status)).toEqual(["discarded", "sent"]);
    expect(entries[0]!.discardedAt).toMatch(/^\d{4}-/u);
  });

  it("uploads a command's photos before the command, and a refused photo puts the command in needs attention", async () => {
    const { queue } = await open();
    const server = fakeServer();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46]);
    const good = await sha256Hex(png);
    const bad = await sha256Hex(pdf);
    const withPhoto = await queue.enqueue({
      type: "person.register",
      payload: { ...registration(), photo: good },
      files: [{ sha256: good, bytes: png }],
    });
    const withPdf = await queue.enqueue({
      type: "person.register",
      payload: { ...registration(), personId: crypto.randomUUID(), photo: bad },
      files: [{ sha256: bad, bytes: pdf }],
    });
    expect(await queue.sync(server.transport)).toEqual({ sent: 1, refused: 1, held: 0 });
    expect(server.files.get(good)).toEqual(png);
    expect(server.state.requests).toEqual([[withPhoto.commandId]]);
    expect(await queue.get(withPdf.commandId)).toMatchObject({
      status: "attention",
      problem: { status: 415, code: "request.unsupported-media-type" },
    });
    expect(await queue.file(withPhoto.commandId, good)).toEqual(png);
  });

  it("holds no personal data in the clear, and opens only for the account whose key sealed it", async () => {
    const { queue, name } = await open();
    const png = new Uint8Array([
      0x89,
      0x50,
      0x4e,
      0x47,
      ..."Haidar face".split("").map((c) => c.charCodeAt(0)),
    ]);
    await queue.enqueue({
      type: "person.register",
      payload: registration(),
      form: { latin: { given: "Haidar" } },
      files: [{ sha256: await sha256Hex(png), bytes: png }],
    });
    queue.close();
    // What IndexedDB holds, byte for byte, as any script or disk reader would see it.
    const raw = await new Promise<unknown[]>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => {
        const all = request.result.transaction("commands").objectStore("commands").getAll();
        all.onsuccess = () => resolve(all.result);
        all.onerror = () => reject(all.error);
      };
      request.onerror = () => reject(request.error);
    });
    const text = (v: unknown): string =>
      v instanceof ArrayBuffer || ArrayBuffer.isView(v)
        ? new TextDecoder("latin1").decode(v as ArrayBuffer) + new TextDecoder().decode(v as ArrayBuffer)
        : v && typeof v === "object"
          ? Object.values(v).map(text).join("|")
          : String(v);
    const dump = raw.map(text).join("\n");
    expect(dump).toContain("person.register");
    for (const secret of ["Haidar", "حيدر", "al-Kadhimi", personId, "face"])
      expect(dump).not.toContain(secret);

    // Another account on the same device: sees that work is waiting, reads none of it.
    const { queue: stranger } = await open(other, 9, name);
    expect(await stranger.list()).toEqual([]);
    expect(await stranger.othersWaiting()).toBe(1);
    // The same account id with another key (a forged session) cannot open it either.
    const { queue: forged } = await open(owner, 9, name);
    await expect(forged.list()).rejects.toThrow();
    // The right account, signed in again: the queue opens as it was.
    const { queue: back } = await open(owner, 7, name);
    expect((await back.list())[0]).toMatchObject({
      payload: registration(),
      form: { latin: { given: "Haidar" } },
    });
  });
});
