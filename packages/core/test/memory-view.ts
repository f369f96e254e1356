import type { ScopeTarget } from "../src/access/policy.ts";
import { type Actor, type Role, type Scope, unlimitedScope } from "../src/access/roles.ts";
import type {
  CommandEnv,
  DecidedEvent,
  DuplicateReviewCase,
  RecordRef,
  RecordView,
} from "../src/commands/command.ts";
import type {
  CacheRecord,
  DiscrepancyRecord,
  InvestigationRecord,
  KeyPartRecord,
  StockCheckRecord,
  StoreAccessRecord,
} from "../src/commands/custody-view.ts";
import type { GroupTransformationRecord, PathwayRecord } from "../src/commands/pathway-view.ts";
import type {
  PaymentLineRecord,
  PaymentListRecord,
  PaymentScheduleRecord,
} from "../src/commands/payment-view.ts";
import type { AppealRecord, ScreeningRecord } from "../src/commands/screening-view.ts";
import { keepCandidate } from "../src/names/candidate-index.ts";
import {
  correctedMatchInput,
  type DuplicateMatch,
  givenNameKeys,
  type NameCandidateQuery,
  personNameKeys,
} from "../src/names/duplicate-check.ts";
import { type MatchInput, matchInputFromPerson, preparePerson } from "../src/names/person.ts";
import type { CardRecord } from "../src/records/card.ts";
import type { ItemKind } from "../src/records/custody.ts";
import type { PaymentChannel } from "../src/records/payment.ts";
import type { PersonInput } from "../src/records/person.ts";
import type { ProgrammeConfig } from "../src/records/programme.ts";
import type { WeaponCategory } from "../src/records/weapon.ts";
import { keyPartTag } from "../src/rules/key-part-tag.ts";
import type { DuplicateReviewState } from "../src/rules/person-standing.ts";

export interface SiteRow {
  id: string;
  kind: string;
  governorate: string;
  code: string;
}

export interface GroupRow {
  id: string;
  code: string;
}

export interface PersonRow {
  id: string;
  siteId: string;
  groupId?: string | undefined;
  governorate: string;
  registeredOn: string;
  kind: "combatant" | "associated_member";
  sex: "male" | "female";
  ageGroup: "adult" | "child";
  eligible: boolean;
  eligibilityRevoked: boolean;
  deceased: boolean;
  duplicateReview: DuplicateReviewState;
}

const refKey = (ref: RecordRef) => `${ref.kind}:${ref.id}`;

/**
 * An in-memory `RecordView`: plain maps a test fills in directly, or by `apply`ing the events
 * the commands decide (a tiny projection, enough to chain commands in a test).
 */
export class MemoryView implements RecordView {
  programmeConfig: ProgrammeConfig | undefined;
  readonly sites = new Map<string, SiteRow>();
  readonly groups = new Map<string, GroupRow>();
  readonly declarationVersions = new Map<string, number>();
  readonly persons = new Map<string, PersonRow>();
  readonly tags = new Set<string>();
  /** Leaf index → the records the event touched. */
  readonly events = new Map<number, RecordRef[]>();
  /** "kind:id" → where the record belongs. */
  readonly places = new Map<string, ScopeTarget>();
  /** "kind:id" → custody state of weapon items and ammunition lots. */
  readonly items = new Map<
    string,
    {
      kind: ItemKind;
      id: string;
      state: string;
      holderSiteId: string;
      category: string;
      flagged: boolean;
      alteredMarks: boolean;
    }
  >();
  readonly transfers = new Map<
    string,
    {
      id: string;
      fromSiteId: string;
      toSiteId: string;
      status: string;
      items: { kind: ItemKind; id: string }[];
      seals: string[];
      dispatchedAt: string;
    }
  >();
  /** "kind:id" → when its holder took it into custody. */
  readonly since = new Map<string, string>();

  async custodySince(refs: readonly { kind: ItemKind; id: string }[]) {
    return refs.flatMap((r) => {
      const since = this.since.get(`${r.kind}:${r.id}`);
      return since ? [{ kind: r.kind, id: r.id, since }] : [];
    });
  }
  readonly seals = new Set<string>();
  readonly registrationNumbers = new Set<string>();
  /** Store removals by id, with which items are back. */
  readonly storeAccess = new Map<string, StoreAccessRecord>();

  async findStoreAccess(id: string) {
    const a = this.storeAccess.get(id);
    return a && structuredClone(a);
  }
  readonly stockChecks = new Map<string, StockCheckRecord>();
  /** Weapon id → the tag and serial it was handed over with. */
  readonly weaponMarks = new Map<string, { id: string; tag: string; serial: string | null }>();

  // pathways: each group's status and party (absent: as registered, armed), and the pathways.
  readonly groupTransformations = new Map<string, GroupTransformationRecord>();
  readonly pathways = new Map<string, PathwayRecord>();

  async findGroupTransformation(groupId: string) {
    if (!this.groups.has(groupId)) return undefined;
    return structuredClone(this.groupTransformations.get(groupId) ?? { status: "armed" as const });
  }
  async findPathway(id: string) {
    const p = this.pathways.get(id);
    return p && structuredClone(p);
  }
  async serviceNumberInUse(force: string, serviceNumber: string) {
    return [...this.pathways.values()].some(
      (p) => p.force === force && this.serviceNumbers.get(p.id) === serviceNumber,
    );
  }
  /** Pathway id → the service number given at placement. */
  readonly serviceNumbers = new Map<string, string>();
  async activePathwayOf(personId: string) {
    const p = [...this.pathways.values()].find((x) => x.personId === personId && x.active);
    return p && { id: p.id, kind: p.kind, state: p.state };
  }

