import { cacheDay, extractedRounds, type PlannedCache, planCaches } from "./caches.ts";
import {
  type BuildContext,
  destroyHeld,
  dispatchForDestruction,
  dispatchFromLanes,
  type RawCommand,
  receiveInTransit,
} from "./custody.ts";
import { Draws } from "./draws.ts";
import { weaponFaults } from "./faults.ts";
import { collectiveCategories, declaration, declaredCount, groupDefinitions } from "./groups.ts";
import { signatoryName } from "./names.ts";
import {
  addDays,
  atMinute,
  CUT_OFF,
  handoverPlan,
  PERSON_DUPLICATE,
  PERSON_PADDING,
  personPayload,
  planRegistrations,
  type Registrations,
  verifyingOfficer,
} from "./people.ts";
import { allSites, depots, lanes, type SiteDefinition, sitePayload } from "./sites.ts";
import { collectiveLots, personalLot, weaponPayload } from "./weapons.ts";

// The national scenario as a sequence of chunks, in time order: the set-up, then each day's
// morning receipts, registrations and handovers, and the weekly convoys to the depots; after the
// cut-off, the convoys to the destruction range and the destruction. Each chunk becomes one
// executeBatch (one transaction) on the write path.

export const SCENARIO = "iraq-national";

export interface ScenarioOptions {
  seed: number;
  /** 1 is the national scenario (250,000 people); 0.1 a tenth of it. */
  scale: number;
}

export type ActorName = "admin" | "registrar" | "custodian" | "disposal";

export interface Attempt {
  command: RawCommand;
  /** The problem code the rules must answer. */
  expect: string;
}

export interface Chunk {
  key: string;
  actor: ActorName;
  /** The write path's clock while the chunk runs: when the field laptop synced. */
  now: string;
  /** The id of the chunk's first command: once it is recorded, the whole chunk is (one transaction). */
  marker: string;
  /** Commands sent first that the rules must refuse (placeholder serials). */
  attempts: Attempt[];
  commands: RawCommand[] | ((ctx: BuildContext) => Promise<RawCommand[]>);
  /** Commands expected, for the progress display (an estimate for chunks built from the database). */
  weight: number;
}

/** Commands per transaction: large enough to amortise the commit, small enough to resume cheaply. */
const CHUNK_SIZE = 200;
const ROUNDS_AT_SCALE_1 = 10_000_000;
/** Share of a group's declared heavy weapons it hands over collectively. */
const COLLECTIVE_SHARE = 0.85;
const WEAPONS_PER_GROUP_HANDOVER = 40;

interface GroupHandover {
  group: number;
  n: number;
  day: number;
  lane: number;
  weapons: number;
  rounds: number;
}

export class ScenarioPlan {
  readonly options: ScenarioOptions;
  readonly draws: Draws;
  readonly registrations: Registrations;
  readonly groupHandovers: GroupHandover[];
  readonly caches: PlannedCache[];
  /**
   * Rounds the scenario records: its 10 million (scaled), or more in a tiny scenario where what
   * people hand in and what caches hold already exceed them.
   */
  readonly rounds: number;
  /** Collection dates, then the week after the cut-off (convoys to the range, destruction). */
  readonly dates: string[];

  constructor(options: ScenarioOptions) {
    this.options = options;
    this.draws = new Draws(`${SCENARIO}/${options.seed}/${options.scale}`);
    this.registrations = planRegistrations(this.draws, options.scale);
    const r = this.registrations;
    this.dates = [...r.dates, ...Array.from({ length: 7 }, (_, i) => addDays(CUT_OFF, i + 1))];

    this.caches = planCaches(this.draws, options.scale, r.dates.length);

    // Rounds: what people hand in and what is taken from caches, and the rest of the scenario's
    // 10 million from the groups.
    let personalRounds = 0;
    for (let k = 0; k < r.count; k++) personalRounds += handoverPlan(this.draws, r, k)?.rounds ?? 0;
    const target = Math.round(ROUNDS_AT_SCALE_1 * options.scale);
    const cacheRounds = extractedRounds(this.caches);
    const groupRounds = Math.max(0, target - personalRounds - cacheRounds);
    this.rounds = Math.max(target, personalRounds + cacheRounds);
    const totalStrength = groupDefinitions.reduce((a, g) => a + g.strength, 0);
    this.groupHandovers = groupDefinitions.flatMap((g, group) => {
      const heavy = Math.max(
        1,
        Math.round(
          collectiveCategories.reduce((a, c) => a + declaredCount(g.strength, c), 0) *
            options.scale *
            COLLECTIVE_SHARE,
        ),
      );
      const rounds = Math.round((groupRounds * g.strength) / totalStrength);
      const h = Math.ceil(heavy / WEAPONS_PER_GROUP_HANDOVER);
      const groupLanes = [...lanes.entries()].filter(([, l]) => g.governorates.includes(l.governorate));
      return Array.from({ length: h }, (_, n) => {
        const s = this.draws.stream("group-handover", group, n);
        let day = Math.floor(((n + 0.5) * r.dates.length) / h);
        if (new Date(`${r.dates[day]}T00:00:00Z`).getUTCDay() === 5) day = Math.max(0, day - 1);
        return {
          group,
          n,
          day,
          lane: s.pick(groupLanes)[0],
          weapons: Math.floor(heavy / h) + (n < heavy % h ? 1 : 0),
          rounds: Math.floor(rounds / h) + (n < rounds % h ? 1 : 0),
        };
      });
    });
  }

