import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYNC_MAX_COMMANDS } from "../../src/http/routes/commands.ts";
import { verifyDatabase } from "../../src/verify/index.ts";
import { SYNC_CHUNK } from "../../src/write-path/execute.ts";
import { handoverPayload, personPayload, rifle } from "../support/fixtures.ts";
import { type Api, command, counts, expectProblem, startApi, type Who } from "./support.ts";

// POST /api/v1/commands/sync: a field laptop's queue, each command answered on its own.

interface Outcome {
  commandId: string | null;
  outcome: "recorded" | "refused";
  answer?: { commandId: string; seq: number; leafHash: string; data: Record<string, unknown> };
  problem?: { code: string; status: number; detail: string; errors?: { path: string; message: string }[] };
}

let api: Api;
beforeAll(async () => {
  api = await startApi({ seed: true });
}, 120_000);
afterAll(async () => {
  await api.close();
});

const sync = (who: Who, commands: unknown[]) =>
  api.send(who, { method: "POST", url: "/api/v1/commands/sync", payload: { commands } });

async function syncOk(who: Who, commands: unknown[]): Promise<Outcome[]> {
  const res = await sync(who, commands);
  expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
  const { results } = res.json() as { results: Outcome[] };
  expect(results).toHaveLength(commands.length);
  return results;
}

/** A person (with a client-made id, so the queue can hand over before the answer) and their handover. */
function pair(siteId: string, serial: string) {
  const personId = randomUUID();
  const register = {
    commandId: randomUUID(),
    type: "person.register",
    payload: { ...personPayload(siteId), personId },
  };
  return [register, command("handover.record", handoverPayload(siteId, personId, [rifle(serial)]))] as const;
}

