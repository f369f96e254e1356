import { sql } from "drizzle-orm";
import * as t from "../store/schema.ts";

/**
 * A key part's place among the parts taken off its weapon, in ledger order (parts recorded by one
 * leaf, a handover or a receipt, in the order of their ids): the number in its derived tag
 * (`keyPartTag` in core). The index on weapon_id finds the others.
 */
export const keyPartOrdinal = sql<number>`(select count(*)::int from ${t.keyParts} earlier
  where earlier.weapon_id = ${t.keyParts.weaponId} and (earlier.separated_seq < ${t.keyParts.separatedSeq}
    or (earlier.separated_seq = ${t.keyParts.separatedSeq} and earlier.id <= ${t.keyParts.id})))`;