  /** Key parts separated from weapons, by part id (their custody state is in `items`). */
  readonly keyParts = new Map<string, Omit<KeyPartRecord, "state"> & { serial?: string | null }>();
  async findKeyParts(weaponIds: readonly string[]) {
    return [...this.keyParts.values()]
      .filter((p) => weaponIds.includes(p.weaponId))
      .map(({ serial: _serial, ...p }) => ({ ...p, state: this.items.get(`key_part:${p.id}`)!.state }));
  }
  async findKeyPart(partId: string) {
    const p = this.keyParts.get(partId);
    if (!p) return undefined;
    const { serial: _serial, ...rest } = p;
    return { ...rest, state: this.items.get(`key_part:${p.id}`)!.state };
  }

  readonly caches = new Map<string, CacheRecord>();
  async findCache(id: string) {
    const c = this.caches.get(id);
    return c && { ...c };
  }
  readonly investigations = new Map<string, InvestigationRecord>();
  readonly discrepancies = new Map<string, DiscrepancyRecord>();

  async findInvestigation(id: string) {
    const i = this.investigations.get(id);
    return i && structuredClone(i);
  }
  async findDiscrepancy(id: string) {
    const d = this.discrepancies.get(id);
    return d && { ...d };
  }
  async findStockCheck(id: string) {
    const c = this.stockChecks.get(id);
    return c && structuredClone(c);
  }
  async openStockCheck(siteId: string) {
    const c = [...this.stockChecks.values()].find((x) => x.siteId === siteId && x.status === "open");
    return c && { id: c.id, startedAt: c.startedAt };
  }
  async itemsHeldAt(siteId: string) {
    return [...this.items.values()]
      .filter((i) => i.holderSiteId === siteId && (i.state === "in_custody" || i.state === "out_of_store"))
      .map((i) => ({
        kind: i.kind,
        id: i.id,
        category: i.category,
        state: i.state as "in_custody" | "out_of_store",
      }));
  }
  async findWeaponMarks(ids: string[]) {
    return ids.flatMap((id) => {
      const m = this.weaponMarks.get(id);
      return m ? [{ ...m }] : [];
    });
  }

  /** Weapons handed in without a key part, by weapon id (set from handovers' keyPartsMissing). */
  readonly partsNeverHandedIn = new Map<string, string[]>();
  async keyPartsMissingAtHandover(weaponIds: readonly string[]) {
    return weaponIds.flatMap((weaponId) =>
      (this.partsNeverHandedIn.get(weaponId) ?? []).map((part) => ({ weaponId, part })),
    );
  }

  async findKeyPartMarks(ids: string[]) {
    return ids.flatMap((id) => {
      const p = this.keyParts.get(id);
      if (!p) return [];
      const ordinal = [...this.keyParts.values()].filter((q) => q.weaponId === p.weaponId).indexOf(p) + 1;
      const tag = this.weaponMarks.get(p.weaponId)?.tag;
      return [{ id, tag: tag ? keyPartTag(tag, ordinal) : "", serial: p.serial ?? null }];
    });
  }

  async findItems(refs: { kind: ItemKind; id: string }[]) {
    return refs.flatMap((r) => {
      const item = this.items.get(`${r.kind}:${r.id}`);
      return item ? [{ ...item }] : [];
    });
  }
  async findTransfer(id: string) {
    const t = this.transfers.get(id);
    return t && { ...t, items: [...t.items], seals: [...t.seals] };
  }
  async sealsInUse(seals: string[]) {
    return seals.filter((s) => this.seals.has(s));
  }
  async registrationNumbersInUse(numbers: string[]) {
    return numbers.filter((n) => this.registrationNumbers.has(n));
  }

  async programme() {
    return this.programmeConfig;
  }
  async findSite(id: string) {
    const row = this.sites.get(id);
    return row && { id: row.id, kind: row.kind, governorate: row.governorate };
  }
  async siteCodeInUse(code: string) {
    return [...this.sites.values()].some((s) => s.code === code);
  }
  async findGroup(id: string) {
    const row = this.groups.get(id);
    return row && { ...row };
  }
  async groupCodeInUse(code: string) {
    return [...this.groups.values()].some((g) => g.code === code);
  }
  async latestDeclarationVersion(groupId: string) {
    return this.declarationVersions.get(groupId) ?? 0;
  }
  async findPerson(id: string) {
    const row = this.persons.get(id);
    return row && { ...row };
  }
  async countEligiblePersons(groupId: string) {
    return [...this.persons.values()].filter(
      (p) => p.groupId === groupId && p.eligible && !p.eligibilityRevoked,
    ).length;
  }

