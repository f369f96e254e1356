import type { GroupTransformationRecord, PathwayRecord, PathwayView } from "@armsledger/core";
import { and, eq } from "drizzle-orm";
import type { FieldKeys } from "../crypto/field-keys.ts";
import { openRow, serviceNumberIndex } from "../crypto/personal-columns.ts";
import type { Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";

const orUndefined = <T>(v: T | null) => v ?? undefined;

/** The pathway rules' window on the record, read inside the command's transaction. */
export function sqlPathwayView(tx: Tx, keys: FieldKeys): PathwayView {
  return {
    async findGroupTransformation(groupId) {
      const [g] = await tx
        .select({
          status: t.armedGroups.status,
          decidedOn: t.armedGroups.statusDecidedOn,
          partyStatus: t.armedGroups.partyStatus,
          partyStatusOn: t.armedGroups.partyStatusOn,
          partyNameAr: t.armedGroups.partyNameAr,
          partyNameEn: t.armedGroups.partyNameEn,
        })
        .from(t.armedGroups)
        .where(eq(t.armedGroups.id, groupId));
      if (!g) return undefined;
      // The columns hold only what the projections write: the contract's values.
      return {
        status: g.status as GroupTransformationRecord["status"],
        decidedOn: orUndefined(g.decidedOn),
        party:
          g.partyStatus && g.partyStatusOn
            ? {
                status: g.partyStatus as NonNullable<GroupTransformationRecord["party"]>["status"],
                on: g.partyStatusOn,
                name: g.partyNameAr && g.partyNameEn ? { ar: g.partyNameAr, en: g.partyNameEn } : undefined,
              }
            : undefined,
      };
    },
    async findPathway(id) {
      const [sealed] = await tx.select().from(t.pathways).where(eq(t.pathways.id, id));
      if (!sealed) return undefined;
      const p = openRow(keys, "pathways", id, sealed);
      return {
        id: p.id,
        personId: p.personId,
        kind: p.kind as PathwayRecord["kind"],
        state: p.state as PathwayRecord["state"],
        vetting: p.vetting as PathwayRecord["vetting"],
        active: p.active,
        force: orUndefined(p.force),
        unit: orUndefined(p.unit),
        offeredOn: p.offeredOn,
        respondedOn: orUndefined(p.respondedOn),
        vettedOn: orUndefined(p.vettedOn),
        placedOn: orUndefined(p.placedOn),
        followUpSchedule: p.followUpSchedule as string[],
        followUpsDone: p.followUpsDone,
        lastFollowUpOn: orUndefined(p.lastFollowUpOn),
      };
    },
    async serviceNumberInUse(force, serviceNumber) {
      const [p] = await tx
        .select({ id: t.pathways.id })
        .from(t.pathways)
        .where(
          and(
            eq(t.pathways.force, force),
            eq(t.pathways.serviceNumberIndex, serviceNumberIndex(keys, serviceNumber)),
          ),
        )
        .limit(1);
      return p !== undefined;
    },
    async activePathwayOf(personId) {
      const [p] = await tx
        .select({ id: t.pathways.id, kind: t.pathways.kind, state: t.pathways.state })
        .from(t.pathways)
        .where(and(eq(t.pathways.personId, personId), eq(t.pathways.active, true)));
      return (
        p && { id: p.id, kind: p.kind as PathwayRecord["kind"], state: p.state as PathwayRecord["state"] }
      );
    },
  };
}
