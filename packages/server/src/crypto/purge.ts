// Purges of people's data (issue 7). `purgeAllPersonalData` is the emergency purge: the data key
// is destroyed (crypto-shredding), so every personal value, private part and keyed index made
// under it is gone for good; what was derived from it and can be deleted is deleted, and the
// purge is logged. The ledger's leaves hold only commitments: `verify` still passes.
import { sql } from "drizzle-orm";
import { logRead } from "../access/read-audit.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

/** The phrase the operator must type, whole, to purge everyone's data. */
export const PURGE_ALL_CONFIRMATION = "destroy all personal data";

export interface PurgeActor {
  /** The account id. */
  actor: string;
  role: string;
  /** Why, in the operator's words: logged. */
  reason: string;
}

export interface AllPurged {
  /** The data keys destroyed. */
  destroyedKeys: number[];
  /** People whose personal values are now unreadable. */
  persons: number;
  nameKeys: number;
  nameCounts: number;
  /** Tables vacuumed (PostgreSQL keeps old row versions until VACUUM). */
  vacuumed: string[];
}

// Tables whose rows a purge rewrites or deletes: VACUUM after, so no old version survives.
const touchedTables = ["data_keys", "persons", "person_name_keys", "person_name_counts"];

export async function purgeAllPersonalData(store: Store, by: PurgeActor): Promise<AllPurged> {
  const result = await store.db.transaction(async (tx) => {
    const destroyedKeys = await store.personal.destroyDataKey(tx);
    // Keyed by the destroyed key, these match nothing any more: deleted, not left to mislead.
    const nameKeys = (await tx.delete(t.personNameKeys).returning({ key: t.personNameKeys.key })).length;
    const nameCounts = (await tx.delete(t.personNameCounts).returning({ key: t.personNameCounts.key }))
      .length;
    const persons = (
      await tx
        .update(t.persons)
        .set({ nationalIdIndex: null, photoIndex: null })
        .returning({ id: t.persons.id })
    ).length;
    return { destroyedKeys, persons, nameKeys, nameCounts };
  });
  store.personal.forget();
  // Logged after the keys are gone: a purge that happened must not be undone by a failed log
  // line, and the log names no one (one row for everyone).
  await logRead(store, {
    actor: by.actor,
    role: by.role,
    action: "person.purge",
    channel: "armsledger purge --all-personal-data",
    subjectKind: "person",
    subjects: "all",
    records: result.persons,
    purpose: by.reason,
  });
  return { ...result, vacuumed: await vacuum(store, touchedTables) };
}

/** PostgreSQL keeps a rewritten row's old version until VACUUM; the embedded database is vacuumed too. */
export async function vacuum(store: Store, tables: string[]): Promise<string[]> {
  const done: string[] = [];
  for (const table of tables) {
    try {
      await store.db.execute(sql.raw(`VACUUM ${table}`));
      done.push(table);
    } catch {
      // The application role may not own the table: the operator runs VACUUM as its owner
      // (docs/security.md).
    }
  }
  return done;
}
