import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { narrowToItem } from "../src/queries/custody.ts";

describe("a trail step's data", () => {
  it("keeps only the followed item in each list of items, and the list's length", () => {
    const data = {
      siteId: "s1",
      weapons: [
        { itemId: "w1", category: "rifle" },
        { itemId: "w2", category: "pistol" },
      ],
      ammunition: [{ lotId: "a1", quantity: 120 }],
      items: [
        { kind: "weapon", id: "w2" },
        { kind: "weapon", id: "w1" },
      ],
      seals: ["S-1", "S-2"],
      witnesses: [{ affiliation: "observer" }],
    };
    expect(narrowToItem(data, "w1")).toEqual({
      siteId: "s1",
      weapons: [{ itemId: "w1", category: "rifle" }],
      weaponsCount: 2,
      ammunition: [],
      ammunitionCount: 1,
      items: [{ kind: "weapon", id: "w1" }],
      itemsCount: 2,
      seals: ["S-1", "S-2"],
      witnesses: [{ affiliation: "observer" }],
    });
  });

  it("never loses the followed item, and counts every list in full", () => {
    const ids = fc.constantFrom("x", "y", "z");
    const entry = fc.oneof(
      ids.map((id) => ({ itemId: id })),
      ids.map((id) => ({ lotId: id })),
      ids.map((id) => ({ kind: "weapon", id })),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.array(entry, { minLength: 1 })),
        ids,
        (data, id) => {
          const narrowed = narrowToItem(data, id);
          for (const [field, list] of Object.entries(data)) {
            const kept = narrowed[field] as Record<string, unknown>[];
            const naming = list.filter((e) => Object.values(e).includes(id) && !("kind" in e && e.id !== id));
            expect(kept).toHaveLength(naming.length);
            expect(narrowed[`${field}Count`]).toBe(list.length);
          }
        },
      ),
    );
  });
});