  siteId = (site: SiteDefinition) => this.draws.uuid("site", site.code);
  groupId = (g: number) => this.draws.uuid("group", groupDefinitions[g]!.code);
  actorId = (name: ActorName) => this.draws.uuid("actor", name);
  scaled = (n: number) => Math.max(1, Math.round(n * this.options.scale));

  /** The seeded faults, as planned (the ground truth a report can be checked against). */
  plannedFaults() {
    const r = this.registrations;
    let duplicates = 0;
    let padding = 0;
    for (let k = 0; k < r.count; k++) {
      if (r.kind[k] === PERSON_DUPLICATE) duplicates++;
      if (r.kind[k] === PERSON_PADDING) padding++;
    }
    return {
      people: r.count,
      duplicatePeople: duplicates,
      paddedRoster: padding,
      paddedGroup: groupDefinitions[r.paddedGroup]!.code,
    };
  }

  /** The id of the scenario's first command: present in a database that holds this scenario. */
  setupMarker(): string {
    return this.draws.uuid("command", "group", 0);
  }

  /** About how many commands the scenario records (custody depends on what was collected). */
  estimatedCommands(): number {
    const r = this.registrations;
    let n = groupDefinitions.length * 2 + allSites.length + 2 + this.groupHandovers.length;
    for (let k = 0; k < r.count; k++) n += handoverPlan(this.draws, r, k) ? 2 : 1;
    for (const c of this.caches)
      n += 1 + (c.verifyDay !== undefined ? 1 : 0) + (c.extractDay !== undefined ? 2 : 0);
    const weeks = Math.ceil(r.dates.length / 7);
    return n + weeks * Math.min(lanes.length * 4, Math.ceil(n / 200)) + 20;
  }

  *chunks(): Generator<Chunk> {
    yield this.setup();
    const r = this.registrations;
    const collectionDays = r.dates.length;
    const counters = { personal: 0, collective: 0 };
    let k = 0;
    for (const [day, date] of this.dates.entries()) {
      yield this.lazy(`${date}/receive`, "custodian", `${date}T03:45:00Z`, 20, (ctx) =>
        receiveInTransit(ctx, `${date}T03:30:00Z`),
      );
      if (day === r.paddingStartDay) yield this.paddedDeclaration(date);
      if (day < collectionDays) {
        const start = k;
        while (k < r.count && r.day[k] === day) k++;
        yield* this.collectionDay(day, date, start, k, counters);
        yield* this.cacheDay(day, date);
        const thursday = new Date(`${date}T00:00:00Z`).getUTCDay() === 4;
        if (thursday || day === collectionDays - 1)
          yield this.lazy(`${date}/dispatch`, "custodian", `${date}T16:40:00Z`, 30, (ctx) =>
            dispatchFromLanes(ctx, `${date}T16:30:00Z`),
          );
      }
      if (date === addDays(CUT_OFF, 3))
        yield this.lazy(`${date}/dispose-dispatch`, "custodian", `${date}T07:00:00Z`, 6, (ctx) =>
          dispatchForDestruction(ctx, depots, `${date}T06:30:00Z`),
        );
      if (date === addDays(CUT_OFF, 5))
        yield this.lazy(`${date}/destroy`, "disposal", `${date}T10:30:00Z`, 10, (ctx) =>
          destroyHeld(ctx, `${date}T10:00:00Z`),
        );
    }
  }

