import { addDays } from "@armsledger/core";
import { executeCommand } from "@armsledger/server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  command,
  handoverPayload,
  personPayload,
  programmePayload,
  rifle,
} from "../../server/test/support/fixtures.ts";
import { runReport } from "../src/reports.ts";
import { admin, seededStore, type TestStore } from "./support/world.ts";

// `armsledger report pathways` and `armsledger report follow-ups --overdue`, run in process on a
// store where one person was offered a pathway and another placed.

let store: TestStore;
let placedPathway: string;
const today = new Date().toISOString().slice(0, 10);

const record = async (type: string, payload: unknown) =>
  (await executeCommand(store, command(type, payload), admin)).data;

beforeAll(async () => {
  store = await seededStore();
  await record("programme.configure", programmePayload());
  const people: string[] = [];
  for (const nationalId of ["CLIPW00001", "CLIPW00002"]) {
    const personId = (
      await record("person.register", { ...personPayload(store.siteId, store.groupId), nationalId })
    ).personId as string;
    await record("handover.record", handoverPayload(store.siteId, personId, [rifle(`CLI-${nationalId}`)]));
    people.push(personId);
  }
  const offer = (personId: string) => ({
    personId,
    kind: "civilian",
    offeredOn: today,
    jobPlacement: "Bakery",
  });
  await record("pathway.offer", offer(people[0]!));
  placedPathway = (await record("pathway.offer", offer(people[1]!))).pathwayId as string;
  await record("pathway.respond", { pathwayId: placedPathway, response: "accept", respondedOn: today });
  await record("pathway.place", { pathwayId: placedPathway, placedOn: today });
});
afterAll(() => store?.dispose());
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

async function output(...argv: string[]) {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
  await runReport("report", argv, (work) => work(store));
  return lines.join("\n");
}

describe("armsledger report pathways", () => {
  it("counts the placement, not the offers, and names no one", async () => {
    const report = JSON.parse(await output("pathways", "--json"));
    expect(report.totals).toMatchObject({ offered: 2, accepted: 1, placed: 1, stillPlaced: 1 });
    const text = await output("pathways");
    expect(text).toMatch(/all\s+offered 2, accepted 1, declined 0, vetting refused 0, PLACED 1/);
    expect(text).toContain("G1");
    expect(text).not.toContain(placedPathway);
  });
});

describe("armsledger report follow-ups", () => {
  it("lists none overdue today, and the placement once its first follow-up day has passed (exit 1)", async () => {
    expect(await output("follow-ups", "--overdue")).toMatch(/overdue as of .*: 0$/);
    expect(process.exitCode).toBeUndefined();
    const later = addDays(today, 31);
    const text = await output("follow-ups", "--overdue", "--as-of", later);
    expect(text).toContain(placedPathway);
    expect(text).toContain(`due ${addDays(today, 30)} OVERDUE by 1 day(s)`);
    expect(process.exitCode).toBe(1);
  });

  it("refuses a date it cannot read", async () => {
    await expect(output("follow-ups", "--as-of", "tomorrow")).rejects.toThrow(/YYYY-MM-DD/);
  });
});