  // Screening and eligibility.
  /** Person id → their latest screening. */
  readonly screenings = new Map<string, ScreeningRecord>();
  readonly appeals = new Map<string, AppealRecord>();
  /** Person id → registration facts the screening rules read. */
  readonly personFacts = new Map<
    string,
    { listedByGroup: boolean; birthDate?: string; birthYear?: number }
  >();
  /** Person id → what they handed in. */
  readonly handedIn = new Map<
    string,
    {
      weapons: { category: WeaponCategory; serviceable: boolean }[];
      ammunition: { unit: string; quantity: number }[];
    }
  >();
  async findLatestScreening(personId: string) {
    const s = this.screenings.get(personId);
    return s && { ...s };
  }
  async findPersonFacts(personId: string) {
    const f = this.personFacts.get(personId);
    return f && { ...f };
  }
  async personItems(personId: string) {
    const i = this.handedIn.get(personId);
    return { weapons: [...(i?.weapons ?? [])], ammunition: [...(i?.ammunition ?? [])] };
  }
  async findAppeal(appealId: string) {
    const a = this.appeals.get(appealId);
    return a && { ...a };
  }
  async findOpenAppeal(personId: string) {
    const a = [...this.appeals.values()].find((x) => x.personId === personId && x.status === "lodged");
    return a && { ...a };
  }
  async tagsInUse(tags: string[]) {
    return tags.filter((t) => this.tags.has(t));
  }
  async findEventSubjects(seq: number) {
    return this.events.get(seq)?.map((s) => ({ ...s }));
  }
  async findRecordPlace(ref: RecordRef) {
    return this.places.get(refKey(ref));
  }
  // Group rosters: each group's versions, oldest first.
  readonly rosters = new Map<string, { version: number; submittedOn: string; memberNumbers: string[] }[]>();
  async findLatestRoster(groupId: string) {
    const latest = this.rosters.get(groupId)?.at(-1);
    return latest && { ...latest, memberNumbers: [...latest.memberNumbers] };
  }

  // Demobilisation cards (cards slice): by card number.
  readonly cards = new Map<string, CardRecord>();
  async findCard(cardNumber: string) {
    const c = this.cards.get(cardNumber);
    return c && { ...c };
  }
  async findActiveCard(personId: string) {
    const c = [...this.cards.values()].find((x) => x.personId === personId && x.status === "active");
    return c && { ...c };
  }

  // duplicate review (issue 5): the name keys and given-name counts, as the store keeps them.
  /** Person id → what matching reads of it. */
  readonly personNames = new Map<string, MatchInput>();
  /** Hashed name key → the people filed under it. */
  readonly nameKeys = new Map<number, Set<string>>();
  /** Hashed given-name skeleton → how many people carry it. */
  readonly givenCounts = new Map<number, number>();
  readonly duplicateReviews = new Map<string, DuplicateReviewCase>();

  /** Files a person's names as the store's projection does (person.registered). */
  indexName(id: string, input: MatchInput): void {
    this.personNames.set(id, input);
    const person = preparePerson(input);
    for (const key of personNameKeys(person)) {
      const block = this.nameKeys.get(key) ?? new Set<string>();
      block.add(id);
      this.nameKeys.set(key, block);
    }
    for (const key of givenNameKeys(person)) this.givenCounts.set(key, (this.givenCounts.get(key) ?? 0) + 1);
  }

  async findNameCandidates(query: NameCandidateQuery) {
    const counts = [...this.givenCounts.values()];
    const given = {
      total: counts.reduce((a, c) => a + c, 0),
      squares: counts.reduce((a, c) => a + c * c, 0),
      counts: Object.fromEntries(
        query.givenKeys.flatMap((k) => {
          const n = this.givenCounts.get(k);
          return n === undefined ? [] : [[k, n]];
        }),
      ),
    };
    // Person → [keys hit, smallest block among them], as the store selects (keepCandidate).
    const found = new Map<string, [number, number]>();
    let skippedBlocks = 0;
    for (const key of query.keys) {
      const block = this.nameKeys.get(key);
      if (!block) continue;
      if (block.size > query.maxBlock) skippedBlocks++;
      else
        for (const id of block) {
          const seen = found.get(id);
          found.set(id, seen ? [seen[0] + 1, Math.min(seen[1], block.size)] : [1, block.size]);
        }
    }
    // An alias is not matched again: the earlier record it was merged into stands for it.
    const usable = [...found].filter(([id]) => this.persons.get(id)?.duplicateReview !== "merged");
    const kept = usable.filter(([id, [hits, smallest]]) =>
      keepCandidate(
        hits,
        smallest,
        query.governorate !== undefined && this.personNames.get(id)?.governorate === query.governorate,
        query.smallBlock,
      ),
    );
    const candidates = kept.map(([id]) => ({ id, person: structuredClone(this.personNames.get(id)!) }));
    return { candidates, skippedBlocks, setAside: usable.length - kept.length, given };
  }

  async findPersonMatchInput(personId: string) {
    const p = this.personNames.get(personId);
    return p && structuredClone(p);
  }

  /** Takes a person out of the name index (before a correction files it again). */
  unindexName(id: string): void {
    const input = this.personNames.get(id);
    if (!input) return;
    this.personNames.delete(id);
    for (const block of this.nameKeys.values()) block.delete(id);
    for (const key of givenNameKeys(preparePerson(input)))
      this.givenCounts.set(key, (this.givenCounts.get(key) ?? 1) - 1);
  }

  async findDuplicateReview(personId: string) {
    const r = this.duplicateReviews.get(personId);
    return r && { ...r, matches: [...r.matches] };
  }

  addSite(row: Partial<SiteRow> & { id: string }): SiteRow {
    const full: SiteRow = {
      kind: "collection",
      governorate: "IQ-BG",
      code: `S-${this.sites.size + 1}`,
      ...row,
    };
    this.sites.set(full.id, full);
    this.places.set(refKey({ kind: "site", id: full.id }), {
      siteId: full.id,
      governorate: full.governorate,
    });
    return full;
  }

