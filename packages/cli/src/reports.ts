import { parseArgs } from "node:util";
import { type Actor, formatMinorUnits, type ItemKind, itemKinds, unlimitedScope } from "@armsledger/core";
import {
  dispositionBalance,
  eligibilityReport,
  getItemTrail,
  groupsWithRosters,
  listCaches,
  listFollowUps,
  listInvestigations,
  listStoreAccess,
  pathwayOutcomeReport,
  paymentsReport,
  rosterComparison,
  type Store,
  stockCheckSchedule,
} from "@armsledger/server";
import { duplicateReviewReport } from "./duplicate-reviews.ts";
import { UsageError } from "./usage-error.ts";

type WithStore = <T>(work: (store: Store) => Promise<T>) => Promise<T>;

// Whoever runs the CLI on the server holds the database itself; reports read only public fields.
const operator: Actor = { userId: "cli", role: "admin", scope: unlimitedScope };

/** `armsledger report balance` and `armsledger trail weapon|ammunition ID`. */
export async function runReport(
  command: "report" | "trail",
  argv: string[],
  withStore: WithStore,
): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      site: { type: "string" },
      open: { type: "boolean", default: false },
      overdue: { type: "boolean", default: false },
      status: { type: "string" },
      "as-of": { type: "string" },
      period: { type: "string" },
    },
  });
  if (command === "trail") {
    const [kind, id] = positionals;
    if (!(itemKinds as readonly string[]).includes(kind ?? "") || !id)
      throw new UsageError("usage: armsledger trail weapon|ammunition|key_part ID [--json]");
    const trail = await withStore((store) => getItemTrail(store, operator, kind as ItemKind, id));
    if (values.json) return void console.log(JSON.stringify(trail, null, 2));
    const { item } = trail;
    const name = "weapon" in item && item.weapon ? `${item.part} of ${item.weapon.tag}` : item.tag;
    console.log(`${item.kind} ${name}: ${item.state}${item.flagged ? " (FLAGGED: open discrepancy)" : ""}`);
    if ("weapon" in item && item.weapon)
      console.log(`  taken off weapon ${item.weapon.id} (${item.weapon.tag}, ${item.weapon.state})`);
    for (const p of "keyParts" in item ? (item.keyParts ?? []) : [])
      console.log(`  ${p.part} travels apart: key part ${p.id} (${p.state})`);
    for (const step of trail.steps)
      console.log(
        `  leaf ${String(step.leafIndex).padStart(7)}  ${step.recordedAt}  ${step.type.padEnd(22)} ${step.leafHash}`,
      );
    return;
  }
  if (positionals[0] === "store-access") return storeAccessReport(values, withStore);
  if (positionals[0] === "stock-checks") return stockCheckReport(values, withStore);
  if (positionals[0] === "investigations") return investigationReport(values, withStore);
  if (positionals[0] === "caches") return cacheReport(values, withStore);
  if (positionals[0] === "duplicate-reviews") return duplicateReviewReport(values, withStore);
  if (positionals[0] === "pathways") return pathwayReport(values, withStore);
  if (positionals[0] === "follow-ups") return followUpReport(values, withStore);
  if (positionals[0] === "roster") return rosterReport(positionals[1], values, withStore);
  if (positionals[0] === "eligibility") return eligibilityReportCommand(values, withStore);
  if (positionals[0] === "payments") return paymentReport(values, withStore);
  if (positionals[0] !== "balance")
    throw new UsageError(
      "usage: armsledger report balance | store-access [--site ID] [--open] | stock-checks [--overdue] | investigations [--open] | caches [--open] [--json] | payments [--period YYYY-MM] [--json] | eligibility [--json] | roster [GROUP_CODE] [--json] | pathways [--json] | follow-ups [--overdue] [--as-of YYYY-MM-DD] [--json] | duplicate-reviews [--status pending|merged|dismissed|all] [--json]",
    );
  const balance = await withStore((store) => dispositionBalance(store));
  if (values.json) return void console.log(JSON.stringify(balance, null, 2));
  console.log(
    "Disposition balance: collected = in custody + out of store + in transit + destroyed + transferred + deactivated + retained + lost under investigation + confirmed lost + stolen + reattached (loose key parts put back)",
  );
  for (const c of balance.byCategory)
    console.log(
      `  ${`${c.kind === "ammunition" ? "lots of " : c.kind === "key_part" ? "loose " : ""}${c.category}${c.unit ? ` (${c.quantity?.collected} ${c.unit})` : ""}`.padEnd(40)} ${String(c.collected).padStart(7)} = ${
        Object.entries(c.states)
          .filter(([, n]) => n > 0)
          .map(([s, n]) => `${s} ${n}`)
          .join(" + ") || "0"
      }`,
    );
  for (const i of balance.imbalances)
    console.log(
      `  IMBALANCE ${i.kind} ${i.category} group ${i.group} ${i.governorate}: ${i.collected} collected, ${i.accountedFor} accounted for${"unit" in i && i.unit ? `; ${i.quantityCollected} ${i.unit} collected, ${i.quantityAccountedFor} accounted for` : ""}`,
    );
  console.log(balance.balanced ? "BALANCED" : "NOT BALANCED");
  if (!balance.balanced) process.exitCode = 1;
}

