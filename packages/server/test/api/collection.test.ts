import { type Role, receiptNumber, type Scope } from "@armsledger/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { programmePayload, sitePayload } from "../support/fixtures.ts";
import { type Api, startApi } from "./support.ts";

// The first real job, through HTTP only: the administrator sets the programme up, a registrar
// at a collection site registers people and records what they hand in, the analyst sees the
// anomalies, a monitor reads the public ledger.

let api: Api;
const as: Record<string, { cookie: string }> = {};
const ids: Record<string, string> = {};

const person = {
  arabic: { given: "حسين", father: "علي", grandfather: "كاظم", family: "الموسوي" },
  latin: { given: "Hussein", father: "Ali", grandfather: "Kadhim", family: "al-Mousawi" },
};
const motherName = { arabic: "زينب", latin: "Zainab" };
const nationalId = "198807012345";
const photo = "c".repeat(64); // the person's photo (private)
const markingPhoto = "b".repeat(64); // a weapon's photo (public)

const get = async (who: string, url: string) => {
  const res = await api.app.inject({ method: "GET", url, headers: as[who] });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json();
};

const send = async (who: string, type: string, payload: unknown) => {
  const res = await api.app.inject({
    method: "POST",
    url: "/api/v1/commands",
    headers: as[who],
    payload: { commandId: crypto.randomUUID(), type, payload },
  });
  expect(res.statusCode, `${type}: ${res.body}`).toBe(200);
  return res.json() as {
    seq: number;
    data: Record<string, unknown>;
    anomalies: { kind: string; subjectId: string; detail: string }[];
  };
};

const handover = (personId: string, weapons: unknown[], ammunition: unknown[] = []) => ({
  siteId: ids.site,
  handedAt: new Date(Date.now() - 600_000).toISOString(),
  verifyingOfficer: { name: "Major Okonkwo", affiliation: "UN Mission" },
  witnesses: [{ name: "Sheikh Hamid", affiliation: "Community council" }],
  from: { kind: "person", personId },
  weapons,
  ammunition,
});

const akm = (serial: string) => ({
  category: "rifle",
  type: "assault rifle",
  make: "Kalashnikov",
  model: "AKM",
  calibre: "7.62x39mm",
  serial,
  countryOfManufacture: "RU",
  yearOfManufacture: 1978,
  condition: "worn",
  serviceable: true,
});

beforeAll(async () => {
  api = await startApi();
  as.admin = api.headers("admin") as { cookie: string };
});
afterAll(() => api?.close());

