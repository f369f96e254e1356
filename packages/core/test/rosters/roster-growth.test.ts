import { describe, expect, it } from "vitest";
import { rosterGrowth } from "../../src/rosters/growth.ts";

const members = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `M${from + i}`);

describe("rosterGrowth", () => {
  it("counts entries that joined in versions submitted after the cut-off, and their share", () => {
    const growth = rosterGrowth(
      [
        { version: 1, submittedOn: "2025-01-10", memberNumbers: members(1, 100) },
        // After the cut-off: 5 join, 2 leave.
        { version: 2, submittedOn: "2025-07-05", memberNumbers: [...members(3, 100), ...members(101, 105)] },
        // Later still: 3 more join.
        { version: 3, submittedOn: "2025-08-01", memberNumbers: [...members(3, 105), ...members(106, 108)] },
      ],
      "2025-06-30",
    );
    expect(growth.versions.map((v) => [v.version, v.afterCutOff, v.entries, v.added, v.removed])).toEqual([
      [1, false, 100, 100, 0],
      [2, true, 103, 5, 2],
      [3, true, 106, 3, 0],
    ]);
    expect(growth.addedAfterCutOff).toEqual({ entries: 8, share: 0.0755 });
    expect(growth.spikes).toBe(0);
  });

  it("flags the roster padded by 20% just before the cut-off as a spike, not as late growth", () => {
    const growth = rosterGrowth(
      [
        { version: 1, submittedOn: "2025-03-01", memberNumbers: members(1, 500) },
        { version: 2, submittedOn: "2025-06-28", memberNumbers: members(1, 600) },
      ],
      "2025-06-30",
    );
    expect(growth.versions[1]).toMatchObject({ growth: 0.2, spike: true, afterCutOff: false, added: 100 });
    expect(growth.spikes).toBe(1);
    expect(growth.addedAfterCutOff).toEqual({ entries: 0, share: 0 });
  });

  it("does not flag growth at the threshold, and flags it just above", () => {
    const at = rosterGrowth(
      [
        { version: 1, submittedOn: "2025-01-01", memberNumbers: members(1, 100) },
        { version: 2, submittedOn: "2025-02-01", memberNumbers: members(1, 110) },
        { version: 3, submittedOn: "2025-03-01", memberNumbers: members(1, 122) },
      ],
      undefined,
    );
    expect(at.versions.map((v) => v.spike)).toEqual([false, false, true]);
    expect(at.cutOffDate).toBeNull();
    expect(at.addedAfterCutOff).toBeNull();
  });

  it("counts a whole first list submitted after the cut-off as late, and a member who left and came back as joining again", () => {
    const late = rosterGrowth(
      [{ version: 1, submittedOn: "2025-07-01", memberNumbers: members(1, 40) }],
      "2025-06-30",
    );
    expect(late.addedAfterCutOff).toEqual({ entries: 40, share: 1 });
    const back = rosterGrowth(
      [
        { version: 1, submittedOn: "2025-01-01", memberNumbers: ["A", "B"] },
        { version: 2, submittedOn: "2025-02-01", memberNumbers: ["A"] },
        { version: 3, submittedOn: "2025-07-02", memberNumbers: ["A", "B"] },
      ],
      "2025-06-30",
    );
    expect(back.addedAfterCutOff).toEqual({ entries: 1, share: 0.5 });
    // A list that halves is no spike: padding is growth.
    expect(back.versions[1]!.spike).toBe(false);
  });
});