/** `armsledger report store-access [--site ID] [--open]`: removals from stores and their returns. */
async function storeAccessReport(
  values: { json: boolean; site?: string | undefined; open: boolean },
  withStore: WithStore,
): Promise<void> {
  const rows = await withStore((store) =>
    listStoreAccess(store, operator, { siteId: values.site, open: values.open ? true : undefined }, 1000),
  );
  if (values.json) return void console.log(JSON.stringify(rows, null, 2));
  console.log(`Store access log${values.open ? " (items still out)" : ""}: ${rows.length} removal(s)`);
  for (const r of rows)
    console.log(
      `  leaf ${String(r.removedSeq).padStart(7)}  ${r.removedAt}  site ${r.siteId}  ${r.purpose.padEnd(11)} ${r.status.padEnd(15)} ${r.returnedCount}/${r.itemCount} back${r.dueBack ? `, due ${r.dueBack}` : ""}`,
    );
}

/** `armsledger report stock-checks [--overdue]`: each depot's last checks and when the next are due. */
async function stockCheckReport(values: { json: boolean; overdue: boolean }, withStore: WithStore) {
  const schedule = await withStore((store) => stockCheckSchedule(store, operator, new Date()));
  const rows = values.overdue ? schedule.filter((s) => s.weeklyOverdue || s.fullOverdue) : schedule;
  if (values.json) return void console.log(JSON.stringify(rows, null, 2));
  console.log(`Stock checks${values.overdue ? " overdue" : ""}: ${rows.length} depot(s)`);
  for (const r of rows)
    console.log(
      `  ${r.code.padEnd(16)} weekly due ${r.weeklyDue}${r.weeklyOverdue ? " OVERDUE" : ""}; full due ${r.fullDue}${r.fullOverdue ? " OVERDUE" : ""}${r.checkUnderWay ? "; a check is under way" : ""}`,
    );
  if (rows.some((r) => r.weeklyOverdue || r.fullOverdue)) process.exitCode = 1;
}

/** `armsledger report investigations [--open]`: loss investigations and how they ended. */
async function investigationReport(values: { json: boolean; open: boolean }, withStore: WithStore) {
  const all = await withStore((store) => listInvestigations(store, operator, {}, 1000));
  const rows = values.open ? all.filter((i) => i.status !== "closed") : all;
  if (values.json) return void console.log(JSON.stringify(rows, null, 2));
  console.log(`Loss investigations${values.open ? " still open" : ""}: ${rows.length}`);
  for (const i of rows)
    console.log(
      `  ${i.id.padEnd(10)} ${i.reason.padEnd(16)} ${(i.itemId ? `${i.itemKind} ${i.itemId}` : `${i.quantity ?? ""} ${i.category ?? ""}`).padEnd(46)} ${i.status}${i.outcome ? ` (${i.outcome})` : ""}`,
    );
}

