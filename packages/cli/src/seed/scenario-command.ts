import { ledgerHead, type Store } from "@armsledger/server";
import cliProgress from "cli-progress";
import { UsageError } from "../usage-error.ts";
import { ledgerFingerprint } from "./scenario/fingerprint.ts";
import { SCENARIO } from "./scenario/plan.ts";
import { seedScenario } from "./scenario/run.ts";
import { scenarioSummary } from "./scenario/summary.ts";

type WithStore = <T>(work: (store: Store) => Promise<T>) => Promise<T>;

/** `armsledger seed --scenario iraq-national [--scale S] [--seed N]`, with a progress bar on stderr. */
export async function runScenarioSeed(
  values: { scenario: string; scale?: string | undefined; seed?: string | undefined },
  withStore: WithStore,
) {
  if (values.scenario !== SCENARIO)
    throw new UsageError(`unknown scenario "${values.scenario}"; the one scenario is ${SCENARIO}`);
  const scale = Number(values.scale ?? "0.1");
  if (!Number.isFinite(scale) || scale <= 0 || scale > 2)
    throw new UsageError(
      `--scale must be a number above 0 and at most 2 (1 is national scale), not "${values.scale}"`,
    );
  const seed = Number(values.seed ?? "1");
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new UsageError(`--seed must be a whole number of 0 or more, not "${values.seed}"`);

  const bar = new cliProgress.SingleBar(
    {
      format: "{bar} {percentage}% | {value}/{total} commands | {speed}/s | {chunk}",
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  // The first Ctrl-C finishes the chunk under way and stops cleanly; a rerun resumes from there.
  const abort = new AbortController();
  const onSigint = () => {
    abort.abort();
    process.stderr.write("\nStopping after the current chunk; run the same command again to resume.\n");
  };
  process.once("SIGINT", onSigint);
  const started = performance.now();
  let barStarted = false;
  try {
    await withStore(async (store) => {
      const report = await seedScenario(
        store,
        { seed, scale },
        {
          signal: abort.signal,
          onProgress: (p) => {
            const speed = Math.round(p.done / ((performance.now() - started) / 1000));
            if (!barStarted) {
              bar.start(p.total, p.done, { speed, chunk: p.chunk });
              barStarted = true;
            }
            bar.setTotal(p.total);
            bar.update(p.done, { speed, chunk: p.chunk });
          },
        },
      );
      bar.stop();
      const summary = await scenarioSummary(store);
      const fingerprint = report.interrupted ? undefined : await ledgerFingerprint(store);
      const head = report.interrupted ? undefined : await ledgerHead(store.db);
      const rate = report.recorded / Math.max(report.seconds, 1e-9);
      console.log(
        [
          `${report.interrupted ? "Interrupted" : "Seeded"} ${SCENARIO} (seed ${seed}, scale ${scale}): ${report.recorded} commands recorded in ${report.seconds.toFixed(1)} s (${rate.toFixed(0)} commands/s); ${report.skippedChunks} chunks were already recorded.`,
          `Placeholder serials refused by the rules (and recorded as "no readable serial" with a photo): ${report.refusalsProvoked} in this run.`,
          `Planned faults: ${report.planned.duplicatePeople} duplicate registrations, ${report.planned.paddedRoster} padded-roster registrations (${report.planned.paddedGroup}).`,
          `Now recorded: ${JSON.stringify(summary)}`,
          ...(fingerprint
            ? [
                `Ledger root (the same for the same seed and scale): ${head?.root} at size ${head?.size}`,
                `Scenario fingerprint (ids and commitments aside): ${fingerprint.digest} over ${fingerprint.leaves} leaves`,
              ]
            : []),
        ].join("\n"),
      );
      if (report.interrupted) process.exitCode = 130;
    });
  } finally {
    if (barStarted) bar.stop();
    process.removeListener("SIGINT", onSigint);
  }
}
