import autocannon from "autocannon";
import { queueOf, type ServerReady, startServer } from "./sync-storm.ts";

// HTTP read endpoints under load (issue 8): autocannon against the real server (the storm
// server, in its own process) after READS_COMMANDS commands were recorded through the sync
// endpoint: the public figures (anonymous, cached by nobody), one person's record (a registrar
// in scope; each read is audited, i.e. a row written) and the disposition balance (an
// administrator). Requests/s and latency percentiles, CONNECTIONS at once for SECONDS each.

export interface ReadOptions {
  databaseUrl: string | undefined;
  commands: number;
  connections: number;
  seconds: number;
}

export async function runHttpReadsBench(options: ReadOptions) {
  const server = startServer(options.databaseUrl);
  try {
    const ready = await server.next<ServerReady>();
    const url = `http://127.0.0.1:${ready.port}`;
    const queue = queueOf(0, options.commands, ready.siteId);
    for (let start = 0; start < queue.length; start += 100) {
      const response = await fetch(`${url}/api/v1/commands/sync`, {
        method: "POST",
        headers: { authorization: `Bearer ${ready.token}`, "content-type": "application/json" },
        body: JSON.stringify({ commands: queue.slice(start, start + 100) }),
      });
      if (response.status !== 200) throw new Error(`seeding: ${response.status} ${await response.text()}`);
    }
    const personId = (queue[0]!.payload as { personId: string }).personId;
    const endpoints = [
      { name: "public figures", path: "/api/v1/public/figures", token: undefined },
      { name: "a person", path: `/api/v1/persons/${personId}`, token: ready.token },
      { name: "disposition balance", path: "/api/v1/reports/disposition-balance", token: ready.adminToken },
    ];
    const results = [];
    for (const endpoint of endpoints) {
      const result = await autocannon({
        url: url + endpoint.path,
        connections: options.connections,
        duration: options.seconds,
        headers: endpoint.token ? { authorization: `Bearer ${endpoint.token}` } : {},
      });
      results.push({
        endpoint: endpoint.name,
        path: endpoint.path.replace(personId, ":id"),
        database: ready.kind,
        records: options.commands,
        connections: options.connections,
        seconds: options.seconds,
        ...loadFigures(result),
      });
    }
    return results;
  } finally {
    if (server.child.exitCode === null) server.child.kill();
  }
}

/** What an autocannon run is reported by: throughput, latency percentiles, failures. */
export function loadFigures(result: autocannon.Result) {
  return {
    requestsPerSecond: result.requests.average,
    latencyP50ms: result.latency.p50,
    latencyP99ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
