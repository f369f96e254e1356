import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPersonRow } from "../src/crypto/personal-columns.ts";
import { applyRetention } from "../src/retention/apply.ts";
import * as t from "../src/store/schema.ts";
import { verifyDatabase } from "../src/verify/index.ts";
import { type Api, startApi } from "./api/support.ts";
import { personPayload } from "./support/fixtures.ts";

// A retention run interrupted half way (here: the access log refuses the purge of one person, as
// a crash or a lost connection would stop it): the people purged before stay purged, the one it
// stopped at and those after are untouched (nothing half purged), and the next run completes it.

let api: Api;
const people: string[] = [];
let by: { actor: string; role: string; reason: string };
beforeAll(async () => {
  api = await startApi({ seed: true });
  for (const [i, given] of ["Hamid", "Jabbar", "Kareem"].entries())
    people.push(
      (
        await api.ok("admin", "person.register", {
          ...personPayload(api.seed.siteA),
          name: { latin: { given, father: "Sabah", family: "al-Zubaidi" } },
          nationalId: `STOPPED00000${i}`,
        })
      ).personId as string,
    );
  // The run purges people in id order.
  people.sort();
  const [admin] = await api.store.db.select().from(t.users).where(eq(t.users.username, "admin"));
  by = { actor: admin!.id, role: "admin", reason: "the programme's retention policy" };
}, 120_000);
afterAll(() => api?.close());

const purged = async (personId: string) => {
  const keys = await api.store.personal.keys();
  const [row] = await api.store.db.select().from(t.persons).where(eq(t.persons.id, personId));
  return JSON.stringify(openPersonRow(keys, row!).name) === JSON.stringify({ purged: true });
};

describe("an interrupted retention run", () => {
  it("keeps what it purged, leaves the rest untouched, and the next run completes it", async () => {
    const later = "2099-01-01";
    await api.store.db.execute(sql`create function stop_at() returns trigger language plpgsql as $$
      begin
        if new.action = 'person.purge' and new.subject_id = ${sql.raw(`'${people[1]}'`)} then
          raise exception 'interrupted';
        end if;
        return new;
      end $$`);
    await api.store.db.execute(
      sql`create trigger stop_at before insert on access_log for each row execute function stop_at()`,
    );
    try {
      await expect(applyRetention(api.store, later, by)).rejects.toThrow();
    } finally {
      await api.store.db.execute(sql`drop trigger stop_at on access_log`);
      await api.store.db.execute(sql`drop function stop_at()`);
    }
    expect([await purged(people[0]!), await purged(people[1]!), await purged(people[2]!)]).toEqual([
      true,
      false,
      false,
    ]);
    // Nothing of the stopped person's purge was kept: their name keys are still there.
    expect(
      (await api.store.db.select().from(t.personNameKeys).where(eq(t.personNameKeys.personId, people[1]!)))
        .length,
    ).toBeGreaterThan(0);
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, projections: [] });

    const resumed = await applyRetention(api.store, later, by);
    expect(resumed.purged.registration_not_eligible).toBeGreaterThanOrEqual(2);
    expect(await Promise.all(people.map(purged))).toEqual([true, true, true]);
    // Each person purged once: one log row each.
    const rows = await api.store.db
      .select({ subjectId: t.accessLog.subjectId })
      .from(t.accessLog)
      .where(sql`${t.accessLog.action} = 'person.purge'`);
    for (const id of people) expect(rows.filter((r) => r.subjectId === id)).toHaveLength(1);
    expect(await verifyDatabase(api.store)).toMatchObject({ ok: true, projections: [] });
  }, 240_000);
});
