import { randomUUID } from "node:crypto";
import {
  type Action,
  type ProblemCode,
  policy,
  problemCatalogue,
  type Role,
  type Scope,
} from "@armsledger/core";
import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { createUser } from "../../src/access/accounts.ts";
import { buildApp } from "../../src/http/app.ts";
import { PROBLEM_BASE } from "../../src/http/problem.ts";
import { tables } from "../../src/store/index.ts";
import {
  command,
  groupPayload,
  handoverPayload,
  personPayload,
  programmePayload,
  rifle,
  sitePayload,
} from "../support/fixtures.ts";
import { freshStore } from "../support/store.ts";

export { command };

/**
 * Who sends a request. One account per role, signed in with a session cookie; `registrar_b` is a
 * second registrar scoped to another site; `registrar_token` is the first registrar using an API
 * token (Authorization: Bearer) instead of a cookie.
 */
export const principals = [
  "admin",
  "registrar",
  "registrar_b",
  "custodian",
  "disposal_officer",
  "case_worker",
  "analyst",
  "monitor",
  "registrar_token",
] as const;
export type Principal = (typeof principals)[number];
export type Who = Principal | "anonymous";

export const roleOf: Record<Principal, Role> = {
  admin: "admin",
  registrar: "registrar",
  registrar_b: "registrar",
  custodian: "custodian",
  disposal_officer: "disposal_officer",
  case_worker: "case_worker",
  analyst: "analyst",
  monitor: "monitor",
  registrar_token: "registrar",
};

export const PASSWORD = "correct horse battery staple";

export function may(who: Who, action: Action): boolean {
  if (who === "anonymous") return false;
  return (policy[action].roles as readonly Role[]).includes(roleOf[who]);
}

export interface Seed {
  groupId: string;
  /** The registrar's site (collection, IQ-BG). */
  siteA: string;
  /** The second registrar's site (collection, IQ-BA). */
  siteB: string;
  depotId: string;
  /** A second depot, empty, outside the custodian's scope. */
  depotB: string;
  destructionId: string;
  personA: string;
  personB: string;
  handoverA: string;
  handoverB: string;
  /** Leaf index of each handover, and its first weapon (for corrections). */
  handoverASeq: number;
  weaponA: string;
  handoverBSeq: number;
  weaponB: string;
  /**
   * Custody, from a handover of six rifles at site A: two rifles still in custody there, two
   * transfers (one rifle each) on their way to the depot, and two rifles received at the
   * destruction site. The custodian is scoped to site A and the depot.
   */
  custody: {
    atSiteA: string[];
    inTransit: { transferId: string; weaponId: string; seal: string }[];
    atDestruction: string[];
    /** Six more rifles in custody at site A, two for each final disposition other than destruction. */
    forDisposition: string[];
    /** Two rifles in custody at site A (to be taken out of the store), and two removals still out. */
    forStores: string[];
    removals: { accessId: string; weaponId: string }[];
    /** A transfer to the destruction site that arrived one rifle short under a broken seal. */
    lossInvestigation: string;
    brokenSeal: string;
  };
}

/** Who counts and signs with the dispatching or receiving officer. */
export const countersignedBy = { name: "Capt. Nadia Salem", affiliation: "Depot command" };

/** A dispatch of weapons by id, sealed and countersigned. */
export function dispatchPayload(fromSiteId: string, toSiteId: string, weaponIds: string[], seals: string[]) {
  return {
    fromSiteId,
    toSiteId,
    dispatchedAt: "2026-02-02T08:00:00Z",
    items: weaponIds.map((id) => ({ kind: "weapon", id })),
    countAtDispatch: weaponIds.length,
    seals,
    vehicle: "Truck 7",
    escort: [{ name: "Sgt. Omar Khalil", affiliation: "Police escort" }],
    countersignedBy,
  };
}

/** Rifles taken out of a store for an inspection. */
export function storeRemovalPayload(siteId: string, weaponIds: string[]) {
  return {
    siteId,
    removedAt: "2026-02-02T07:00:00Z",
    items: weaponIds.map((id) => ({ kind: "weapon", id })),
    takenBy: { name: "Sgt. Ali Hassan", affiliation: "Depot guard" },
    purpose: "inspection",
  };
}