  private lazy(
    key: string,
    actor: ActorName,
    now: string,
    weight: number,
    build: (ctx: BuildContext) => Promise<RawCommand[]>,
  ): Chunk {
    return {
      key,
      actor,
      now,
      marker: this.draws.uuid("command", key, 0),
      attempts: [],
      commands: build,
      weight,
    };
  }

  private command(type: string, payload: unknown, ...label: (string | number)[]): RawCommand {
    return { commandId: this.draws.uuid("command", ...label), type, payload };
  }

  private setup(): Chunk {
    const start = this.registrations.dates[0]!;
    const commands: RawCommand[] = [];
    for (const [g, def] of groupDefinitions.entries())
      commands.push(
        this.command(
          "group.register",
          {
            groupId: this.groupId(g),
            code: def.code,
            name: { ar: def.ar, en: def.en },
            aliases: [
              { script: "latin", text: def.latinAlias },
              { script: "arabic", text: def.arabicAlias },
            ],
            governorates: def.governorates,
            liaisonOfficers: [{ name: signatoryName(this.draws.stream("liaison", g)) }],
          },
          "group",
          g,
        ),
      );
    for (const [g, def] of groupDefinitions.entries())
      commands.push(
        this.command(
          "group.declare",
          declaration(this.groupId(g), this.scaled(def.strength), addDays(start, -30)),
          "declare",
          g,
          1,
        ),
      );
    for (const site of allSites)
      commands.push(this.command("site.register", sitePayload(site, this.siteId(site)), "site", site.code));
    commands.push(
      this.command(
        "programme.configure",
        {
          name: {
            ar: "البرنامج الوطني لنزع السلاح والتسريح وإعادة الإدماج",
            en: "National disarmament, demobilisation and reintegration programme",
          },
          eligibility: {
            eligibleCategories: [
              "rifle",
              "submachine_gun",
              "machine_gun",
              "grenade_launcher",
              "rocket_launcher",
              "mortar",
              "recoilless_rifle",
              "anti_tank_guided_weapon",
              "manpads",
              "heavy_weapon",
            ],
            requireServiceable: true,
            minimumRounds: 300,
            cutOffDate: CUT_OFF,
          },
          // Caps at the declared strength and a tenth more: the padded roster runs into them.
          caps: groupDefinitions.map((def, g) => ({
            groupId: this.groupId(g),
            maxParticipants: Math.round(this.scaled(def.strength) * 1.1),
          })),
          legal: { amnesty: true, noForensicUse: true },
          dataOwner: "National DDR Commission (generated scenario)",
          retentionYears: 10,
        },
        "programme",
      ),
    );
    return {
      key: "setup",
      actor: "admin",
      now: `${addDays(start, -1)}T06:00:00Z`,
      marker: commands[0]!.commandId,
      attempts: [],
      commands,
      weight: commands.length,
    };
  }

  /** The padded group's new declaration, a fifth stronger, days before the cut-off. */
  private paddedDeclaration(date: string): Chunk {
    const g = this.registrations.paddedGroup;
    const def = groupDefinitions[g]!;
    const command = this.command(
      "group.declare",
      declaration(this.groupId(g), Math.round(this.scaled(def.strength) * 1.2), date, true),
      "declare",
      g,
      2,
    );
    return {
      key: `${date}/declare`,
      actor: "admin",
      now: `${date}T03:50:00Z`,
      marker: command.commandId,
      attempts: [],
      commands: [command],
      weight: 1,
    };
  }

