import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Role } from "@armsledger/core";

// The real server, started the way `npm start` starts it (`armsledger serve` on a new embedded
// database, which loads the demo programme and prints one account per role), on a free port.

const repo = fileURLToPath(new URL("../../..", import.meta.url));

export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
}

export interface RunningServer {
  baseUrl: string;
  accounts: DemoAccount[];
  stop(): Promise<void>;
}

/** A port nobody listens on now (the kernel picks it; the server binds it a moment later). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** The "Demo accounts" block `serve` prints once for a new database: `  user  password  (role)`. */
export function parseDemoAccounts(output: string): DemoAccount[] {
  const block = output.split("Demo accounts")[1];
  if (!block) return [];
  const accounts: DemoAccount[] = [];
  for (const line of block.split("\n").slice(1)) {
    const match = /^ {2}(\S+)\s+(\S+) {2}\((\w+)\)$/u.exec(line);
    if (!match) break;
    accounts.push({ username: match[1]!, password: match[2]!, role: match[3] as Role });
  }
  return accounts;
}

export async function startServer(): Promise<RunningServer> {
  const data = mkdtempSync(join(tmpdir(), "armsledger-e2e-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Its own process group, so that stopping it stops everything it started.
  const child: ChildProcess = spawn(process.execPath, [join(repo, "packages/cli/src/main.ts"), "serve"], {
    cwd: repo,
    env: {
      ...process.env,
      ARMSLEDGER_DATA: data,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: "",
      // Every spec signs in from 127.0.0.1, dozens of times a minute: one address, as a site
      // behind NAT would be (the account lock is unchanged).
      ARMSLEDGER_LOGIN_RATE_PER_MINUTE: "600",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // Should the runner itself die, the server must not outlive it.
  const killGroup = () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  process.once("exit", killGroup);

  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    process.off("exit", killGroup);
    rmSync(data, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  while (!output.includes("ArmsLedger is serving on")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const accounts = parseDemoAccounts(output);
  if (accounts.length === 0) {
    await stop();
    throw new Error(`the server printed no demo accounts:\n${output}`);
  }
  return { baseUrl, accounts, stop };
}