/** The rifles of a removal brought back. */
export function storeReturnPayload(accessId: string, weaponIds: string[]) {
  return {
    accessId,
    returnedAt: "2026-02-02T07:30:00Z",
    items: weaponIds.map((id) => ({ kind: "weapon", id })),
    returnedBy: { name: "Sgt. Ali Hassan", affiliation: "Depot guard" },
  };
}

/** The receipt of a transfer with everything as dispatched. */
export function receivePayload(transferId: string, weaponIds: string[], sealsIntact: string[]) {
  return {
    transferId,
    receivedAt: "2026-02-02T10:00:00Z",
    items: weaponIds.map((id) => ({ kind: "weapon", id })),
    countAtReceipt: weaponIds.length,
    sealsIntact,
    location: { store: "Main store", rack: "R1" },
    countersignedBy,
  };
}

/** The destruction of weapons by id, with an operator, an independent witness and a photo. */
export function destructionPayload(siteId: string, weaponIds: string[]) {
  return {
    siteId,
    destroyedAt: "2026-02-03T09:00:00Z",
    method: "cutting",
    items: weaponIds.map((id) => ({ kind: "weapon", id })),
    operators: [{ name: "Eng. Kareem Aziz", affiliation: "Disposal unit" }],
    witnesses: [{ name: "Dr. Mona Haddad", affiliation: "Independent observer", independent: true }],
    photos: ["b".repeat(64)],
  };
}

/** Weapons handed to the state force, each with its national registration number. */
export function stateTransferPayload(siteId: string, weapons: { id: string; registrationNumber: string }[]) {
  return {
    siteId,
    transferredAt: "2026-02-03T09:00:00Z",
    legalClearance: "MOI clearance 2026/7",
    inspectedOn: "2026-02-02",
    inspectors: [
      { name: "Maj. Lars Berg", affiliation: "UN military observers", receivingForce: false },
      { name: "Col. Hadi Jasim", affiliation: "Federal Police armoury", receivingForce: true },
    ],
    receivingUnit: "Federal Police, 3rd Division armoury",
    items: weapons.map((w) => ({ kind: "weapon", ...w })),
  };
}

/** Weapons deactivated to the EU standard, each marked. */
export function deactivationPayload(siteId: string, weaponIds: string[]) {
  return {
    siteId,
    deactivatedAt: "2026-02-03T09:00:00Z",
    certificate: "DEACT-2026-0001",
    standard: "EU 2018/337",
    items: weaponIds.map((id) => ({ kind: "weapon", id, mark: "IQ-DEACT 2026" })),
  };
}

/** Weapons kept for training under a named custodian. */
export function retentionPayload(siteId: string, weaponIds: string[]) {
  return {
    siteId,
    retainedAt: "2026-02-03T09:00:00Z",
    purpose: "training",
    justification: "Kept for armourer training at the police academy.",
    custodian: { name: "Capt. Rana Aziz", affiliation: "Police academy" },
    reviewOn: "2027-02-03",
    items: weaponIds.map((id) => ({ kind: "weapon", id })),
  };
}

export type TestStore = Awaited<ReturnType<typeof freshStore>>;

export interface Api {
  app: FastifyInstance;
  store: TestStore;
  /** Request headers that sign in as `who` (none for anonymous). */
  headers(who: Who): Record<string, string>;
  /** app.inject as `who`; a JSON body is sent when `body` is given. */
  send(who: Who, options: InjectOptions): Promise<LightMyRequestResponse>;
  /** POST /api/v1/commands as `who`. */
  post(who: Who, type: string, payload: unknown, commandId?: string): Promise<LightMyRequestResponse>;
  /** POST /api/v1/commands as `who`, expecting 200; answers the command's `data`. */
  ok(who: Who, type: string, payload: unknown): Promise<Record<string, unknown>>;
  /** Creates an account through POST /api/v1/users (as admin) and signs it in; answers its headers. */
  addUser(username: string, role: Role, scope?: Scope): Promise<{ id: string; cookie: string }>;
  /** A new session cookie for a principal (for requests that end the session). */
  login(username: string, password?: string): Promise<string>;
  username(who: Principal): string;
  seed: Seed;
  close(): Promise<void>;
}

function sessionCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === "al_session");
  if (res.statusCode !== 200 || !cookie) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return `al_session=${cookie.value}`;
}

/**
 * Builds the app on a fresh store, creates the admin (directly: there is no first-user API), and,
 * with `seed`, everything else through the HTTP API: a group, two collection sites, a depot and a
 * destruction site, the programme, one account per role (registrars scoped to one site each, the
 * custodian to site A and the depot), a person and a handover at each registrar's site, an API
 * token for the first registrar, and rifles in each custody state (see Seed.custody).
 */
export async function startApi(options: { seed?: boolean; store?: TestStore } = {}): Promise<Api> {
  // A given store (e.g. connected as the least-privileged role) is the caller's; close() disposes it.
  const store = options.store ?? (await freshStore());
  // The suite signs in far more often than a person would; security.test.ts checks the real limit.
  const app = await buildApp({ store, signIn: { ratePerMinute: 10_000 } });
  await app.ready();
  const credentials = new Map<Who, Record<string, string>>();
  const usernames = new Map<Principal, string>();

  const login = async (username: string, password = PASSWORD) =>
    sessionCookie(
      await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { username, password } }),
    );

  const api: Api = {
    app,
    store,
    headers: (who) => {
      if (who === "anonymous") return {};
      const h = credentials.get(who);
      if (!h) throw new Error(`${who} is not signed in (was the API started with seed: true?)`);
      return h;
    },
    send: (who, options) =>
      app.inject({
        ...options,
        headers: { ...api.headers(who), ...(options.headers ?? {}) },
      } as InjectOptions),
    post: (who, type, payload, commandId = randomUUID()) =>
      api.send(who, {
        method: "POST",
        url: "/api/v1/commands",
        payload: { commandId, type, payload },
      }),
    async ok(who, type, payload) {
      const res = await api.post(who, type, payload);
      if (res.statusCode !== 200) throw new Error(`${type} as ${who}: ${res.statusCode} ${res.body}`);
      return res.json().data;
    },
    async addUser(username, role, scope) {
      const res = await api.send("admin", {
        method: "POST",
        url: "/api/v1/users",
        payload: { username, displayName: username, password: PASSWORD, role, ...(scope ? { scope } : {}) },
      });
      if (res.statusCode !== 201) throw new Error(`create user ${username}: ${res.statusCode} ${res.body}`);
      return { id: res.json().id, cookie: await login(username) };
    },
    login,
    username: (who) => usernames.get(who)!,
    seed: undefined as unknown as Seed,
    async close() {
      await app.close();
      await store.dispose();
    },
  };

  await createUser(store, { username: "admin", displayName: "Admin", password: PASSWORD, role: "admin" });
  credentials.set("admin", { cookie: await login("admin") });
  usernames.set("admin", "admin");
  if (!options.seed) return api;

  const groupId = (await api.ok("admin", "group.register", groupPayload("G1"))).groupId as string;
  const siteA = (await api.ok("admin", "site.register", sitePayload("BGD-01"))).siteId as string;
  const siteB = (
    await api.ok("admin", "site.register", {
      ...sitePayload("BSR-01"),
      name: { ar: "موقع البصرة", en: "Basra site" },
      governorate: "IQ-BA",
      location: { lat: 30.5, lon: 47.8 },
    })
  ).siteId as string;
  const depotId = (await api.ok("admin", "site.register", sitePayload("DEP-01", "depot"))).siteId as string;
  const destructionId = (await api.ok("admin", "site.register", sitePayload("DST-01", "destruction")))
    .siteId as string;
  await api.ok("admin", "programme.configure", programmePayload());

  const scoped = (site: string): Scope => ({ sites: [site], governorates: "all" });
  for (const who of principals) {
    if (who === "admin" || who === "registrar_token") continue;
    const username = who.replace("_", "-");
    const scope =
      who === "registrar"
        ? scoped(siteA)
        : who === "registrar_b"
          ? scoped(siteB)
          : who === "custodian"
            ? { sites: [siteA, depotId], governorates: "all" as const }
            : undefined;
    const { cookie } = await api.addUser(username, roleOf[who], scope);
    credentials.set(who, { cookie });
    usernames.set(who, username);
  }
  const token = await api.send("registrar", {
    method: "POST",
    url: "/api/v1/tokens",
    payload: { name: "tablet" },
  });
  if (token.statusCode !== 201) throw new Error(`token: ${token.statusCode} ${token.body}`);
  credentials.set("registrar_token", { authorization: `Bearer ${token.json().token}` });
  usernames.set("registrar_token", "registrar");

  const personA = (await api.ok("registrar", "person.register", personPayload(siteA, groupId)))
    .personId as string;
  const personB = (
    await api.ok("registrar_b", "person.register", {
      ...personPayload(siteB, groupId),
      name: { arabic: { given: "علي", family: "البصري" }, latin: { given: "Ali", family: "al-Basri" } },
      nationalId: "BASRA0001",
      governorate: "IQ-BA",
    })
  ).personId as string;
  const handA = await api.post("registrar", "handover.record", handoverPayload(siteA, personA));
  if (handA.statusCode !== 200) throw new Error(`handover A: ${handA.body}`);
  const handB = await api.post(
    "registrar_b",
    "handover.record",
    handoverPayload(siteB, personB, [rifle("BSR-555001")]),
  );
  if (handB.statusCode !== 200) throw new Error(`handover B: ${handB.body}`);

  // Custody: six rifles handed over at site A, moved by the custodian (and received at the
  // destruction site by the administrator, since the custodian's scope stops at the depot).
  const pool = (
    (
      await api.ok(
        "registrar",
        "handover.record",
        handoverPayload(
          siteA,
          personA,
          Array.from({ length: 6 }, (_, i) => rifle(`CUS-${i + 1}`)),
        ),
      )
    ).weapons as { itemId: string }[]
  ).map((w) => w.itemId);
  const inTransit = [];
  for (const [i, weaponId] of pool.slice(2, 4).entries()) {
    const seal = `SEED-${i + 1}`;
    const sent = await api.ok(
      "custodian",
      "custody.dispatch",
      dispatchPayload(siteA, depotId, [weaponId], [seal]),
    );
    inTransit.push({ transferId: sent.transferId as string, weaponId, seal });
  }
  const atDestruction = pool.slice(4, 6);
  const toDestruction = await api.ok(
    "custodian",
    "custody.dispatch",
    dispatchPayload(siteA, destructionId, atDestruction, ["SEED-3"]),
  );
  await api.ok(
    "admin",
    "custody.receive",
    receivePayload(toDestruction.transferId as string, atDestruction, ["SEED-3"]),
  );

  const forDisposition = (
    (
      await api.ok(
        "registrar",
        "handover.record",
        handoverPayload(
          siteA,
          personA,
          Array.from({ length: 6 }, (_, i) => rifle(`FIN-${i + 1}`)),
        ),
      )
    ).weapons as { itemId: string }[]
  ).map((w) => w.itemId);

  const stores = (
    (
      await api.ok(
        "registrar",
        "handover.record",
        handoverPayload(
          siteA,
          personA,
          Array.from({ length: 4 }, (_, i) => rifle(`STO-${i + 1}`)),
        ),
      )
    ).weapons as { itemId: string }[]
  ).map((w) => w.itemId);
  const removals = [];
  for (const weaponId of stores.slice(2, 4))
    removals.push({
      accessId: (await api.ok("custodian", "store.remove", storeRemovalPayload(siteA, [weaponId])))
        .accessId as string,
      weaponId,
    });

  const depotB = (await api.ok("admin", "site.register", sitePayload("DEP-02", "depot"))).siteId as string;
  const lossy = (
    (
      await api.ok(
        "registrar",
        "handover.record",
        handoverPayload(siteA, personA, [rifle("LOS-1"), rifle("LOS-2")]),
      )
    ).weapons as { itemId: string }[]
  ).map((w) => w.itemId);
  const short = await api.ok(
    "custodian",
    "custody.dispatch",
    dispatchPayload(siteA, destructionId, lossy, ["SEED-L1", "SEED-L2"]),
  );
  const shortReceipt = await api.post(
    "admin",
    "custody.receive",
    receivePayload(short.transferId as string, lossy.slice(0, 1), ["SEED-L1"]),
  );
  const receiptSeq = shortReceipt.json().seq as number;

  api.seed = {
    groupId,
    depotB,
    siteA,
    siteB,
    depotId,
    destructionId,
    personA,
    personB,
    handoverA: handA.json().data.handoverId,
    handoverB: handB.json().data.handoverId,
    handoverASeq: handA.json().seq,
    weaponA: handA.json().data.weapons[0].itemId,
    handoverBSeq: handB.json().seq,
    weaponB: handB.json().data.weapons[0].itemId,
    custody: {
      atSiteA: pool.slice(0, 2),
      inTransit,
      atDestruction,
      forDisposition,
      forStores: stores.slice(0, 2),
      removals,
      lossInvestigation: `${receiptSeq}:0`,
      brokenSeal: `${receiptSeq}:1`,
    },
  };
  return api;
}

