import { sql } from "drizzle-orm";

/**
 * After a bulk load of `person_name_keys`: the block sizes the duplicate check reads (field
 * 'block' of `person_name_counts`), as the projection keeps them and as migration 0031 fills them
 * (the key table grouped by key). Shared by the benchmarks that load a registry in bulk.
 */
export const fillNameBlockCounts = sql`
  insert into person_name_counts (field, key, count)
  select 'block', key, count(*)::int from person_name_keys group by key
  on conflict (field, key) do update set count = excluded.count`;
