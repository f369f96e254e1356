import { parseArgs } from "node:util";
import { type Actor, unlimitedScope } from "@armsledger/core";
import { dispositionBalance, getItemTrail, type Store } from "@armsledger/server";
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
    options: { json: { type: "boolean", default: false } },
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
  if (positionals[0] !== "balance") throw new UsageError("usage: armsledger report balance [--json]");
  const balance = await withStore((store) => dispositionBalance(store));
  if (values.json) return void console.log(JSON.stringify(balance, null, 2));
  console.log(
    "Disposition balance: collected = in custody + in transit + destroyed + transferred + deactivated + retained + lost",
  );
  for (const c of balance.byCategory)
    console.log(
      `  ${c.category.padEnd(24)} ${String(c.collected).padStart(7)} = ${
        Object.entries(c.states)
          .filter(([, n]) => n > 0)
          .map(([s, n]) => `${s} ${n}`)
          .join(" + ") || "0"
      }`,
    );
  for (const i of balance.imbalances)
    console.log(
      `  IMBALANCE ${i.category} group ${i.group} ${i.governorate}: ${i.collected} collected, ${i.accountedFor} accounted for`,
    );
  console.log(balance.balanced ? "BALANCED" : "NOT BALANCED");
  if (!balance.balanced) process.exitCode = 1;
}
