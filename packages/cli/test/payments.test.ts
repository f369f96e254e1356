import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  actorOf,
  createUser,
  executeCommand,
  type Store,
  scratchStore,
  setExportScryptWorkFactorForTests,
  tables,
} from "@armsledger/server";
import { parse } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runDecrypt } from "../src/decrypt.ts";
import { runReport } from "../src/reports.ts";
import { runTransfer } from "../src/transfer.ts";

// Files made here use a cheaper scrypt (export-file.test.ts checks the real one).
setExportScryptWorkFactorForTests(10);

// `armsledger export payment-list`, `import payment-confirmation` and `report payments`, run
// in-process on a scratch store with a list prepared and sent through the write path.

let store: Store & { dispose(): Promise<void> };
const withStore = <T>(work: (s: Store) => Promise<T>) => work(store);
const dir = mkdtempSync(join(tmpdir(), "armsledger-pay-"));
const scheduleId = randomUUID();
let listId: string;

async function run(type: string, payload: unknown, as: Parameters<typeof actorOf>[0]) {
  return executeCommand(store, { commandId: randomUUID(), type, payload }, actorOf(as));
}

/** What a command printed on standard output. */
async function printed(work: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...args) => void lines.push(args.join(" ")));
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return lines.join("\n");
}

beforeAll(async () => {
  store = await scratchStore(process.env.DATABASE_URL);
  const admin = await createUser(store, {
    username: "admin",
    displayName: "Admin",
    password: "correct horse battery staple 42",
    role: "admin",
  });
  const siteId = (
    await run(
      "site.register",
      {
        code: "CLI-PAY",
        kind: "collection",
        name: { ar: "موقع", en: "Site" },
        governorate: "IQ-BG",
        location: { lat: 33.3, lon: 44.4 },
      },
      admin,
    )
  ).data.siteId as string;
  const personId = (
    await run(
      "person.register",
      {
        siteId,
        kind: "associated_member",
        name: { latin: { given: "Zainab", family: "Hassan" } },
        birth: { year: 1995 },
        sex: "female",
        governorate: "IQ-BG",
        listedByGroup: false,
        consent: { given: true, recordedOn: "2026-01-10" },
      },
      admin,
    )
  ).data.personId as string;
  // Eligibility is the screening helper's to record; until its command lands, set it directly.
  await store.db.update(tables.persons).set({ eligible: true }).where(eq(tables.persons.id, personId));
  await run(
    "payment.schedule_set",
    {
      scheduleId,
      name: "Stipend",
      amount: { minor: 1250, currency: "USD" },
      periodLength: "monthly",
      firstPeriod: "2026-01",
      lastPeriod: "2026-12",
      channel: "bank",
    },
    admin,
  );
  await run("payment.account_set", { personId, channel: "bank", account: "IQ98NBIQ850123456789012" }, admin);
  listId = (await run("payment.list_prepare", { scheduleId, period: "2026-05" }, admin)).data
    .listId as string;
  await run("payment.list_send", { listId, sentAt: "2026-06-01T08:00:00Z" }, admin);
});
afterAll(() => store?.dispose());

const passphraseFile = join(dir, "passphrase.txt");
writeFileSync(passphraseFile, "umbrella quarry saddle nineteen lantern\n");
const who = [
  "--as",
  "admin",
  "--purpose",
  "Monthly stipend run for the bank",
  "--passphrase-file",
  passphraseFile,
];

/** Opens an encrypted export as its recipient would, with `armsledger decrypt`; answers the plain file's path. */
async function opened(path: string): Promise<string> {
  await printed(() => runDecrypt([`${path}.age`, "--passphrase-file", passphraseFile]));
  return path;
}

