import { randomUUID } from "node:crypto";
import { receiptNumber } from "@armsledger/core";
import type { DemoAccount } from "./server.ts";

// What the browser tests need that the demo programme does not give them by name: a handover
// recorded now, through the public API as a registrar would, whose receipt number and weapon id
// the tests then look for in the browser.

export interface Seeded {
  receiptNumber: string;
  /** A well-formed receipt number (its check digit is right) that the ledger does not hold. */
  unknownReceiptNumber: string;
  weaponId: string;
}

async function call(baseUrl: string, path: string, init: RequestInit & { cookie?: string } = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    ...init,
    headers: {
      ...(init.body ? { "content-type": "application/json" } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
    },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${response.status} ${text}`);
  return { response, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The API as a demo account: signed in once, then GET and POST /api/v1/commands with its cookie. */
export async function signedIn(baseUrl: string, account: DemoAccount) {
  const login = await call(baseUrl, "/api/v1/auth/login", {
    method: "POST",
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  const cookie = login.response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return {
    get: async (path: string) => (await call(baseUrl, path, { cookie })).body,
    command: async (type: string, payload: unknown) =>
      (
        await call(baseUrl, "/api/v1/commands", {
          method: "POST",
          cookie,
          body: JSON.stringify({ commandId: randomUUID(), type, payload }),
        })
      ).body as { seq: number; data: Record<string, unknown> },
  };
}

/** A person's handover of one serviceable rifle (an eligible item in the demo programme). */
export const rifleHandover = (siteId: string, personId: string, serial: string, handedAt: string) => ({
  siteId,
  handedAt,
  verifyingOfficer: { name: "E2E Observer", affiliation: "Monitoring mission" },
  witnesses: [{ name: "E2E Witness", affiliation: "Civil society" }],
  from: { kind: "person", personId },
  weapons: [
    {
      category: "rifle",
      type: "assault rifle",
      make: "Kalashnikov",
      model: "AKM",
      calibre: "7.62x39mm",
      serial,
      condition: "good",
      serviceable: true,
    },
  ],
  ammunition: [],
});

export async function seed(baseUrl: string, accounts: DemoAccount[]): Promise<Seeded> {
  const registrar = accounts.find((a) => a.role === "registrar");
  if (!registrar) throw new Error("no registrar among the demo accounts");
  const api = await signedIn(baseUrl, registrar);
  const command = api.command;

  const sites = (await api.get("/api/v1/sites")).items as {
    id: string;
    code: string;
  }[];
  const siteId = sites.find((s) => s.code === "BGD-C1")?.id;
  if (!siteId) throw new Error("the demo's Rusafa collection site is missing");
  const person = await command("person.register", {
    siteId,
    kind: "combatant",
    name: {
      arabic: { given: "سلام", father: "ناصر", grandfather: "جبار", family: "العبيدي" },
      latin: { given: "Salam", father: "Nasser", grandfather: "Jabbar", family: "al-Obaidi" },
    },
    motherName: { arabic: "سعاد" },
    birth: { year: 1993 },
    sex: "male",
    governorate: "IQ-BG",
    nationalId: "199377001122",
    listedByGroup: false,
    consent: { given: true, recordedOn: "2026-02-10" },
  });
  const handover = await command(
    "handover.record",
    rifleHandover(siteId, person.data.personId as string, "E2E-2026-0001", "2026-02-10T10:00:00Z"),
  );
  const number = handover.data.receiptNumber as string;
  const weapons = handover.data.weapons as { itemId: string }[];

  // The receipt can be checked once a signed checkpoint covers it (the server signs every second).
  const deadline = Date.now() + 20_000;
  for (;;) {
    const proof = await fetch(`${baseUrl}/api/v1/receipts/${number}/proof`);
    if (proof.ok) break;
    if (Date.now() > deadline) throw new Error(`no signed checkpoint covers receipt ${number}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    receiptNumber: number,
    unknownReceiptNumber: receiptNumber(handover.seq + 100_000),
    weaponId: weapons[0]!.itemId,
  };
}