/** `armsledger report caches [--open]`: cache reports by status (no source, no exact location). */
async function cacheReport(values: { json: boolean; open: boolean }, withStore: WithStore) {
  const all = await withStore((store) => listCaches(store, operator, {}, 10_000));
  const rows = values.open ? all.filter((c) => c.status === "reported" || c.status === "verified") : all;
  if (values.json) return void console.log(JSON.stringify(rows, null, 2));
  const byStatus = new Map<string, number>();
  for (const c of rows) byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + 1);
  console.log(
    `Caches: ${rows.length}${rows.length ? ` (${[...byStatus].map(([s, n]) => `${s.replaceAll("_", " ")} ${n}`).join(", ")})` : ""}`,
  );
  for (const c of rows)
    console.log(
      `  ${c.id}  ${c.governorate.padEnd(6)} ${c.status.padEnd(20)} reported ${c.reportedAt}  ${c.extractions.length} extraction(s)  ${c.reconciliation.map((r) => `${r.category} ${r.extracted}/${r.declared}`).join(", ")}`,
    );
  if (rows.length > 0) console.log("  (category extracted/declared; ammunition in lots)");
}

/** `armsledger report payments [--period YYYY-MM]`: payments by period with the exceptions, aggregates only. */
async function paymentReport(values: { json: boolean; period?: string | undefined }, withStore: WithStore) {
  if (values.period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/u.test(values.period))
    throw new UsageError("--period is a month, written YYYY-MM");
  const rows = await withStore((store) => paymentsReport(store, { period: values.period }));
  if (values.json) return void console.log(JSON.stringify(rows, null, 2));
  console.log(`Payments${values.period ? ` for ${values.period}` : ""}: ${rows.length} schedule period(s)`);
  for (const r of rows) {
    console.log(
      `  ${r.period}  ${r.schedule.padEnd(30)} paid ${r.paid} (${formatMinorUnits(r.paidTotalMinor, r.currency)} ${r.currency}), failed ${r.failed}, sent ${r.sent}, listed ${r.listed}`,
    );
    const exceptions = Object.entries(r.exceptions);
    if (exceptions.length > 0)
      console.log(
        `    left out: ${exceptions.map(([reason, n]) => `${reason.replaceAll("_", " ")} ${n}`).join(", ")}`,
      );
    for (const [by, cells] of Object.entries(r.paidBy))
      if (cells.length > 0)
        console.log(`    paid by ${by}: ${cells.map((c) => `${c.key ?? "none"} ${c.count}`).join(", ")}`);
  }
}

/**
 * `armsledger report eligibility`: screened, eligible, ineligible by reason, appeals and
 * revocations by group, governorate, sex and age group. Counts only, no one named.
 */
async function eligibilityReportCommand(values: { json: boolean }, withStore: WithStore) {
  const report = await withStore((store) => eligibilityReport(store, operator));
  if (values.json) return void console.log(JSON.stringify(report, null, 2));
  const line = (label: string, c: (typeof report)["totals"]) => {
    const reasons = Object.entries(c.ineligibleByReason)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(", ");
    const a = c.appeals;
    console.log(
      `  ${label.padEnd(34)} registered ${String(c.registered).padStart(6)}  screened ${String(c.screened).padStart(6)}  eligible ${String(c.eligible).padStart(6)}  ineligible ${String(c.ineligible).padStart(6)}${reasons ? ` (${reasons})` : ""}  appeals ${a.lodged} (pending ${a.pending}, upheld ${a.upheld}, overturned ${a.overturned})  revoked ${c.revoked}  deceased ${c.deceased}`,
    );
  };
  console.log("Eligibility by group, governorate, sex and age group (eligible: now, not revoked)");
  for (const r of report.rows)
    line(`${r.groupCode ?? "(no group)"} ${r.governorate} ${r.sex} ${r.ageGroup}`, r);
  line("TOTAL", report.totals);
}

/**
 * `armsledger report roster [GROUP_CODE]`: each group's latest roster against its registrations,
 * as counts (no names); exit 1 when a roster spiked or grew after the cut-off.
 */
