import { parseArgs } from "node:util";
import { type Account, actorOf, findAccountByUsername, type Store } from "@armsledger/server";
import { exportTable } from "./export/index.ts";
import { describeRejection, importFile } from "./import/index.ts";

type WithStore = <T>(work: (store: Store) => Promise<T>) => Promise<T>;

const importKinds = ["persons", "weapons"] as const;
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
      options: { as: { type: "string" } },
    });
    const [kind, path] = positionals;
    if (!kind || !importKinds.includes(kind as never) || !path || positionals.length !== 2)
      throw new Error("usage: armsledger import persons|weapons FILE --as USERNAME");
    if (!values.as)
      throw new Error(
        "import needs --as USERNAME: the account the records are entered under (its role and scope apply)",
      );
    const report = await withStore(async (store) => {
      const account = await findAccountByUsername(store, values.as!);
      if (!account) throw new Error(`there is no active account named ${values.as}`);
      return importFile({ store, actor: actorOf(account), kind: kind as (typeof importKinds)[number], path });
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
    options: {
      format: { type: "string", default: "csv" },
      out: { type: "string" },
      as: { type: "string" },
      purpose: { type: "string" },
    },
  });
  const [what] = positionals;
  if (!what || !exportKinds.includes(what as never) || positionals.length !== 1)
    throw new Error(
      'usage: armsledger export persons|weapons|handovers|ammunition --format csv|xlsx --out FILE [--as USERNAME --purpose "…"]',
    );
  if (values.format !== "csv" && values.format !== "xlsx") throw new Error("--format must be csv or xlsx");
  if (!values.out) throw new Error("export needs --out FILE");
  const result = await withStore(async (store) => {
    let reader: { account: Account; purpose: string | undefined } | undefined;
    if (values.as) {
      const account = await findAccountByUsername(store, values.as);
      if (!account) throw new Error(`there is no active account named ${values.as}`);
      reader = { account, purpose: values.purpose };
    }
    return exportTable({
      store,
      what: what as (typeof exportKinds)[number],
      format: values.format as "csv" | "xlsx",
      path: values.out!,
      ...(reader ? { reader } : {}),
    });
  });
  console.log(`Wrote ${result.rows} row(s) to ${values.out}.`);
}
