import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as t from "../../src/store/schema.ts";
import { type Api, expectProblem, startApi } from "./support.ts";

// Every view, list, print and leaf opening of a person's record is logged before the answer
// leaves the server (issue 7, audited reads); a read that cannot be logged is not answered; the
// log cannot be edited; admins read a person's access history. Through the real HTTP API.

let api: Api;
beforeAll(async () => {
  api = await startApi({ seed: true });
});
afterAll(() => api.store.dispose());

const logRows = () => api.store.db.select().from(t.accessLog).orderBy(t.accessLog.id);
const accountId = async (who: "registrar") => {
  const [user] = await api.store.db
    .select({ id: t.users.id })
    .from(t.users)
    .where(sql`${t.users.username} = ${api.username(who)}`);
  return user!.id;
};
const get = (who: Parameters<Api["send"]>[0], url: string) => api.send(who, { method: "GET", url });

async function newRows(read: () => Promise<unknown>) {
  const before = (await logRows()).length;
  await read();
  return (await logRows()).slice(before);
}

describe("audited reads of people's records", () => {
  it("logs a view of one person: who, their role, the route, the person", async () => {
    const rows = await newRows(async () => {
      expect((await get("registrar", `/api/v1/persons/${api.seed.personA}`)).statusCode).toBe(200);
    });
    expect(rows).toEqual([
      expect.objectContaining({
        actor: await accountId("registrar"),
        role: "registrar",
        action: "person.read",
        channel: "GET /api/v1/persons/:id",
        subjectKind: "person",
        subjectId: api.seed.personA,
        records: 1,
        purpose: null,
      }),
    ]);
  });

  it("logs every person a list showed, and no one for an empty page", async () => {
    let shown: string[] = [];
    const rows = await newRows(async () => {
      const res = await get("admin", "/api/v1/persons?limit=1000");
      shown = res.json().items.map((p: { id: string }) => p.id);
    });
    expect(shown.length).toBeGreaterThan(1);
    expect(rows.map((r) => r.subjectId).sort()).toEqual([...shown].sort());
    expect(new Set(rows.map((r) => r.channel))).toEqual(new Set(["GET /api/v1/persons"]));
    const last = [...shown].sort().at(-1)!;
    expect(await newRows(() => get("admin", `/api/v1/persons?after=${last}`))).toEqual([]);
  });

  it("logs nothing for a refused read: out of scope answers 404 and shows no one", async () => {
    const rows = await newRows(async () => {
      expectProblem(await get("registrar_b", `/api/v1/persons/${api.seed.personA}`), "resource.not-found");
      expectProblem(await get("custodian", `/api/v1/persons/${api.seed.personA}`), "auth.forbidden");
    });
    expect(rows).toEqual([]);
  });

  it("logs the print of a receipt, which carries the person's name", async () => {
    const rows = await newRows(async () => {
      const res = await get("registrar", `/api/v1/handovers/${api.seed.handoverA}/receipt.pdf`);
      expect(res.statusCode).toBe(200);
    });
    expect(rows).toEqual([
      expect.objectContaining({
        action: "receipt.print",
        subjectKind: "person",
        subjectId: api.seed.personA,
      }),
    ]);
  });

  it("logs the opening of a leaf, and of the person its personal part names", async () => {
    const [registered] = await api.store.db
      .select({ seq: t.events.seq })
      .from(t.events)
      .where(sql`${t.events.type} = 'person.registered'`)
      .orderBy(t.events.seq)
      .limit(1);
    const rows = await newRows(async () => {
      const res = await get("admin", `/api/v1/ledger/leaves/${registered!.seq}/opening`);
      expect(res.statusCode).toBe(200);
      expect(res.json().personal.personId).toEqual(expect.any(String));
    });
    expect(rows.map((r) => [r.action, r.subjectKind])).toEqual([
      ["leaf.open", "event"],
      ["leaf.open", "person"],
    ]);
    expect(rows[0]!.subjectId).toBe(String(registered!.seq));
  });

  it("shows an admin the person's access history, newest first, itself logged", async () => {
    const res = await get("admin", `/api/v1/persons/${api.seed.personA}/access-history?limit=5`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: number; username: string; channel: string; bulk: boolean }[];
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.map((i) => i.id)).toEqual([...items.map((i) => i.id)].sort((a, b) => b - a));
    expect(items.map((i) => i.channel)).toContain("GET /api/v1/persons/:id");
    expect(items.find((i) => i.channel === "GET /api/v1/persons/:id")?.username).toBe(
      api.username("registrar"),
    );
    const next = await get(
      "admin",
      `/api/v1/persons/${api.seed.personA}/access-history?before=${items.at(-1)!.id}`,
    );
    expect(next.json().items.every((i: { id: number }) => i.id < items.at(-1)!.id)).toBe(true);
    const last = (await logRows()).at(-1)!;
    expect(last).toMatchObject({ action: "person.access_history", subjectId: api.seed.personA });
    expectProblem(
      await get("registrar", `/api/v1/persons/${api.seed.personA}/access-history`),
      "auth.forbidden",
    );
  });

  it("includes bulk exports in everyone's history", async () => {
    await api.store.db.insert(t.accessLog).values({
      actor: "cli:ops",
      role: "admin",
      action: "person.export",
      channel: "armsledger export persons",
      subjectKind: "person",
      subjectId: null,
      records: 12,
      purpose: "Reconciliation with the ministry's list",
    });
    for (const person of [api.seed.personA, api.seed.personB]) {
      const items = (await get("admin", `/api/v1/persons/${person}/access-history`)).json().items;
      expect(items).toContainEqual(
        expect.objectContaining({
          bulk: true,
          username: "cli:ops",
          records: 12,
          channel: "armsledger export persons",
        }),
      );
    }
  });

  it("logs the reintegration reads too: eligibility, pathways, search, the review queue, the card, roster entries", async () => {
    const personA = api.seed.personA;
    const channelsFor = async (url: string, who: Parameters<Api["send"]>[0] = "admin") => {
      const rows = await newRows(async () => {
        const res = await get(who, url);
        expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
      });
      return rows;
    };
    expect((await channelsFor(`/api/v1/persons/${personA}/eligibility`)).map((r) => r.subjectId)).toEqual([
      personA,
    ]);
    expect((await channelsFor(`/api/v1/persons/${personA}/pathways`)).map((r) => r.subjectId)).toEqual([
      personA,
    ]);

    // The same man registered twice at site A: the second is held, and the queue shows both.
    const payload = {
      siteId: api.seed.siteA,
      kind: "combatant",
      name: { latin: { given: "Haidar", father: "Kadhim", family: "al-Zubaidi" } },
      motherName: { latin: "Zahra" },
      birth: { year: 1988 },
      sex: "male",
      governorate: "IQ-BG",
      nationalId: "AUDIT000001",
      listedByGroup: false,
      consent: { given: true, recordedOn: "2026-01-10" },
    };
    const first = (await api.ok("registrar", "person.register", payload)).personId as string;
    const second = await api.ok("registrar", "person.register", payload);
    expect(second.duplicateReview).toBe("pending");
    const queue = await channelsFor("/api/v1/duplicate-reviews?status=pending");
    expect(queue.map((r) => r.subjectId)).toEqual(expect.arrayContaining([first, second.personId]));
    const search = await channelsFor("/api/v1/persons/search?q=Haidar%20Kadhim");
    expect(search.map((r) => r.subjectId)).toEqual(expect.arrayContaining([first]));
    expect(search.every((r) => r.channel === "GET /api/v1/persons/search")).toBe(true);
    // The query (a name) is not kept in the log.
    expect(JSON.stringify(await logRows())).not.toContain("Haidar");

    // A card for person A (eligible by the seeded handover), then its print.
    await api.store.db.update(t.persons).set({ eligible: true }).where(sql`${t.persons.id} = ${personA}`);
    const card = (await api.ok("registrar", "card.issue", { personId: personA })).cardNumber as string;
    expect(
      (await channelsFor(`/api/v1/cards/${card}/pdf`, "registrar")).map((r) => [r.action, r.subjectId]),
    ).toEqual([["card.print", personA]]);

    // Roster entries name the registered people they matched.
    await api.ok("admin", "roster.submit", {
      groupId: api.seed.groupId,
      submittedOn: "2026-01-10",
      entries: [
        {
          memberNumber: "A-1",
          name: {
            arabic: { given: "محمد", father: "جاسم", family: "السوداني" },
            latin: { given: "Mohammed", father: "Jasim", family: "al-Sudani" },
          },
          birthYear: 1990,
        },
      ],
    });
    const entries = await channelsFor(`/api/v1/groups/${api.seed.groupId}/roster-comparison/entries`);
    expect(entries.length).toBeGreaterThan(0);
    expect(new Set(entries.map((r) => r.action))).toEqual(new Set(["roster.entries.read"]));
  });

  it("cannot be edited or emptied", async () => {
    const refusal = async (statement: ReturnType<typeof sql>) => {
      const error = await api.store.db.execute(statement).then(
        () => undefined,
        (e: Error & { cause?: Error }) => e,
      );
      return error?.cause?.message ?? error?.message;
    };
    const before = await logRows();
    expect(before.length).toBeGreaterThan(0);
    expect(await refusal(sql`update access_log set actor = 'nobody'`)).toMatch(/append-only: UPDATE refused/);
    expect(await refusal(sql`delete from access_log`)).toMatch(/append-only: DELETE refused/);
    expect(await refusal(sql`truncate access_log`)).toMatch(/append-only: TRUNCATE refused/);
    expect(await logRows()).toEqual(before);
  });

  it("fails closed: a read that cannot be logged is not answered", async () => {
    await api.store.db.execute(sql`
      create function refuse_log() returns trigger language plpgsql as $$
      begin raise exception 'log unavailable'; end; $$`);
    await api.store.db.execute(sql`
      create trigger refuse_log before insert on access_log for each row execute function refuse_log()`);
    try {
      const res = await get("registrar", `/api/v1/persons/${api.seed.personA}`);
      expect(res.statusCode).toBeGreaterThanOrEqual(500);
      // A problem, not the record: nothing of the person but the address the client asked for.
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(Object.keys(res.json()).sort()).toEqual([
        "code",
        "detail",
        "instance",
        "status",
        "title",
        "type",
      ]);
      expect(res.body).not.toMatch(/given|nationalId|birth|"name"/);
    } finally {
      await api.store.db.execute(sql`drop trigger refuse_log on access_log`);
      await api.store.db.execute(sql`drop function refuse_log()`);
    }
  });
});

