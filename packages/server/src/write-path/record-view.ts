import type {
  DuplicateReviewState,
  ItemRef,
  NameCandidate,
  ProgrammeConfig,
  RecordRef,
  RecordView,
  ScopeTarget,
} from "@armsledger/core";
import { and, desc, eq, inArray, max, sql } from "drizzle-orm";
import type { FieldKeys } from "../crypto/field-keys.ts";
import { nationalIdIndex, openRow, rosterEntryKey } from "../crypto/personal-columns.ts";
import { findPersonMatchInput, matchInputOfRow } from "../projections/duplicate-review.ts";
import { sqlCardView } from "../queries/card-view.ts";
import { sqlCustodyView } from "../queries/custody-view.ts";
import { sqlPathwayView } from "../queries/pathway-view.ts";
import { sqlPaymentView } from "../queries/payment-view.ts";
import { sqlScreeningView } from "../queries/screening-view.ts";
import type { Tx } from "../store/database.ts";
import { itemCategory, itemTableEntries } from "../store/item-tables.ts";
import * as t from "../store/schema.ts";

/** The rules' window on the record, read inside the command's transaction. */
export function sqlRecordView(tx: Tx, keys: FieldKeys): RecordView {
  return {
    ...sqlCustodyView(tx),
    ...sqlPaymentView(tx, keys),
    // Demobilisation cards (cards slice).
    ...sqlCardView(tx),
    ...sqlScreeningView(tx, keys),
    ...sqlPathwayView(tx, keys),
    async programme() {
      const [row] = await tx.select({ config: t.programme.config }).from(t.programme);
      return row?.config as ProgrammeConfig | undefined;
    },
    async findSite(id) {
      const [row] = await tx
        .select({ id: t.sites.id, kind: t.sites.kind, governorate: t.sites.governorate })
        .from(t.sites)
        .where(eq(t.sites.id, id));
      return row;
    },
    async siteCodeInUse(code) {
      const [row] = await tx.select({ id: t.sites.id }).from(t.sites).where(eq(t.sites.code, code));
      return row !== undefined;
    },
    async findGroup(id) {
      const [row] = await tx
        .select({ id: t.armedGroups.id, code: t.armedGroups.code })
        .from(t.armedGroups)
        .where(eq(t.armedGroups.id, id));
      return row;
    },
    async groupCodeInUse(code) {
      const [row] = await tx
        .select({ id: t.armedGroups.id })
        .from(t.armedGroups)
        .where(eq(t.armedGroups.code, code));
      return row !== undefined;
    },
    async latestDeclarationVersion(groupId) {
      const [row] = await tx
        .select({ v: max(t.groupDeclarations.version) })
        .from(t.groupDeclarations)
        .where(eq(t.groupDeclarations.groupId, groupId));
      return row?.v ?? 0;
    },
    async findPerson(id) {
      const [row] = await tx
        .select({
          id: t.persons.id,
          siteId: t.persons.siteId,
          groupId: t.persons.groupId,
          governorate: t.persons.governorate,
          registeredOn: t.persons.registeredOn,
          kind: t.persons.kind,
          sex: t.persons.sex,
          ageGroup: t.persons.ageGroup,
          eligible: t.persons.eligible,
          eligibilityRevoked: t.persons.eligibilityRevoked,
          deceasedOn: t.persons.deceasedOn,
          duplicateReview: t.persons.duplicateReview,
        })
        .from(t.persons)
        .where(eq(t.persons.id, id));
      if (!row) return undefined;
      const { deceasedOn, ...rest } = row;
      // The columns hold only what the projections write: the contract's values.
      return {
        ...rest,
        groupId: row.groupId ?? undefined,
        kind: row.kind as "combatant" | "associated_member",
        sex: row.sex as "male" | "female",
        ageGroup: row.ageGroup as "adult" | "child",
        deceased: deceasedOn !== null,
        duplicateReview: row.duplicateReview as DuplicateReviewState,
      };
    },
    async countEligiblePersons(groupId) {
      // Kept by a trigger on persons (migration 0032): one row, not a count over the group.
      const [row] = await tx
        .select({ n: t.groupEligibleCounts.eligible })
        .from(t.groupEligibleCounts)
        .where(eq(t.groupEligibleCounts.groupId, groupId));
      return row?.n ?? 0;
    },
    async tagsInUse(tags) {
      if (tags.length === 0) return [];
      // Weapons' and lots' tags in one statement.
      const rows = await tx
        .select({ tag: t.weaponItems.tag })
        .from(t.weaponItems)
        .where(inArray(t.weaponItems.tag, tags))
        .unionAll(
          tx
            .select({ tag: t.ammunitionLots.tag })
            .from(t.ammunitionLots)
            .where(inArray(t.ammunitionLots.tag, tags)),
        );
      return rows.map((r) => r.tag);
    },
    async findItems(refs) {
      const out: Awaited<ReturnType<RecordView["findItems"]>> = [];
      for (const [kind, table] of itemTableEntries) {
        const ids = refs.filter((r) => r.kind === kind).map((r) => r.id);
        if (ids.length === 0) continue;
        const rows = await tx
          .select({
            id: table.id,
            state: table.state,
            holderSiteId: table.holderSiteId,
            flagged: table.flagged,
            category: itemCategory[kind],
            // Only a weapon's markings can have been altered (a key part is read as its weapon's).
            alteredMarks: kind === "weapon" ? t.weaponItems.alteredMarks : sql<boolean>`false`,
          })
          .from(table as typeof t.weaponItems)
          .where(inArray(table.id, ids));
        for (const r of rows) out.push({ kind, ...r });
      }
      return out;
    },
    async findTransfer(id) {
      const [transfer] = await tx.select().from(t.transfers).where(eq(t.transfers.id, id));
      if (!transfer) return undefined;
      const items = await tx
        .select({ kind: t.transferItems.itemKind, id: t.transferItems.itemId })
        .from(t.transferItems)
        .where(eq(t.transferItems.transferId, id));
      return {
        id: transfer.id,
        fromSiteId: transfer.fromSiteId,
        toSiteId: transfer.toSiteId,
        status: transfer.status,
        items: items as ItemRef[],
        seals: transfer.seals as string[],
        dispatchedAt: new Date(transfer.dispatchedAt).toISOString(),
      };
    },
    async sealsInUse(seals) {
      if (seals.length === 0) return [];
      return (await tx.select({ seal: t.seals.seal }).from(t.seals).where(inArray(t.seals.seal, seals))).map(
        (r) => r.seal,
      );
    },
    async registrationNumbersInUse(numbers) {
      if (numbers.length === 0) return [];
      return (
        await tx
          .select({ number: t.registrationNumbers.number })
          .from(t.registrationNumbers)
          .where(inArray(t.registrationNumbers.number, numbers))
      ).map((r) => r.number);
    },
    async findEventSubjects(seq) {
      const [event] = await tx.select({ seq: t.events.seq }).from(t.events).where(eq(t.events.seq, seq));
      if (!event) return undefined;
      const rows = await tx
        .select({ kind: t.recordHistory.kind, id: t.recordHistory.id })
        .from(t.recordHistory)
        .where(eq(t.recordHistory.seq, seq));
      return rows as RecordRef[];
    },
    async findRecordPlace(ref): Promise<ScopeTarget | undefined> {
      switch (ref.kind) {
        case "person": {
          const [row] = await tx
            .select({ siteId: t.persons.siteId, governorate: t.persons.governorate })
            .from(t.persons)
            .where(eq(t.persons.id, ref.id));
          return row;
        }
        case "weapon": {
          const [row] = await tx
            .select({ siteId: t.weaponItems.siteId })
            .from(t.weaponItems)
            .where(eq(t.weaponItems.id, ref.id));
          return row;
        }
        case "ammunition": {
          const [row] = await tx
            .select({ siteId: t.ammunitionLots.siteId })
            .from(t.ammunitionLots)
            .where(eq(t.ammunitionLots.id, ref.id));
          return row;
        }
        case "key_part": {
          const [row] = await tx
            .select({ siteId: t.keyParts.siteId })
            .from(t.keyParts)
            .where(eq(t.keyParts.id, ref.id));
          return row;
        }
        case "handover": {
          const [row] = await tx
            .select({ siteId: t.handovers.siteId })
            .from(t.handovers)
            .where(eq(t.handovers.id, ref.id));
          return row;
        }
        case "site": {
          // A site is in its own scope: a registrar of one site may not correct another.
          const [row] = await tx
            .select({ siteId: t.sites.id, governorate: t.sites.governorate })
            .from(t.sites)
            .where(eq(t.sites.id, ref.id));
          return row;
        }
        default:
          return undefined;
      }
    },
    // Group rosters.
    async findLatestRoster(groupId) {
      const [latest] = await tx
        .select({ version: t.groupRosters.version, submittedOn: t.groupRosters.submittedOn })
        .from(t.groupRosters)
        .where(eq(t.groupRosters.groupId, groupId))
        .orderBy(desc(t.groupRosters.version))
        .limit(1);
      if (!latest) return undefined;
      const members = await tx
        .select({ position: t.groupRosterEntries.position, memberNumber: t.groupRosterEntries.memberNumber })
        .from(t.groupRosterEntries)
        .where(
          and(eq(t.groupRosterEntries.groupId, groupId), eq(t.groupRosterEntries.version, latest.version)),
        );
      const memberNumbers = members.map(
        (m) =>
          openRow(keys, "group_roster_entries", rosterEntryKey(groupId, latest.version, m.position), m)
            .memberNumber,
      );
      return { ...latest, memberNumbers };
    },
    // duplicate review (issue 5)
    async findNameCandidates(query) {
      // One statement. Block sizes come from the counts the projection keeps beside the key
      // table (field "block"), not from counting the index: a count grew with the registry and
      // slowed every registration (docs/sync.md). Of the people in the usable blocks, those
      // keepCandidate keeps are read and opened, the others only counted (core's
      // candidate-index.ts; its governorate is a plain column). National ids are compared by
      // their keyed blind index, never decrypted: the registration's id is folded as the stored
      // one was validated (6-20 digits or capital letters), so equal ids have equal indexes.
      const queryKeys = intArray(query.keys);
      const idIndex = nationalIdIndex(keys, query.nationalId);
      const { rows } = (await tx.execute(sql`
        with q as (
          select key, count from ${t.personNameCounts}
          where field = 'block' and key = any(${queryKeys})
        ), hit as (
          select k.person_id, count(*)::int as hits, min(q.count) as smallest
          from ${t.personNameKeys} k join q on q.key = k.key
          where q.count <= ${query.maxBlock}
          group by k.person_id
        ), found as (
          select p.id, p.name, p.mother_name, p.birth_year, p.sex, p.governorate, p.national_id_index,
            (h.hits >= 2 or h.smallest <= ${query.smallBlock}
              or coalesce(p.governorate = ${query.governorate ?? null}::text, false)) as kept
          from hit h join ${t.persons} p on p.id = h.person_id
          -- An alias is not matched again: the earlier record it was merged into stands for it.
          where p.duplicate_review <> 'merged'
        ), sums as (
          -- One pass over the given-name counts for both sums (it was two: the larger part of the
          -- statement's buffers at 200,000 people, EXPLAIN in bench/names/sql-lookup.ts).
          select sum(count) as total, sum(count::bigint * count) as squares
          from ${t.personNameCounts} where field = 'given'
        ), stats as (
          select
            (select total from sums) as total,
            (select squares from sums) as squares,
            (select coalesce(json_agg(json_build_array(key, count)), '[]')
               from ${t.personNameCounts}
               where field = 'given' and key = any(${intArray(query.givenKeys)})) as given,
            (select count(*)::int from q where count > ${query.maxBlock}) as skipped,
            (select count(*)::int from found where not kept) as set_aside
        )
        select s.*, f.id, f.name, f.mother_name, f.birth_year, f.sex, f.governorate,
          f.national_id_index = ${idIndex}::text as same_id, f.national_id_index is null as no_id
        from stats s left join found f on f.kept`)) as unknown as {
        rows: {
          total: string | null;
          squares: string | null;
          given: [number, number][] | string;
          skipped: number;
          set_aside: number;
          id: string | null;
          name: string;
          mother_name: string | null;
          birth_year: number | null;
          sex: string;
          governorate: string;
          same_id: boolean | null;
          no_id: boolean;
        }[];
      };
      const stats = rows[0]!;
      const givenRows = (typeof stats.given === "string" ? JSON.parse(stats.given) : stats.given) as [
        number,
        number,
      ][];
      const given = {
        total: Number(stats.total ?? 0),
        squares: Number(stats.squares ?? 0),
        counts: Object.fromEntries(givenRows),
      };
      const candidates: NameCandidate[] = [];
      for (const r of rows) {
        if (r.id === null) continue;
        const opened = openRow(keys, "persons", r.id, { name: r.name, motherName: r.mother_name });
        candidates.push({
          id: r.id,
          person: matchInputOfRow({
            ...opened,
            birthYear: r.birth_year,
            sex: r.sex,
            governorate: r.governorate,
            nationalId: null,
          }),
          idMatch: r.no_id || idIndex === null ? "missing" : r.same_id ? "same" : "different",
        });
      }
      return { candidates, skippedBlocks: stats.skipped, setAside: stats.set_aside, given };
    },
    nameKeyHash: (key) => keys.nameKey(key),
    findPersonMatchInput: (personId) => findPersonMatchInput(tx, keys, personId),
    async findDuplicateReview(personId) {
      const [row] = await tx
        .select()
        .from(t.duplicateReviews)
        .where(eq(t.duplicateReviews.personId, personId));
      if (!row) return undefined;
      return {
        personId: row.personId,
        status: row.status as "pending" | "merged" | "dismissed",
        openedAt: new Date(row.openedAt).toISOString(),
        registeredBy: row.registeredBy,
        matches: (row.matches as { personId: string }[]).map((m) => m.personId),
        mergedInto: row.mergedInto ?? undefined,
      };
    },
  };
}

