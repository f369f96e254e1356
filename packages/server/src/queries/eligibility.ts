import type { Actor, EligibilityHistory, EligibilityReport } from "@armsledger/core";
import { asc, eq, sql } from "drizzle-orm";
import { openRow } from "../crypto/personal-columns.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { getPerson } from "./records.ts";

const iso = (s: string) => new Date(s).toISOString();
const isoOrNull = (s: string | null) => (s === null ? null : iso(s));
/** A sealed list; one whose data key was destroyed reads `{ purged: true }`, shown as none. */
const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/** A person's eligibility and every handover decision, screening, appeal and revocation behind it. */
export async function getEligibilityHistory(
  store: Store,
  actor: Actor,
  personId: string,
): Promise<EligibilityHistory> {
  // Scoped like the person's record: out of scope answers exactly like absent.
  const person = await getPerson(store, actor, personId);
  const keys = await store.personal.keys();
  const handovers = await store.db
    .select()
    .from(t.handovers)
    .where(eq(t.handovers.personId, personId))
    .orderBy(asc(t.handovers.seq));
  const screenings = (
    await store.db
      .select()
      .from(t.screenings)
      .where(eq(t.screenings.personId, personId))
      .orderBy(asc(t.screenings.seq))
  ).map((s) => openRow(keys, "screenings", s.id, s));
  const appeals = (
    await store.db
      .select()
      .from(t.eligibilityAppeals)
      .where(eq(t.eligibilityAppeals.personId, personId))
      .orderBy(asc(t.eligibilityAppeals.lodgedSeq))
  ).map((a) => openRow(keys, "eligibility_appeals", a.id, a));
  const revocations = (
    await store.db
      .select()
      .from(t.eligibilityRevocations)
      .where(eq(t.eligibilityRevocations.personId, personId))
      .orderBy(asc(t.eligibilityRevocations.seq))
  ).map((r) => openRow(keys, "eligibility_revocations", r.seq, r));
  return {
    personId,
    kind: person.kind,
    listedByGroup: person.listedByGroup,
    eligible: person.eligible,
    eligibilityRevoked: person.eligibilityRevoked,
    deceasedOn: person.deceasedOn,
    handovers: handovers.map((h) => ({
      handoverId: h.id,
      receiptNumber: h.receiptNumber,
      handedAt: iso(h.handedAt),
      status: h.eligibilityStatus,
      reasons: h.eligibilityReasons as string[],
      leafIndex: h.seq,
    })),
    screenings: screenings.map((s) => ({
      screeningId: s.id,
      screenedAt: iso(s.screenedAt),
      status: s.status,
      reasons: s.reasons as string[],
      verifiedCount: s.verifiedCount,
      membershipVerified: s.membershipVerified,
      excluded: s.excluded,
      answers: list<Record<string, unknown>>(s.answers),
      indications: list<string>(s.indications),
      notes: s.notes,
      recordedBy: s.recordedBy,
      leafIndex: s.seq,
    })),
    appeals: appeals.map((a) => ({
      appealId: a.id,
      against: a.against,
      lodgedAt: iso(a.lodgedAt),
      lodgedBy: a.lodgedBy as Record<string, unknown>,
      grounds: a.grounds,
      evidence: list<string>(a.evidence),
      status: a.status,
      decidedAt: isoOrNull(a.decidedAt),
      decisionReason: a.decisionReason,
      decidedBy: a.decidedBy,
      leafIndex: a.lodgedSeq,
    })),
    revocations: revocations.map((r) => ({
      revokedAt: iso(r.revokedAt),
      reason: r.reason,
      revokedBy: r.revokedBy,
      leafIndex: r.seq,
    })),
  };
}

type Counts = EligibilityReport["totals"];

const emptyCounts = (): Counts => ({
  registered: 0,
  screened: 0,
  eligible: 0,
  ineligible: 0,
  ineligibleByReason: {},
  appeals: { lodged: 0, pending: 0, upheld: 0, overturned: 0 },
  revoked: 0,
  deceased: 0,
});

interface CellKey {
  group_id: string | null;
  governorate: string;
  sex: string;
  age_group: string;
}

/** The persons a reader may count: those registered at sites and in governorates of their scope. */
function scopeCondition(actor: Actor) {
  const parts = [sql`true`];
  if (actor.scope.sites !== "all")
    parts.push(
      actor.scope.sites.length
        ? sql`p.site_id in (${sql.join(
            actor.scope.sites.map((s) => sql`${s}::uuid`),
            sql`, `,
          )})`
        : sql`false`,
    );
  if (actor.scope.governorates !== "all")
    parts.push(
      actor.scope.governorates.length
        ? sql`p.governorate in (${sql.join(
            actor.scope.governorates.map((g) => sql`${g}`),
            sql`, `,
          )})`
        : sql`false`,
    );
  return sql.join(parts, sql` and `);
}

