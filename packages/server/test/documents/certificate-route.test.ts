import { type Actor, type ItemRef, isProblem, parseDispositionQrText } from "@armsledger/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorOf, createUser } from "../../src/access/accounts.ts";
import { renderDestructionCertificate } from "../../src/documents/destruction-certificate.ts";
import { buildApp } from "../../src/http/app.ts";
import { getDestructionCertificateData } from "../../src/queries/disposition-certificate.ts";
import { type CommandAnswer, executeCommand } from "../../src/write-path/execute.ts";
import {
  admin,
  command,
  groupPayload,
  handoverPayload,
  personPayload,
  programmePayload,
  rifle,
  sitePayload,
} from "../support/fixtures.ts";
import { freshStore } from "../support/store.ts";

// A handover at a collection site, carried to a destruction site (dispatch + receive, weapons and
// ammunition apart), destroyed there by a disposal officer before an independent witness; then
// the certificate, from the store and through the HTTP route.

let store: Awaited<ReturnType<typeof freshStore>>;
let app: Awaited<ReturnType<typeof buildApp>>;
let destroyed: CommandAnswer;
let batchId: string;
let weaponTags: string[];
let inScopeOfficer: Actor;
let outOfScopeOfficer: Actor;
const cookies: Record<string, string> = {};
const password = "a long enough password";
const PHOTO = "ab".repeat(32);

async function login(username: string) {
  const r = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { username, password } });
  expect(r.statusCode).toBe(200);
  cookies[username] = String(r.headers["set-cookie"]).split(";")[0]!;
}

async function user(username: string, displayName: string, role: string, scope?: unknown) {
  const account = await createUser(store, {
    username,
    displayName,
    password,
    role: role as never,
    ...(scope ? { scope: scope as never } : {}),
  });
  await login(username);
  return actorOf(account);
}

/** Carries items from one site to another: dispatch, then receipt of everything, seals intact. */
async function transfer(fromSiteId: string, toSiteId: string, items: ItemRef[], seal: string) {
  const dispatched = await executeCommand(
    store,
    command("custody.dispatch", {
      fromSiteId,
      toSiteId,
      dispatchedAt: "2026-02-02T08:00:00Z",
      items,
      countAtDispatch: items.length,
      seals: [seal],
      vehicle: "Truck 12",
      countersignedBy: { name: "Second Officer", affiliation: "National DDR Commission" },
    }),
    admin,
  );
  await executeCommand(
    store,
    command("custody.receive", {
      transferId: dispatched.data.transferId,
      receivedAt: "2026-02-02T15:00:00Z",
      items,
      countAtReceipt: items.length,
      sealsIntact: [seal],
      location: { store: "Store A", rack: "R1" },
      countersignedBy: { name: "Depot Keeper", affiliation: "Ministry of Defence" },
    }),
    admin,
  );
}

beforeAll(async () => {
  store = await freshStore();
  app = await buildApp({ store });
  const groupId = (await executeCommand(store, command("group.register", groupPayload()), admin)).data
    .groupId as string;
  const collection = (await executeCommand(store, command("site.register", sitePayload()), admin)).data
    .siteId as string;
  const destruction = (
    await executeCommand(store, command("site.register", sitePayload("DST-01", "destruction")), admin)
  ).data.siteId as string;
  const otherDestruction = (
    await executeCommand(store, command("site.register", sitePayload("DST-02", "destruction")), admin)
  ).data.siteId as string;
  await executeCommand(store, command("programme.configure", programmePayload()), admin);
  const personId = (
    await executeCommand(store, command("person.register", personPayload(collection, groupId)), admin)
  ).data.personId as string;
  const handover = await executeCommand(
    store,
    command(
      "handover.record",
      handoverPayload(collection, personId, [rifle("AK1001"), rifle(""), rifle("AK1003")]),
    ),
    admin,
  );
  const weapons = handover.data.weapons as { itemId: string; tag: string }[];
  const lots = handover.data.ammunition as { lotId: string; tag: string }[];
  weaponTags = weapons.map((w) => w.tag);
  const weaponRefs = weapons.map((w) => ({ kind: "weapon" as const, id: w.itemId }));
  const lotRefs = lots.map((a) => ({ kind: "ammunition" as const, id: a.lotId }));
  await transfer(collection, destruction, weaponRefs, "SEAL-0001");
  await transfer(collection, destruction, lotRefs, "SEAL-0002");

  inScopeOfficer = await user("disposal", "Capt. Layla Hameed", "disposal_officer", {
    sites: [destruction],
    governorates: "all",
  });
  outOfScopeOfficer = await user("elsewhere", "Other Officer", "disposal_officer", {
    sites: [otherDestruction],
    governorates: "all",
  });
  await user("monitor", "Monitor", "monitor");
  await user("registrar", "Registrar", "registrar");

  destroyed = await executeCommand(
    store,
    command("disposition.destroy", {
      siteId: destruction,
      destroyedAt: "2026-02-03T10:30:00Z",
      method: "crushing",
      // Weapons and ammunition in one batch, in an order of the officer's choosing.
      items: [weaponRefs[2]!, lotRefs[0]!, weaponRefs[0]!, weaponRefs[1]!],
      operators: [{ name: "Ali Kareem", affiliation: "National DDR Commission" }],
      witnesses: [
        { name: "Anna Keller", affiliation: "UNAMI DDR Section", independent: true },
        { name: "سعاد الربيعي", affiliation: "مجلس القضاء الأعلى", independent: false },
      ],
      photos: [PHOTO],
      notes: "Test Brigades handed these in",
    }),
    inScopeOfficer,
  );
  batchId = destroyed.data.batchId as string;
});
afterAll(async () => {
  await app.close();
  await store.dispose();
});

