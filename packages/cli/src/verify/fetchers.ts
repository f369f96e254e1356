import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Reads a log resource by its tlog-tiles path: its bytes, or undefined when the log has none. */
export type LogFetcher = (path: string) => Promise<Uint8Array | undefined>;

/** Is `source` a URL to fetch from (http, https) rather than a directory? */
export function isHttpSource(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/**
 * Fetches from a log served over HTTP, e.g. `https://host/log/`: `checkpoint` becomes
 * `https://host/log/checkpoint`. 404 and 410 mean the log has no such resource; any other
 * failure (network, 5xx, timeout) throws and the verifier reports it where it happened.
 */
export function httpFetcher(base: string, timeoutMs = 60_000): LogFetcher {
  const prefix = new URL(base.endsWith("/") ? base : `${base}/`);
  return async (path) => {
    const url = new URL(path, prefix);
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
    } catch (error) {
      // undici says only "fetch failed"; the reason (refused, DNS, TLS, timeout) is its cause.
      const cause = (error as { cause?: unknown }).cause;
      const why = cause instanceof Error ? `: ${cause.message}` : "";
      throw new Error(`${(error as Error).message}${why} (${url.href})`);
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status} ${response.statusText} for ${url.href}`);
    }
    return new Uint8Array(await response.arrayBuffer());
  };
}

/** Reads a log exported to a directory (`armsledger export-log DIR`): DIR/checkpoint, DIR/tile/…. */
export function directoryFetcher(dir: string): LogFetcher {
  const root = resolve(dir.startsWith("file:") ? fileURLToPath(dir) : dir);
  return async (path) => {
    try {
      return await readFile(join(root, ...path.split("/")));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      throw error;
    }
  };
}

export function fetcherFor(source: string): LogFetcher {
  return isHttpSource(source) ? httpFetcher(source) : directoryFetcher(source);
}