describe("payments from the command line", () => {
  it("refuses to export a payment list without who and why, writing nothing", async () => {
    const path = join(dir, "refused.csv");
    await expect(
      runTransfer("export", ["payment-list", listId, "--format", "csv", "--out", path], withStore),
    ).rejects.toThrow(/--as USERNAME/);
    await expect(
      runTransfer(
        "export",
        ["payment-list", listId, "--format", "csv", "--out", path, "--as", "admin"],
        withStore,
      ),
    ).rejects.toThrow(/needs a purpose/);
    const withoutPassphrase = ["payment-list", listId, "--format", "csv", "--out", path, ...who.slice(0, 4)];
    await expect(runTransfer("export", withoutPassphrase, withStore)).rejects.toThrow(
      /passphrase is missing/,
    );
    // Never on the command line, where the shell's history keeps it.
    await expect(
      runTransfer(
        "export",
        [...withoutPassphrase, "--passphrase", "umbrella quarry saddle nineteen"],
        withStore,
      ),
    ).rejects.toThrow(/--passphrase-file/);
    const short = join(dir, "short.txt");
    writeFileSync(short, "tiny\n");
    await expect(
      runTransfer("export", [...withoutPassphrase, "--passphrase-file", short], withStore),
    ).rejects.toThrow(/too short/);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.age`)).toBe(false);
    expect(await store.db.select().from(tables.accessLog)).toEqual([]);
  });

  it("exports a list as CSV and XLSX, and reconciles the provider's file", async () => {
    const csvPath = join(dir, "list.csv");
    const xlsxPath = join(dir, "list.xlsx");
    expect(
      await printed(() =>
        runTransfer(
          "export",
          ["payment-list", listId, "--format", "csv", "--out", csvPath, ...who],
          withStore,
        ),
      ),
    ).toMatch(
      /^Wrote 1 payment line\(s\) to .*list\.csv\.age, encrypted .*SHA-256 of the file inside [0-9a-f]{64}/,
    );
    await runTransfer(
      "export",
      ["payment-list", listId, "--format", "xlsx", "--out", xlsxPath, ...who],
      withStore,
    );
    // Each export is a logged read of everyone on the list, with its purpose.
    const logged = await store.db.select().from(tables.accessLog);
    expect(logged.map((r) => [r.channel, r.purpose])).toEqual([
      ["armsledger export payment-list", "Monthly stipend run for the bank"],
      ["armsledger export payment-list", "Monthly stipend run for the bank"],
    ]);
    expect(readFileSync(`${csvPath}.age`).includes("Zainab")).toBe(false);
    const [line] = parse(readFileSync(await opened(csvPath)), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(line).toMatchObject({ payee_name: "Zainab Hassan", amount: "12.50", currency: "USD" });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await opened(xlsxPath));
    expect(workbook.worksheets[0]!.getRow(2).getCell(1).value).toBe(line!.reference);

    const confirmation = join(dir, "confirmation.csv");
    writeFileSync(confirmation, `reference,amount,status,date\n${line!.reference},12.60,paid,2026-06-03\n`);
    const refused = await runTransfer(
      "import",
      ["payment-confirmation", confirmation, "--as", "admin"],
      withStore,
    ).then(
      () => undefined,
      (e: { message: string; fields: { message: string }[] }) => e,
    );
    expect(refused?.fields.map((f) => f.message)).toEqual([expect.stringMatching(/^line 2: amount_differs/)]);
    writeFileSync(confirmation, `reference,amount,status,date\n${line!.reference},12.50,paid,2026-06-03\n`);
    expect(
      await printed(() =>
        runTransfer("import", ["payment-confirmation", confirmation, "--as", "admin"], withStore),
      ),
    ).toMatch(/1 paid, 0 failed/);
    const report = JSON.parse(
      await printed(() => runReport("report", ["payments", "--period", "2026-05", "--json"], withStore)),
    );
    expect(report).toEqual([
      expect.objectContaining({ period: "2026-05", paid: 1, paidTotalMinor: 1250, currency: "USD" }),
    ]);
    expect(await printed(() => runReport("report", ["payments", "--period", "2026-05"], withStore))).toMatch(
      /paid 1 \(12\.50 USD\)/,
    );
  });

  it("exports persons encrypted; decrypt opens the file only with the right passphrase, never over a file", async () => {
    const path = join(dir, "persons.csv");
    const before = (await store.db.select().from(tables.accessLog)).length;
    expect(
      await printed(() =>
        runTransfer("export", ["persons", "--format", "csv", "--out", path, ...who], withStore),
      ),
    ).toMatch(/to .*persons\.csv\.age \(encrypted with the passphrase/);
    const logged = await store.db.select().from(tables.accessLog);
    expect(logged.length).toBe(before + 1);
    expect(logged.at(-1)).toMatchObject({ channel: "armsledger export persons", records: 1 });
    expect(readFileSync(`${path}.age`).includes("Zainab")).toBe(false);

    const wrong = join(dir, "wrong.txt");
    writeFileSync(wrong, "umbrella quarry saddle nineteen lanterns\n");
    await expect(runDecrypt([`${path}.age`, "--passphrase-file", wrong])).rejects.toThrow(/does not open/);
    expect(existsSync(path)).toBe(false);
    // The passphrase may come from the environment instead of a file.
    await printed(() =>
      runDecrypt([`${path}.age`], {
        ARMSLEDGER_EXPORT_PASSPHRASE: "umbrella quarry saddle nineteen lantern",
      }),
    );
    expect(readFileSync(path, "utf8")).toContain("Zainab");
    await expect(runDecrypt([`${path}.age`, "--passphrase-file", passphraseFile])).rejects.toThrow(/EEXIST/);
    await expect(
      runDecrypt([path, "--passphrase-file", passphraseFile, "--out", join(dir, "x")]),
    ).rejects.toThrow(/not an age-encrypted file/);
  });
});
