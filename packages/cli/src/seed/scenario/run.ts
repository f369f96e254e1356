import { type Actor, isProblem } from "@armsledger/core";
import { BatchRefused, executeBatch, executeCommand, type Store, tables as t } from "@armsledger/server";
import { inventedDataRandomness } from "@armsledger/server/invented-data";
import { count, eq, inArray, sql } from "drizzle-orm";
import type { BuildContext } from "./custody.ts";
import { type ActorName, type Chunk, SCENARIO, type ScenarioOptions, ScenarioPlan } from "./plan.ts";

// Runs the plan through the one write path, a chunk per executeBatch (one transaction). A chunk
// whose first command is recorded was committed whole, and chunks commit in order, so a rerun
// after an interruption skips every chunk up to the last recorded one and carries on from there:
// resuming needs no state beyond the ledger itself. (Not merely "skip the recorded chunks": a
// chunk built from the database that found nothing to do records nothing, and rebuilt later it
// would find work that belongs to later chunks.)

export interface SeedProgress {
  /** Commands recorded or found recorded so far, and the planned total (an estimate). */
  done: number;
  total: number;
  chunk: string;
  skipped: boolean;
}

export interface SeedReport {
  scenario: string;
  seed: number;
  scale: number;
  /** Commands recorded by this run (chunks found done are not counted). */
  recorded: number;
  chunks: number;
  skippedChunks: number;
  /** Placeholder serials sent and refused by the rules in this run. */
  refusalsProvoked: number;
  seconds: number;
  interrupted: boolean;
  planned: ReturnType<ScenarioPlan["plannedFaults"]>;
}

const roles: Record<ActorName, Actor["role"]> = {
  admin: "admin",
  registrar: "registrar",
  custodian: "custodian",
  disposal: "disposal_officer",
};

/** The index of the last chunk whose first command is recorded (-1: none). */
async function lastRecordedChunk(store: Store, plan: ScenarioPlan): Promise<number> {
  const markers = Array.from(plan.chunks(), (c) => c.marker);
  let last = -1;
  for (let i = 0; i < markers.length; i += 1000) {
    const page = markers.slice(i, i + 1000);
    const found = new Set(
      (
        await store.db
          .select({ id: t.events.commandId })
          .from(t.events)
          .where(inArray(t.events.commandId, page))
      ).map((r) => r.id),
    );
    for (const [j, marker] of page.entries()) if (found.has(marker)) last = i + j;
  }
  return last;
}

async function recorded(store: Store, commandId: string): Promise<boolean> {
  const [row] = await store.db
    .select({ seq: t.events.seq })
    .from(t.events)
    .where(eq(t.events.commandId, commandId));
  return row !== undefined;
}

function describeRefusal(chunk: Chunk, error: BatchRefused, commands: { type: string }[]): Error {
  const first = error.rejected[0]!;
  return new Error(
    `The scenario generator made a command the rules refused (chunk ${chunk.key}, command ${first.index + 1}, ${commands[first.index]?.type}): ${first.problem.message} ${first.problem.fields.map((f) => `${f.path}: ${f.message}`).join("; ")}. This is a bug in the generator; nothing of this chunk was recorded.`,
  );
}

export async function seedScenario(
  store: Store,
  options: ScenarioOptions,
  hooks: { onProgress?: (p: SeedProgress) => void; signal?: AbortSignal } = {},
): Promise<SeedReport> {
  const started = performance.now();
  const plan = new ScenarioPlan(options);
  // The write path's ids and salts from the seed too, so the same seed and scale give the same
  // ledger root. Invented people only: see docs/scenario.md on why this is never done live.
  const randomness = inventedDataRandomness(`${SCENARIO}/${options.seed}/${options.scale}/write-path`);
  const total = plan.estimatedCommands();
  const chunks = plan.chunks(); // a generator: a national scenario's payloads never sit in memory at once

  // Into an empty database, or on top of this very scenario (resuming); never into anything else.
  const [events] = await store.db.select({ n: count() }).from(t.events);
  let resumeAfter = -1;
  if ((events?.n ?? 0) > 0) {
    if (!(await recorded(store, plan.setupMarker())))
      throw new Error(
        `The database already holds records that are not the ${SCENARIO} scenario with seed ${options.seed} at scale ${options.scale}. Seed into an empty database, or rerun with the same --seed and --scale to resume.`,
      );
    resumeAfter = await lastRecordedChunk(store, plan);
  }

  const actors = Object.fromEntries(
    (Object.keys(roles) as ActorName[]).map((name) => [
      name,
      {
        userId: plan.actorId(name),
        role: roles[name],
        scope: { sites: "all", governorates: "all" },
      } as Actor,
    ]),
  ) as Record<ActorName, Actor>;
  const report: SeedReport = {
    scenario: SCENARIO,
    seed: options.seed,
    scale: options.scale,
    recorded: 0,
    chunks: 0,
    skippedChunks: 0,
    refusalsProvoked: 0,
    seconds: 0,
    interrupted: false,
    planned: plan.plannedFaults(),
  };
  let done = 0;
  // Statistics for the planner each time the data has doubled: a bulk load outruns autovacuum's
  // ANALYZE (or runs where autovacuum is off), and plans chosen for the empty tables of the
  // start (a scan where an index lookup is due) would then serve a database of millions of rows.
  let analyzeAt = 1000;
  for (const chunk of chunks) {
    const index = report.chunks++;
    if (hooks.signal?.aborted) {
      report.interrupted = true;
      break;
    }
    if (index <= resumeAfter) {
      report.skippedChunks++;
      done += chunk.weight;
      hooks.onProgress?.({ done, total, chunk: chunk.key, skipped: true });
      continue;
    }
    const ctx: BuildContext = { store, draws: plan.draws, siteId: plan.siteId, key: chunk.key };
    const commands = typeof chunk.commands === "function" ? await chunk.commands(ctx) : chunk.commands;
    if (commands.length === 0) continue;
    const clock = { now: () => new Date(chunk.now) };
    const actor = actors[chunk.actor];
    for (const attempt of chunk.attempts) {
      try {
        await executeCommand(store, attempt.command, actor, clock, randomness);
      } catch (error) {
        if (isProblem(error) && error.code === attempt.expect) {
          report.refusalsProvoked++;
          continue;
        }
        throw error;
      }
      throw new Error(
        `The rules accepted a command they should refuse (${attempt.expect}) in chunk ${chunk.key}.`,
      );
    }
    try {
      await executeBatch(store, commands, actor, clock, randomness);
    } catch (error) {
      if (error instanceof BatchRefused) throw describeRefusal(chunk, error, commands);
      throw error;
    }
    report.recorded += commands.length;
    done += commands.length;
    if (done >= analyzeAt) {
      await store.db.execute(sql`analyze`);
      analyzeAt = done * 2;
    }
    // Let timers and signals run (the progress display, Ctrl-C): the embedded database answers
    // without leaving the microtask queue, so without this they would wait for the very end.
    await new Promise((resolve) => setImmediate(resolve));
    hooks.onProgress?.({ done, total: Math.max(total, done), chunk: chunk.key, skipped: false });
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
