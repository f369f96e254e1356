import { resolve } from "node:path";

/** Settings from the environment, with the defaults the README promises. */
export function config(env: NodeJS.ProcessEnv = process.env) {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.ARMSLEDGER_DATA ?? "data"),
    port,
    host: env.HOST ?? "127.0.0.1",
  };
}
