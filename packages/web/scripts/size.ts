// Prints what the browser app weighs over the wire: the initial JavaScript (the entry script and
// the modules index.html preloads, i.e. what a first visit must download before anything shows)
// gzipped, then every lazily loaded chunk. Exits 1 when the initial JavaScript exceeds the budget
// the issue sets for slow field links. Run after a build: `npm run size -w @armsledger/web`.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const BUDGET_BYTES = 300 * 1000;

const dist = fileURLToPath(new URL("../dist/", import.meta.url));

export function initialScripts(indexHtml: string): string[] {
  const found = new Set<string>();
  for (const m of indexHtml.matchAll(/<script[^>]*type="module"[^>]*src="\/([^"]+)"/gu)) found.add(m[1]!);
  for (const m of indexHtml.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+)"/gu))
    found.add(m[1]!);
  return [...found];
}

const gzipped = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`;

if (import.meta.main) {
  let html: string;
  try {
    html = readFileSync(join(dist, "index.html"), "utf8");
  } catch {
    console.error("packages/web/dist/index.html is missing: build first (npm run build -w @armsledger/web).");
    process.exit(1);
  }
  const initial = initialScripts(html);
  let total = 0;
  console.log("Initial JavaScript (gzip -9):");
  for (const file of initial) {
    const size = gzipped(file);
    total += size;
    console.log(`  ${file.padEnd(44)} ${kb(size).padStart(9)}`);
  }
  console.log(`  ${"total".padEnd(44)} ${kb(total).padStart(9)}   (budget ${kb(BUDGET_BYTES)})`);
  const lazy = readdirSync(join(dist, "assets"))
    .filter((f) => f.endsWith(".js") && !initial.includes(`assets/${f}`))
    .map((f) => ({ f, size: gzipped(`assets/${f}`) }))
    .sort((a, b) => b.size - a.size);
  console.log("Loaded when a screen first opens:");
  for (const { f, size } of lazy) console.log(`  ${`assets/${f}`.padEnd(44)} ${kb(size).padStart(9)}`);
  if (total > BUDGET_BYTES) {
    console.error(`The initial JavaScript is ${kb(total)}, over the ${kb(BUDGET_BYTES)} budget.`);
    process.exit(1);
  }
}