describe("a collection day, end to end through the API", () => {
  it("the administrator registers a group, sites and the programme", async () => {
    const group = await send("admin", "group.register", {
      code: "KH",
      // Public record: none of its words may collide with the people's names checked below.
      name: { ar: "كتائب النصر", en: "Victory Brigades" },
      aliases: [
        { script: "arabic", text: "كتائب النصر" },
        { script: "latin", text: "Kataib al-Nasr" },
      ],
      governorates: ["IQ-BG", "IQ-DI"],
      units: ["1st Battalion"],
    });
    ids.group = group.data.groupId as string;
    await send("admin", "group.declare", {
      groupId: ids.group,
      asOf: "2026-01-15",
      strength: { men: 800, women: 40, boys: 12, girls: 0 },
      arsenal: [
        { category: "rifle", count: 700 },
        { category: "machine_gun", count: 30 },
      ],
      declaredCaches: 5,
    });
    ids.site = (await send("admin", "site.register", sitePayload("BGD-RUS-1"))).data.siteId as string;
    ids.mobile = (
      await send("admin", "site.register", {
        ...sitePayload("DIY-MOB-1", "mobile_team"),
        name: { ar: "فريق متنقل ديالى", en: "Diyala mobile team" },
        governorate: "IQ-DI",
        location: { lat: 33.75, lon: 44.6 },
      })
    ).data.siteId as string;
    await send("admin", "site.register", sitePayload("BGD-DEP-1", "depot"));
    await send(
      "admin",
      "programme.configure",
      programmePayload({ groupId: ids.group, maxParticipants: 1000 }),
    );

    const programme = await get("admin", "/api/v1/programme");
    expect(programme.config.eligibility.minimumRounds).toBe(200);
    const sites = await get("admin", "/api/v1/sites");
    expect(sites.items.map((s: { code: string }) => s.code)).toEqual(["BGD-DEP-1", "BGD-RUS-1", "DIY-MOB-1"]);
    const g = await get("admin", `/api/v1/groups/${ids.group}`);
    expect(g.declarations).toHaveLength(1);
    expect(g.aliases).toHaveLength(2);

    for (const [name, role, scope] of [
      ["registrar", "registrar", { sites: [ids.site], governorates: "all" }],
      ["custodian", "custodian", undefined],
      ["analyst", "analyst", undefined],
      ["monitor", "monitor", undefined],
    ] as [string, Role, Scope | undefined][])
      as[name] = { cookie: (await api.addUser(`${name}-1`, role, scope)).cookie };
  });

  it("the registrar registers a person in Arabic and Latin letters", async () => {
    const answer = await send("registrar", "person.register", {
      siteId: ids.site,
      kind: "combatant",
      name: person,
      motherName,
      birth: { date: "1988-07-01" },
      sex: "male",
      governorate: "IQ-BG",
      groupId: ids.group,
      role: "rifleman",
      nationalId,
      photo,
      listedByGroup: true,
      screening: { carried_weapon: true },
      consent: { given: true, recordedOn: "2026-02-01" },
    });
    ids.person = answer.data.personId as string;
    expect(answer.data.ageGroup).toBe("adult");
    const record = await get("registrar", `/api/v1/persons/${ids.person}`);
    expect(record).toMatchObject({ name: person, motherName, nationalId, eligible: false, siteId: ids.site });
  });

  it("records a handover of two weapons and a lot of ammunition, with a receipt and tags", async () => {
    const answer = await send(
      "registrar",
      "handover.record",
      handover(
        ids.person!,
        [
          akm("KA-1978-0042"),
          {
            category: "pistol",
            type: "pistol",
            make: "Tokarev",
            model: "TT-33",
            noReadableSerial: true,
            photos: [markingPhoto],
            markings: [{ text: "star on grip", location: "grip" }],
            alteredMarks: true,
            condition: "damaged",
            serviceable: false,
          },
        ],
        [
          {
            kind: "cartridge",
            calibreOrType: "7.62x39mm",
            quantity: 240,
            unit: "rounds",
            lotMark: "539-82",
            headstamp: "539 82",
            hazardDivision: "1.4",
            condition: "stable",
            safeToMove: true,
          },
        ],
      ),
    );
    ids.handover = answer.data.handoverId as string;
    ids.handoverSeq = String(answer.seq);
    expect(answer.data.receiptNumber).toMatch(/^R-\d{7}-\d$/u);
    expect(answer.data.receiptNumber).toBe(receiptNumber(answer.seq));
    const weapons = answer.data.weapons as { itemId: string; tag: string }[];
    const seq = String(answer.seq).padStart(7, "0");
    expect(weapons.map((w) => w.tag)).toEqual([`W${seq}-01`, `W${seq}-02`]);
    expect((answer.data.ammunition as { tag: string }[])[0]!.tag).toBe(`A${seq}-01`);
    expect(answer.data.eligibility).toEqual({ status: "eligible", reasons: ["eligible_weapon"] });
    expect(answer.anomalies).toEqual([]);
    ids.rifle = weapons[0]!.itemId;

    for (const who of ["registrar", "custodian"]) {
      const h = await get(who, `/api/v1/handovers/${ids.handover}`);
      expect(h).toMatchObject({
        receiptNumber: answer.data.receiptNumber,
        personId: ids.person,
        groupId: ids.group,
        eligibilityStatus: "eligible",
      });
      expect(h.weapons).toHaveLength(2);
      expect(h.weapons[0]).toMatchObject({
        serial: "KA-1978-0042",
        make: "Kalashnikov",
        noReadableSerial: false,
      });
      expect(h.weapons[1]).toMatchObject({
        serial: null,
        noReadableSerial: true,
        alteredMarks: true,
        serviceable: false,
      });
      expect(h.ammunition).toEqual([expect.objectContaining({ quantity: 240, unit: "rounds" })]);
    }
    expect((await get("registrar", `/api/v1/persons/${ids.person}`)).eligible).toBe(true);
  });

  it("raises a duplicate_serial anomaly for the same make, model and serial, seen by the analyst", async () => {
    const second = await send("registrar", "person.register", {
      siteId: ids.site,
      kind: "combatant",
      name: { arabic: { given: "عباس", family: "الجبوري" }, latin: { given: "Abbas", family: "al-Jubouri" } },
      birth: { year: 1995 },
      sex: "male",
      governorate: "IQ-BG",
      groupId: ids.group,
      listedByGroup: false,
      consent: { given: true, recordedOn: "2026-02-01" },
    });
    ids.second = second.data.personId as string;
    // Typed differently (spaces, lower case): the same weapon identity.
    const answer = await send("registrar", "handover.record", handover(ids.second, [akm("ka 1978 0042")]));
    const newWeapon = (answer.data.weapons as { itemId: string }[])[0]!.itemId;
    expect(answer.anomalies).toEqual([
      expect.objectContaining({ kind: "duplicate_serial", subjectKind: "weapon", subjectId: newWeapon }),
    ]);
    expect(answer.data.receiptNumber).toBe(receiptNumber(answer.seq));

    const anomalies = await get("analyst", "/api/v1/anomalies");
    const seen = anomalies.items.find((a: { subjectId: string }) => a.subjectId === newWeapon);
    expect(seen).toMatchObject({ kind: "duplicate_serial", raisedSeq: answer.seq });
    expect(seen.detail).toContain(`W${String(ids.handoverSeq).padStart(7, "0")}-01`);

    // Both sightings stay separate items, found by make + model + serial.
    const found = await get("custodian", "/api/v1/weapons?make=Kalashnikov&model=AKM&serial=KA-1978-0042");
    expect(found.items.map((w: { id: string }) => w.id).sort()).toEqual([ids.rifle, newWeapon].sort());
  });

  it("gives a receipt number to a person found ineligible", async () => {
    const third = await send("registrar", "person.register", {
      siteId: ids.site,
      kind: "associated_member",
      name: { latin: { given: "Layla", family: "Hassan" } },
      birth: { year: 2000 },
      sex: "female",
      governorate: "IQ-BG",
      listedByGroup: false,
      consent: { given: true, recordedOn: "2026-02-01" },
    });
    const answer = await send(
      "registrar",
      "handover.record",
      handover(
        third.data.personId as string,
        [
          {
            category: "grenade_launcher",
            type: "RPG-7",
            serial: "RPG-31337",
            condition: "inoperable",
            serviceable: false,
          },
        ],
        [
          {
            kind: "cartridge",
            calibreOrType: "7.62x39mm",
            quantity: 50,
            unit: "rounds",
            condition: "stable",
            safeToMove: true,
          },
        ],
      ),
    );
    expect(answer.data.receiptNumber).toBe(receiptNumber(answer.seq));
    expect(answer.data.eligibility).toEqual({ status: "ineligible", reasons: ["no_eligible_item"] });
    const h = await get("registrar", `/api/v1/handovers/${answer.data.handoverId}`);
    expect(h).toMatchObject({ eligibilityStatus: "ineligible", eligibilityReasons: ["no_eligible_item"] });
    expect(h.receiptNumber).toBe(answer.data.receiptNumber);
    expect((await get("registrar", `/api/v1/persons/${third.data.personId}`)).eligible).toBe(false);
  });

  it("corrects a serial with a new entry that names the earlier one; the original entry is unchanged", async () => {
    const handoverEvent = () =>
      get("monitor", `/api/v1/events?after=${Number(ids.handoverSeq) - 1}&limit=1`).then((r) => r.items[0]);
    const original = await handoverEvent();
    expect(original.type).toBe("handover.recorded");
    expect(original.entry).toContain("KA-1978-0042");

    const correction = await send("registrar", "record.correct", {
      kind: "weapon",
      id: ids.rifle,
      corrects: Number(ids.handoverSeq),
      changes: { serial: "KA-1978-0043" },
      reason: "The 2 was a 3 under the rust.",
    });
    expect(correction.data).toMatchObject({
      corrects: Number(ids.handoverSeq),
      subject: { kind: "weapon", id: ids.rifle },
    });

    const h = await get("registrar", `/api/v1/handovers/${ids.handover}`);
    expect(h.weapons[0]).toMatchObject({ id: ids.rifle, serial: "KA-1978-0043" });
    expect(await handoverEvent()).toEqual(original);
    const entry = (await get("monitor", `/api/v1/events?after=${correction.seq - 1}&limit=1`)).items[0];
    expect(entry.type).toBe("record.corrected");
    expect(JSON.parse(entry.entry).data).toMatchObject({ corrects: Number(ids.handoverSeq) });
  });

  it("a correction of a person's name stays out of the public log too", async () => {
    const registered = await get("registrar", `/api/v1/persons/${ids.person}`);
    await send("registrar", "record.correct", {
      kind: "person",
      id: ids.person,
      corrects: registered.registeredSeq,
      changes: { name: { ...person, latin: { ...person.latin, family: "al-Musawi" } } },
      reason: "Spelling as on the national card.",
    });
    expect((await get("registrar", `/api/v1/persons/${ids.person}`)).name.latin.family).toBe("al-Musawi");
  });

  it("the events a monitor reads never carry a person's names or national id", async () => {
    const events = await get("monitor", "/api/v1/events?limit=1000");
    expect(events.items.length).toBeGreaterThan(10);
    const text = JSON.stringify(events);
    const secrets = [
      ...Object.values(person.arabic),
      ...Object.values(person.latin),
      "al-Musawi",
      "عباس",
      "Abbas",
      "al-Jubouri",
      "Layla",
      motherName.arabic,
      motherName.latin,
      nationalId,
      photo,
      "rifleman",
      ids.person!,
    ];
    for (const secret of secrets) expect(text, secret).not.toContain(secret);
    // Each leaf commits to its personal part instead.
    const registration = events.items.find((e: { type: string }) => e.type === "person.registered");
    expect(JSON.parse(registration.entry).personal).toMatch(/^[0-9a-f]{64}$/u);
  });

  it("the public parts of the log still let anyone count what was collected", async () => {
    const events = await get("monitor", "/api/v1/events?limit=1000");
    const handovers = events.items
      .filter((e: { type: string }) => e.type === "handover.recorded")
      .map((e: { entry: string }) => JSON.parse(e.entry).data);
    expect(handovers).toHaveLength(3);
    expect(handovers.flatMap((h: { weapons: unknown[] }) => h.weapons)).toHaveLength(4);
    expect(handovers.every((h: { siteId: string }) => h.siteId === ids.site)).toBe(true);
  });
});
