// The database's data keys: made at random on first use, stored only wrapped by the master key
// (KeyProvider), unwrapped once per process and kept in memory. The one place that reads
// `data_keys`; everything else asks `store.personal.keys()`.
import { randomBytes } from "node:crypto";
import { asc, isNull, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as t from "../store/schema.ts";
import { FieldKeys } from "./field-keys.ts";
import type { KeyProvider } from "./master-key.ts";

type AnyDb = PgDatabase<PgQueryResultHKT, typeof t>;

/** A store's personal-data keys. `keys()` loads (or on first use makes) the data key. */
export class PersonalData {
  readonly #db: AnyDb;
  readonly #provider: KeyProvider;
  #loading: Promise<FieldKeys> | undefined;

  constructor(db: AnyDb, provider: KeyProvider) {
    this.#db = db;
    this.#provider = provider;
  }

  /** The keys, loaded once. Needs the schema migrated. */
  keys(): Promise<FieldKeys> {
    this.#loading ??= this.#load().catch((error: unknown) => {
      this.#loading = undefined;
      throw error;
    });
    return this.#loading;
  }

  /** Forgets the keys held in memory (after the data key was destroyed or made). */
  forget(): void {
    this.#loading = undefined;
  }

  async #load(): Promise<FieldKeys> {
    let rows = await this.#rows();
    if (!rows.some((r) => r.wrapped !== null)) {
      const wrapped = await this.#provider.wrap(new Uint8Array(randomBytes(32)));
      // Two processes may start on a new database at once: the unique index keeps one key alive.
      await this.#db.insert(t.dataKeys).values({ wrapped }).onConflictDoNothing();
      rows = await this.#rows();
    }
    const alive = rows.filter((r) => r.wrapped !== null);
    const keys = await Promise.all(
      alive.map(async (r) => ({ id: r.id, key: await this.#provider.unwrap(r.wrapped!) })),
    );
    const active = keys.at(-1)!;
    return new FieldKeys(
      active,
      keys.slice(0, -1),
      rows.filter((r) => r.wrapped === null).map((r) => r.id),
    );
  }

  #rows() {
    return this.#db
      .select({ id: t.dataKeys.id, wrapped: t.dataKeys.wrapped })
      .from(t.dataKeys)
      .orderBy(asc(t.dataKeys.id));
  }

  /**
   * Crypto-shredding: erases the wrapped data key, so every value encrypted under it is gone for
   * good (the master key alone cannot bring it back). The next use makes a new data key.
   * `db` may be a transaction (a purge's); the keys held in memory are forgotten at once.
   */
  async destroyDataKey(db: Pick<AnyDb, "update"> = this.#db): Promise<number[]> {
    const destroyed = await db
      .update(t.dataKeys)
      .set({ wrapped: null, destroyedAt: sql`now()` })
      .where(isNull(t.dataKeys.destroyedAt))
      .returning({ id: t.dataKeys.id });
    this.forget();
    return destroyed.map((r) => r.id);
  }
}
