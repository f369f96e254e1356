import { randomUUID } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { extname } from "node:path";
import { parseArgs } from "node:util";
import { authorize } from "@armsledger/core";
import {
  type Account,
  actorOf,
  checkExportPassphrase,
  checkPurpose,
  confirmationPayload,
  encryptWithPassphrase,
  executeCommand,
  findAccountByUsername,
  logRead,
  paymentListFile,
  type Store,
} from "@armsledger/server";
import { exportTable, personalExports } from "./export/index.ts";
import {
  agePath,
  PASSPHRASE_OPTIONS,
  readPassphrase,
  refusePassphraseArgument,
} from "./export/passphrase.ts";
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
    if (kind === "payment-confirmation" && rest.length === 1 && values.as)
      return importConfirmation(rest[0]!, values.as, withStore);
    // A roster names its group: import roster GROUP FILE.
    const [groupCode, path] = kind === "roster" ? rest : [undefined, rest[0]];
    if (!kind || !importKinds.includes(kind as never) || !path || rest.length !== (kind === "roster" ? 2 : 1))
      throw new Error(
        "usage: armsledger import persons|weapons|payment-confirmation FILE --as USERNAME, or import roster GROUP_CODE FILE --as USERNAME [--submitted-on YYYY-MM-DD]",
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
    options: {
      format: { type: "string", default: "csv" },
      out: { type: "string" },
      as: { type: "string" },
      purpose: { type: "string" },
      ...PASSPHRASE_OPTIONS,
    },
  });
  refusePassphraseArgument(values);
  const passphrase = await readPassphrase(values["passphrase-file"]);
  const [what] = positionals;
  if (what === "payment-list") return exportPaymentList(positionals[1], values, passphrase, withStore);
  if (!what || !exportKinds.includes(what as never) || positionals.length !== 1)
    throw new Error(
      'usage: armsledger export persons|weapons|handovers|ammunition --format csv|xlsx --out FILE [--as USERNAME --purpose "…"] | export payment-list ID --format csv|xlsx --out FILE --as USERNAME --purpose "…"',
    );
  if (values.format !== "csv" && values.format !== "xlsx") throw new Error("--format must be csv or xlsx");
  if (!values.out) throw new Error("export needs --out FILE");
  const personal = personalExports.includes(what as never);
  const out = personal ? agePath(values.out) : values.out;
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
      path: out,
      ...(reader ? { reader } : {}),
      passphrase,
    });
  });
  console.log(
    `Wrote ${result.rows} row(s) to ${out}${personal ? " (encrypted with the passphrase: open it with armsledger decrypt or age -d)" : ""}.`,
  );
}

/** `armsledger export payment-list ID`: the file for the bank or provider, as the API serves it. */
async function exportPaymentList(
  id: string | undefined,
  values: {
    format?: string | undefined;
    out?: string | undefined;
    as?: string | undefined;
    purpose?: string;
  },
  passphrase: string | undefined,
  withStore: WithStore,
): Promise<void> {
  if (!id)
    throw new Error(
      'usage: armsledger export payment-list ID --format csv|xlsx --out FILE --as USERNAME --purpose "…"',
    );
  if (values.format !== "csv" && values.format !== "xlsx") throw new Error("--format must be csv or xlsx");
  if (!values.out) throw new Error("export needs --out FILE");
  if (!values.as)
    throw new Error(
      "a payment list holds people's names and accounts: say who exports it with --as USERNAME",
    );
  const file = await withStore(async (store) => {
    const account = await findAccountByUsername(store, values.as!);
    if (!account) throw new Error(`there is no active account named ${values.as}`);
    authorize(actorOf(account), "payment.export");
    const purpose = checkPurpose(values.purpose, "An export of a payment list");
    const checked = checkExportPassphrase(passphrase, [account.username, account.displayName]);
    const made = await paymentListFile(store, id, values.format as "csv" | "xlsx");
    // Logged before the file is written: a read of every person on the list.
    await logRead(store, {
      actor: account.id,
      role: account.role,
      action: "payment.export",
      channel: "armsledger export payment-list",
      subjectKind: "person",
      subjects: made.personIds,
      purpose,
    });
    return { ...made, encrypted: await encryptWithPassphrase(made.bytes, checked) };
  });
  const out = agePath(values.out);
  await writeFile(out, file.encrypted);
  console.log(
    `Wrote ${file.lines} payment line(s) to ${out}, encrypted with the passphrase (SHA-256 of the file inside ${file.sha256}).`,
  );
}

/**
 * `armsledger import payment-confirmation FILE --as USERNAME`: the provider's file as one
 * payment.confirm command; a mismatch anywhere refuses the file, every line reported.
 */
async function importConfirmation(path: string, username: string, withStore: WithStore): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext !== ".csv" && ext !== ".xlsx") throw new Error("give the confirmation file as .csv or .xlsx");
  const bytes = new Uint8Array(await readFile(path));
  const answer = await withStore(async (store) => {
    const account = await findAccountByUsername(store, username);
    if (!account) throw new Error(`there is no active account named ${username}`);
    const payload = await confirmationPayload(
      bytes,
      ext === ".csv" ? "csv" : "xlsx",
      path.split("/").pop()!,
      new Date().toISOString(),
    );
    return executeCommand(
      store,
      { commandId: randomUUID(), type: "payment.confirm", payload },
      actorOf(account),
    );
  });
  const d = answer.data as { paidCount: number; failedCount: number };
  console.log(
    `Recorded at leaf ${answer.seq}: ${d.paidCount} paid, ${d.failedCount} failed (left open for the next run).`,
  );
}
