// `npm start` runs this first (the root package's prestart): it builds the browser app when
// packages/web/dist is missing or older than any source it is built from, so a fresh clone
// serves the app at / without a separate build step, and a warm start costs a few stat calls.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const web = fileURLToPath(new URL("..", import.meta.url));
const packages = join(web, "..");
const built = join(web, "dist", "index.html");

/** Everything the bundle is made of: the app and the workspace packages it imports. */
const sources = [
  join(web, "src"),
  join(web, "index.html"),
  join(web, "vite.config.ts"),
  join(web, "package.json"),
  join(packages, "core", "src"),
  join(packages, "ledger", "src"),
];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs; // a deleted file changes its directory
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

export function isStale(): boolean {
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return sources.some((s) => newest(s) > builtAt);
}

if (import.meta.main) {
  if (isStale()) {
    console.log("Building the web app (packages/web/dist)…");
    const { build } = await import("vite");
    await build({ configFile: join(web, "vite.config.ts"), logLevel: "warn" });
  }
}
