import { eligibilityHistoryView } from "@armsledger/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PURGED_NAME } from "../../src/crypto/personal-columns.ts";
import { findPrivatePart } from "../../src/crypto/private-part.ts";
import { loadDemoProgramme } from "../../src/demo/demo-programme.ts";
import { getEligibilityHistory } from "../../src/queries/eligibility.ts";
import { listPersonPathways } from "../../src/queries/pathways.ts";
import { getPerson } from "../../src/queries/records.ts";
import * as t from "../../src/store/schema.ts";
import { checkLedger } from "../../src/verify/ledger-checks.ts";
import { executeCommand } from "../../src/write-path/execute.ts";
import { admin, command, personPayload } from "../support/fixtures.ts";
import { freshStore } from "../support/store.ts";
import { demoPersonalNeedles, needlesIn } from "./personal-needles.ts";
import { recordSealedKinds, sealedKindNeedleList } from "./sealed-kinds.ts";

// Crypto-shredding: the data key destroyed, every personal value under it is gone for good. The
// `purge` commands and verify's replay after a purge are not built yet (docs/security.md).
describe("destroying the data key", () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let personId: string;
  beforeAll(async () => {
    store = await freshStore();
    await loadDemoProgramme(store);
    await recordSealedKinds(store);
    [{ id: personId }] = (await store.db.select({ id: t.persons.id }).from(t.persons).limit(1)) as [
      { id: string },
    ];
  }, 60_000);
  afterAll(() => store.dispose());

  it("leaves every personal value unreadable, the ledger's leaves and commitments sound, and a new key for new data", async () => {
    const before = await store.personal.keys();
    const [registered] = await store.db.select({ seq: t.persons.registeredSeq }).from(t.persons).limit(1);
    expect(await findPrivatePart(store, registered!.seq)).toContain("personId");

    expect(await store.personal.destroyDataKey()).toEqual([before.activeId]);
    const [destroyed] = await store.db.select().from(t.dataKeys);
    expect(destroyed).toMatchObject({ wrapped: null });
    expect(destroyed?.destroyedAt).not.toBeNull();

    // Reads answer "purged" rather than fail; the private parts are gone.
    // A person reads in the documented purged shape (core personView), not the markers.
    const person = await getPerson(store, admin, personId);
    expect(person).toMatchObject({ purged: true, name: { arabic: null, latin: null }, nationalId: null });
    expect(await findPrivatePart(store, registered!.seq)).toBeUndefined();
    // The screening, the appeal and the placement of the first person read purged, in their shapes.
    const [first] = await store.db
      .select({ id: t.persons.id })
      .from(t.persons)
      .orderBy(t.persons.registeredSeq)
      .limit(1);
    const history = eligibilityHistoryView.parse(await getEligibilityHistory(store, admin, first!.id));
    expect(history.screenings[0]).toMatchObject({ answers: [], indications: [], notes: "[purged]" });
    expect(history.appeals[0]).toMatchObject({ grounds: "[purged]", evidence: [], lodgedBy: PURGED_NAME });
    expect(history.revocations[0]).toMatchObject({ reason: "[purged]" });
    const [pathway] = await listPersonPathways(store, admin, first!.id);
    expect(pathway).toMatchObject({ serviceNumber: "[purged]", unit: "[purged]", offer: PURGED_NAME });
    // Nothing in the database decrypts any more: the needles are nowhere, with or without keys.
    const texts = (await store.db.select().from(t.eventPrivate)).map((r) => r.data).join("\n");
    expect(needlesIn(texts, [...demoPersonalNeedles(), ...sealedKindNeedleList()])).toEqual([]);

    // The leaves hold only commitments: the ledger still checks, the purged parts skipped.
    const ledger = await checkLedger(store);
    expect(ledger.problems).toEqual([]);

    // New registrations are encrypted under a new data key.
    const after = await store.personal.keys();
    expect(after.activeId).not.toBe(before.activeId);
    const [site] = await store.db.select({ id: t.sites.id }).from(t.sites).limit(1);
    const answer = await executeCommand(store, command("person.register", personPayload(site!.id)), admin);
    const fresh = await getPerson(store, admin, answer.data.personId as string);
    expect((fresh.name as { arabic: { given: string } }).arabic.given).toBe(
      (personPayload(site!.id).name as { arabic: { given: string } }).arabic.given,
    );
    const [row] = await store.db
      .select({ name: t.persons.name })
      .from(t.persons)
      .where(eq(t.persons.id, answer.data.personId as string));
    expect(String(row?.name)).toMatch(new RegExp(`^v1:${after.activeId}:`));
  });
});