describe("breaking the glass: a person outside one's scope, read with a stated reason", () => {
  const reason = "Family tracing request 2026/114 from the ICRC office in Basra";
  // The reason travels in a header, percent-encoded UTF-8, never in the URL (which proxies and
  // access logs keep).
  const url = (id: string) => `/api/v1/persons/${id}`;
  const get = (who: Parameters<Api["send"]>[0], path: string, why?: string) =>
    api.send(who, {
      method: "GET",
      url: path,
      headers: why === undefined ? {} : { "x-break-glass-reason": encodeURIComponent(why) },
    });

  it("stays 404 without a reason, and refuses a short reason before looking the person up", async () => {
    const rows = await newRows(async () => {
      expectProblem(await get("registrar", url(api.seed.personB)), "resource.not-found");
      for (const id of [api.seed.personB, crypto.randomUUID()]) {
        const short = expectProblem(await get("registrar", url(id), "need to see it"), "request.invalid");
        expect(short.errors).toEqual([
          { path: "x-break-glass-reason", message: "required (at least 20 characters)" },
        ]);
        expectProblem(await get("registrar", url(id), " ".repeat(40)), "request.invalid");
      }
      // A person who does not exist is absent, reason or not.
      expectProblem(await get("registrar", url(crypto.randomUUID()), reason), "resource.not-found");
      // Roles that may not read people may not break the glass either.
      expectProblem(await get("analyst", url(api.seed.personB), reason), "auth.forbidden");
    });
    expect(rows).toEqual([]);
  });

  it("refuses a reason in the query string, where proxies and access logs would keep it", async () => {
    const rows = await newRows(async () => {
      for (const id of [api.seed.personB, api.seed.personA, crypto.randomUUID()]) {
        const inUrl = `/api/v1/persons/${id}?breakGlass=${encodeURIComponent(reason)}`;
        const refused = expectProblem(await get("registrar", inUrl), "request.reason-in-url");
        expect(refused.errors).toEqual([{ path: "breakGlass", message: "send it in X-Break-Glass-Reason" }]);
        // Even with the header beside it: the URL already carried it.
        expectProblem(await get("registrar", inUrl, reason), "request.reason-in-url");
        expectProblem(await get("registrar", `/api/v1/persons/${id}?breakGlass=`), "request.reason-in-url");
      }
    });
    expect(rows).toEqual([]);
  });

  it("reads an Arabic reason, percent-encoded UTF-8, and refuses one that does not decode", async () => {
    const arabic = "طلب البحث عن أفراد الأسرة رقم ١١٤ من مكتب الصليب الأحمر في البصرة";
    const rows = await newRows(async () => {
      expect((await get("registrar", url(api.seed.personB), arabic)).statusCode).toBe(200);
    });
    expect(rows).toEqual([
      expect.objectContaining({ subjectId: api.seed.personB, purpose: arabic, breakGlass: true }),
    ]);
    const bad = await newRows(async () => {
      const res = await api.send("registrar", {
        method: "GET",
        url: url(api.seed.personB),
        headers: { "x-break-glass-reason": `${"a".repeat(30)}%E0%A4%A` },
      });
      const problem = expectProblem(res, "request.invalid");
      expect(problem.errors).toEqual([{ path: "x-break-glass-reason", message: "percent-encoded UTF-8" }]);
    });
    expect(bad).toEqual([]);
  });

  it("answers the record, logs the read with its reason and a flag, and alerts the admins", async () => {
    let res: Awaited<ReturnType<typeof get>> | undefined;
    const rows = await newRows(async () => {
      res = await get("registrar", url(api.seed.personB), `  ${reason}\n`);
    });
    expect(res!.statusCode).toBe(200);
    expect(res!.json().id).toBe(api.seed.personB);
    expect(rows).toEqual([
      expect.objectContaining({
        actor: await accountId("registrar"),
        role: "registrar",
        action: "person.read",
        channel: "GET /api/v1/persons/:id",
        subjectId: api.seed.personB,
        purpose: reason,
        breakGlass: true,
      }),
    ]);
    // Within one's own scope no glass is broken: an ordinary read, the reason kept as its purpose.
    const inScope = await newRows(async () => {
      expect((await get("registrar", url(api.seed.personA), reason)).statusCode).toBe(200);
    });
    expect(inScope).toEqual([
      expect.objectContaining({ subjectId: api.seed.personA, purpose: reason, breakGlass: false }),
    ]);

    // A second break, by the other registrar, is newer.
    const otherReason = "Medical emergency at the Baghdad clinic, next of kin needed";
    expect((await get("registrar_b", url(api.seed.personA), otherReason)).statusCode).toBe(200);
    const alerts = await get("admin", "/api/v1/access-alerts");
    expect(alerts.statusCode).toBe(200);
    const items = alerts.json().items as Record<string, unknown>[];
    expect(items.slice(0, 2)).toEqual([
      expect.objectContaining({
        username: api.username("registrar_b"),
        role: "registrar",
        subjectKind: "person",
        subjectId: api.seed.personA,
        purpose: otherReason,
        channel: "GET /api/v1/persons/:id",
      }),
      expect.objectContaining({
        username: api.username("registrar"),
        subjectId: api.seed.personB,
        purpose: reason,
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/u),
      }),
    ]);
    // Only the flagged reads are alerts.
    expect(items.every((i) => i.subjectId !== api.seed.personA || i.purpose === otherReason)).toBe(true);
    const older = await get("admin", `/api/v1/access-alerts?before=${items[0]!.id}`);
    expect(older.json().items[0]).toMatchObject({ subjectId: api.seed.personB });
    // Showing the alerts names people: logged as a read of each.
    const last = (await logRows()).at(-1)!;
    expect(last).toMatchObject({ action: "access.alerts", subjectId: api.seed.personB, breakGlass: false });
    // The person's history shows the flag.
    const history = await get("admin", `/api/v1/persons/${api.seed.personB}/access-history`);
    expect(history.json().items).toContainEqual(
      expect.objectContaining({ username: api.username("registrar"), purpose: reason, breakGlass: true }),
    );
    for (const who of ["registrar", "case_worker", "monitor"] as const)
      expectProblem(await get(who, "/api/v1/access-alerts"), "auth.forbidden");
  });
  // The web app relies on both halves (docs/web.md, "Break the glass"): it sends the reason with
  // the one read the officer asked for and never again by itself.
  it("flags every read with a reason again, and lets no command through the broken glass", async () => {
    // The server cannot tell an app's re-read from a new look: each is logged, flagged, an alert.
    const rows = await newRows(async () => {
      for (let i = 0; i < 2; i++)
        expect((await get("registrar", url(api.seed.personB), reason)).statusCode).toBe(200);
    });
    expect(rows).toEqual([
      expect.objectContaining({ subjectId: api.seed.personB, purpose: reason, breakGlass: true }),
      expect.objectContaining({ subjectId: api.seed.personB, purpose: reason, breakGlass: true }),
    ]);
    // Breaking the glass opens a read, not the record: a command about the person is refused as
    // outside the scope, so an officer's command that succeeds is about a person in scope.
    const screening = { personId: api.seed.personB, screenedAt: "2026-02-20T10:30:00+03:00", answers: [] };
    expectProblem(await api.post("registrar", "screening.record", screening), "auth.out-of-scope");
  });
});

// Photos (issue 6): a person's photo shows the person, so reading it is logged as a read of them.
describe("audited reads of a person's photo", () => {
  it("logs GET /api/v1/files/:sha256 of a registered person's photo under file.read", async () => {
    // A 1×1 PNG, made unique by a trailing comment the decoder ignores.
    const photo = Buffer.concat([
      Buffer.from(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
        "base64",
      ),
      Buffer.from("read-audit"),
    ]);
    const up = await api.send("registrar", {
      method: "POST",
      url: "/api/v1/files",
      headers: { "content-type": "image/png" },
      payload: photo,
    });
    expect(up.statusCode, up.body).toBe(201);
    const { sha256 } = up.json();
    const { personPayload } = await import("../support/fixtures.ts");
    const personId = (
      await api.ok("registrar", "person.register", { ...personPayload(api.seed.siteA), photo: sha256 })
    ).personId as string;
    const rows = await newRows(async () =>
      expect((await get("registrar", `/api/v1/files/${sha256}`)).statusCode).toBe(200),
    );
    expect(rows).toEqual([
      expect.objectContaining({
        action: "file.read",
        subjectKind: "person",
        subjectId: personId,
        actor: await accountId("registrar"),
      }),
    ]);
  });
});
