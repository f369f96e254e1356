import { format } from "node:util";
import { vi } from "vitest";
import { runCli } from "../../src/cli.ts";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an armsledger command in this test's process, as `armsledger ...args` would run with `env`
 * as its whole environment: its exit code and what it printed. A process of its own per command
 * cost about 3 s each (loading the server package again, most of it), and these tests run a
 * hundred commands; `commands.test.ts` still runs the real executable once, for its wiring.
 *
 * One command at a time: the environment, the exit code and the output streams are the
 * process's own, swapped for the command's run and put back after.
 */
export async function armsledger(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  if (running) throw new Error("armsledger commands in one test process run one at a time");
  running = true;
  const saved = { env: process.env, exitCode: process.exitCode };
  let stdout = "";
  let stderr = "";
  const toOut = (...a: unknown[]) => {
    stdout += `${format(...a)}\n`;
  };
  const toErr = (...a: unknown[]) => {
    stderr += `${format(...a)}\n`;
  };
  const spies = [
    vi.spyOn(console, "log").mockImplementation(toOut),
    vi.spyOn(console, "info").mockImplementation(toOut),
    vi.spyOn(console, "error").mockImplementation(toErr),
    vi.spyOn(console, "warn").mockImplementation(toErr),
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      stdout += chunk.toString();
      return true;
    }),
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr += chunk.toString();
      return true;
    }),
  ];
  process.env = { ...env };
  process.exitCode = undefined;
  try {
    const code = await runCli(args);
    return { code, stdout, stderr };
  } finally {
    for (const spy of spies) spy.mockRestore();
    process.env = saved.env;
    process.exitCode = saved.exitCode;
    running = false;
  }
}

let running = false;
