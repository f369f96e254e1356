import { describe, expect, it } from "vitest";
import { submitRoster } from "../../src/commands/roster-submit.ts";
import { Problem } from "../../src/problems.ts";
import { ids, rosterPayload, seededView } from "../fixtures.ts";
import { type MemoryView, makeEnv } from "../memory-view.ts";

/** Parses the payload as the write path does, decides, and applies the event to the view. */
async function submit(view: MemoryView, raw: unknown, now = "2025-08-01T09:00:00Z") {
  const payload = submitRoster.payload.parse(raw);
  const event = await submitRoster.decide(payload, view, makeEnv({ now }));
  view.apply(100 + (view.rosters.get(ids.group)?.length ?? 0), event);
  return event;
}

function invalid(raw: unknown): { path: string; message: string }[] {
  const result = submitRoster.payload.safeParse(raw);
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

async function refusal(promise: Promise<unknown>): Promise<Problem> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof Problem) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

const entry = (memberNumber: string, given: string, father = "Hassan") => ({
  memberNumber,
  name: { latin: { given, father } },
});

describe("roster.submit", () => {
  it("records version 1 with its counts and the hash of its entries", async () => {
    const view = seededView();
    const event = await submit(view, rosterPayload());
    expect(event.type).toBe("roster.submitted");
    expect(event.subjects).toEqual([{ kind: "group", id: ids.group }]);
    expect(event.data).toMatchObject({ version: 1, entryCount: 2, added: 2, removed: 0 });
    expect(event.data.entriesHash).toMatch(/^[0-9a-f]{64}$/u);
  });

  it("numbers later versions and counts who joined and who left by member number", async () => {
    const view = seededView();
    await submit(view, rosterPayload());
    const second = await submit(
      view,
      rosterPayload({
        submittedOn: "2025-03-01",
        entries: [entry("N-002", "Omar", "Khalil"), entry("N-003", "Zaid"), entry("N-004", "Karim")],
      }),
    );
    expect(second.data).toMatchObject({ version: 2, entryCount: 3, added: 2, removed: 1 });
    // All versions are kept; the latest is what comparisons read.
    expect(view.rosters.get(ids.group)!.map((v) => v.version)).toEqual([1, 2]);
    expect((await view.findLatestRoster(ids.group))!.memberNumbers).toEqual(["N-002", "N-003", "N-004"]);
  });

  it("gives the same hash for the same list, and another for another list", async () => {
    const a = await submit(seededView(), rosterPayload());
    const b = await submit(seededView(), rosterPayload());
    const c = await submit(seededView(), rosterPayload({ entries: [entry("N-001", "Ali")] }));
    expect(a.data.entriesHash).toBe(b.data.entriesHash);
    expect(c.data.entriesHash).not.toBe(a.data.entriesHash);
  });

  it("refuses an unknown group, a future date and a version dated before the previous one", async () => {
    const view = seededView();
    const unknown = await refusal(submit(view, rosterPayload({ groupId: ids.unknown })));
    expect(unknown.code).toBe("reference.unknown");
    expect(unknown.fields[0]!.path).toBe("payload.groupId");
    const future = await refusal(submit(view, rosterPayload({ submittedOn: "2025-08-02" })));
    expect(future.code).toBe("rule.violated");
    expect(future.fields[0]!.path).toBe("payload.submittedOn");
    await submit(view, rosterPayload({ submittedOn: "2025-04-01" }));
    const earlier = await refusal(submit(view, rosterPayload({ submittedOn: "2025-03-31" })));
    expect(earlier.message).toContain("2025-04-01");
    expect(view.rosters.get(ids.group)).toHaveLength(1);
  });

  it("refuses an empty roster, with a message saying why", () => {
    expect(invalid(rosterPayload({ entries: [] }))).toEqual([
      { path: "entries", message: expect.stringContaining("at least one entry") },
    ]);
  });

  it("refuses 10,000-character names, naming the entry and the field", () => {
    const long = "A".repeat(10_000);
    const issues = invalid(rosterPayload({ entries: [entry("N-1", "Ali"), entry("N-2", long)] }));
    expect(issues).toEqual([
      { path: "entries.1.name.latin.given", message: "must be at most 120 characters" },
    ]);
  });

  it("refuses a member number twice in one version, also when written in Arabic-Indic digits", () => {
    const issues = invalid(
      rosterPayload({ entries: [entry("12", "Ali"), entry("7", "Omar"), entry("١٢ ", "Zaid")] }),
    );
    expect(issues).toEqual([
      { path: "entries.2.memberNumber", message: "member number 12 is already on entry 1; each member once" },
    ]);
  });

  it("refuses a name the engine cannot compare, naming the entry's field", async () => {
    const view = seededView();
    const problem = await refusal(
      submit(
        view,
        rosterPayload({
          entries: [entry("N-1", "Ali"), { memberNumber: "N-2", name: { latin: { given: "bin" } } }],
        }),
      ),
    );
    expect(problem.code).toBe("request.invalid");
    expect(problem.fields.map((f) => f.path)).toContain("payload.entries.1.name.latin.given");
    expect(view.rosters.get(ids.group)).toBeUndefined();
  });
});
