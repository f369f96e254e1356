import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyDatabase } from "../src/verify/index.ts";
import { type Api, counts, expectProblem, startApi } from "./api/support.ts";
import { groupPayload, personPayload, programmePayload, sitePayload } from "./support/fixtures.ts";

// Group rosters through the HTTP API: versions submitted by admin, the comparison with the group's
// registrations as counts for analysts and monitors, entry by entry (names) for admin only.
// Names cross scripts: the roster is typed in Latin letters, registrations are in Arabic script.
// Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.

const given = [
  ["Ali", "علي"],
  ["Omar", "عمر"],
  ["Hassan", "حسن"],
  ["Karim", "كريم"],
  ["Yousif", "يوسف"],
  ["Zaid", "زيد"],
  ["Ahmed", "أحمد"],
  ["Mustafa", "مصطفى"],
  ["Haidar", "حيدر"],
  ["Abbas", "عباس"],
  ["Salim", "سالم"],
  ["Majid", "ماجد"],
  ["Nabil", "نبيل"],
] as const;
const father = [
  ["Jasim", "جاسم"],
  ["Kadhim", "كاظم"],
  ["Hamid", "حميد"],
  ["Rashid", "رشيد"],
  ["Saad", "سعد"],
  ["Fadhil", "فاضل"],
  ["Jabbar", "جبار"],
  ["Latif", "لطيف"],
  ["Munir", "منير"],
  ["Talib", "طالب"],
  ["Wahid", "وحيد"],
  ["Qasim", "قاسم"],
  ["Badr", "بدر"],
] as const;
const family = [
  ["al-Tamimi", "التميمي"],
  ["al-Jubouri", "الجبوري"],
  ["al-Sudani", "السوداني"],
] as const;
const mother = [
  ["Fatima", "فاطمة"],
  ["Zainab", "زينب"],
  ["Maryam", "مريم"],
  ["Amina", "آمنة"],
] as const;

/** Member i in the group's list, in Latin letters. */
function entry(i: number) {
  return {
    memberNumber: `K-${String(i + 1).padStart(3, "0")}`,
    name: {
      latin: {
        given: given[i]![0],
        father: father[i]![0],
        grandfather: father[(i + 5) % 13]![0],
        family: family[i % 3]![0],
      },
    },
    motherName: { latin: mother[i % 4]![0] },
    birthYear: 1980 + i,
    sex: "male",
    governorate: "IQ-BG",
  };
}