/**
 * Event types whose projections write none of the rows `ChunkReadCache` keeps (sites, the
 * programme, armed groups): checked against their projections (person.ts, handover.ts and what
 * they call). Any other event clears the cache, so a new event type is safe by default.
 */
const KEEPS_CHUNK_CACHE = new Set(["person.registered", "handover.recorded"]);

/**
 * What every command of a chunk reads alike (its site, the programme, its group), read once per
 * chunk instead of once per command (docs/sync.md, "Where a command's time goes"). Lives as long
 * as one transaction under the writers' lock: nobody else writes meanwhile, and `after` clears it
 * after any command whose event may change those rows (a rolled-back one included: a command
 * reads before it writes, so what it read is what the rollback leaves).
 */
export class ChunkReadCache {
  private programme: Promise<ProgrammeConfig | undefined> | undefined;
  private readonly sites = new Map<string, ReturnType<RecordView["findSite"]>>();
  private readonly groups = new Map<string, ReturnType<RecordView["findGroup"]>>();

  /** The view with the chunk's shared reads answered from the cache. */
  wrap(view: RecordView): RecordView {
    return {
      ...view,
      programme: () => {
        this.programme ??= view.programme();
        return this.programme;
      },
      findSite: (id) => cached(this.sites, id, () => view.findSite(id)),
      findGroup: (id) => cached(this.groups, id, () => view.findGroup(id)),
    };
  }

  /** After a command (recorded, refused or rolled back) whose event is `eventType`, if known. */
  after(eventType: string | undefined): void {
    if (eventType && KEEPS_CHUNK_CACHE.has(eventType)) return;
    this.programme = undefined;
    this.sites.clear();
    this.groups.clear();
  }
}

function cached<T>(map: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let value = map.get(key);
  if (!value) {
    value = read();
    // A failed read is not kept: the next command reads again.
    value.catch(() => map.delete(key));
    map.set(key, value);
  }
  return value;
}

/** `array[$1, $2, …]::int[]`: a list of keys as one int array (an empty one included). */
function intArray(values: number[]) {
  return sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::int[]`;
}
