import { randomBytes, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Actor } from "@armsledger/core";
import { generateKey, parseSignerKey } from "@armsledger/ledger";
import {
  buildApp,
  Checkpointer,
  createApiToken,
  createUser,
  executeCommand,
  scratchStore,
  tables,
} from "@armsledger/server";
import { sql } from "drizzle-orm";
import { autovacuumIsOff } from "./autovacuum.ts";

// The server of the sync storm, in a process of its own (forked by sync-storm.ts) so that its
// peak resident memory and its CPU are its own, not the simulated clients'. It serves the real
// app on a scratch store (DATABASE_URL: a new PostgreSQL database; else the embedded one in
// memory), with the checkpointer integrating and signing beside it as in production.
// Messages: it sends { port, token, adminToken, siteId, kind } when listening; on "finish" it sends the ledger's
// counts and its peak RSS, then removes the scratch store and exits.

const admin: Actor = { userId: "bench", role: "admin", scope: { sites: "all", governorates: "all" } };
const store = await scratchStore(process.env.DATABASE_URL || undefined);
const command = (type: string, payload: unknown) => ({ commandId: randomUUID(), type, payload });
const site = await executeCommand(
  store,
  command("site.register", {
    code: "STORM-01",
    kind: "collection",
    name: { ar: "موقع", en: "Storm site" },
    governorate: "IQ-BG",
    location: { lat: 33.31, lon: 44.36 },
  }),
  admin,
);
await executeCommand(
  store,
  command("programme.configure", {
    name: { ar: "برنامج", en: "Storm programme" },
    eligibility: {
      eligibleCategories: ["rifle", "pistol", "machine_gun"],
      requireServiceable: true,
      minimumRounds: 200,
      cutOffDate: "2030-12-31",
    },
    caps: [],
    legal: { amnesty: true, noForensicUse: true },
    dataOwner: "National DDR Commission",
    retentionYears: 10,
  }),
  admin,
);
// A registrar scoped to the site, as a field laptop signs in.
const account = await createUser(store, {
  username: "field.registrar",
  displayName: "Field Registrar",
  password: "correct horse battery staple",
  role: "registrar",
  scope: { sites: [site.data.siteId as string], governorates: "all" },
});
const { token } = await createApiToken(store, account, "sync storm");
// An administrator's token for the reports (the read benchmark).
const adminAccount = await createUser(store, {
  username: "bench.admin",
  displayName: "Bench Admin",
  password: "correct horse battery staple",
  role: "admin",
  scope: { sites: "all", governorates: "all" },
});
const { token: adminToken } = await createApiToken(store, adminAccount, "read benchmark");
const setupEvents = 2;

const signer = parseSignerKey(
  generateKey("bench.armsledger.local/log", new Uint8Array(randomBytes(32))).signerKey,
);
// PostgreSQL's autovacuum keeps the planner's statistics as the tables grow; where it is off (as on
// the benchmark machine: `show autovacuum`), a storm into empty tables would be planned for empty
// tables throughout. Stand in for its ANALYZE, as an operator's server would have it, every 20 s.
let analyzer: NodeJS.Timeout | undefined;
if (await autovacuumIsOff(store))
  analyzer = setInterval(() => void store.db.execute(sql`analyze`).catch(() => {}), 20_000);
const checkpointer = new Checkpointer(store, { signer });
checkpointer.start();
const app = await buildApp({ store });
await app.listen({ host: "127.0.0.1", port: 0 });
const { port } = app.server.address() as AddressInfo;
process.send!({ port, token, adminToken, siteId: site.data.siteId, kind: store.kind });

process.on("message", async (message) => {
  if (message !== "finish") return;
  await app.close();
  clearInterval(analyzer);
  await checkpointer.stop();
  const rows = (await store.db.execute(
    sql`select count(*)::int as events, count(distinct command_id)::int as commands,
               (select size::int from ledger_state) as ledger_size,
               (select count(*)::int from ${tables.persons}) as persons,
               (select count(*)::int from ${tables.handovers}) as handovers
        from ${tables.events}`,
  )) as unknown as { rows: Record<string, number>[] };
  const counts = rows.rows[0]!;
  const { maxRSS } = process.resourceUsage();
  process.send!(
    {
      ...counts,
      setupEvents,
      analyzedEvery20s: analyzer !== undefined,
      peakRssMiB: Math.round(maxRSS / 1024),
    },
    async () => {
      await store.dispose();
      process.exit(0);
    },
  );
});
