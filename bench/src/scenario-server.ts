import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { buildApp, createApiToken, createUser, revokeApiToken, tables as t } from "@armsledger/server";
import { asc } from "drizzle-orm";
import { openSeededScenario } from "./custody-reports.ts";

// The server on the seeded national scenario (issue 8: "server memory on the full scenario"),
// in a process of its own (forked by scenario-http.ts) so its peak resident memory is its own.
// It opens BENCH_SCENARIO_DB as `serve` would, adds an administrator for the benchmark (a user
// row and an API token: no event, nothing in the ledger), and sends { port, token, weaponIds }.
// On "finish" it revokes its token and sends its peak RSS; the account stays, since the access
// log names it for every person record the benchmark read.

const store = await openSeededScenario(process.env.BENCH_SCENARIO_DB!);
const username = `bench.${randomBytes(4).toString("hex")}`;
const account = await createUser(store, {
  username,
  displayName: "Scenario benchmark",
  password: randomBytes(24).toString("base64url"),
  role: "admin",
  scope: { sites: "all", governorates: "all" },
});
const { id: tokenId, token } = await createApiToken(store, account, "scenario benchmark");
// Weapons spread over the tag order, as scenario-queries.ts takes them.
const all = await store.db
  .select({ id: t.weaponItems.id })
  .from(t.weaponItems)
  .orderBy(asc(t.weaponItems.tag));
const step = Math.max(1, Math.floor(all.length / 300));
const weaponIds = all.filter((_, i) => i % step === 0).map((r) => r.id);
const app = await buildApp({ store });
await app.listen({ host: "127.0.0.1", port: 0 });
const { port } = app.server.address() as AddressInfo;
process.send!({ port, token, weaponIds, username });

process.on("message", async (message) => {
  if (message !== "finish") return;
  await app.close();
  await revokeApiToken(store, account, tokenId);
  const { maxRSS } = process.resourceUsage();
  process.send!({ peakRssMiB: Math.round(maxRSS / 1024) }, async () => {
    await store.close();
    process.exit(0);
  });
});