describe("POST /api/v1/commands/sync", () => {
  it("answers each command on its own: recorded, replayed, refused; a refusal blocks nothing; the same queue again answers the same", async () => {
    const { siteA, siteB, personB } = api.seed;
    const earlier = command("person.register", personPayload(siteA));
    const single = await api.send("registrar", { method: "POST", url: "/api/v1/commands", payload: earlier });
    expect(single.statusCode).toBe(200);

    const [register, handover] = pair(siteA, "SYNC-0001");
    const { name: _name, ...nameless } = personPayload(siteA);
    const queue = [
      register, // 0 recorded
      handover, // 1 recorded: the person registered just before, in the same request
      command("person.register", nameless), // 2 refused: invalid payload
      command("handover.record", handoverPayload(siteB, personB, [rifle("SYNC-B")])), // 3 out of scope
      { ...register }, // 4 the same id and body again: the same answer as 0
      { ...register, payload: { ...register!.payload, birth: { year: 1971 } } }, // 5 same id, other body
      earlier, // 6 recorded before by POST /api/v1/commands: the same answer
      "not a command", // 7 refused: not an envelope
      command("handover.record", handoverPayload(siteA, randomUUID(), [rifle("SYNC-0002")])), // 8 no such person
      command("custody.dispatch", {}), // 9 refused: a registrar may not
      ...pair(siteA, "SYNC-0003"), // 10, 11 recorded after all the refusals
    ];
    const before = await counts(api.store);
    const results = await syncOk("registrar", queue);

    expect(results.map((r) => r.outcome)).toEqual([
      "recorded",
      "recorded",
      "refused",
      "refused",
      "recorded",
      "refused",
      "recorded",
      "refused",
      "refused",
      "refused",
      "recorded",
      "recorded",
    ]);
    const refused = (i: number) => [results[i]!.problem!.status, results[i]!.problem!.code];
    expect(refused(2)).toEqual([400, "request.invalid"]);
    expect(results[2]!.problem!.errors?.map((e) => e.path)).toContain("payload.name");
    expect(refused(3)).toEqual([403, "auth.out-of-scope"]);
    expect(refused(5)).toEqual([409, "command.conflict"]);
    expect(refused(7)).toEqual([400, "request.invalid"]);
    expect(results[7]!.commandId).toBeNull();
    expect(refused(8)).toEqual([422, "reference.unknown"]);
    expect(refused(9)).toEqual([403, "auth.forbidden"]);
    for (const i of [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11])
      expect(results[i]!.commandId).toBe((queue[i] as { commandId: string }).commandId);

    expect(results[4]).toEqual(results[0]);
    expect(results[6]!.answer).toEqual(single.json());
    expect(results[1]!.answer!.data.personId).toBe(register!.payload.personId);
    // Dense leaves, in the order sent, for the four new commands.
    const seqs = [0, 1, 10, 11].map((i) => results[i]!.answer!.seq);
    expect(seqs).toEqual([
      before.ledger_size,
      before.ledger_size + 1,
      before.ledger_size + 2,
      before.ledger_size + 3,
    ]);

    // Nothing half-written: four events and their rows, nothing of the refused ones.
    const after = await counts(api.store);
    expect(after.events - before.events).toBe(4);
    expect(after.ledger_size - before.ledger_size).toBe(4);
    expect(after.persons! - before.persons!).toBe(2);
    expect(after.handovers - before.handovers).toBe(2);

    // The same queue again (the laptop never got the answer): the same answers, nothing new.
    const again = await syncOk("registrar", queue);
    expect(again).toEqual(results);
    expect(await counts(api.store)).toEqual(after);
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, projections: [] });
  });

  it("records a queue longer than one transaction in order, exactly once, with refusals on either side of a chunk's edge", async () => {
    const { siteA } = api.seed;
    const pairs = Math.ceil((SYNC_CHUNK * 2 + 10) / 2);
    const queue: unknown[] = [];
    for (let i = 0; i < pairs; i++) queue.push(...pair(siteA, `CHUNK-${i}`));
    // A refusal as the last command of the first transaction and one early in the second: the
    // handover of a person who does not exist (SYNC_CHUNK is even, so both are handovers).
    const refusedAt = [SYNC_CHUNK - 1, SYNC_CHUNK + 1];
    for (const i of refusedAt)
      queue[i] = command("handover.record", handoverPayload(siteA, randomUUID(), [rifle(`GONE-${i}`)]));
    const before = await counts(api.store);
    const results = await syncOk("registrar_token", queue);
    const recorded = results.filter((r) => r.outcome === "recorded");
    expect(results.filter((r) => r.outcome === "refused").map((r) => results.indexOf(r))).toEqual(refusedAt);
    expect(recorded.map((r) => r.answer!.seq)).toEqual(recorded.map((_, i) => before.ledger_size + i));
    const after = await counts(api.store);
    expect(after.events - before.events).toBe(queue.length - refusedAt.length);
    expect(after.ledger_size - before.ledger_size).toBe(queue.length - refusedAt.length);

    expect(await syncOk("registrar_token", queue)).toEqual(results);
    expect(await counts(api.store)).toEqual(after);
  }, 120_000);

  it("records a queue sent twice at once (two connections of one laptop) exactly once, with the same answers", async () => {
    const queue: unknown[] = [];
    for (let i = 0; i < 10; i++) queue.push(...pair(api.seed.siteA, `TWICE-${i}`));
    const before = await counts(api.store);
    const [a, b] = await Promise.all([syncOk("registrar", queue), syncOk("registrar", queue)]);
    expect(a).toEqual(b);
    expect(a.every((r) => r.outcome === "recorded")).toBe(true);
    const after = await counts(api.store);
    expect(after.events - before.events).toBe(queue.length);
  });

  it("refuses a request that is not a queue, or too long a one, whole and with nothing recorded", async () => {
    const before = await counts(api.store);
    expectProblem(await sync("registrar", []), "request.invalid");
    expectProblem(
      await api.send("registrar", { method: "POST", url: "/api/v1/commands/sync", payload: { queue: [] } }),
      "request.invalid",
    );
    const tooMany = Array.from({ length: SYNC_MAX_COMMANDS + 1 }, () =>
      command("person.register", personPayload(api.seed.siteA)),
    );
    const problem = expectProblem(await sync("registrar", tooMany), "request.invalid");
    expect(problem.errors?.[0]?.path).toBe("commands");
    expectProblem(
      await sync("analyst", [command("person.register", personPayload(api.seed.siteA))]),
      "auth.forbidden",
    );
    expectProblem(
      await sync("anonymous", [command("person.register", personPayload(api.seed.siteA))]),
      "auth.required",
    );
    expect(await counts(api.store)).toEqual(before);
  });
});
