import type { AppealRecord, ScreeningView, WeaponCategory } from "@armsledger/core";
import { and, desc, eq } from "drizzle-orm";
import type { FieldKeys } from "../crypto/field-keys.ts";
import { openRow } from "../crypto/personal-columns.ts";
import type { Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";

/** The screening rules' window on screenings, appeals and what a person handed in (part of the record view). */
export function sqlScreeningView(tx: Tx, keys: FieldKeys): ScreeningView {
  const appealOf = (row: typeof t.eligibilityAppeals.$inferSelect): AppealRecord => ({
    id: row.id,
    personId: row.personId,
    status: row.status as AppealRecord["status"],
    lodgedAt: new Date(row.lodgedAt).toISOString(),
  });
  return {
    async findLatestScreening(personId) {
      const [row] = await tx
        .select()
        .from(t.screenings)
        .where(eq(t.screenings.personId, personId))
        .orderBy(desc(t.screenings.seq))
        .limit(1);
      return row
        ? {
            screeningId: row.id,
            status: row.status as "eligible" | "ineligible",
            membershipVerified: row.membershipVerified,
            excluded: row.excluded,
          }
        : undefined;
    },
    async findPersonFacts(personId) {
      const [row] = await tx
        .select({
          listedByGroup: t.persons.listedByGroup,
          birthDate: t.persons.birthDate,
          birthYear: t.persons.birthYear,
        })
        .from(t.persons)
        .where(eq(t.persons.id, personId));
      const opened = row && openRow(keys, "persons", personId, row);
      return opened
        ? {
            listedByGroup: opened.listedByGroup,
            birthDate: opened.birthDate ?? undefined,
            birthYear: opened.birthYear ?? undefined,
          }
        : undefined;
    },
    async personItems(personId) {
      const weapons = await tx
        .select({ category: t.weaponItems.category, serviceable: t.weaponItems.serviceable })
        .from(t.weaponItems)
        .innerJoin(t.handovers, eq(t.handovers.id, t.weaponItems.handoverId))
        .where(eq(t.handovers.personId, personId));
      const ammunition = await tx
        .select({ unit: t.ammunitionLots.unit, quantity: t.ammunitionLots.quantity })
        .from(t.ammunitionLots)
        .innerJoin(t.handovers, eq(t.handovers.id, t.ammunitionLots.handoverId))
        .where(eq(t.handovers.personId, personId));
      return {
        weapons: weapons.map((w) => ({ category: w.category as WeaponCategory, serviceable: w.serviceable })),
        ammunition,
      };
    },
    async findAppeal(appealId) {
      const [row] = await tx.select().from(t.eligibilityAppeals).where(eq(t.eligibilityAppeals.id, appealId));
      return row && appealOf(row);
    },
    async findOpenAppeal(personId) {
      const [row] = await tx
        .select()
        .from(t.eligibilityAppeals)
        .where(and(eq(t.eligibilityAppeals.personId, personId), eq(t.eligibilityAppeals.status, "lodged")));
      return row && appealOf(row);
    },
  };
}
