import { existsSync } from "node:fs";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  LeafEntryError,
  Problem,
  type PublicTotals,
  PublicTotalsAccumulator,
  parseLeafEntry,
  type Tally,
  type WeaponTally,
} from "@armsledger/core";
import fastifyStatic from "@fastify/static";
import { and, asc, gte, lt } from "drizzle-orm";
import type { FastifyPluginAsync } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { latestCheckpoint } from "../../log/checkpointer.ts";
import type { Store } from "../../store/database.ts";
import * as t from "../../store/schema.ts";

// What anyone may read without signing in, besides the log itself (log.ts): the programme's
// public figures, and the browser app (packages/web), which then talks to the API like any client.

/**
 * Counts below this are not shown. Every figure follows from the public log (anyone can recompute
 * it), so this hides nothing from a determined reader; it keeps the published page from pointing
 * at a handful of people in one governorate or on one day.
 */
export const MINIMUM_CELL = 5;

const cell = z
  .number()
  .nullable()
  .describe(`null: fewer than ${MINIMUM_CELL}, or withheld so it cannot be deduced`);
const breakdown = z.array(z.object({ key: z.string(), count: cell }));

export const publicFigures = z.object({
  /** The size of the signed checkpoint the figures were computed at. */
  size: z.number(),
  minimumCell: z.number(),
  persons: z.object({ registered: cell, byGovernorate: breakdown }),
  handovers: z.object({ count: cell, byDay: breakdown }),
  weapons: z.object({ total: cell, serviceable: cell, byCategory: breakdown, byGovernorate: breakdown }),
  ammunition: z.object({ rounds: cell }),
});
export type PublicFigures = z.infer<typeof publicFigures>;

const shown = (n: number): number | null => (n < MINIMUM_CELL ? null : n);

/**
 * A breakdown with small cells withheld. When exactly one cell is withheld, the next smallest
 * goes too (secondary suppression): otherwise the total minus the others would give it away.
 */
export function suppress(tally: Tally): { key: string; count: number | null }[] {
  const rows = Object.entries(tally)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => ({ key, n, count: shown(n) }));
  const hidden = rows.filter((r) => r.count === null);
  if (hidden.length === 1) {
    const next = rows.filter((r) => r.count !== null).sort((a, b) => a.n - b.n)[0];
    if (next) next.count = null;
  }
  return rows.map(({ key, count }) => ({ key, count }));
}

const totalsOf = (byKey: Record<string, WeaponTally>): Tally =>
  Object.fromEntries(Object.entries(byKey).map(([k, v]) => [k, v.total]));

export function figuresOf(totals: PublicTotals, size: number): PublicFigures {
  return {
    size,
    minimumCell: MINIMUM_CELL,
    persons: {
      registered: shown(totals.persons.registered),
      byGovernorate: suppress(totals.persons.byGovernorate),
    },
    handovers: { count: shown(totals.handovers.count), byDay: suppress(totals.handovers.byDay) },
    weapons: {
      total: shown(totals.weapons.total),
      serviceable: shown(totals.weapons.serviceable),
      byCategory: suppress(totalsOf(totals.weapons.byCategory)),
      byGovernorate: suppress(totalsOf(totals.weapons.byGovernorate)),
    },
    ammunition: { rounds: shown(totals.ammunition.rounds.total) },
  };
}

const BATCH = 1000;

/**
 * The public totals of the log up to its latest signed checkpoint, so the page shows what anyone
 * holding that checkpoint can recompute. Leaves are read once: each request adds only the leaves
 * checkpointed since the last one (one reader at a time).
 */
function totalsReader(store: Store) {
  const totals = new PublicTotalsAccumulator();
  const utf8 = new TextEncoder();
  let read = 0;
  let queue: Promise<unknown> = Promise.resolve();
  async function catchUp(): Promise<{ totals: PublicTotals; size: number }> {
    const size = (await latestCheckpoint(store.db))?.size ?? 0;
    while (read < size) {
      const rows = await store.db
        .select({ entry: t.events.entry })
        .from(t.events)
        .where(and(gte(t.events.seq, read), lt(t.events.seq, Math.min(size, read + BATCH))))
        .orderBy(asc(t.events.seq));
      if (rows.length === 0) break;
      for (const row of rows) {
        try {
          totals.add(parseLeafEntry(utf8.encode(row.entry)));
        } catch (error) {
          // Our own write path made every leaf; `armsledger verify` reports one it cannot read.
          if (!(error instanceof LeafEntryError)) throw error;
        }
        read++;
      }
    }
    return { totals: totals.result(), size: read };
  }
  return () => {
    const next = queue.then(catchUp, catchUp);
    queue = next.catch(() => undefined);
    return next;
  };
}

export const publicRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    const readTotals = totalsReader(store);
    app.get(
      "/api/v1/public/figures",
      {
        config: { action: "public" },
        schema: {
          tags: ["ledger"],
          summary: `The programme's public figures, recomputed from the signed log; counts below ${MINIMUM_CELL} withheld`,
          response: { 200: publicFigures },
        },
      },
      async (_request, reply) => {
        const { totals, size } = await readTotals();
        reply.header("cache-control", "public, max-age=30");
        return figuresOf(totals, size);
      },
    );
  };

/** Where `npm run build -w @armsledger/web` writes the browser app. */
export const WEB_APP_ROOT = fileURLToPath(new URL("../../../../web/dist/", import.meta.url));

const NOT_THE_APP = /^\/(?:api|log)(?:\/|$)|^\/healthz$/u;

/**
 * The browser app at `/`: its files, and index.html for any other path so the app's own router
 * can show it (a reload on /ledger works). API and log paths never fall back: a wrong API path is
 * a 404 problem, as before. Routes declared elsewhere take precedence over this wildcard.
 */
export const webAppRoutes =
  (root: string = WEB_APP_ROOT): FastifyPluginAsync =>
  async (app) => {
    await app.register(fastifyStatic, { root, serve: false, suppressWarning: true });
    app.get("/*", { config: { action: "public" }, schema: { hide: true } }, async (request, reply) => {
      const path = request.url.split("?")[0]!;
      if (NOT_THE_APP.test(path))
        throw new Problem("resource.not-found", `There is nothing at ${request.method} ${path}.`);
      if (!existsSync(`${root}/index.html`))
        throw new Problem(
          "resource.not-found",
          "The web app is not built here: run `npm run build -w @armsledger/web` (npm start does it).",
        );
      let file: string;
      try {
        file = decodeURIComponent(path.slice(1));
      } catch {
        throw new Problem("resource.not-found", `There is nothing at ${request.method} ${path}.`);
      }
      // The app's files have plain names: a backslash, a NUL or a ".." segment names none of them
      // (the file server would refuse it too, but with an error of its own, answered as a 500).
      if (/[\\\0]|(?:^|\/)\.\.(?:\/|$)/u.test(file))
        throw new Problem("resource.not-found", `There is nothing at ${request.method} ${path}.`);
      // Vite names every asset after its content: cache for good. index.html is checked each time.
      if (path.startsWith("/assets/")) return reply.sendFile(file, { maxAge: "365d", immutable: true });
      // The service worker (vite-plugin-pwa, scope "/"): checked each time, so a deployment
      // reaches field laptops on their next load (docs/web.md, "Offline after a reload").
      if (path === "/sw.js")
        return reply.header("cache-control", "no-cache").sendFile(file, { cacheControl: false });
      if (extname(path) !== "") return reply.sendFile(file, { maxAge: 0 });
      return reply.header("cache-control", "no-cache").sendFile("index.html", { cacheControl: false });
    });
  };
