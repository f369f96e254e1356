import { randomUUID } from "node:crypto";
import { commandTypes } from "@armsledger/core";
import fc from "fast-check";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handoverPayload, personPayload, rifle, sitePayload } from "../support/fixtures.ts";
import { type Api, counts, expectClientProblem, startApi } from "./support.ts";

// Whatever is POSTed to the one write path, the server answers with a decision, never a crash:
// 200 with an answer, or a 4xx problem+json and not one row changed.

let api: Api;

beforeAll(async () => {
  api = await startApi({ seed: true });
});
afterAll(() => api?.close());

const RUNS = { numRuns: 100 };

async function decides(send: () => Promise<LightMyRequestResponse>) {
  const before = await counts(api.store);
  const res = await send();
  expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
  if (res.statusCode >= 400) {
    expectClientProblem(res);
    expect(await counts(api.store)).toEqual(before);
  } else {
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      seq: before.ledger_size,
      leafHash: expect.stringMatching(/^[0-9a-f]{64}$/u),
    });
  }
  return res;
}

const rawBody = (body: string) => () =>
  api.send("admin", {
    method: "POST",
    url: "/api/v1/commands",
    headers: { "content-type": "application/json" },
    payload: body,
  });

/** Text as people and devices produce it: any code unit, whole graphemes, or the troublesome few. */
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(
      "م",
      "ح",
      "د",
      "ـ",
      "\u064E",
      "\u0651",
      "٣",
      "a",
      "Z",
      "é",
      "\u0301",
      " ",
      "-",
      "'",
      ".",
      "’",
      "\u0000",
      "\u0007",
      "\u200C",
      "\u200F",
      "\u202E",
      "\u2066",
      "\uD800",
      "\uDC00",
      "\uFEFF",
      "<",
      ">",
      ";",
      '"',
      "\\",
      "%",
      "\n",
      "\t",
      "😀",
    ),
    maxLength: 30,
  }),
);

describe("random input to POST /api/v1/commands", () => {
  it("any JSON value gets a decision", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        await decides(rawBody(JSON.stringify(value)));
      }),
      RUNS,
    );
  });

  it("anything serialised gets a decision", async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (value) => {
        let body: string;
        try {
          body = JSON.stringify(value) ?? "";
        } catch {
          return; // not serialisable (e.g. a cycle): nothing to send
        }
        await decides(rawBody(body));
      }),
      RUNS,
    );
  });

  it("a well-formed envelope around a random payload gets a decision", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uuid({ version: 4 }),
        fc.constantFrom(...commandTypes),
        fc.jsonValue(),
        async (id, type, payload) => {
          await decides(() => api.post("admin", type, payload, id));
        },
      ),
      RUNS,
    );
  });

  it("random text in names, free text and serials of real commands gets a decision", async () => {
    let n = 0;
    const commands: ((s: string) => [string, unknown])[] = [
      (s: string) => ["site.register", { ...sitePayload(`PROP-${++n}`), name: { ar: s, en: "Site" } }],
      (s: string) => ["site.register", { ...sitePayload(`PROP-${++n}`), name: { ar: "موقع", en: s } }],
      (s: string) => [
        "person.register",
        { ...personPayload(api.seed.siteA), name: { arabic: { given: s } } },
      ],
      (s: string) => [
        "person.register",
        { ...personPayload(api.seed.siteA), name: { latin: { given: "Omar", family: s } } },
      ],
      (s: string) => ["person.register", { ...personPayload(api.seed.siteA), motherName: { latin: s } }],
      (s: string) => ["person.register", { ...personPayload(api.seed.siteA), role: s }],
      (s: string) => ["person.register", { ...personPayload(api.seed.siteA), screening: { answer: s } }],
      (s: string) => ["handover.record", { ...handoverPayload(api.seed.siteA, api.seed.personA), notes: s }],
      (s: string) => ["handover.record", handoverPayload(api.seed.siteA, api.seed.personA, [rifle(s)])],
      (s: string) => [
        "handover.record",
        {
          ...handoverPayload(api.seed.siteA, api.seed.personA),
          weapons: [{ ...rifle(`PROP-SN-${++n}`), markings: [{ text: s, location: "receiver" }] }],
        },
      ],
      (s: string) => [
        "handover.record",
        {
          ...handoverPayload(api.seed.siteA, api.seed.personA, [rifle(`PROP-SN-${++n}`)]),
          verifyingOfficer: { name: s, affiliation: "UN Mission" },
        },
      ],
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(commands.length - 1), text, async (which, s) => {
        const [type, payload] = commands[which]!(s);
        await decides(() => api.post("admin", type, payload, randomUUID()));
      }),
      RUNS,
    );
  });
});
