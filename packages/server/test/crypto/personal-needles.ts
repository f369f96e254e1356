import { preparePerson } from "@armsledger/core";
import { and, sql } from "drizzle-orm";
import { personalTargets } from "../../src/crypto/encrypt-existing.ts";
import { openRow, type PersonalTable, personalRowKey } from "../../src/crypto/personal-columns.ts";
import { openPrivatePart } from "../../src/crypto/private-part.ts";
import { demoNationalId, demoPeople } from "../../src/demo/demo-programme.ts";
import type { Store } from "../../src/store/database.ts";
import * as t from "../../src/store/schema.ts";

/** A name's parts, their mother's name, and the folded and skeleton forms the name matching makes of them. */
export function nameNeedles(input: Parameters<typeof preparePerson>[0]): Set<string> {
  const needles = new Set<string>();
  for (const script of Object.values(input.name ?? {}))
    for (const part of Object.values(script ?? {})) if (part) needles.add(part);
  for (const mother of Object.values(input.motherName ?? {})) if (mother) needles.add(mother);
  const prepared = preparePerson(input);
  for (const field of [
    prepared.given,
    prepared.father,
    prepared.grandfather,
    prepared.family,
    prepared.mother,
  ])
    for (const text of field) {
      for (const word of text.norm.split(" ")) if (word.length >= 3) needles.add(word);
      // Skeletons are short consonant strings; shorter than 4 they occur by chance in any text.
      if (text.skeleton.length >= 4) needles.add(text.skeleton);
    }
  return needles;
}

/**
 * What must never be found in a dump of a database holding the demo programme: every part of
 * every demo person's name, Arabic and Latin, their mothers' names, the folded and skeleton forms
 * the name matching makes of them, and their national ids.
 */
export function demoPersonalNeedles(): string[] {
  const needles = new Set<string>();
  for (const [i, p] of demoPeople.entries()) {
    needles.add(demoNationalId(i));
    const name = {
      arabic: { given: p.ar[0], father: p.ar[1], grandfather: p.ar[2], family: p.ar[3] },
      latin: { given: p.la[0], father: p.la[1], grandfather: p.la[2], family: p.la[3] },
    };
    for (const needle of nameNeedles({ name, motherName: { arabic: p.mother } })) needles.add(needle);
  }
  return [...needles];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The needles found in `text` as whole tokens: not inside a longer run of letters, digits, `-` or
 * `_` (a ciphertext's base64url may contain "Ali" by chance, a JSON string never hides it so).
 */
export function needlesIn(text: string, needles: string[]): string[] {
  return needles.filter((n) =>
    new RegExp(`(?<![\\p{L}\\p{N}_-])${escapeRegExp(n)}(?![\\p{L}\\p{N}_-])`, "u").test(text),
  );
}

/** Every text, jsonb and bytea value of every table, as one text per column. */
export async function everyStoredText(store: Store): Promise<Map<string, string>> {
  const { rows: columns } = (await store.db.execute(sql`
    select table_schema, table_name, column_name, data_type from information_schema.columns
    where table_schema not in ('pg_catalog', 'information_schema')
      and data_type in ('text', 'jsonb', 'json', 'bytea', 'character varying', 'ARRAY')`)) as unknown as {
    rows: { table_schema: string; table_name: string; column_name: string; data_type: string }[];
  };
  const out = new Map<string, string>();
  for (const c of columns) {
    const column = sql.identifier(c.column_name);
    const value = c.data_type === "bytea" ? sql`encode(${column}, 'escape')` : sql`${column}::text`;
    const { rows } = (await store.db.execute(
      sql`select string_agg(${value}, E'\n') as v from ${sql.identifier(c.table_schema)}.${sql.identifier(c.table_name)}`,
    )) as unknown as { rows: { v: string | null }[] };
    out.set(`${c.table_name}.${c.column_name}`, rows[0]?.v ?? "");
  }
  return out;
}

/**
 * What the running server can still read: every sealed column of every personal table, opened
 * with the live data key, and every event's private part, as one text per column.
 */
export async function everyOpenedText(store: Store): Promise<Map<string, string>> {
  const keys = await store.personal.keys();
  const out = new Map<string, string>();
  for (const table of Object.keys(personalTargets) as PersonalTable[]) {
    if (table === "event_private") continue;
    const target = personalTargets[table];
    const rows = (await store.db
      .select()
      .from(target.table as never)
      .where(and(target.only))) as Record<string, unknown>[];
    const opened = rows.map((row) => openRow(keys, table, personalRowKey[table](row), row));
    out.set(table, JSON.stringify(opened));
  }
  const parts = await store.db.select().from(t.eventPrivate);
  out.set("event_private", parts.map((p) => openPrivatePart(keys, p)).join("\n"));
  return out;
}