describe("getDestructionCertificateData", () => {
  it("builds the certificate from the ledger leaf, the projections and the event's personal part", async () => {
    const data = await getDestructionCertificateData(store, inScopeOfficer, batchId);
    expect(data).toMatchObject({
      programmeName: { ar: "برنامج تجريبي", en: "Demo programme" },
      batchId,
      leafIndex: destroyed.leafIndex,
      leafHash: destroyed.leafHash,
      destroyedAt: "2026-02-03T10:30:00.000Z",
      site: { code: "DST-01", name: { ar: "موقع بغداد", en: "Baghdad site" } },
      method: "crushing",
      operators: [{ name: "Ali Kareem", affiliation: "National DDR Commission" }],
      witnesses: [
        { name: "Anna Keller", affiliation: "UNAMI DDR Section", independent: true },
        { name: "سعاد الربيعي", affiliation: "مجلس القضاء الأعلى", independent: false },
      ],
      photoCount: 1,
      officer: { name: "Capt. Layla Hameed" },
    });
    // Every item, in the order the event lists them.
    expect(data.weapons.map((w) => w.tag)).toEqual([weaponTags[2], weaponTags[0], weaponTags[1]]);
    expect(data.weapons.map((w) => w.serial ?? null)).toEqual(["AK1003", "AK1001", null]);
    expect(data.weapons[2]).toMatchObject({ noReadableSerial: true, category: "rifle", make: "Kalashnikov" });
    expect(data.ammunition).toEqual([
      {
        tag: expect.any(String),
        kind: "cartridge",
        calibreOrType: "7.62x39mm",
        quantity: 120,
        unit: "rounds",
      },
    ]);
    // The QR code points at the disposition event's leaf.
    const qr = parseDispositionQrText(`armsledger:disposition:v1:${data.leafIndex}:${data.leafHash}`);
    expect(qr).toEqual({ leafIndex: destroyed.leafIndex, leafHash: destroyed.leafHash });
    // Never the group, never the notes.
    const json = JSON.stringify(data);
    for (const secret of ["Test Brigades", "كتائب الاختبار", "Kataib", "G1", "handed these in"])
      expect(json).not.toContain(secret);
  });

  it("renders it, with every item and no armed group", async () => {
    const data = await getDestructionCertificateData(store, inScopeOfficer, batchId);
    const printed: string[] = [];
    const pdf = await renderDestructionCertificate(data, { compress: false, onText: (t) => printed.push(t) });
    expect(Buffer.from(pdf).subarray(0, 5).toString()).toBe("%PDF-");
    const all = printed.join("\n");
    for (const tag of weaponTags) expect(printed).toContain(tag);
    for (const expected of ["Crushing · السحق", "Anna Keller", "Yes · نعم", "AK1003", "no readable serial"])
      expect(all).toContain(expected);
    for (const secret of ["Test Brigades", "كتائب الاختبار", "Kataib", "handed these in"])
      expect(all).not.toContain(secret);
  });

  it("answers out of scope exactly like absent", async () => {
    for (const [actor, id] of [
      [outOfScopeOfficer, batchId],
      [inScopeOfficer, "00000000-0000-4000-8000-00000000dead"],
    ] as const) {
      const error = await getDestructionCertificateData(store, actor, id).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isProblem(error) && error.code).toBe("resource.not-found");
    }
  });
});

describe("GET /api/v1/dispositions/:id/certificate.pdf", () => {
  const get = (who: string | undefined, id = batchId) =>
    app.inject({
      method: "GET",
      url: `/api/v1/dispositions/${id}/certificate.pdf`,
      headers: who ? { cookie: cookies[who]! } : {},
    });

  it("prints the certificate for the disposal officer of the site, and for a monitor", async () => {
    for (const who of ["disposal", "monitor"]) {
      const r = await get(who);
      expect(r.statusCode).toBe(200);
      expect(r.headers["content-type"]).toBe("application/pdf");
      expect(r.headers["content-disposition"]).toContain(`destruction-certificate-${batchId}.pdf`);
      expect(r.headers["cache-control"]).toBe("no-store");
      expect(r.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
      expect(r.rawPayload.subarray(-8).toString()).toContain("%%EOF");
    }
  });

  it("answers a disposal officer of another site as if the batch did not exist", async () => {
    const r = await get("elsewhere");
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe("resource.not-found");
    const absent = await get("disposal", "00000000-0000-4000-8000-00000000dead");
    expect(absent.statusCode).toBe(404);
    expect(absent.json().code).toBe("resource.not-found");
    // The two answers say the same thing.
    expect(absent.json().detail).toBe(r.json().detail);
  });

  it("refuses roles that do not print certificates, and anyone not signed in", async () => {
    expect((await get("registrar")).statusCode).toBe(403);
    expect((await get(undefined)).statusCode).toBe(401);
  });

  it("refuses an id that is not a uuid", async () => {
    const r = await get("disposal", "not-a-uuid");
    expect(r.statusCode).toBe(400);
  });
});
