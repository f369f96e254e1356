import { eq } from "drizzle-orm";
import { sealRow } from "../crypto/personal-columns.ts";
import * as t from "../store/schema.ts";
import { type Projector, touch } from "./recorded-event.ts";

// Screening and eligibility. These projections alone write persons.eligible (besides a handover
// that meets the criteria), eligibility_revoked and deceased_on: the standing benefits ask for.

interface ScreeningData {
  screeningId: string;
  personId: string;
  screenedAt: string;
  answers: unknown[];
  indications: string[];
  notes?: string;
  decision: { status: "eligible" | "ineligible"; reasons: string[] };
  verifiedCount: number;
  membershipVerified: boolean;
  excluded: boolean;
  recordedBy: string;
}

export const screeningRecorded: Projector = async (tx, e, keys) => {
  const d = e.data as unknown as ScreeningData;
  await tx.insert(t.screenings).values(
    sealRow(keys, "screenings", d.screeningId, {
      id: d.screeningId,
      personId: d.personId,
      seq: e.seq,
      screenedAt: d.screenedAt,
      status: d.decision.status,
      reasons: d.decision.reasons,
      verifiedCount: d.verifiedCount,
      membershipVerified: d.membershipVerified,
      excluded: d.excluded,
      answers: d.answers,
      indications: d.indications,
      notes: d.notes ?? null,
      recordedBy: d.recordedBy,
    }),
  );
  // The screening decides afresh: an exclusion found later takes away an eligibility a handover gave.
  await tx
    .update(t.persons)
    .set({ eligible: d.decision.status === "eligible", updatedSeq: e.seq })
    .where(eq(t.persons.id, d.personId));
  await touch(tx, e.seq, [{ kind: "person", id: d.personId }]);
};

export const eligibilityAppealed: Projector = async (tx, e, keys) => {
  const d = e.data as {
    appealId: string;
    personId: string;
    against: string;
    lodgedAt: string;
    lodgedBy: unknown;
    grounds: string;
    evidence?: string[];
  };
  await tx.insert(t.eligibilityAppeals).values(
    sealRow(keys, "eligibility_appeals", d.appealId, {
      id: d.appealId,
      personId: d.personId,
      against: d.against,
      lodgedAt: d.lodgedAt,
      lodgedBy: d.lodgedBy,
      grounds: d.grounds,
      evidence: d.evidence ?? [],
      status: "lodged",
      lodgedSeq: e.seq,
    }),
  );
  await touch(tx, e.seq, [
    { kind: "appeal", id: d.appealId },
    { kind: "person", id: d.personId },
  ]);
};

export const eligibilityAppealDecided: Projector = async (tx, e, keys) => {
  const d = e.data as {
    appealId: string;
    personId: string;
    outcome: "upheld" | "overturned";
    decidedAt: string;
    reason: string;
    decidedBy: string;
  };
  await tx
    .update(t.eligibilityAppeals)
    .set(
      sealRow(keys, "eligibility_appeals", d.appealId, {
        status: d.outcome,
        decidedAt: d.decidedAt,
        decisionReason: d.reason,
        decidedBy: d.decidedBy,
        decidedSeq: e.seq,
      }),
    )
    .where(eq(t.eligibilityAppeals.id, d.appealId));
  if (d.outcome === "overturned")
    await tx
      .update(t.persons)
      .set({ eligible: true, eligibilityRevoked: false, updatedSeq: e.seq })
      .where(eq(t.persons.id, d.personId));
  await touch(tx, e.seq, [
    { kind: "appeal", id: d.appealId },
    { kind: "person", id: d.personId },
  ]);
};

export const eligibilityRevoked: Projector = async (tx, e, keys) => {
  const d = e.data as { personId: string; revokedAt: string; reason: string; revokedBy: string };
  await tx.insert(t.eligibilityRevocations).values(
    sealRow(keys, "eligibility_revocations", e.seq, {
      seq: e.seq,
      personId: d.personId,
      revokedAt: d.revokedAt,
      reason: d.reason,
      revokedBy: d.revokedBy,
    }),
  );
  await tx
    .update(t.persons)
    .set({ eligibilityRevoked: true, updatedSeq: e.seq })
    .where(eq(t.persons.id, d.personId));
  await touch(tx, e.seq, [{ kind: "person", id: d.personId }]);
};

export const personDeathRecorded: Projector = async (tx, e) => {
  const d = e.data as { personId: string; diedOn: string };
  await tx
    .update(t.persons)
    .set({ deceasedOn: d.diedOn, updatedSeq: e.seq })
    .where(eq(t.persons.id, d.personId));
  await touch(tx, e.seq, [{ kind: "person", id: d.personId }]);
};
