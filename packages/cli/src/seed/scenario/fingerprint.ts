import { createHash } from "node:crypto";
import { type Store, tables as t } from "@armsledger/server";
import { asc, gt } from "drizzle-orm";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * A digest of the ledger that two runs of the same scenario share. The ledger root itself differs
 * between runs: the write path gives each weapon and lot a random id and each personal part a
 * random salt (its commitment is in the leaf), and neither can be chosen by a client. So every
 * leaf is taken without its commitment and with each UUID renamed by order of first appearance;
 * everything else (types, times, actors, command ids' places, payloads, tags, receipt numbers,
 * leaf order) must be identical.
 */
export async function ledgerFingerprint(store: Store): Promise<{ leaves: number; digest: string }> {
  const names = new Map<string, string>();
  const rename = (id: string) => {
    const known = names.get(id);
    if (known) return known;
    const name = `#${names.size}`;
    names.set(id, name);
    return name;
  };
  const hash = createHash("sha256");
  let leaves = 0;
  for (let after = -1; ; ) {
    const page = await store.db
      .select({ seq: t.events.seq, entry: t.events.entry })
      .from(t.events)
      .where(gt(t.events.seq, after))
      .orderBy(asc(t.events.seq))
      .limit(5000);
    if (page.length === 0) break;
    for (const { seq, entry } of page) {
      const { personal: _, ...leaf } = JSON.parse(entry) as Record<string, unknown>;
      hash.update(`${JSON.stringify(leaf).replace(UUID, rename)}\n`);
      leaves++;
      after = seq;
    }
  }
  return { leaves, digest: hash.digest("hex") };
}