/** Every table of the schema, by SQL name. */
export const tableList = Object.values(tables as Record<string, unknown>).filter((v): v is PgTable =>
  is(v, PgTable),
);

/**
 * Row counts of every table, plus the ledger's size, in one query: equal before and after a
 * request proves the request changed nothing.
 */
export type Counts = Record<string, number> &
  Record<"ledger_size" | "events" | "handovers" | "weapon_items" | "sessions", number>;

export async function counts(store: TestStore): Promise<Counts> {
  const columns = tableList.map(
    (table) => sql`(select count(*)::int from ${table}) as ${sql.identifier(getTableName(table))}`,
  );
  const result = (await store.db.execute(
    sql`select ${sql.join(columns, sql`, `)}, (select size::int from ledger_state) as ledger_size`,
  )) as unknown as { rows: Record<string, number>[] };
  const row = result.rows[0]!;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as Counts;
}

/** Asserts an RFC 9457 problem answer with our stable code; answers the body. */
export function expectProblem(res: LightMyRequestResponse, code: ProblemCode) {
  const status = problemCatalogue[code].status;
  expect(
    { status: res.statusCode, type: res.headers["content-type"] },
    `${res.statusCode} ${res.body.slice(0, 500)}`,
  ).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/) });
  const body = res.json();
  expect(body).toMatchObject({
    type: PROBLEM_BASE + code,
    title: problemCatalogue[code].title,
    status,
    code,
    detail: expect.any(String),
  });
  expect(body.detail.length).toBeGreaterThan(10);
  return body as { detail: string; instance?: string; errors?: { path: string; message: string }[] };
}

/** Any refusal: a 4xx problem+json whose fields agree with the catalogue. */
export function expectClientProblem(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body.slice(0, 500)).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, res.body.slice(0, 500)).toBeLessThan(500);
  const code = res.json().code as ProblemCode;
  expect(Object.keys(problemCatalogue)).toContain(code);
  return { code, ...expectProblem(res, code) };
}

export interface Route {
  method: string;
  url: string;
}

/**
 * Every route the router holds, read from printRoutes (a radix tree: each line's text extends its
 * parent's path), so routes added by plugins and auto-created HEAD routes are all included.
 */
export function registeredRoutes(app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const paths: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const m = /^((?:│ {3}| {4})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    paths.length = depth;
    const path = (paths[depth - 1] ?? "") + m[2]!;
    paths[depth] = path;
    for (const method of m[3]?.split(", ") ?? []) routes.push({ method, url: path });
  }
  return routes.sort((a, b) => `${a.url} ${a.method}`.localeCompare(`${b.url} ${b.method}`));
}