/**
 * Screening and eligibility by group, governorate, sex and age group: counts only, no names.
 * "Eligible" is eligible now (not revoked); "ineligible" is screened and not eligible now, broken
 * down by the reasons of the person's latest screening.
 */
export async function eligibilityReport(store: Store, actor: Actor): Promise<EligibilityReport> {
  const inScope = scopeCondition(actor);
  const latest = sql`select distinct on (person_id) person_id, status, reasons
    from ${t.screenings} order by person_id, seq desc`;
  const people = (await store.db.execute(sql`
    with latest as (${latest})
    select p.group_id, p.governorate, p.sex, p.age_group,
           count(*)::int as registered,
           count(l.person_id)::int as screened,
           (count(*) filter (where p.eligible and not p.eligibility_revoked))::int as eligible,
           (count(*) filter (where l.person_id is not null
                              and not (p.eligible and not p.eligibility_revoked)))::int as ineligible,
           (count(*) filter (where p.eligibility_revoked))::int as revoked,
           (count(*) filter (where p.deceased_on is not null))::int as deceased
    from ${t.persons} p left join latest l on l.person_id = p.id
    where ${inScope}
    group by 1, 2, 3, 4`)) as unknown as {
    rows: (CellKey & {
      registered: number;
      screened: number;
      eligible: number;
      ineligible: number;
      revoked: number;
      deceased: number;
    })[];
  };
  const reasons = (await store.db.execute(sql`
    with latest as (${latest})
    select p.group_id, p.governorate, p.sex, p.age_group, r.reason, count(*)::int as n
    from ${t.persons} p
    join latest l on l.person_id = p.id
    cross join lateral jsonb_array_elements_text(l.reasons) as r(reason)
    where l.status = 'ineligible' and not (p.eligible and not p.eligibility_revoked) and ${inScope}
    group by 1, 2, 3, 4, 5`)) as unknown as { rows: (CellKey & { reason: string; n: number })[] };
  const appeals = (await store.db.execute(sql`
    select p.group_id, p.governorate, p.sex, p.age_group,
           count(*)::int as lodged,
           (count(*) filter (where a.status = 'lodged'))::int as pending,
           (count(*) filter (where a.status = 'upheld'))::int as upheld,
           (count(*) filter (where a.status = 'overturned'))::int as overturned
    from ${t.eligibilityAppeals} a join ${t.persons} p on p.id = a.person_id
    where ${inScope}
    group by 1, 2, 3, 4`)) as unknown as {
    rows: (CellKey & { lodged: number; pending: number; upheld: number; overturned: number })[];
  };

  const codes = new Map(
    (await store.db.select({ id: t.armedGroups.id, code: t.armedGroups.code }).from(t.armedGroups)).map(
      (g) => [g.id, g.code],
    ),
  );
  const cells = new Map<string, EligibilityReport["rows"][number]>();
  const cellOf = (k: CellKey) => {
    const key = [k.group_id ?? "", k.governorate, k.sex, k.age_group].join("|");
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        groupId: k.group_id,
        groupCode: k.group_id ? (codes.get(k.group_id) ?? null) : null,
        governorate: k.governorate,
        sex: k.sex,
        ageGroup: k.age_group,
        ...emptyCounts(),
      };
      cells.set(key, cell);
    }
    return cell;
  };
  const totals = emptyCounts();
  for (const r of people.rows) {
    const cell = cellOf(r);
    for (const k of ["registered", "screened", "eligible", "ineligible", "revoked", "deceased"] as const) {
      cell[k] = Number(r[k]);
      totals[k] += Number(r[k]);
    }
  }
  for (const r of reasons.rows) {
    const cell = cellOf(r);
    cell.ineligibleByReason[r.reason] = Number(r.n);
    totals.ineligibleByReason[r.reason] = (totals.ineligibleByReason[r.reason] ?? 0) + Number(r.n);
  }
  for (const r of appeals.rows) {
    const cell = cellOf(r);
    for (const k of ["lodged", "pending", "upheld", "overturned"] as const) {
      cell.appeals[k] = Number(r[k]);
      totals.appeals[k] += Number(r[k]);
    }
  }
  const rows = [...cells.values()].sort((a, b) =>
    [a.groupCode ?? "~", a.governorate, a.sex, a.ageGroup]
      .join("|")
      .localeCompare([b.groupCode ?? "~", b.governorate, b.sex, b.ageGroup].join("|")),
  );
  return { rows, totals };
}
