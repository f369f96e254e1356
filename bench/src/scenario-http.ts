import autocannon from "autocannon";
import { loadFigures } from "./http-reads.ts";
import { forkServer } from "./sync-storm.ts";

// Issue 8: the server on the full national scenario, through HTTP. The dashboard and
// reconciliation routes under load (autocannon, CONNECTIONS at once for SECONDS each), one
// weapon's trail cycling over 300 weapons, and the server's peak resident memory (target < 1 GB)
// over the whole run. The server runs in its own process (scenario-server.ts) on the database
// seeded beforehand (BENCH_SCENARIO_DB), as `armsledger serve` would run it.

interface Ready {
  port: number;
  token: string;
  weaponIds: string[];
  username: string;
}

export async function runScenarioHttpBench(options: {
  scenarioUrl: string;
  connections: number;
  seconds: number;
}) {
  const { child, next } = forkServer(new URL("./scenario-server.ts", import.meta.url), {
    BENCH_SCENARIO_DB: options.scenarioUrl,
  });
  try {
    const ready = await next<Ready>();
    const url = `http://127.0.0.1:${ready.port}`;
    const headers = { authorization: `Bearer ${ready.token}` };
    const endpoints: { name: string; paths: string[]; auth: boolean }[] = [
      { name: "public figures", paths: ["/api/v1/public/figures"], auth: false },
      { name: "dashboard: collection progress", paths: ["/api/v1/reports/collection-progress"], auth: true },
      { name: "dashboard: eligibility report", paths: ["/api/v1/reports/eligibility"], auth: true },
      { name: "dashboard: caches (first page)", paths: ["/api/v1/caches"], auth: true },
      {
        name: "reconciliation: disposition balance",
        paths: ["/api/v1/reports/disposition-balance"],
        auth: true,
      },
      {
        name: "reconciliation: one weapon's trail",
        paths: ready.weaponIds.map((id) => `/api/v1/items/weapon/${id}/trail`),
        auth: true,
      },
    ];
    const results = [];
    for (const endpoint of endpoints) {
      // One request first: a route that fails is an error here, not a column of non-2xx.
      const first = await fetch(url + endpoint.paths[0], { headers: endpoint.auth ? headers : {} });
      if (first.status !== 200)
        throw new Error(`${endpoint.paths[0]}: ${first.status} ${await first.text()}`);
      const result = await autocannon({
        url,
        connections: options.connections,
        duration: options.seconds,
        requests: endpoint.paths.map((path) => ({
          method: "GET" as const,
          path,
          headers: endpoint.auth ? headers : {},
        })),
      });
      results.push({
        endpoint: endpoint.name,
        path: endpoint.paths.length > 1 ? "/api/v1/items/weapon/:id/trail" : endpoint.paths[0]!,
        connections: options.connections,
        seconds: options.seconds,
        ...loadFigures(result),
      });
    }
    const finished = next<{ peakRssMiB: number }>();
    child.send("finish");
    const { peakRssMiB } = await finished;
    return { results, serverPeakRssMiB: peakRssMiB, benchAccount: ready.username };
  } finally {
    if (child.exitCode === null) child.kill();
  }
}
