import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import {
  createApiToken,
  createUser,
  executeCommand,
  initLogKey,
  openStore,
  type StoreOptions,
} from "@armsledger/server";
import { admin, command, programmePayload, sitePayload } from "../../../server/test/support/fixtures.ts";

/** The armsledger command as an operator runs it: `node packages/cli/src/main.ts …`. */
export const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the server printed, for a failing test's message. */
  output(): string;
  /** Sends the signal and waits until the process is gone. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

/** Starts `armsledger serve` and waits until /healthz answers 200. */
export async function startServer(
  env: NodeJS.ProcessEnv,
  port: number,
  timeoutMs = 90_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN, "serve", "--no-demo"], {
    env: { ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => {
    output += d;
  });
  child.stderr!.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    url,
    child,
    output: () => output,
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server stopped (exit ${child.exitCode}):\n${output}`);
    try {
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.status === 200) return server;
      await r.body?.cancel();
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.stop("SIGKILL");
  throw new Error(`the server did not become healthy in ${timeoutMs} ms:\n${output}`);
}

/**
 * A migrated database with the programme, one collection site and an admin's API token, and a
 * log key (so the server checkpoints), made before the server is started on it.
 */
export async function prepareStore(options: StoreOptions, logKeyFile: string) {
  const store = await openStore(options);
  try {
    await store.migrate();
    const account = await createUser(store, {
      username: "field.admin",
      displayName: "Field Admin",
      password: "correct horse battery staple",
      role: "admin",
      scope: { sites: "all", governorates: "all" },
    });
    const { token } = await createApiToken(store, account, "reliability test");
    const siteId = (await executeCommand(store, command("site.register", sitePayload("FIELD-01")), admin))
      .data.siteId as string;
    await executeCommand(store, command("programme.configure", programmePayload()), admin);
    initLogKey("reliability.armsledger.local/log", logKeyFile);
    return { token, siteId };
  } finally {
    await store.close();
  }
}
