import { matchInputFromPerson, type PreparedPerson } from "@armsledger/core";
import {
  nameIndexOf,
  type PersonRegisteredData,
  personRowOf,
  type Store,
  sealPersonColumns,
  tables as t,
} from "@armsledger/server";
import { getTableColumns, sql } from "drizzle-orm";
import { fillNameBlockCounts } from "../name-blocks.ts";

// A bulk load of a registry, for benchmarks only: a million registrations through the write path
// would take hours. It writes the rows the person.registered projection writes, made by the
// projection's own functions (personRowOf, sealPersonColumns, nameIndexOf) under the store's
// keys: `persons` (sealed, with blind indexes), `person_name_keys` (keyed name keys) and
// `person_name_counts`. What it leaves out is what the duplicate check never reads: the events,
// their private parts, leaves and record history (registered_seq is 0 on loaded rows).
// The name-key table's indexes are dropped during the load and made again after (then ANALYZE),
// as any bulk import into PostgreSQL would; their definitions are read from the catalogue, so they
// come back exactly as the migrations made them.

const personColumns = Object.entries(getTableColumns(t.persons));

/** A persons row keyed by column name, defaults filled in (jsonb_populate_recordset sets no defaults). */
function databaseRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, column] of personColumns) {
    const value = row[field];
    out[column.name] = value === undefined ? (column.hasDefault ? column.default : null) : value;
  }
  return out;
}

interface IndexDefinition {
  drop: string;
  create: string;
}

async function rows<T>(store: Store, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await store.db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** The name-key table's primary key and indexes, as statements to drop and to make them again. */
async function nameKeyIndexes(store: Store): Promise<IndexDefinition[]> {
  const constraints = await rows<{ name: string; def: string }>(
    store,
    sql`select conname as name, pg_get_constraintdef(oid) as def from pg_constraint
        where conrelid = 'person_name_keys'::regclass and contype in ('p', 'u')`,
  );
  const indexes = await rows<{ name: string; def: string }>(
    store,
    sql`select indexname as name, indexdef as def from pg_indexes where tablename = 'person_name_keys'`,
  );
  const owned = new Set(constraints.map((c) => c.name));
  return [
    ...constraints.map((c) => ({
      drop: `alter table person_name_keys drop constraint "${c.name}"`,
      create: `alter table person_name_keys add constraint "${c.name}" ${c.def}`,
    })),
    ...indexes
      .filter((i) => !owned.has(i.name))
      .map((i) => ({ drop: `drop index "${i.name}"`, create: i.def })),
  ];
}

export interface LoadedPerson {
  data: PersonRegisteredData;
  /** The person folded for matching, once for every store it is loaded into. */
  prepared: PreparedPerson | undefined;
}

/** Loads people into one store in batches; `finish` writes the counts and makes the indexes. */
export class RegistryLoader {
  readonly #store: Store;
  readonly #givenCounts = new Map<number, number>();
  #indexes: IndexDefinition[] = [];
  /** Seconds spent sealing and keying (in this process), and writing (in the database). */
  sealSeconds = 0;
  writeSeconds = 0;
  nameKeys = 0;
  people = 0;

  constructor(store: Store) {
    this.#store = store;
  }

  async begin(): Promise<void> {
    this.#indexes = await nameKeyIndexes(this.#store);
    for (const index of this.#indexes) await this.#store.db.execute(sql.raw(index.drop));
  }

  async add(people: LoadedPerson[]): Promise<void> {
    let start = process.hrtime.bigint();
    const keys = await this.#store.personal.keys();
    const personRows: Record<string, unknown>[] = [];
    const keyColumn: number[] = [];
    const personColumn: string[] = [];
    for (const { data, prepared } of people) {
      personRows.push(databaseRow(sealPersonColumns(keys, data.personId, personRowOf(data, 0))));
      const index = nameIndexOf(keys, matchInputFromPerson(data), prepared);
      if (!index) continue;
      for (const key of index.nameKeys) {
        keyColumn.push(key);
        personColumn.push(data.personId);
      }
      for (const key of index.givenKeys) this.#givenCounts.set(key, (this.#givenCounts.get(key) ?? 0) + 1);
    }
    const sealed = process.hrtime.bigint();
    this.sealSeconds += Number(sealed - start) / 1e9;
    start = sealed;
    await this.#store.db.transaction(async (tx) => {
      await tx.execute(
        sql`insert into persons select * from jsonb_populate_recordset(null::persons, ${JSON.stringify(personRows)}::jsonb)`,
      );
      if (keyColumn.length > 0)
        await tx.execute(
          sql`insert into person_name_keys (key, person_id)
              select * from unnest(${`{${keyColumn.join(",")}}`}::int[], ${`{${personColumn.join(",")}}`}::uuid[])`,
        );
    });
    this.writeSeconds += Number(process.hrtime.bigint() - start) / 1e9;
    this.nameKeys += keyColumn.length;
    this.people += people.length;
  }

  async finish(): Promise<void> {
    const start = process.hrtime.bigint();
    const counts = [...this.#givenCounts];
    for (let i = 0; i < counts.length; i += 50_000) {
      const part = counts.slice(i, i + 50_000);
      await this.#store.db.execute(
        sql`insert into person_name_counts (field, key, count)
            select 'given', k, c from unnest(${`{${part.map(([k]) => k).join(",")}}`}::int[], ${`{${part.map(([, c]) => c).join(",")}}`}::int[]) as u(k, c)
            on conflict (field, key) do update set count = person_name_counts.count + excluded.count`,
      );
    }
    for (const index of this.#indexes) await this.#store.db.execute(sql.raw(index.create));
    await this.#store.db.execute(fillNameBlockCounts);
    await this.#store.db.execute(sql`analyze persons`);
    await this.#store.db.execute(sql`analyze person_name_keys`);
    await this.#store.db.execute(sql`analyze person_name_counts`);
    this.writeSeconds += Number(process.hrtime.bigint() - start) / 1e9;
  }
}
