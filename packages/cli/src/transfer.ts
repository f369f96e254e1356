import { parseArgs } from "node:util";
import { actorOf, findAccountByUsername, type Store } from "@armsledger/server";
import { exportTable } from "./export/index.ts";
import { describeRejection, importFile } from "./import/index.ts";

type WithStore = <T>(work: (store: Store) => Promise<T>) => Promise<T>;

const importKinds = ["persons", "weapons", "roster"] as const;
const exportKinds = ["persons", "weapons", "handovers", "ammunition"] as const;

/** `armsledger import …` and `armsledger export …`. Throws an Error whose message is for the user. */
export async function runTransfer(
  command: "import" | "export",
  argv: string[],
  withStore: WithStore,
): Promise<void> {
  if (command === "import") {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { as: { type: "string" }, "submitted-on": { type: "string" } },
    });
    const [kind, ...rest] = positionals;
    // A roster names its group: import roster GROUP FILE.
    const [groupCode, path] = kind === "roster" ? rest : [undefined, rest[0]];
    if (!kind || !importKinds.includes(kind as never) || !path || rest.length !== (kind === "roster" ? 2 : 1))
      throw new Error(
        "usage: armsledger import persons|weapons FILE --as USERNAME, or import roster GROUP_CODE FILE --as USERNAME [--submitted-on YYYY-MM-DD]",
      );
    if (!values.as)
      throw new Error(
        "import needs --as USERNAME: the account the records are entered under (its role and scope apply)",
      );
    const submittedOn = values["submitted-on"] ?? new Date().toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/u.test(submittedOn))
      throw new Error("--submitted-on must be a date as year-month-day, e.g. 2026-01-31");
    const report = await withStore(async (store) => {
      const account = await findAccountByUsername(store, values.as!);
      if (!account) throw new Error(`there is no active account named ${values.as}`);
      return importFile({
        store,
        actor: actorOf(account),
        kind: kind as (typeof importKinds)[number],
        path,
        roster: groupCode === undefined ? undefined : { groupCode, submittedOn },
      });
    });
    if (!report.ok) {
      console.error(`Nothing was imported: ${report.rejected.length} problem(s) in ${path}:`);
      for (const r of report.rejected) console.error(`  ${describeRejection(r)}`);
      process.exitCode = 1;
      return;
    }
    console.log(
      `Imported ${report.recorded} record(s) from ${path}${report.alreadyRecorded ? `; ${report.alreadyRecorded} were already recorded` : ""}.`,
    );
    return;
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: "string", default: "csv" }, out: { type: "string" } },
  });
  const [what] = positionals;
  if (!what || !exportKinds.includes(what as never) || positionals.length !== 1)
    throw new Error(
      "usage: armsledger export persons|weapons|handovers|ammunition --format csv|xlsx --out FILE",
    );
  if (values.format !== "csv" && values.format !== "xlsx") throw new Error("--format must be csv or xlsx");
  if (!values.out) throw new Error("export needs --out FILE");
  const result = await withStore((store) =>
    exportTable({
      store,
      what: what as (typeof exportKinds)[number],
      format: values.format as "csv" | "xlsx",
      path: values.out!,
    }),
  );
  console.log(`Wrote ${result.rows} row(s) to ${values.out}.`);
}
