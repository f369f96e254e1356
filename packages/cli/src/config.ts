import { resolve } from "node:path";

/** Settings from the environment, with the defaults the README promises. */
export function config(env: NodeJS.ProcessEnv = process.env) {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    /**
     * The schema owner's URL, for `migrate`, `backup` and `restore` (docs/security.md, "Database
     * roles"); `serve` connects with DATABASE_URL, the application role. Defaults to DATABASE_URL.
     */
    migrationUrl: env.ARMSLEDGER_MIGRATION_URL || env.DATABASE_URL || undefined,
    /** The embedded database lives in <data>/db, the log's key (by default) in <data>/log-signer.key. */
    dataDir: resolve(env.ARMSLEDGER_DATA ?? "data"),
    logKey: {
      text: env.ARMSLEDGER_LOG_KEY || undefined,
      file: env.ARMSLEDGER_LOG_KEY_FILE
        ? resolve(env.ARMSLEDGER_LOG_KEY_FILE)
        : resolve(env.ARMSLEDGER_DATA ?? "data", "log-signer.key"),
    },
    /** The master key of field encryption (people's data): never inside the database. */
    masterKey: {
      text: env.ARMSLEDGER_MASTER_KEY || undefined,
      file: env.ARMSLEDGER_MASTER_KEY_FILE ? resolve(env.ARMSLEDGER_MASTER_KEY_FILE) : undefined,
      /** The embedded database's own, beside its directory <data>/db (made on first start). */
      embeddedFile: resolve(env.ARMSLEDGER_DATA ?? "data", "master.key"),
    },
    witnessPolicyFile: env.ARMSLEDGER_WITNESS_POLICY ? resolve(env.ARMSLEDGER_WITNESS_POLICY) : undefined,
    port,
    host: env.HOST ?? "127.0.0.1",
    /**
     * Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed (comma
     * separated). Without it, behind a proxy every client has the proxy's address, and the
     * sign-in rate limit counts everyone together. Never "trust all": anyone could then claim any address.
     */
    trustProxy: (env.ARMSLEDGER_TRUST_PROXY ?? "")
      .split(",")
      .map((a) => a.trim())
      .filter((a) => a !== ""),
    /**
     * Sign-in attempts a minute from one address (default 20). A collection site whose officers
     * all reach the server through one NAT address may need more; the account lock still holds.
     */
    loginRatePerMinute: loginRate(env.ARMSLEDGER_LOGIN_RATE_PER_MINUTE),
  };
}

function loginRate(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const rate = Number(text);
  if (!Number.isInteger(rate) || rate < 1 || rate > 10_000)
    throw new Error(`ARMSLEDGER_LOGIN_RATE_PER_MINUTE must be a whole number from 1 to 10000, not "${text}"`);
  return rate;
}
