import type {
  GroupPartyInput,
  GroupTransformationInput,
  PathwayFollowUpInput,
  PathwayLeavingInput,
  PathwayOfferInput,
  PathwayPlacementInput,
  PathwayResponseInput,
  PathwayVettingInput,
} from "@armsledger/core";
import { eq, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { FieldKeys } from "../crypto/field-keys.ts";
import { followUpKey, sealRow } from "../crypto/personal-columns.ts";
import type { Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { type Projector, touch } from "./recorded-event.ts";

// Group transformation and pathways. Every column follows from the events alone (no clock, no
// other table), so replaying the ledger rebuilds the same rows.

// A decision's reason is free text, private in its event: sealed.
export const groupTransformed: Projector = async (tx, e, keys) => {
  const d = e.data as GroupTransformationInput & { from: string };
  await tx.insert(t.groupStatusHistory).values(
    sealRow(keys, "group_status_history", e.seq, {
      groupId: d.groupId,
      seq: e.seq,
      fromStatus: d.from,
      status: d.status,
      reference: d.decision.reference,
      decidedBy: d.decision.decidedBy,
      decidedOn: d.decision.decidedOn,
      reason: d.reason ?? null,
    }),
  );
  await tx
    .update(t.armedGroups)
    .set({ status: d.status, statusDecidedOn: d.decision.decidedOn, updatedSeq: e.seq })
    .where(eq(t.armedGroups.id, d.groupId));
  await touch(tx, e.seq, [{ kind: "group", id: d.groupId }]);
};

export const groupPartyRecorded: Projector = async (tx, e, keys) => {
  const d = e.data as GroupPartyInput & { from: string };
  await tx.insert(t.groupPartyHistory).values(
    sealRow(keys, "group_party_history", e.seq, {
      groupId: d.groupId,
      seq: e.seq,
      fromStatus: d.from,
      status: d.status,
      nameAr: d.name?.ar ?? null,
      nameEn: d.name?.en ?? null,
      reference: d.decision.reference,
      decidedBy: d.decision.decidedBy,
      decidedOn: d.decision.decidedOn,
      reason: d.reason ?? null,
    }),
  );
  await tx
    .update(t.armedGroups)
    .set({
      partyStatus: d.status,
      partyStatusOn: d.decision.decidedOn,
      partyNameAr: d.name?.ar ?? null,
      partyNameEn: d.name?.en ?? null,
      updatedSeq: e.seq,
    })
    .where(eq(t.armedGroups.id, d.groupId));
  await touch(tx, e.seq, [{ kind: "group", id: d.groupId }]);
};

/** Updates a pathway, its personal columns (unit, numbers, placement, reasons) sealed. */
async function updatePathway(
  tx: Tx,
  keys: FieldKeys,
  seq: number,
  d: { pathwayId: string; personId: string },
  set: PgUpdateSetSource<typeof t.pathways>,
) {
  await tx
    .update(t.pathways)
    .set(sealRow(keys, "pathways", d.pathwayId, { ...set, updatedSeq: seq }))
    .where(eq(t.pathways.id, d.pathwayId));
  await touch(tx, seq, [
    { kind: "pathway", id: d.pathwayId },
    { kind: "person", id: d.personId },
  ]);
}

export const pathwayOffered: Projector = async (tx, e, keys) => {
  const d = e.data as PathwayOfferInput & { pathwayId: string; groupId?: string; vetting: string };
  // What was offered beyond the kind: a civilian pathway's course, job and referrals; the note.
  const offer =
    d.kind === "civilian"
      ? {
          trainingCourse: d.trainingCourse,
          jobPlacement: d.jobPlacement,
          referrals: d.referrals,
          note: d.note,
        }
      : { note: d.note };
  await tx.insert(t.pathways).values(
    sealRow(keys, "pathways", d.pathwayId, {
      id: d.pathwayId,
      personId: d.personId,
      kind: d.kind,
      state: "offered",
      active: true,
      groupId: d.groupId ?? null,
      offer,
      force: d.kind === "security_forces" ? d.force : null,
      unit: d.kind === "security_forces" ? (d.unit ?? null) : null,
      vetting: d.vetting,
      offeredOn: d.offeredOn,
      followUpSchedule: [],
      offeredSeq: e.seq,
      updatedSeq: e.seq,
    }),
  );
  await touch(tx, e.seq, [
    { kind: "pathway", id: d.pathwayId },
    { kind: "person", id: d.personId },
  ]);
};

export const pathwayResponded: Projector = async (tx, e, keys) => {
  const d = e.data as PathwayResponseInput & { personId: string };
  const accepted = d.response === "accept";
  await updatePathway(tx, keys, e.seq, d, {
    state: accepted ? "accepted" : "declined",
    active: accepted,
    respondedOn: d.respondedOn,
    declineReason: accepted ? null : (d.reason ?? null),
  });
};

export const pathwayVetted: Projector = async (tx, e, keys) => {
  const d = e.data as PathwayVettingInput & { personId: string };
  await updatePathway(tx, keys, e.seq, d, {
    vetting: d.result,
    vettingReference: d.reference,
    vettedOn: d.vettedOn,
    // A refusal at vetting closes the pathway: the person may be offered another.
    ...(d.result === "refused" ? { active: false } : {}),
  });
};

export const pathwayPlaced: Projector = async (tx, e, keys) => {
  const d = e.data as PathwayPlacementInput & { personId: string; followUpSchedule: string[] };
  await updatePathway(tx, keys, e.seq, d, {
    state: "placed",
    placedOn: d.placedOn,
    ...(d.unit ? { unit: d.unit } : {}),
    serviceNumber: d.serviceNumber ?? null,
    membershipNumber: d.membershipNumber ?? null,
    placement: d.placement ?? null,
    followUpSchedule: d.followUpSchedule,
    followUpsDone: 0,
    nextFollowUpDue: d.followUpSchedule[0] ?? null,
  });
};

export const pathwayFollowedUp: Projector = async (tx, e, keys) => {
  const d = e.data as PathwayFollowUpInput & { personId: string; due: string | null };
  await tx.insert(t.pathwayFollowUps).values(
    sealRow(keys, "pathway_follow_ups", followUpKey(d.pathwayId, e.seq), {
      pathwayId: d.pathwayId,
      seq: e.seq,
      followedUpOn: d.followedUpOn,
      due: d.due,
      status: d.status,
      note: d.note ?? null,
    }),
  );
  const left = d.status === "left";
  await updatePathway(tx, keys, e.seq, d, {
    followUpsDone: sql`${t.pathways.followUpsDone} + 1`,
    // The next scheduled day after the ones done; none once the person has left.
    nextFollowUpDue: left
      ? null
      : sql`(${t.pathways.followUpSchedule} ->> (${t.pathways.followUpsDone} + 1)::int)::date`,
    lastFollowUpOn: d.followedUpOn,
    lastFollowUpStatus: d.status,
    // Found gone at a follow-up: the placement ended, by the follow-up's day at the latest.
    ...(left
      ? { state: "left", active: false, leftOn: d.followedUpOn, leftReason: "found_left_at_follow_up" }
      : {}),
  });
};

export const pathwayLeft: Projector = async (tx, e, keys) => {
  const d = e.data as PathwayLeavingInput & { personId: string };
  await updatePathway(tx, keys, e.seq, d, {
    state: "left",
    active: false,
    leftOn: d.leftOn,
    leftReason: d.reason,
    nextFollowUpDue: null,
  });
};