async function rosterReport(groupCode: string | undefined, values: { json: boolean }, withStore: WithStore) {
  const rows = await withStore(async (store) => {
    const groups = await groupsWithRosters(store);
    const chosen = groupCode ? groups.filter((g) => g.code === groupCode.trim().toUpperCase()) : groups;
    if (groupCode && chosen.length === 0)
      throw new UsageError(`no group with the code ${groupCode} has submitted a roster`);
    const out = [];
    for (const g of chosen) out.push(await rosterComparison(store, g.id));
    return out;
  });
  if (values.json) return void console.log(JSON.stringify(rows, null, 2));
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`Group rosters against registrations: ${rows.length} group(s)`);
  for (const r of rows) {
    const late = r.growth.addedAfterCutOff;
    console.log(
      `  ${r.groupCode.padEnd(12)} v${r.version} (${r.submittedOn}): ${r.roster.entries} listed, ${r.roster.registered} registered (${pct(r.roster.registeredShare)}), ${r.roster.review} for review, ${r.roster.notRegistered} not registered; ${r.registrations.notOnList} of ${r.registrations.persons} registered on no list`,
    );
    console.log(
      `  ${"".padEnd(12)} growth after the cut-off${r.growth.cutOffDate ? ` (${r.growth.cutOffDate})` : ""}: ${late ? `${late.entries} (${pct(late.share)})` : "no cut-off configured"}; ${r.growth.spikes} spike(s) above ${pct(r.growth.spikeThreshold)}${r.growth.versions
        .filter((v) => v.spike)
        .map((v) => `; v${v.version} +${pct(v.growth ?? 0)}`)
        .join("")}`,
    );
  }
  if (rows.some((r) => r.growth.spikes > 0 || (r.growth.addedAfterCutOff?.entries ?? 0) > 0))
    process.exitCode = 1;
}

const outcomeLabels = [
  ["offered", "offered"],
  ["accepted", "accepted"],
  ["declined", "declined"],
  ["refusedAtVetting", "vetting refused"],
  ["placed", "PLACED"],
  ["left", "left"],
  ["stillPlaced", "still placed"],
  ["stillPlacedAtLastFollowUp", "still placed at last follow-up"],
] as const;

/** `armsledger report pathways`: outcomes in aggregate (placed, not merely offered), no names. */
async function pathwayReport(values: { json: boolean }, withStore: WithStore) {
  const report = await withStore((store) => pathwayOutcomeReport(store));
  if (values.json) return void console.log(JSON.stringify(report, null, 2));
  const line = (label: string, o: Record<(typeof outcomeLabels)[number][0], number>) =>
    `  ${label.padEnd(24)} ${outcomeLabels.map(([k, l]) => `${l} ${o[k]}`).join(", ")}`;
  console.log("Pathway outcomes (counted in pathways; placed means a placement was recorded)");
  console.log(line("all", report.totals));
  for (const [dimension, rows] of Object.entries(report.by)) {
    console.log(` by ${dimension}:`);
    for (const r of rows) console.log(line(r.key, r));
  }
}

/** `armsledger report follow-ups [--overdue]`: placements with a follow-up due (exit 1 when any is overdue). */
async function followUpReport(
  values: { json: boolean; overdue: boolean; "as-of"?: string | undefined },
  withStore: WithStore,
) {
  const asOf = values["as-of"] ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf)))
    throw new UsageError("--as-of takes a date, YYYY-MM-DD");
  const rows = await withStore((store) =>
    listFollowUps(store, operator, { overdue: values.overdue, asOf, limit: 100_000 }),
  );
  if (values.json) return void console.log(JSON.stringify(rows, null, 2));
  console.log(`Follow-ups${values.overdue ? " overdue" : " due"} as of ${asOf}: ${rows.length}`);
  for (const r of rows)
    console.log(
      `  pathway ${r.pathwayId}  ${r.kind.padEnd(16)} ${r.governorate.padEnd(6)} placed ${r.placedOn}  follow-up ${r.followUpsDone + 1}/${r.followUpsScheduled} due ${r.nextFollowUpDue}${r.overdue ? ` OVERDUE by ${r.daysOverdue} day(s)` : ""}`,
    );
  if (rows.some((r) => r.overdue)) process.exitCode = 1;
}
