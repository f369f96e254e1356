import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyDatabase } from "../src/verify/index.ts";
import { executeCommand } from "../src/write-path/execute.ts";
import {
  admin,
  command,
  groupPayload,
  handoverPayload,
  personPayload,
  programmePayload,
  rifle,
  sitePayload,
} from "./support/fixtures.ts";
import { freshStore } from "./support/store.ts";

// Near-duplicate weapon serials (issue 5, "Weapon serials get the same treatment"): two weapons
// of one make and model whose serials differ only by look-alike characters (O/0, I/1, S/5, B/8,
// Z/2), spaces or dashes are flagged for an officer, never merged, whether the second serial comes
// with a handover or with a correction of a weapon already recorded.

let store: Awaited<ReturnType<typeof freshStore>>;
let siteId: string;
let personId: string;

beforeAll(async () => {
  store = await freshStore();
  const groupId = (await executeCommand(store, command("group.register", groupPayload()), admin)).data
    .groupId as string;
  siteId = (await executeCommand(store, command("site.register", sitePayload()), admin)).data
    .siteId as string;
  await executeCommand(store, command("programme.configure", programmePayload()), admin);
  personId = (await executeCommand(store, command("person.register", personPayload(siteId, groupId)), admin))
    .data.personId as string;
});
afterAll(() => store.dispose());

const handOver = (...serials: string[]) =>
  executeCommand(
    store,
    command("handover.record", handoverPayload(siteId, personId, serials.map(rifle))),
    admin,
  );
const weaponsOf = (answer: Awaited<ReturnType<typeof handOver>>) =>
  answer.data.weapons as { itemId: string; tag: string }[];

describe("near-duplicate serials", () => {
  it("flags a handed-over serial that differs from a recorded one only by look-alike characters", async () => {
    const first = await handOver("1O35-B7");
    expect(first.anomalies).toEqual([]);
    const second = await handOver("1035 87");
    expect(second.anomalies).toEqual([
      expect.objectContaining({
        kind: "near_duplicate_serial",
        subjectKind: "weapon",
        subjectId: weaponsOf(second)[0]!.itemId,
      }),
    ]);
    expect(second.anomalies[0]!.detail).toContain(weaponsOf(first)[0]!.tag);
  });

  it("leaves an exact duplicate to the duplicate-serial anomaly, and other makes alone", async () => {
    const exact = await handOver("77-AB-12");
    expect(exact.anomalies).toEqual([]);
    const again = await handOver("77AB12");
    expect(again.anomalies.map((a) => a.kind)).toEqual(["duplicate_serial"]);
    const other = await executeCommand(
      store,
      command(
        "handover.record",
        handoverPayload(siteId, personId, [{ ...rifle("77-A8-12"), make: "Norinco", model: "Type 56" }]),
      ),
      admin,
    );
    expect(other.anomalies).toEqual([]);
  });

  it("flags a corrected serial that comes to look like another weapon's, and not one corrected away", async () => {
    await handOver("ZR-5500");
    const recorded = await handOver("QX-9000");
    const weapon = weaponsOf(recorded)[0]!;
    const correct = (serial: string) =>
      executeCommand(
        store,
        command("record.correct", {
          kind: "weapon",
          id: weapon.itemId,
          corrects: recorded.seq,
          changes: { serial },
          reason: "Misread from the receiver.",
        }),
        admin,
      );
    expect((await correct("QX-9001")).anomalies).toEqual([]);
    const near = await correct("2R-55OO");
    expect(near.anomalies).toEqual([
      expect.objectContaining({ kind: "near_duplicate_serial", subjectId: weapon.itemId }),
    ]);
  });

  it("rebuilds the near-duplicate keys and anomalies exactly from the ledger", async () => {
    expect((await verifyDatabase(store, {})).projections).toEqual([]);
  });
});
