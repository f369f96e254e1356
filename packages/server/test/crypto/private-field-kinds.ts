import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { actorOf, createUser } from "../../src/access/accounts.ts";
import { newPassword } from "../../src/crypto/index.ts";
import type { Store } from "../../src/store/database.ts";
import * as t from "../../src/store/schema.ts";
import { executeCommand } from "../../src/write-path/execute.ts";

async function send(store: Store, actor: ReturnType<typeof actorOf>, type: string, payload: unknown) {
  const result = await executeCommand(store, { commandId: randomUUID(), type, payload }, actor);
  return result.data as Record<string, unknown>;
}

const person = (name: string, affiliation: string, independent?: boolean) =>
  independent === undefined ? { name, affiliation } : { name, affiliation, independent };

/** Values `recordPrivateFieldKinds` writes that projections keep, sealed, in their rows. */
export const privateFieldSealedNeedles = [
  "Liaison Abu Haidar Rubaie",
  "Liaison Umm Zahraa Khafaji",
  "Representative Abbas Fartusi",
  "Observer Salwa Ibrahim Janabi",
  "Witness Kadhim Obeidi",
  "commander-Abu-Haidar-signed-at-Latifiya",
  "founders-include-Umm-Zahraa-Khafaji",
];

/**
 * On top of the demo programme: a command for each event whose private part names people or
 * holds free text beyond a person's registration (a group's liaison officers and their
 * correction, a group's handover with its representative and witnesses, a group's transformation
 * and party decisions with reasons, a weapon's correction, a dispatch with its escort, a receipt,
 * a store removal and return, a stock check, a cache report and verification, a destruction with
 * its operators and witnesses, a retention with its custodian). Each private value is distinct,
 * so finding one in plain text names the column that leaks it.
 */
