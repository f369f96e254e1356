import { parseArgs } from "node:util";
import { retentionRecordTypes } from "@armsledger/core";
import {
  applyRetention,
  checkPurpose,
  findAccountByUsername,
  type RetentionReport,
  retentionDay,
  retentionReport,
  type Store,
} from "@armsledger/server";
import { UsageError } from "./usage-error.ts";

type WithStore = <T>(work: (store: Store) => Promise<T>, options?: { migrate?: boolean }) => Promise<T>;

const USAGE =
  "usage: armsledger retention report [--as-of YYYY-MM-DD] [--json], or retention apply --as USERNAME --reason TEXT [--as-of YYYY-MM-DD]";

/** What each record type's purge does, in the words the report prints. */
const described: Record<(typeof retentionRecordTypes)[number], string> = {
  registration_not_eligible: "registrations never found eligible (the person's purge)",
  reintegration_ended: "people whose reintegration has ended (the person's purge)",
  screening_details: "screenings' answers, indications and notes",
  payout_details: "payout accounts and payment lines' accounts, after the last payment",
  duplicate_decision: "duplicate reviews' decision reasons",
  roster_unmatched: "group roster entries matched to no registered person",
  ended_session: "ended sessions and revoked or expired API tokens (deleted)",
};

/** `armsledger retention report|apply`: the programme's retention policy (docs/security.md, Retention). */
export async function runRetentionCommand(argv: string[], withStore: WithStore): Promise<void> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      "as-of": { type: "string" },
      json: { type: "boolean", default: false },
      as: { type: "string" },
      reason: { type: "string" },
    },
  });
  const asOf = dayOf(values["as-of"]);
  if (sub === "report") {
    const report = await withStore((store) => retentionReport(store, asOf));
    console.log(values.json ? JSON.stringify(report, null, 2) : reportText(report));
    return;
  }
  if (sub !== "apply" || !values.as || values.json) throw new UsageError(USAGE);
  const reason = checkPurpose(values.reason, "a retention purge", { path: "--reason" });
  const done = await withStore(async (store) => {
    const account = await findAccountByUsername(store, values.as!);
    if (!account) throw new UsageError(`there is no active account named ${values.as}`);
    if (account.role !== "admin")
      throw new UsageError("only an administrator may apply the retention policy");
    return applyRetention(store, asOf, { actor: account.id, role: account.role, reason });
  });
  console.log(
    [
      `Applied the retention policy as of ${done.asOf}:`,
      ...retentionRecordTypes.map(
        (type) => `  ${type.padEnd(26)} ${String(done.purged[type]).padStart(7)}  ${described[type]}`,
      ),
      "Weapons, handovers, custody and the ledger remain; `armsledger verify --database` still passes. Each purge is in the access log.",
      "BACKUPS taken before this run still hold what it purged, readable with the master key.",
    ].join("\n"),
  );
}

function dayOf(value: string | undefined): string {
  try {
    return retentionDay(value, "--as-of");
  } catch {
    throw new UsageError("--as-of must be a day written YYYY-MM-DD");
  }
}

function reportText(report: RetentionReport): string {
  return [
    `Retention due as of ${report.asOf} (counts only; \`armsledger retention apply\` purges them):`,
    `  ${"record type".padEnd(26)} ${"months".padStart(7)} ${"due".padStart(7)}`,
    ...retentionRecordTypes.map(
      (type) =>
        `  ${type.padEnd(26)} ${String(report.policy[type]).padStart(7)} ${String(report.due[type]).padStart(7)}  ${described[type]}`,
    ),
  ].join("\n");
}