  /** One day's registrations and handovers (people and groups), in chunks, in time order. */
  private *collectionDay(
    day: number,
    date: string,
    from: number,
    to: number,
    counters: { personal: number; collective: number },
  ): Generator<Chunk> {
    const r = this.registrations;
    const ids = { site: (lane: number) => this.siteId(lanes[lane]!), group: this.groupId };
    type Entry = { minute: number; commands: RawCommand[]; attempts: Attempt[] };
    const entries: Entry[] = [];
    for (let k = from; k < to; k++) {
      const minute = r.minute[k]!;
      const person = personPayload(this.draws, r, k, ids);
      const entry: Entry = {
        minute: minute + 10,
        commands: [this.command("person.register", person, "person", k)],
        attempts: [],
      };
      const plan = handoverPlan(this.draws, r, k);
      if (plan) {
        const weapons = Array.from({ length: plan.weapons }, () => {
          const n = counters.personal++;
          return weaponPayload(this.draws, "personal", n, weaponFaults(this.draws, "personal", n));
        });
        const calibre = (weapons[0]?.weapon as { calibre?: string } | undefined)?.calibre ?? "7.62x39mm";
        const handover = (list: unknown[]) => ({
          handoverId: this.draws.uuid("handover", k),
          siteId: person.siteId,
          handedAt: atMinute(date, minute + 10),
          verifyingOfficer: verifyingOfficer(this.draws, r.lane[k]!, day),
          from: { kind: "person", personId: person.personId },
          weapons: list,
          ammunition:
            plan.rounds > 0 ? [personalLot(this.draws.stream("person", k, "lot"), calibre, plan.rounds)] : [],
        });
        entry.commands.push(
          this.command("handover.record", handover(weapons.map((w) => w.weapon)), "handover", k),
        );
        if (weapons.some((w) => w.attempt))
          entry.attempts.push({
            command: {
              commandId: this.draws.uuid("attempt", "handover", k),
              type: "handover.record",
              payload: handover(weapons.map((w) => w.attempt ?? w.weapon)),
            },
            expect: "serial.placeholder",
          });
      }
      entries.push(entry);
    }
    for (const gh of this.groupHandovers.filter((x) => x.day === day))
      entries.push(this.groupHandover(gh, date, counters));
    entries.sort((a, b) => a.minute - b.minute);

    let part = 0;
    for (let i = 0; i < entries.length; ) {
      const commands: RawCommand[] = [];
      const attempts: Attempt[] = [];
      let last = 0;
      for (; i < entries.length && commands.length < CHUNK_SIZE; i++) {
        commands.push(...entries[i]!.commands);
        attempts.push(...entries[i]!.attempts);
        last = entries[i]!.minute;
      }
      yield {
        key: `${date}/collect/${part++}`,
        actor: "registrar",
        now: atMinute(date, last + 5),
        marker: commands[0]!.commandId,
        attempts,
        commands,
        weight: commands.length,
      };
    }
  }

  /**
   * One day's cache work, synced in the evening: reports, verifications, extractions and
   * clearances (caches.ts), before the day's convoy so that extracted items travel with it.
   */
  private *cacheDay(day: number, date: string): Generator<Chunk> {
    const ids = {
      cache: (n: number) => this.draws.uuid("cache", n),
      group: this.groupId,
      site: (lane: number) => this.siteId(lanes[lane]!),
      command: (type: string, payload: unknown, ...label: (string | number)[]) =>
        this.command(type, payload, ...label),
    };
    const timed = cacheDay(this.draws, ids, this.caches, day, date);
    for (let i = 0, part = 0; i < timed.length; part++) {
      const slice = timed.slice(i, i + CHUNK_SIZE);
      i += slice.length;
      const commands = slice.map((c) => c.command);
      yield {
        key: `${date}/caches/${part}`,
        actor: "admin",
        now: `${date}T16:20:00Z`,
        marker: commands[0]!.commandId,
        attempts: slice.flatMap((c) =>
          c.attempt ? [{ command: c.attempt, expect: "serial.placeholder" }] : [],
        ),
        commands,
        weight: commands.length,
      };
    }
  }

  private groupHandover(gh: GroupHandover, date: string, counters: { personal: number; collective: number }) {
    const minute = 8 * 60; // 11:00 in Baghdad
    const s = this.draws.stream("group-handover", gh.group, gh.n, "payload");
    const weapons = Array.from({ length: gh.weapons }, () => {
      const n = counters.collective++;
      return weaponPayload(this.draws, "collective", n, weaponFaults(this.draws, "collective", n));
    });
    const handover = (list: unknown[]) => ({
      handoverId: this.draws.uuid("group-handover", gh.group, gh.n),
      siteId: this.siteId(lanes[gh.lane]!),
      handedAt: atMinute(date, minute),
      verifyingOfficer: verifyingOfficer(this.draws, gh.lane, gh.day),
      witnesses: [{ name: signatoryName(s), affiliation: "Provincial council" }],
      from: { kind: "group", groupId: this.groupId(gh.group), representative: signatoryName(s) },
      weapons: list,
      ammunition: collectiveLots(s, gh.rounds),
    });
    const attempts: Attempt[] = weapons.some((w) => w.attempt)
      ? [
          {
            command: {
              commandId: this.draws.uuid("attempt", "group-handover", gh.group, gh.n),
              type: "handover.record",
              payload: handover(weapons.map((w) => w.attempt ?? w.weapon)),
            },
            expect: "serial.placeholder",
          },
        ]
      : [];
    return {
      minute,
      commands: [
        this.command(
          "handover.record",
          handover(weapons.map((w) => w.weapon)),
          "group-handover",
          gh.group,
          gh.n,
        ),
      ],
      attempts,
    };
  }
}