/** Member i registered at a site, in Arabic script only; `sparse` leaves out grandfather, tribe and mother, and is a year off. */
function registration(siteId: string, groupId: string, i: number, sparse = false) {
  const base = personPayload(siteId, groupId);
  const { nationalId: _id, motherName: _m, ...rest } = base;
  return {
    ...rest,
    name: {
      arabic: {
        given: given[i]![1],
        father: father[i]![1],
        ...(sparse ? {} : { grandfather: father[(i + 5) % 13]![1] }),
        ...(sparse ? {} : { family: family[i % 3]![1] }),
      },
    },
    ...(sparse ? {} : { motherName: { arabic: mother[i % 4]![1] } }),
    birth: { year: 1980 + i + (sparse ? 1 : 0) },
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => entry(from + i));

let api: Api;
let groupId: string;
let otherGroupId: string;
let siteIdOf: string;
const cookie: Record<string, string> = {};
const get = (who: string, url: string) =>
  api.app.inject({ method: "GET", url, headers: { cookie: cookie[who]! } });

beforeAll(async () => {
  api = await startApi();
  cookie.admin = api.headers("admin").cookie!;
  cookie.analyst = (await api.addUser("analyst", "analyst")).cookie;
  cookie.monitor = (await api.addUser("monitor", "monitor")).cookie;
  cookie.registrar = (await api.addUser("registrar", "registrar")).cookie;
  groupId = (await api.ok("admin", "group.register", groupPayload("ROS-G"))).groupId as string;
  otherGroupId = (await api.ok("admin", "group.register", groupPayload("ROS-H"))).groupId as string;
  const siteId = (await api.ok("admin", "site.register", sitePayload("ROS-S"))).siteId as string;
  siteIdOf = siteId;
  await api.ok("admin", "programme.configure", {
    ...programmePayload(),
    eligibility: { ...programmePayload().eligibility, cutOffDate: "2026-01-31" },
  });
  // Members 0-5 registered with their full chain; member 6 with too little to be sure; and one
  // person registered under the group whom no list names.
  for (let i = 0; i < 6; i++) await api.ok("admin", "person.register", registration(siteId, groupId, i));
  await api.ok("admin", "person.register", registration(siteId, groupId, 6, true));
  await api.ok("admin", "person.register", personPayload(siteId, groupId));
});
afterAll(() => api?.close());

describe("group rosters through the API", () => {
  it("answers 404 with a clear message before the group has a roster", async () => {
    const problem = expectProblem(
      await get("analyst", `/api/v1/groups/${groupId}/roster-comparison`),
      "resource.not-found",
    );
    expect(problem.detail).toContain("ROS-G has submitted no roster");
  });

  it("records versions; the comparison reads the latest, and flags the padding and the late growth", async () => {
    // v1: ten members; v2 just before the cut-off: padded by 20%; v3 after it: one more.
    const v1 = await api.ok("admin", "roster.submit", {
      groupId,
      submittedOn: "2026-01-10",
      entries: range(0, 10),
    });
    expect(v1).toMatchObject({ version: 1, entryCount: 10, added: 10, removed: 0 });
    await api.ok("admin", "roster.submit", { groupId, submittedOn: "2026-01-28", entries: range(0, 12) });
    const v3 = await api.ok("admin", "roster.submit", {
      groupId,
      submittedOn: "2026-02-15",
      entries: range(0, 13),
    });
    expect(v3).toMatchObject({ version: 3, entryCount: 13, added: 1, removed: 0 });

    const res = await get("analyst", `/api/v1/groups/${groupId}/roster-comparison`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      groupCode: "ROS-G",
      version: 3,
      submittedOn: "2026-02-15",
      roster: { entries: 13, registered: 6, review: 1, notRegistered: 6, registeredShare: 0.4615 },
      registrations: {
        persons: 8,
        onList: 6,
        review: 1,
        notOnList: 1,
        listedByGroupNotOnList: 1,
        notOnListBySex: { male: 1 },
        notOnListByAgeGroup: { adult: 1 },
        unreadable: 0,
      },
      growth: {
        cutOffDate: "2026-01-31",
        spikes: 1,
        addedAfterCutOff: { entries: 1, share: 0.0769 },
      },
    });
    expect(
      body.growth.versions.map((v: { spike: boolean; afterCutOff: boolean }) => [v.spike, v.afterCutOff]),
    ).toEqual([
      [false, false],
      [true, false],
      [false, true],
    ]);
    // Counts only: no names, no member numbers, no person ids.
    for (const s of ["Ali", "علي", "K-001", "Jasim"]) expect(res.body).not.toContain(s);
    expect((await get("monitor", `/api/v1/groups/${groupId}/roster-comparison`)).statusCode).toBe(200);
  });

  it("lists entries with names and their matches for admin only", async () => {
    const res = await get("admin", `/api/v1/groups/${groupId}/roster-comparison/entries`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(13);
    expect(body.items[0]).toMatchObject({
      position: 0,
      memberNumber: "K-001",
      name: { latin: { given: "Ali" } },
      status: "registered",
      personId: expect.any(String),
    });
    expect(body.items[6]).toMatchObject({ status: "review", personId: expect.any(String) });
    expect(body.items[12]).toMatchObject({ status: "not_registered", personId: null, explanation: [] });
    expect(body.notOnList.count).toBe(1);
    expect(body.notOnList.personIds).toHaveLength(1);
    for (const who of ["analyst", "monitor", "registrar"])
      expectProblem(await get(who, `/api/v1/groups/${groupId}/roster-comparison/entries`), "auth.forbidden");
    expectProblem(await get("registrar", `/api/v1/groups/${groupId}/roster-comparison`), "auth.forbidden");
  });

  it("answers anew once someone else of the group registers (no stale comparison)", async () => {
    const url = `/api/v1/groups/${groupId}/roster-comparison`;
    const before = (await get("monitor", url)).json();
    expect(before.roster.registered).toBe(6);
    expect((await get("monitor", url)).json()).toEqual(before);
    await api.ok("admin", "person.register", registration(siteIdOf, groupId, 7));
    const after = (await get("monitor", url)).json();
    expect(after.roster).toMatchObject({ registered: 7, notRegistered: 5 });
    expect(after.registrations.persons).toBe(9);
  });

  it("keeps the names out of the ledger leaf, and a replay reproduces the roster tables", async () => {
    const { rows } = (await api.store.db.execute(
      "select entry from events where type = 'roster.submitted' order by seq",
    )) as unknown as { rows: { entry: string }[] };
    expect(rows).toHaveLength(3);
    for (const { entry: leaf } of rows) {
      expect(leaf).not.toContain("Ali");
      expect(leaf).not.toContain("K-001");
      expect(JSON.parse(leaf).data).toMatchObject({ entriesHash: expect.stringMatching(/^[0-9a-f]{64}$/u) });
    }
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, projections: [] });
  });

  it("refuses bad rosters with clear errors and records nothing", async () => {
    const before = await counts(api.store);
    const refuse = async (
      payload: unknown,
      code: "request.invalid" | "rule.violated" | "reference.unknown",
    ) => expectProblem(await api.post("admin", "roster.submit", payload), code);
    const empty = await refuse(
      { groupId: otherGroupId, submittedOn: "2026-01-10", entries: [] },
      "request.invalid",
    );
    expect(empty.errors).toEqual([
      { path: "payload.entries", message: expect.stringContaining("at least one entry") },
    ]);
    const long = range(0, 2).map((e, i) =>
      i === 1 ? { ...e, name: { latin: { ...e.name.latin, given: "A".repeat(10_000) } } } : e,
    );
    const tooLong = await refuse(
      { groupId: otherGroupId, submittedOn: "2026-01-10", entries: long },
      "request.invalid",
    );
    expect(tooLong.errors).toEqual([
      { path: "payload.entries.1.name.latin.given", message: "must be at most 120 characters" },
    ]);
    const twice = [entry(0), { ...entry(1), memberNumber: "k-001" }];
    const duplicate = await refuse(
      { groupId: otherGroupId, submittedOn: "2026-01-10", entries: twice },
      "request.invalid",
    );
    expect(duplicate.errors).toEqual([
      {
        path: "payload.entries.1.memberNumber",
        message: expect.stringContaining("K-001 is already on entry 1"),
      },
    ]);
    const earlier = await refuse(
      { groupId, submittedOn: "2026-02-01", entries: range(0, 2) },
      "rule.violated",
    );
    expect(earlier.detail).toContain("2026-02-15");
    await refuse(
      { groupId: "00000000-0000-4000-8000-00000000dead", submittedOn: "2026-01-10", entries: range(0, 1) },
      "reference.unknown",
    );
    const asRegistrar = await api.app.inject({
      method: "POST",
      url: "/api/v1/commands",
      headers: { cookie: cookie.registrar! },
      payload: {
        commandId: crypto.randomUUID(),
        type: "roster.submit",
        payload: { groupId, submittedOn: "2026-03-01", entries: range(0, 1) },
      },
    });
    expectProblem(asRegistrar, "auth.forbidden");
    expect(await counts(api.store)).toEqual(before);
  });
});