  addGroup(row: Partial<GroupRow> & { id: string }): GroupRow {
    const full: GroupRow = { code: `G-${this.groups.size + 1}`, ...row };
    this.groups.set(full.id, full);
    return full;
  }

  addPerson(row: Partial<PersonRow> & { id: string; siteId: string }): PersonRow {
    const full: PersonRow = {
      governorate: "IQ-BG",
      registeredOn: "2025-01-10",
      kind: "combatant",
      sex: "male",
      ageGroup: "adult",
      eligible: false,
      eligibilityRevoked: false,
      deceased: false,
      duplicateReview: "none",
      ...row,
    };
    this.persons.set(full.id, full);
    this.places.set(refKey({ kind: "person", id: full.id }), {
      siteId: full.siteId,
      governorate: full.governorate,
    });
    return full;
  }

  // payments
  readonly paymentSchedules = new Map<string, PaymentScheduleRecord>();
  readonly paymentLists = new Map<string, PaymentListRecord>();
  /** "personId:channel" → the payout account on record. */
  readonly payoutAccounts = new Map<string, { account: string; holder?: string | undefined }>();
  /** Reference → the line, with whom and what it pays. */
  readonly paymentLines = new Map<
    string,
    PaymentLineRecord & { personId: string; scheduleId: string; period: string }
  >();

  async findPaymentSchedule(id: string) {
    const s = this.paymentSchedules.get(id);
    return s && { ...s };
  }
  async findPaymentList(id: string) {
    const l = this.paymentLists.get(id);
    return l && { ...l };
  }
  async paymentState(personId: string, scheduleId: string, period: string) {
    const lines = [...this.paymentLines.values()].filter(
      (l) => l.personId === personId && l.scheduleId === scheduleId && l.period === period,
    );
    if (lines.some((l) => l.status === "paid")) return "paid" as const;
    if (lines.some((l) => l.status === "listed" || l.status === "sent")) return "open" as const;
    return undefined;
  }
  async paymentCandidates(scheduleId: string, period: string, channel: PaymentChannel) {
    return Promise.all(
      [...this.persons.values()].map(async (p) => ({
        personId: p.id,
        eligible: p.eligible,
        eligibilityRevoked: p.eligibilityRevoked,
        deceased: p.deceased,
        duplicateReview: p.duplicateReview,
        account: this.payoutAccounts.get(`${p.id}:${channel}`),
        payment: await this.paymentState(p.id, scheduleId, period),
      })),
    );
  }
  async findPaymentLines(references: string[]) {
    return references.flatMap((r) => {
      const l = this.paymentLines.get(r);
      if (!l) return [];
      const list = l.listId ? this.paymentLists.get(l.listId) : undefined;
      return [{ ...l, listStatus: list?.status }];
    });
  }
  async openPaymentLines(listIds: string[]) {
    return [...this.paymentLines.values()]
      .filter((l) => l.listId && listIds.includes(l.listId) && (l.status === "listed" || l.status === "sent"))
      .map((l) => ({ reference: l.reference, listId: l.listId! }));
  }

