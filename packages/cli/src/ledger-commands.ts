import { mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseReceiptQrText } from "@armsledger/core";
import { fromHex, parseCosignerVerifierKey, parseVerifierKey, verifyTlogProof } from "@armsledger/ledger";
import {
  Checkpointer,
  collectCosignatures,
  exportLog,
  initLogKey,
  loadLogSigner,
  parsePolicy,
  runWitness,
  type Store,
  verifyDatabase,
  type WitnessPolicy,
  writeWitnessKeyFile,
} from "@armsledger/server";
import type { config } from "./config.ts";
import { initMasterKeyCommand } from "./personal-data-commands.ts";
import { UsageError } from "./usage-error.ts";
import { runVerify } from "./verify/index.ts";

type Settings = ReturnType<typeof config>;
type WithStore = <T>(work: (store: Store) => Promise<T>) => Promise<T>;

export const DEMO_ORIGIN = "demo.armsledger.local/log";

/**
 * The log's signer and witness policy for `serve`. The embedded demo makes its own key on first
 * run; a server deployment makes one with `keys init`, kept outside the database.
 */
export function prepareLedger(store: Store, settings: Settings) {
  let signer = loadLogSigner(settings.logKey);
  if (!signer && store.kind === "embedded" && !settings.logKey.text) {
    mkdirSync(settings.dataDir, { recursive: true });
    initLogKey(DEMO_ORIGIN, settings.logKey.file);
    signer = loadLogSigner(settings.logKey);
  }
  const policy: WitnessPolicy | undefined = settings.witnessPolicyFile
    ? parsePolicy(readFileSync(settings.witnessPolicyFile, "utf8"))
    : undefined;
  return {
    trust: signer ? { logVerifierKey: signer.verifierKey, policy } : undefined,
    startCheckpointer(log: { warn(obj: object, msg: string): void }) {
      if (!signer) {
        console.warn(
          "No log key (ARMSLEDGER_LOG_KEY or ARMSLEDGER_LOG_KEY_FILE): no checkpoints are issued. Run `armsledger keys init --origin <name>`.",
        );
        return undefined;
      }
      const checkpointer = new Checkpointer(store, {
        signer,
        log,
        ...(policy
          ? {
              onCheckpoint: async (checkpoint) =>
                void (await collectCosignatures(store, policy, checkpoint, log)),
            }
          : {}),
      });
      checkpointer.start();
      console.log(`Checkpointing the log ${signer.name}; its verifier key: ${signer.verifierKey}`);
      if (policy)
        console.log(
          `Witnesses: ${policy.witnesses.map((w) => w.name).join(", ")} (quorum ${policy.quorum}).`,
        );
      return checkpointer;
    },
  };
}

