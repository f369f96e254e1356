import { randomUUID } from "node:crypto";
import type { Actor, Role, Scope } from "@armsledger/core";
import { sql } from "drizzle-orm";
import { type Account, actorOf, createUser } from "../access/accounts.ts";
import { newPassword } from "../crypto/index.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { executeCommand } from "../write-path/execute.ts";

// A fictional programme for trying ArmsLedger out. Every group, place and person here is
// invented; the governorates are real so that forms and maps have something to show.

export interface DemoCredential {
  username: string;
  password: string;
  role: Role;
}

const demoAccounts: { username: string; displayName: string; role: Role }[] = [
  { username: "admin", displayName: "Demo administrator", role: "admin" },
  { username: "registrar", displayName: "Demo registrar (Baghdad)", role: "registrar" },
  { username: "custodian", displayName: "Demo depot keeper", role: "custodian" },
  { username: "disposal", displayName: "Demo destruction officer", role: "disposal_officer" },
  { username: "caseworker", displayName: "Demo case worker", role: "case_worker" },
  { username: "analyst", displayName: "Demo analyst", role: "analyst" },
  { username: "monitor", displayName: "Demo independent monitor", role: "monitor" },
];

/** True when the database holds no record and no account: a new database. */
export async function isEmpty(store: Store): Promise<boolean> {
  const [row] = await store.db
    .select({
      events: sql<number>`(select count(*) from ${t.events})::int`,
      users: sql<number>`(select count(*) from ${t.users})::int`,
    })
    .from(sql`(select 1) as one`);
  return row?.events === 0 && row?.users === 0;
}

async function send(store: Store, actor: Actor, type: string, payload: unknown) {
  return executeCommand(store, { commandId: randomUUID(), type, payload }, actor);
}

const rifle = (serial: string | undefined, serviceable = true) => ({
  category: "rifle",
  type: "assault rifle",
  make: "Kalashnikov",
  model: "AKM",
  calibre: "7.62x39mm",
  ...(serial ? { serial } : { noReadableSerial: true, photos: ["5f".repeat(32)] }),
  countryOfManufacture: "RU",
  condition: serviceable ? "good" : "inoperable",
  serviceable,
});

/** Loads the demo programme through the ordinary write path and creates one account per role. */
/** The fictional people the demo registers (tests check that a database dump reveals none of them). */
export const demoPeople = [
  {
    ar: ["علي", "حسين", "كاظم", "الساعدي"],
    la: ["Ali", "Hussein", "Kadhim", "al-Saadi"],
    mother: "زينب",
    year: 1991,
    group: "fajr",
  },
  {
    ar: ["محمد", "جاسم", "عباس", "السوداني"],
    la: ["Mohammed", "Jasim", "Abbas", "al-Sudani"],
    mother: "فاطمة",
    year: 1987,
    group: "fajr",
  },
  {
    ar: ["حيدر", "قاسم", "مهدي", "الربيعي"],
    la: ["Haidar", "Qasim", "Mahdi", "al-Rubaie"],
    mother: "مريم",
    year: 1995,
    group: "nour",
  },
  {
    ar: ["عمر", "خالد", "سعيد", "الجبوري"],
    la: ["Omar", "Khalid", "Saeed", "al-Jubouri"],
    mother: "خديجة",
    year: 1999,
    group: "jabal",
  },
] as const;

/** The demo's national id of its i-th person. */
export function demoNationalId(i: number): string {
  return `1990${String(100000 + i * 7919)}`;
}

