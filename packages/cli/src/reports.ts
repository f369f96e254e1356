import { parseArgs } from "node:util";
import { type Actor, unlimitedScope } from "@armsledger/core";
import {
  dispositionBalance,
  getItemTrail,
  listCaches,
  listInvestigations,
  listStoreAccess,
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
    },
  });
  if (command === "trail") {
    const [kind, id] = positionals;
    if ((kind !== "weapon" && kind !== "ammunition") || !id)
      throw new UsageError("usage: armsledger trail weapon|ammunition ID [--json]");
    const trail = await withStore((store) => getItemTrail(store, operator, kind, id));
    if (values.json) return void console.log(JSON.stringify(trail, null, 2));
    console.log(
      `${trail.item.kind} ${trail.item.tag}: ${trail.item.state}${trail.item.flagged ? " (FLAGGED: open discrepancy)" : ""}`,
    );
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
  if (positionals[0] !== "balance")
    throw new UsageError(
      "usage: armsledger report balance | store-access [--site ID] [--open] | stock-checks [--overdue] | investigations [--open] | caches [--open] | duplicate-reviews [--status pending|merged|dismissed|all] [--json]",
    );
  const balance = await withStore((store) => dispositionBalance(store));
  if (values.json) return void console.log(JSON.stringify(balance, null, 2));
  console.log(
    "Disposition balance: collected = in custody + out of store + in transit + destroyed + transferred + deactivated + retained + lost",
  );
  for (const c of balance.byCategory)
    console.log(
      `  ${`${c.kind === "ammunition" ? "lots of " : ""}${c.category}${c.unit ? ` (${c.quantity?.collected} ${c.unit})` : ""}`.padEnd(40)} ${String(c.collected).padStart(7)} = ${
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