export async function runLedgerCommand(
  command: string,
  argv: string[],
  withStore: WithStore,
  settings: Settings,
): Promise<void> {
  switch (command) {
    case "keys": {
      if (argv[0] === "init-master") return initMasterKeyCommand(argv.slice(1));
      if (argv[0] !== "init") throw new UsageError("usage: armsledger keys init --origin NAME [--out FILE]");
      const { values } = parseArgs({
        args: argv.slice(1),
        options: { origin: { type: "string" }, out: { type: "string" } },
      });
      if (!values.origin)
        throw new UsageError(
          'keys init needs --origin: the log\'s name, e.g. "ddr.example.org/log" (it cannot change later)',
        );
      const file = values.out ? resolve(values.out) : settings.logKey.file;
      mkdirSync(dirname(file), { recursive: true });
      const { verifierKey } = initLogKey(values.origin, file);
      console.log(
        `Wrote the log's private key to ${file} (keep it out of the database and the repository; back it up).`,
      );
      console.log(`Verifier key, for monitors and witnesses:\n${verifierKey}`);
      return;
    }
    case "witness": {
      const [sub, ...rest] = argv;
      if (sub === "keygen") {
        const { values } = parseArgs({
          args: rest,
          options: { name: { type: "string" }, out: { type: "string" } },
        });
        if (!values.name || !values.out)
          throw new UsageError("usage: armsledger witness keygen --name NAME --out FILE");
        const verifierKey = await writeWitnessKeyFile(resolve(values.out), values.name);
        console.log(
          `Wrote the witness's private key to ${values.out}. Give the log operator this verifier key:\n${verifierKey}`,
        );
        return;
      }
      if (sub !== "serve")
        throw new UsageError(
          "usage: armsledger witness serve --key FILE --state DIR --log VKEY [--port N] | witness keygen --name NAME --out FILE",
        );
      const { values } = parseArgs({
        args: rest,
        options: {
          key: { type: "string" },
          state: { type: "string" },
          log: { type: "string", multiple: true },
          port: { type: "string" },
          host: { type: "string" },
        },
      });
      if (!values.key || !values.state || !values.log?.length)
        throw new UsageError("witness serve needs --key FILE, --state DIR and at least one --log VKEY");
      const stop = await runWitness({
        keyFile: resolve(values.key),
        stateDir: resolve(values.state),
        logVerifierKeys: values.log,
        ...(values.port ? { port: Number(values.port) } : {}),
        ...(values.host ? { host: values.host } : {}),
      });
      console.log(`Witnessing on ${stop.url}; this witness's verifier key: ${stop.verifierKey}`);
      const shutdown = async () => {
        await stop();
        process.exit(0);
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
      return;
    }
    case "check-receipt": {
      const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          qr: { type: "string" },
          key: { type: "string" },
          witness: { type: "string", multiple: true },
        },
      });
      const [proofFile] = positionals;
      if (!proofFile || !values.qr || !values.key)
        throw new UsageError(
          'usage: armsledger check-receipt PROOF.tlog-proof --qr "armsledger:receipt:v1:…" --key VKEY [--witness VKEY…]',
        );
      const receipt = parseReceiptQrText(values.qr.trim());
      if (!receipt) throw new UsageError("--qr is not the text of an ArmsLedger receipt's QR code");
      const logVerifier = parseVerifierKey(values.key);
      const result = verifyTlogProof(
        readFileSync(proofFile, "utf8"),
        fromHex(receipt.leafHash),
        logVerifier.name,
        logVerifier,
        (values.witness ?? []).map(parseCosignerVerifierKey),
      );
      if (result.index !== receipt.leafIndex)
        throw new Error(`the proof is for leaf ${result.index}, the receipt for leaf ${receipt.leafIndex}`);
      console.log(
        `Receipt ${receipt.receiptNumber} is entry ${result.index} of the log ${logVerifier.name}, in the tree of size ${result.size} the log signed${result.verifiedWitnesses.length ? `, cosigned by ${result.verifiedWitnesses.join(", ")}` : ""}.`,
      );
      return;
    }
    case "export-log": {
      const [dir] = argv;
      if (!dir || argv.length !== 1) throw new UsageError("usage: armsledger export-log DIR");
      const result = await withStore((store) => exportLog(store, resolve(dir)));
      console.log(
        `Wrote the log at size ${result.size} to ${dir} (${result.tiles} tiles, ${result.bundles} entry bundles).`,
      );
      return;
    }
    case "verify": {
      const { values } = parseArgs({
        args: argv,
        options: {
          log: { type: "string" },
          key: { type: "string" },
          witness: { type: "string", multiple: true },
          quorum: { type: "string" },
          database: { type: "boolean", default: false },
          json: { type: "boolean", default: false },
        },
      });
      if (values.database) {
        const report = await withStore((store) =>
          verifyDatabase(store, {
            ...(values.key ? { logVerifierKey: values.key } : {}),
            onProgress: progressLine,
          }),
        );
        process.stderr.isTTY && process.stderr.write("\n");
        if (values.json) console.log(JSON.stringify(report, null, 2));
        else printDatabaseReport(report);
        if (!report.ok) process.exitCode = 1;
        if (!values.log) return;
      }
      if (!values.log || !values.key)
        throw new UsageError(
          "verify needs --log URL|DIR and --key VKEY (the log's verifier key), or --database",
        );
      process.exitCode = Math.max(
        Number(process.exitCode ?? 0),
        await runVerify({
          source: values.log,
          logKey: values.key,
          witnessKeys: values.witness ?? [],
          ...(values.quorum ? { quorum: Number(values.quorum) } : {}),
          json: values.json,
          out: process.stdout,
        }),
      );
      return;
    }
  }
}

function progressLine(phase: string, done: number) {
  if (process.stderr.isTTY) process.stderr.write(`\r${phase}: ${done.toLocaleString("en")} events`);
}

function printDatabaseReport(report: Awaited<ReturnType<typeof verifyDatabase>>) {
  console.log(`Ledger: ${report.leaves} events, ${report.checkpoints} checkpoints.`);
  if (report.ledger.length === 0)
    console.log(
      "  Every entry re-hashes to its leaf, every private part opens its commitment, the tiles and checkpoint roots match.",
    );
  for (const p of report.ledger) console.log(`  PROBLEM ${p.kind} at ${p.at}: ${p.detail}`);
  if (report.purged > 0)
    console.log(
      `  ${report.purged} private parts purged: their commitments cannot be checked any more; their events were replayed from their public parts.`,
    );
  if (report.purgedLeftovers > 0)
    console.log(
      `  ${report.purgedLeftovers} index rows keyed by a destroyed data key (name keys, blind indexes): they match nothing; \`armsledger purge --all-personal-data\` deletes them.`,
    );
  if (report.projections.length === 0)
    console.log("Projections: every table equals a fresh replay of the ledger.");
  for (const d of report.projections)
    console.log(`  PROBLEM ${d.table} ${d.key}: ${d.kind}${d.columns ? ` (${d.columns.join(", ")})` : ""}`);
  console.log(
    report.ok ? "VERIFIED" : "NOT VERIFIED: the database differs from its ledger at the places above.",
  );
}