export async function recordPrivateFieldKinds(store: Store): Promise<void> {
  const admin = actorOf(
    await createUser(store, {
      username: "private-fields",
      displayName: "Private fields",
      role: "admin",
      password: newPassword(),
    }),
  );
  const sites = Object.fromEntries(
    (await store.db.select({ id: t.sites.id, code: t.sites.code }).from(t.sites)).map((s) => [s.code, s.id]),
  ) as Record<string, string>;
  const { groupId } = await send(store, admin, "group.register", {
    code: "SHAMS",
    name: { ar: "كتائب الشمس", en: "Sun Brigades" },
    governorates: ["IQ-BG"],
    liaisonOfficers: [{ name: "Liaison Abu Haidar Rubaie", phone: "+964 770 555 0101" }],
  });
  const [registered] = await store.db
    .select({ seq: t.armedGroups.registeredSeq })
    .from(t.armedGroups)
    .where(eq(t.armedGroups.id, groupId as string));
  await send(store, admin, "record.correct", {
    kind: "group",
    id: groupId,
    corrects: registered!.seq,
    changes: { liaisonOfficers: [{ name: "Liaison Umm Zahraa Khafaji", phone: "+964 781 555 0202" }] },
    reason: "Abu-Haidar-was-arrested-at-Suwaira",
  });
  await send(store, admin, "group.transform", {
    groupId,
    status: "disarming",
    decision: { reference: "CoM 2026/9", decidedBy: "Council of Ministers", decidedOn: "2026-02-10" },
    reason: "commander-Abu-Haidar-signed-at-Latifiya",
  });
  await send(store, admin, "group.party", {
    groupId,
    status: "applied",
    name: { ar: "حزب الشمس", en: "Sun Party" },
    decision: { reference: "IHEC 2026/9", decidedBy: "Electoral commission", decidedOn: "2026-02-11" },
    reason: "founders-include-Umm-Zahraa-Khafaji",
  });
  const { handoverId } = await send(store, admin, "handover.record", {
    siteId: sites["BGD-C1"],
    handedAt: "2026-02-12T09:00:00Z",
    verifyingOfficer: person("Observer Salwa Ibrahim Janabi", "Monitoring-mission-Mahmudiyah"),
    witnesses: [person("Witness Kadhim Obeidi", "Elders-of-Yusufiyah")],
    from: { kind: "group", groupId, representative: "Representative Abbas Fartusi" },
    weapons: ["SHAMS-1", "SHAMS-2", "SHAMS-3", "SHAMS-4"].map((serial) => ({
      category: "rifle",
      type: "assault rifle",
      make: "Kalashnikov",
      model: "AKM",
      calibre: "7.62x39mm",
      serial,
      condition: "good",
      serviceable: true,
    })),
    ammunition: [],
  });
  const weapons = await store.db
    .select({ id: t.weaponItems.id, seq: t.weaponItems.seq })
    .from(t.weaponItems)
    .where(eq(t.weaponItems.handoverId, handoverId as string))
    .orderBy(asc(t.weaponItems.position));
  const [w1, w2, w3, w4] = weapons;
  await send(store, admin, "record.correct", {
    kind: "weapon",
    id: w1!.id,
    corrects: w1!.seq,
    changes: { calibre: "7.62x39mm M43" },
    reason: "misread-by-clerk-Hussein-Dulaimi",
  });
  // To the depot, received, then taken out of the store and brought back, and counted.
  const escortedTo = async (toSiteId: string, ids: string[], seal: string) => {
    const { transferId } = await send(store, admin, "custody.dispatch", {
      fromSiteId: sites["BGD-C1"],
      toSiteId,
      dispatchedAt: "2026-02-13T08:00:00Z",
      items: ids.map((id) => ({ kind: "weapon", id })),
      countAtDispatch: ids.length,
      seals: [seal],
      vehicle: "Truck 9",
      escort: [person("Escort Sgt Jabbar Mousawi", "Police-escort-Dora")],
      countersignedBy: person("Countersigner Capt Layla Hashimi", "Rusafa-command"),
    });
    await send(store, admin, "custody.receive", {
      transferId,
      receivedAt: "2026-02-13T11:00:00Z",
      items: ids.map((id) => ({ kind: "weapon", id })),
      countAtReceipt: ids.length,
      sealsIntact: [seal],
      location: { store: "Main store", rack: "R9" },
      countersignedBy: person("Receiver Maj Nabil Saadi", "Depot-command-Taji"),
    });
  };
  await escortedTo(sites["BGD-D1"]!, [w2!.id], "PF-SEAL-1");
  const { accessId } = await send(store, admin, "store.remove", {
    siteId: sites["BGD-D1"],
    removedAt: "2026-02-14T07:00:00Z",
    items: [{ kind: "weapon", id: w2!.id }],
    takenBy: person("Taker Sgt Ridha Zubaidi", "Depot-guard-Taji"),
    purpose: "inspection",
    note: "taken-for-Colonel-Aswad-inspection",
  });
  await send(store, admin, "store.return", {
    accessId,
    returnedAt: "2026-02-14T08:00:00Z",
    items: [{ kind: "weapon", id: w2!.id }],
    returnedBy: person("Returner Cpl Falah Tai", "Depot-guard-Taji"),
  });
  const checkId = randomUUID();
  await send(store, admin, "stock_check.start", {
    checkId,
    siteId: sites["BGD-D1"],
    kind: "full",
    startedAt: "2026-02-15T08:00:00Z",
  });
  await send(store, admin, "stock_check.record", {
    checkId,
    completedAt: "2026-02-15T09:00:00Z",
    counts: [{ kind: "weapon", category: "rifle", count: 1 }],
    sample: [{ kind: "weapon", id: w2!.id, found: true, serial: "SHAMS-2" }],
    countedBy: [person("Counter Sgt Amal Khazraji", "Depot-guard-Taji")],
    notes: "counted-while-Major-Saadi-watched",
  });
  // To the destruction site and destroyed; another kept for training.
  await escortedTo(sites["ANB-X1"]!, [w3!.id], "PF-SEAL-2");
  await send(store, admin, "disposition.destroy", {
    siteId: sites["ANB-X1"],
    destroyedAt: "2026-02-16T09:00:00Z",
    method: "cutting",
    items: [{ kind: "weapon", id: w3!.id }],
    operators: [person("Operator Eng Basim Ani", "Disposal-unit-Ramadi")],
    witnesses: [person("Destruction Witness Dr Huda Rawi", "Independent-observer-Falluja", true)],
    photos: ["d".repeat(64)],
    notes: "cut-beside-Haditha-road",
  });
  await send(store, admin, "disposition.retain", {
    siteId: sites["BGD-C1"],
    retainedAt: "2026-02-16T10:00:00Z",
    purpose: "training",
    justification: "for-armourer-course-of-Capt-Rana-Aziz",
    custodian: person("Custodian Capt Rana Aziz", "Police-academy-Baghdad"),
    reviewOn: "2027-02-16",
    items: [{ kind: "weapon", id: w4!.id }],
  });
  const cacheId = randomUUID();
  await send(store, admin, "cache.report", {
    cacheId,
    reportedAt: "2026-02-17T08:00:00Z",
    source: person("Source Abu Karim Jubouri", "Village-elder-Arab-Jabour"),
    governorate: "IQ-BG",
    location: { description: "under-the-olive-press-of-Arab-Jabour" },
    declaredContents: [{ kind: "weapon", category: "rifle", count: 3 }],
  });
  await send(store, admin, "cache.verify", {
    cacheId,
    verifiedAt: "2026-02-17T09:00:00Z",
    findings: "three-rifles-behind-the-Jubouri-house",
  });
}
