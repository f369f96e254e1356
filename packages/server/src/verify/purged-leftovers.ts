// What the replay cannot rebuild after crypto-shredding, and why that is no tampering: the keyed
// indexes made under a destroyed data key (a national id's or a photo's blind index, the name
// keys and their counts). They match nothing any more; `armsledger purge --all-personal-data`
// deletes them. Every other difference stays a failure.
import { inArray, isNotNull } from "drizzle-orm";
import { PURGED } from "../crypto/field-keys.ts";
import { openPersonRow, PURGED_NAME } from "../crypto/personal-columns.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import type { RowDifference } from "./compare.ts";

/** Each blind index of a person, with the column it indexes. */
const indexed: Record<string, "nationalId" | "photo"> = {
  nationalIdIndex: "nationalId",
  photoIndex: "photo",
};

function isPurgedName(value: unknown): boolean {
  return JSON.stringify(value) === JSON.stringify(PURGED_NAME);
}

/** Splits the differences into real ones and the leftovers of purged values (counted). */
export async function separatePurgedLeftovers(
  live: Store,
  differences: RowDifference[],
): Promise<{ differences: RowDifference[]; leftovers: number }> {
  const shredded =
    (await live.db.select({ id: t.dataKeys.id }).from(t.dataKeys).where(isNotNull(t.dataKeys.destroyedAt)))
      .length > 0;
  const personIds = [
    ...new Set(
      differences
        .filter((d) => d.table === "persons" || d.table === "person_name_keys")
        .map((d) => (d.table === "persons" ? d.key : d.key.split("/")[1]!)),
    ),
  ];
  const keys = await live.personal.keys();
  const people = new Map(
    personIds.length === 0
      ? []
      : (await live.db.select().from(t.persons).where(inArray(t.persons.id, personIds))).map((row) => [
          row.id,
          openPersonRow(keys, row),
        ]),
  );
  const isLeftover = (d: RowDifference): boolean => {
    if (d.table === "persons" && d.kind === "changed") {
      const person = people.get(d.key);
      return !!person && !!d.columns?.every((c) => c in indexed && person[indexed[c]!] === PURGED);
    }
    if (d.table === "person_name_keys" && d.kind === "not explained by the ledger")
      return isPurgedName(people.get(d.key.split("/")[1]!)?.name);
    return d.table === "person_name_counts" && d.kind === "not explained by the ledger" && shredded;
  };
  const real = differences.filter((d) => !isLeftover(d));
  return { differences: real, leftovers: differences.length - real.length };
}