  /**
   * Folds a decided event into the maps, as the store would after appending it at `seq`; `meta`
   * is when and by whom it was recorded (a duplicate review's opening).
   */
  apply(seq: number, event: DecidedEvent, meta: { at?: string; actor?: string } = {}): void {
    this.events.set(seq, event.subjects);
    // The fields this projection reads, as the commands write them.
    const d = event.data as {
      [key: string]: unknown;
      siteId: string;
      kind: string;
      governorate: string;
      code: string;
      groupId: string;
      version: number;
      personId: string;
      registeredOn: string;
      weapons: { tag: string; itemId: string }[];
      ammunition: { tag: string; lotId: string }[];
      eligibility: { status: string };
    };
    switch (event.type) {
      case "programme.configured":
        this.programmeConfig = d as unknown as ProgrammeConfig;
        break;
      case "site.registered":
        this.addSite({ id: d.siteId, kind: d.kind, governorate: d.governorate, code: d.code });
        break;
      case "group.registered":
        this.addGroup({ id: d.groupId, code: d.code });
        break;
      case "group.declared":
        this.declarationVersions.set(d.groupId, d.version);
        break;
      case "roster.submitted": {
        const r = d as unknown as { submittedOn: string; entries: { memberNumber: string }[] };
        const versions = this.rosters.get(d.groupId) ?? [];
        versions.push({
          version: d.version,
          submittedOn: r.submittedOn,
          memberNumbers: r.entries.map((e) => e.memberNumber),
        });
        this.rosters.set(d.groupId, versions);
        break;
      }
      // duplicate review (issue 5)
      case "duplicate.merged":
      case "duplicate.dismissed": {
        const status = event.type === "duplicate.merged" ? "merged" : "dismissed";
        this.persons.get(d.personId)!.duplicateReview = status;
        const review = this.duplicateReviews.get(d.personId)!;
        review.status = status;
        if (d.intoPersonId) review.mergedInto = d.intoPersonId as string;
        break;
      }
      case "person.registered":
        this.addPerson({
          id: d.personId,
          siteId: d.siteId,
          groupId: d.groupId,
          governorate: d.governorate,
          registeredOn: d.registeredOn,
          kind: d.kind as PersonRow["kind"],
          sex: d.sex as PersonRow["sex"],
          ageGroup: d.ageGroup as PersonRow["ageGroup"],
        });
        this.personFacts.set(d.personId, {
          listedByGroup: d.listedByGroup as boolean,
          ...((d.birth as { date?: string; year?: number }).date
            ? { birthDate: (d.birth as { date: string }).date }
            : {}),
          ...((d.birth as { year?: number }).year ? { birthYear: (d.birth as { year: number }).year } : {}),
        });
        this.indexName(d.personId, matchInputFromPerson(d as unknown as PersonInput));
        if (d.duplicateReview === "pending") {
          this.persons.get(d.personId)!.duplicateReview = "pending";
          this.duplicateReviews.set(d.personId, {
            personId: d.personId,
            status: "pending",
            openedAt: meta.at ?? "1970-01-01T00:00:00.000Z",
            registeredBy: meta.actor ?? "test",
            matches: (d.duplicateMatches as DuplicateMatch[]).map((m) => m.personId),
          });
        }
        break;
      case "record.corrected": {
        // A person's correction re-files its names and may hold it for review (as the server does).
        const c = d as unknown as {
          subject: { kind: string; id: string };
          changes: Record<string, unknown>;
          duplicateReview?: "pending";
          duplicateMatches?: DuplicateMatch[];
        };
        const loose = c.subject.kind === "key_part" ? this.keyParts.get(c.subject.id) : undefined;
        if (loose) {
          // A loose part's corrected name is its category from now on (the balance's, the stock check's).
          if (typeof c.changes.part === "string") {
            loose.part = c.changes.part;
            this.items.get(`key_part:${c.subject.id}`)!.category = c.changes.part;
          }
          if ("serial" in c.changes) loose.serial = (c.changes.serial as string | null) ?? null;
        }
        if (c.subject.kind !== "person") break;
        const before = this.personNames.get(c.subject.id);
        if (before) {
          this.unindexName(c.subject.id);
          this.indexName(c.subject.id, correctedMatchInput(before, c.changes));
        }
        if (c.duplicateReview === "pending") {
          this.persons.get(c.subject.id)!.duplicateReview = "pending";
          this.duplicateReviews.set(c.subject.id, {
            personId: c.subject.id,
            status: "pending",
            openedAt: meta.at ?? "1970-01-01T00:00:00.000Z",
            registeredBy: meta.actor ?? "test",
            matches: (c.duplicateMatches ?? []).map((m) => m.personId),
          });
        }
        break;
      }
      case "screening.recorded": {
        const r = d as unknown as {
          screeningId: string;
          decision: { status: "eligible" | "ineligible" };
          membershipVerified: boolean;
          excluded: boolean;
        };
        this.screenings.set(d.personId, {
          screeningId: r.screeningId,
          status: r.decision.status,
          membershipVerified: r.membershipVerified,
          excluded: r.excluded,
        });
        this.persons.get(d.personId)!.eligible = r.decision.status === "eligible";
        break;
      }
      case "eligibility.appealed":
        this.appeals.set(d.appealId as string, {
          id: d.appealId as string,
          personId: d.personId,
          status: "lodged",
          lodgedAt: new Date(d.lodgedAt as string).toISOString(),
        });
        break;
      case "eligibility.appeal_decided": {
        const outcome = d.outcome as "upheld" | "overturned";
        this.appeals.get(d.appealId as string)!.status = outcome;
        if (outcome === "overturned")
          Object.assign(this.persons.get(d.personId)!, { eligible: true, eligibilityRevoked: false });
        break;
      }
      case "eligibility.revoked":
        this.persons.get(d.personId)!.eligibilityRevoked = true;
        break;
      case "person.death_recorded":
        this.persons.get(d.personId)!.deceased = true;
        break;
      case "weapon.part_separated": {
        const p = d as unknown as {
          partId: string;
          weaponId: string;
          part: string;
          serial?: string;
          siteId: string;
          separatedAt: string;
        };
        this.keyParts.set(p.partId, {
          id: p.partId,
          weaponId: p.weaponId,
          part: p.part,
          serial: p.serial ?? null,
        });
        this.items.set(`key_part:${p.partId}`, {
          kind: "key_part",
          id: p.partId,
          state: "in_custody",
          holderSiteId: p.siteId,
          category: p.part,
          flagged: false,
          alteredMarks: false,
        });
        this.since.set(`key_part:${p.partId}`, p.separatedAt);
        break;
      }
      case "weapon.part_reattached": {
        const p = d as unknown as { partId: string; reattachedAt: string };
        this.items.get(`key_part:${p.partId}`)!.state = "reattached";
        break;
      }
      case "custody.dispatched": {
        const t = d as unknown as {
          transferId: string;
          fromSiteId: string;
          toSiteId: string;
          items: { kind: ItemKind; id: string }[];
          seals: string[];
          dispatchedAt: string;
        };
        this.transfers.set(t.transferId, {
          dispatchedAt: t.dispatchedAt,
          id: t.transferId,
          fromSiteId: t.fromSiteId,
          toSiteId: t.toSiteId,
          status: "in_transit",
          items: t.items,
          seals: t.seals,
        });
        for (const seal of t.seals) this.seals.add(seal);
        for (const i of t.items) this.items.get(`${i.kind}:${i.id}`)!.state = "in_transit";
        break;
      }
      case "custody.received": {
        const r = d as unknown as {
          transferId: string;
          toSiteId: string;
          receivedAt: string;
          items: { kind: string; id: string }[];
          discrepancies: { kind: string; item?: { kind: ItemKind; id: string } }[];
        };
        const transfer = this.transfers.get(r.transferId)!;
        for (const [n, x] of r.discrepancies.entries()) {
          const id = `${seq}:${n}`;
          this.discrepancies.set(id, {
            id,
            transferId: r.transferId,
            toSiteId: r.toSiteId,
            kind: x.kind,
            status: "open",
          });
          if (x.kind === "missing_item")
            this.investigations.set(id, {
              id,
              siteId: r.toSiteId,
              origin: "discrepancy",
              originId: id,
              reason: "missing_item",
              item: x.item,
              status: "open",
              openedAt: r.receivedAt,
            });
        }
        transfer.status = r.discrepancies.length > 0 ? "received_with_discrepancies" : "received";
        const arrived = new Set(r.items.map((i) => `${i.kind}:${i.id}`));
        // As the store's projection: a broken seal, a wrong count or a stranger in the load casts
        // doubt on everything that arrived.
        const doubtful = r.discrepancies.some((x) => x.kind !== "missing_item");
        for (const i of transfer.items) {
          const item = this.items.get(`${i.kind}:${i.id}`)!;
          if (arrived.has(`${i.kind}:${i.id}`)) this.since.set(`${i.kind}:${i.id}`, r.receivedAt);
          if (arrived.has(`${i.kind}:${i.id}`))
            Object.assign(item, {
              state: "in_custody",
              holderSiteId: r.toSiteId,
              flagged: item.flagged || doubtful,
            });
          else Object.assign(item, { state: "lost", flagged: true });
        }
        break;
      }
      case "disposition.destroyed":
      case "disposition.transferred_to_state":
      case "disposition.deactivated":
      case "disposition.retained": {
        const final = {
          "disposition.destroyed": "destroyed",
          "disposition.transferred_to_state": "transferred",
          "disposition.deactivated": "deactivated",
          "disposition.retained": "retained",
        }[event.type];
        const items = (d as unknown as { items: { kind: string; id: string; registrationNumber?: string }[] })
          .items;
        for (const i of items) {
          this.items.get(`${i.kind}:${i.id}`)!.state = final;
          if (i.registrationNumber) this.registrationNumbers.add(i.registrationNumber);
        }
        break;
      }
      case "store.removed": {
        const r = d as unknown as { accessId: string; removedAt: string; items: RecordRef[] };
        this.storeAccess.set(r.accessId, {
          id: r.accessId,
          siteId: d.siteId,
          removedAt: r.removedAt,
          items: r.items.map((i) => ({ kind: i.kind as "weapon", id: i.id, returned: false })),
        });
        for (const i of r.items) this.items.get(`${i.kind}:${i.id}`)!.state = "out_of_store";
        break;
      }
      case "store.returned": {
        const r = d as unknown as { accessId: string; items: RecordRef[] };
        const access = this.storeAccess.get(r.accessId)!;
        for (const i of r.items) {
          access.items.find((x) => x.kind === i.kind && x.id === i.id)!.returned = true;
          this.since.set(`${i.kind}:${i.id}`, d.returnedAt as string);
          this.items.get(`${i.kind}:${i.id}`)!.state = "in_custody";
        }
        break;
      }
      case "stock_check.started": {
        const c = d as unknown as {
          checkId: string;
          kind: string;
          startedAt: string;
          expectedCounts: Record<string, number>;
          sample: { kind: "weapon" | "key_part"; id: string }[];
        };
        this.stockChecks.set(c.checkId, {
          id: c.checkId,
          siteId: d.siteId,
          kind: c.kind,
          status: "open",
          startedAt: c.startedAt,
          expectedCounts: c.expectedCounts,
          sample: c.sample,
        });
        break;
      }
      case "stock_check.recorded": {
        const r = d as unknown as {
          checkId: string;
          completedAt: string;
          findings: { id: string; kind: string; item?: { kind: ItemKind; id: string } }[];
        };
        this.stockChecks.get(r.checkId)!.status = "completed";
        for (const f of r.findings)
          if (f.kind !== "surplus")
            this.investigations.set(f.id, {
              id: f.id,
              siteId: d.siteId,
              origin: "stock_check",
              originId: r.checkId,
              reason: f.kind,
              item: f.item,
              status: "open",
              openedAt: r.completedAt,
            });
        for (const f of r.findings) {
          const item = f.item && this.items.get(`${f.item.kind}:${f.item.id}`);
          if (!item) continue;
          if (f.kind === "sample_missing") Object.assign(item, { state: "lost", flagged: true });
          if (f.kind === "marking_mismatch") item.flagged = true;
        }
        break;
      }
      case "cache.reported":
        this.caches.set(d.cacheId as string, {
          id: d.cacheId as string,
          governorate: d.governorate,
          status: "reported",
          reportedAt: d.reportedAt as string,
          groupId: d.groupId as string | undefined,
        });
        break;
      case "cache.verified":
        Object.assign(this.caches.get(d.cacheId as string)!, {
          status: "verified",
          verifiedAt: d.verifiedAt as string,
        });
        break;
      case "cache.cleared":
        this.caches.get(d.cacheId as string)!.status =
          d.outcome === "cleared" ? "cleared" : "residue_handed_over";
        break;
      case "investigation.updated":
        this.investigations.get(d.investigationId as string)!.status = "under_investigation";
        break;
      case "investigation.closed": {
        const c = d as unknown as {
          investigationId: string;
          item?: RecordRef;
          discrepancyId?: string;
          foundAt?: { siteId: string };
        };
        this.investigations.get(c.investigationId)!.status = "closed";
        if (c.discrepancyId) this.discrepancies.get(c.discrepancyId)!.status = "resolved";
        const item = c.item && this.items.get(`${c.item.kind}:${c.item.id}`);
        if (item && c.foundAt) {
          Object.assign(item, { state: "in_custody", holderSiteId: c.foundAt.siteId });
          this.since.set(`${c.item!.kind}:${c.item!.id}`, d.closedAt as string);
        }
        break;
      }
      case "discrepancy.resolved":
        this.discrepancies.get(d.discrepancyId as string)!.status = "resolved";
        break;
      case "card.issued":
      case "card.reissued": {
        if (event.type === "card.reissued") this.cards.get(d.replaces as string)!.status = "replaced";
        const number = d.cardNumber as string;
        this.cards.set(number, {
          cardNumber: number,
          personId: d.personId,
          status: "active",
          issuedAt: d.issuedAt as string,
        });
        break;
      }
      case "card.revoked":
        this.cards.get(d.cardNumber as string)!.status = "revoked";
        break;
      // pathways
      case "group.transformed": {
        const g = d as unknown as {
          groupId: string;
          status: GroupTransformationRecord["status"];
          decision: { decidedOn: string };
        };
        const current = this.groupTransformations.get(g.groupId) ?? { status: "armed" };
        this.groupTransformations.set(g.groupId, {
          ...current,
          status: g.status,
          decidedOn: g.decision.decidedOn,
        });
        break;
      }
      case "group.party_recorded": {
        const g = d as unknown as {
          groupId: string;
          status: "applied" | "registered" | "refused" | "dissolved";
          name?: { ar: string; en: string };
          decision: { decidedOn: string };
        };
        const current = this.groupTransformations.get(g.groupId) ?? { status: "armed" };
        this.groupTransformations.set(g.groupId, {
          ...current,
          party: { status: g.status, on: g.decision.decidedOn, name: g.name },
        });
        break;
      }
      case "pathway.offered": {
        const o = d as unknown as {
          force?: string;
          pathwayId: string;
          kind: PathwayRecord["kind"];
          offeredOn: string;
          unit?: string;
          vetting: PathwayRecord["vetting"];
        };
        this.pathways.set(o.pathwayId, {
          id: o.pathwayId,
          personId: d.personId,
          kind: o.kind,
          state: "offered",
          vetting: o.vetting,
          active: true,
          force: o.force,
          unit: o.unit,
          offeredOn: o.offeredOn,
          followUpSchedule: [],
          followUpsDone: 0,
        });
        break;
      }
      case "pathway.responded": {
        const p = this.pathways.get(d.pathwayId as string)!;
        p.respondedOn = d.respondedOn as string;
        p.state = d.response === "accept" ? "accepted" : "declined";
        if (p.state === "declined") p.active = false;
        break;
      }
      case "pathway.vetted": {
        const p = this.pathways.get(d.pathwayId as string)!;
        p.vetting = d.result as "cleared" | "refused";
        p.vettedOn = d.vettedOn as string;
        if (p.vetting === "refused") p.active = false;
        break;
      }
      case "pathway.placed": {
        const p = this.pathways.get(d.pathwayId as string)!;
        if (d.serviceNumber) this.serviceNumbers.set(p.id, d.serviceNumber as string);
        Object.assign(p, {
          state: "placed",
          placedOn: d.placedOn as string,
          unit: (d.unit as string | undefined) ?? p.unit,
          followUpSchedule: d.followUpSchedule as string[],
        });
        break;
      }
      case "pathway.followed_up": {
        const p = this.pathways.get(d.pathwayId as string)!;
        p.followUpsDone++;
        p.lastFollowUpOn = d.followedUpOn as string;
        if (d.status === "left") Object.assign(p, { state: "left", active: false });
        break;
      }
      case "pathway.left":
        Object.assign(this.pathways.get(d.pathwayId as string)!, { state: "left", active: false });
        break;
      case "handover.recorded": {
        for (const w of d.weapons as unknown as {
          tag: string;
          itemId: string;
          category: string;
          alteredMarks?: boolean;
        }[])
          this.items.set(`weapon:${w.itemId}`, {
            kind: "weapon",
            id: w.itemId,
            state: "in_custody",
            holderSiteId: d.siteId,
            category: w.category,
            flagged: false,
            alteredMarks: w.alteredMarks ?? false,
          });
        // A lot's category is its kind (cartridge, grenade…), as the store's view answers it.
        for (const a of d.ammunition as unknown as { lotId: string; kind: string }[])
          this.items.set(`ammunition:${a.lotId}`, {
            kind: "ammunition",
            id: a.lotId,
            state: "in_custody",
            holderSiteId: d.siteId,
            category: a.kind,
            flagged: false,
            alteredMarks: false,
          });
        for (const w of d.weapons as unknown as { itemId: string; tag: string; serial?: string }[])
          this.weaponMarks.set(w.itemId, { id: w.itemId, tag: w.tag, serial: w.serial ?? null });
        // Key parts handed in apart: loose parts in custody where the weapon is (as the store's projection).
        for (const w of d.weapons as unknown as {
          itemId: string;
          keyPartsApart?: { partId: string; part: string }[];
        }[])
          for (const p of w.keyPartsApart ?? []) {
            this.keyParts.set(p.partId, { id: p.partId, weaponId: w.itemId, part: p.part });
            this.items.set(`key_part:${p.partId}`, {
              kind: "key_part",
              id: p.partId,
              state: "in_custody",
              holderSiteId: d.siteId as string,
              category: p.part,
              flagged: false,
              alteredMarks: false,
            });
            this.since.set(`key_part:${p.partId}`, d.handedAt as string);
          }
        for (const w of d.weapons as unknown as { itemId: string; keyPartsMissing?: string[] }[])
          if (w.keyPartsMissing) this.partsNeverHandedIn.set(w.itemId, [...w.keyPartsMissing]);
        for (const w of d.weapons) this.since.set(`weapon:${w.itemId}`, d.handedAt as string);
        for (const a of d.ammunition) this.since.set(`ammunition:${a.lotId}`, d.handedAt as string);
        for (const w of d.weapons) {
          this.tags.add(w.tag);
          this.places.set(refKey({ kind: "weapon", id: w.itemId }), { siteId: d.siteId });
        }
        for (const a of d.ammunition) {
          this.tags.add(a.tag);
          this.places.set(refKey({ kind: "ammunition", id: a.lotId }), { siteId: d.siteId });
        }
        const person = d.personId ? this.persons.get(d.personId) : undefined;
        if (person && d.eligibility.status === "eligible") person.eligible = true;
        if (person) {
          const held = this.handedIn.get(person.id) ?? { weapons: [], ammunition: [] };
          held.weapons.push(
            ...(d.weapons as unknown as { category: WeaponCategory; serviceable: boolean }[]).map((w) => ({
              category: w.category,
              serviceable: w.serviceable,
            })),
          );
          held.ammunition.push(
            ...(d.ammunition as unknown as { unit: string; quantity: number }[]).map((a) => ({
              unit: a.unit,
              quantity: a.quantity,
            })),
          );
          this.handedIn.set(person.id, held);
        }
        break;
      }
      // payments
      case "payment.schedule_set": {
        const p = d as unknown as {
          scheduleId: string;
          name: string;
          amount: { minor: number; currency: string };
          firstPeriod: string;
          lastPeriod: string;
          channel: PaymentChannel;
        };
        this.paymentSchedules.set(p.scheduleId, {
          id: p.scheduleId,
          name: p.name,
          amountMinor: p.amount.minor,
          currency: p.amount.currency,
          firstPeriod: p.firstPeriod,
          lastPeriod: p.lastPeriod,
          channel: p.channel,
        });
        break;
      }
      case "payment.account_set":
        this.payoutAccounts.set(`${d.personId}:${d.channel as string}`, {
          account: d.account as string,
          holder: d.holder as string | undefined,
        });
        break;
      case "payment.list_prepared": {
        const l = d as unknown as {
          listId: string;
          scheduleId: string;
          period: string;
          currency: string;
          lines: { reference: string; personId: string; amountMinor: number }[];
        };
        this.paymentLists.set(l.listId, {
          id: l.listId,
          scheduleId: l.scheduleId,
          period: l.period,
          status: "listed",
        });
        for (const line of l.lines)
          this.paymentLines.set(line.reference, {
            reference: line.reference,
            listId: l.listId,
            status: "listed",
            amountMinor: line.amountMinor,
            currency: l.currency,
            personId: line.personId,
            scheduleId: l.scheduleId,
            period: l.period,
          });
        break;
      }
      case "payment.list_sent":
        this.paymentLists.get(d.listId as string)!.status = "sent";
        for (const line of this.paymentLines.values()) if (line.listId === d.listId) line.status = "sent";
        break;
      case "payment.recorded":
        this.paymentLines.set(d.reference as string, {
          reference: d.reference as string,
          status: "paid",
          amountMinor: d.amountMinor as number,
          currency: d.currency as string,
          personId: d.personId,
          scheduleId: d.scheduleId as string,
          period: d.period as string,
        });
        break;
      case "payment.confirmed": {
        for (const c of d.lines as unknown as { reference: string; status: "paid" | "failed" }[])
          this.paymentLines.get(c.reference)!.status = c.status;
        for (const id of d.listIds as unknown as string[]) this.paymentLists.get(id)!.status = "reconciled";
        break;
      }
    }
  }
}

/** A deterministic UUID (version 4, RFC 9562 variant) for the n-th id a test makes. */
export function testUuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

export function makeActor(role: Role = "admin", scope: Scope = unlimitedScope, userId?: string): Actor {
  return { userId: userId ?? testUuid(0xacc0), role, scope };
}

export interface TestEnv extends CommandEnv {
  /** The ids `newId` has handed out, in order. */
  readonly issued: string[];
}

/** A `CommandEnv` whose `newId` counts up from `firstId` (valid, predictable UUIDs). */
export function makeEnv(
  options: { seq?: number; now?: string; actor?: Actor; firstId?: number; seed?: string } = {},
): TestEnv {
  let next = options.firstId ?? 0x1000;
  const issued: string[] = [];
  return {
    seq: options.seq ?? 42,
    now: options.now ?? "2025-03-01T10:00:00Z",
    actor: options.actor ?? makeActor(),
    seed: options.seed ?? "5eed".repeat(16),
    issued,
    newId() {
      const id = testUuid(next++);
      issued.push(id);
      return id;
    },
  };
}