export async function loadDemoProgramme(store: Store): Promise<DemoCredential[]> {
  const credentials: DemoCredential[] = [];
  const accounts: Record<string, Account> = {};
  const addAccount = async (a: (typeof demoAccounts)[number], scope?: Scope) => {
    const password = newPassword();
    accounts[a.username] = await createUser(store, { ...a, password, ...(scope ? { scope } : {}) });
    credentials.push({ username: a.username, password, role: a.role });
  };
  await addAccount(demoAccounts[0]!);
  const admin = actorOf(accounts.admin!);

  const group = async (code: string, ar: string, en: string, latinAlias: string, governorates: string[]) =>
    (
      await send(store, admin, "group.register", {
        code,
        name: { ar, en },
        aliases: [{ script: "latin", text: latinAlias }],
        governorates,
      })
    ).data.groupId as string;
  const fajr = await group("FAJR", "كتائب الفجر", "Dawn Brigades", "Kataib al-Fajr", ["IQ-BG", "IQ-DI"]);
  const nour = await group("NOUR", "سرايا النور", "Companies of Light", "Saraya al-Nur", ["IQ-BA"]);
  const jabal = await group("JABAL", "لواء الجبل", "Mountain Brigade", "Liwa al-Jabal", ["IQ-NI"]);

  const declare = (groupId: string, men: number, rifles: number, caches: number) =>
    send(store, admin, "group.declare", {
      groupId,
      asOf: "2026-01-15",
      strength: { men, women: Math.round(men / 40), boys: Math.round(men / 100), girls: 0 },
      arsenal: [
        { category: "rifle", count: rifles },
        { category: "machine_gun", count: Math.round(rifles / 20) },
        { category: "mortar", count: Math.round(rifles / 100) },
      ],
      declaredCaches: caches,
    });
  await declare(fajr, 1200, 900, 14);
  await declare(nour, 800, 650, 6);
  await declare(jabal, 500, 420, 9);

  const site = async (
    code: string,
    kind: string,
    ar: string,
    en: string,
    governorate: string,
    lat: number,
    lon: number,
  ) =>
    (
      await send(store, admin, "site.register", {
        code,
        kind,
        name: { ar, en },
        governorate,
        location: { lat, lon },
      })
    ).data.siteId as string;
  const baghdad = await site(
    "BGD-C1",
    "collection",
    "موقع جمع الرصافة",
    "Rusafa collection site",
    "IQ-BG",
    33.34,
    44.42,
  );
  await site("BSR-C1", "collection", "موقع جمع البصرة", "Basra collection site", "IQ-BA", 30.51, 47.81);
  await site("NIN-M1", "mobile_team", "الفريق المتنقل نينوى", "Nineveh mobile team", "IQ-NI", 36.34, 43.13);
  await site("BGD-D1", "depot", "مستودع التاجي", "Taji depot", "IQ-BG", 33.52, 44.26);
  await site("ANB-X1", "destruction", "موقع إتلاف الأنبار", "Anbar destruction site", "IQ-AN", 33.42, 43.3);

  await send(store, admin, "programme.configure", {
    name: { ar: "برنامج نزع السلاح التجريبي", en: "Demonstration disarmament programme" },
    eligibility: {
      eligibleCategories: ["rifle", "machine_gun", "grenade_launcher", "mortar", "rocket_launcher"],
      requireServiceable: true,
      minimumRounds: 300,
      cutOffDate: "2027-06-30",
    },
    caps: [
      { groupId: fajr, maxParticipants: 1200 },
      { groupId: nour, maxParticipants: 800 },
      { groupId: jabal, maxParticipants: 500 },
    ],
    legal: { amnesty: true, noForensicUse: true },
    dataOwner: "Demonstration DDR Commission",
    retentionYears: 10,
  });

  // The registrar works at the Rusafa site only; the other roles see the whole programme.
  for (const a of demoAccounts.slice(1))
    await addAccount(a, a.role === "registrar" ? { sites: [baghdad], governorates: "all" } : undefined);
  const registrar = actorOf(accounts.registrar!);

  const groupIds = { fajr, jabal, nour };
  const personIds: string[] = [];
  for (const [i, p] of demoPeople.entries()) {
    const answer = await send(store, registrar, "person.register", {
      siteId: baghdad,
      kind: "combatant",
      name: {
        arabic: { given: p.ar[0], father: p.ar[1], grandfather: p.ar[2], family: p.ar[3] },
        latin: { given: p.la[0], father: p.la[1], grandfather: p.la[2], family: p.la[3] },
      },
      motherName: { arabic: p.mother },
      birth: { year: p.year },
      sex: "male",
      governorate: "IQ-BG",
      groupId: groupIds[p.group],
      nationalId: demoNationalId(i),
      listedByGroup: true,
      consent: { given: true, recordedOn: "2026-02-01" },
    });
    personIds.push(answer.data.personId as string);
  }

  const handover = (personId: string, day: string, weapons: unknown[], rounds: number) =>
    send(store, registrar, "handover.record", {
      siteId: baghdad,
      handedAt: `2026-02-${day}T09:30:00Z`,
      verifyingOfficer: { name: "Demo Observer", affiliation: "Monitoring mission" },
      witnesses: [{ name: "Demo Witness", affiliation: "Civil society" }],
      from: { kind: "person", personId },
      weapons,
      ammunition:
        rounds > 0
          ? [
              {
                kind: "cartridge",
                calibreOrType: "7.62x39mm",
                quantity: rounds,
                unit: "rounds",
                condition: "stable",
                safeToMove: true,
              },
            ]
          : [],
    });
  await handover(personIds[0]!, "03", [rifle("AK-1974-55321"), { ...rifle(undefined) }], 240);
  await handover(
    personIds[1]!,
    "03",
    [
      {
        category: "machine_gun",
        type: "general-purpose machine gun",
        make: "Kalashnikov",
        model: "PKM",
        calibre: "7.62x54mmR",
        serial: "PK-88120",
        condition: "worn",
        serviceable: true,
      },
    ],
    500,
  );
  // The same rifle serial again: the demo shows a duplicate-serial anomaly.
  await handover(personIds[2]!, "04", [rifle("AK 1974 55321")], 0);
  // Only an unserviceable rifle: recorded, receipted, not eligible.
  await handover(personIds[3]!, "05", [rifle("AK-2001-77001", false)], 0);
  return credentials;
}
