import type {
  GroupStatus,
  PartyStatus,
  PathwayKind,
  PathwayState,
  VettingResult,
} from "../records/pathway.ts";

/** A group's current status and the party it became, as the rules need them. */
export interface GroupTransformationRecord {
  status: GroupStatus;
  /** The day the current status was decided; absent while the group is as registered (armed). */
  decidedOn?: string | undefined;
  party?:
    | {
        status: PartyStatus;
        /** The day of the latest party decision. */
        on: string;
        name?: { ar: string; en: string } | undefined;
      }
    | undefined;
}

/** A pathway as the rules need it. */
export interface PathwayRecord {
  id: string;
  personId: string;
  kind: PathwayKind;
  state: PathwayState;
  /** Security forces only; "not_required" for the other kinds. */
  vetting: VettingResult | "not_required";
  /** Counts as the person's one pathway: offered, accepted or placed, and not refused at vetting. */
  active: boolean;
  /** Security forces: the force or service offered. */
  force?: string | undefined;
  unit?: string | undefined;
  offeredOn: string;
  respondedOn?: string | undefined;
  vettedOn?: string | undefined;
  placedOn?: string | undefined;
  /** The days follow-ups fall due, decided at placement. */
  followUpSchedule: string[];
  followUpsDone: number;
  lastFollowUpOn?: string | undefined;
}

/** What the pathway and group transformation rules read. Part of `RecordView`. */
export interface PathwayView {
  /** Undefined when the group is not registered. */
  findGroupTransformation(groupId: string): Promise<GroupTransformationRecord | undefined>;
  findPathway(id: string): Promise<PathwayRecord | undefined>;
  /** The person's active pathway, if any (one at a time). */
  activePathwayOf(
    personId: string,
  ): Promise<{ id: string; kind: PathwayKind; state: PathwayState } | undefined>;
  /** Whether this force already gave this service number to someone (a number is one person's). */
  serviceNumberInUse(force: string, serviceNumber: string): Promise<boolean>;
}
