import { parseArgs } from "node:util";
import { type Actor, unlimitedScope } from "@armsledger/core";
import { countDuplicateReviews, listDuplicateReviews, type Store, searchPersons } from "@armsledger/server";
import { UsageError } from "./usage-error.ts";

// duplicate review (issue 5): `armsledger report duplicate-reviews` and `armsledger search person`.

type WithStore = <T>(work: (store: Store) => Promise<T>) => Promise<T>;

// Whoever runs the CLI on the server holds the database itself.
const operator: Actor = { userId: "cli", role: "admin", scope: unlimitedScope };

const STATUSES = ["pending", "merged", "dismissed"] as const;

/**
 * The review queue: ids, scores and per-field levels only. Names are not printed (a terminal's
 * scroll-back is not the place for them); the reviewer sees both records side by side in
 * GET /api/v1/duplicate-reviews, or here with --json.
 */
export async function duplicateReviewReport(
  values: { json: boolean; status?: string | undefined },
  withStore: WithStore,
): Promise<void> {
  const status = values.status ?? "pending";
  if (status !== "all" && !STATUSES.includes(status as never))
    throw new UsageError("--status is pending, merged, dismissed or all");
  const { rows, counts } = await withStore(async (store) => ({
    rows: await listDuplicateReviews(store, operator, {
      status: status === "all" ? undefined : (status as (typeof STATUSES)[number]),
      limit: 10_000,
    }),
    counts: await countDuplicateReviews(store),
  }));
  if (values.json) return void console.log(JSON.stringify(rows, null, 2));
  console.log(
    `Duplicate reviews: ${STATUSES.map((s) => `${s} ${counts[s] ?? 0}`).join(", ")}; listed: ${status}`,
  );
  for (const r of rows) {
    const best = r.matches[0];
    console.log(
      `  ${r.personId}  ${r.status.padEnd(9)} opened ${r.openedAt} (leaf ${r.openedSeq})  best match ${best ? `${best.personId} ${best.weight} bits (${best.zone})` : "-"}${r.mergedInto ? `  merged into ${r.mergedInto}` : ""}`,
    );
    if (best)
      console.log(`      ${best.explanation.map((e) => `${e.field} ${e.level} ${e.weight}`).join("; ")}`);
  }
}

/** `armsledger search person "NAME"`: any spelling, either script. */
export async function searchCommand(argv: string[], withStore: WithStore): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false }, limit: { type: "string", default: "20" } },
  });
  const [what, ...words] = positionals;
  const q = words.join(" ").trim();
  if (what !== "person" || !q)
    throw new UsageError('usage: armsledger search person "NAME" [--limit N] [--json]');
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new UsageError("--limit is a whole number from 1 to 100");
  const hits = await withStore((store) => searchPersons(store, operator, q, limit));
  if (values.json) return void console.log(JSON.stringify(hits, null, 2));
  console.log(`${hits.length} person(s) for "${q}"`);
  for (const h of hits) {
    const n = h.person.name as { arabic?: Record<string, string>; latin?: Record<string, string> };
    const chain = (c?: Record<string, string>) =>
      c ? [c.given, c.father, c.grandfather, c.family].filter(Boolean).join(" ") : "";
    console.log(
      `  ${h.person.id}  ${h.matchedWords} word(s)  ${[chain(n.arabic), chain(n.latin)].filter(Boolean).join(" / ")}  born ${h.person.birthYear ?? "?"}  ${h.person.governorate}${h.person.duplicateReview !== "none" ? `  [duplicate review: ${h.person.duplicateReview}]` : ""}`,
    );
  }
}
