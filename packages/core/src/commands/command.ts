import type { z } from "zod";
import type { Action, ScopeTarget } from "../access/policy.ts";
import type { Actor } from "../access/roles.ts";
import type { NameCandidateQuery, NameCandidates } from "../names/duplicate-check.ts";
import type { MatchInput } from "../names/person.ts";
import type { CardRecord } from "../records/card.ts";
import type { ItemKind } from "../records/custody.ts";
import type { ProgrammeConfig } from "../records/programme.ts";
import type { PersonStanding } from "../rules/person-standing.ts";
import type { CustodyView } from "./custody-view.ts";
import type { PathwayView } from "./pathway-view.ts";
import type { PaymentView } from "./payment-view.ts";
import type { ScreeningView } from "./screening-view.ts";

export type RecordKind =
  | "programme"
  | "group"
  | "site"
  | "person"
  | "handover"
  | "weapon"
  | "ammunition"
  | "key_part"
  | "transfer"
  | "disposition"
  | "store_access"
  | "stock_check"
  | "investigation"
  | "discrepancy"
  | "cache"
  // payments
  | "payment_schedule"
  | "payment_list"
  // Demobilisation cards (cards slice).
  | "card"
  // Screening and eligibility.
  | "appeal"
  // pathways
  | "pathway";

export interface RecordRef {
  kind: RecordKind;
  id: string;
}

/**
 * What the rules may read of the current record, inside the command's transaction. The store
 * implements it with SQL; tests implement it in memory. `find*` may answer undefined.
 */
export interface RecordView extends CustodyView, PaymentView, ScreeningView, PathwayView {
  programme(): Promise<ProgrammeConfig | undefined>;
  findSite(id: string): Promise<{ id: string; kind: string; governorate: string } | undefined>;
  siteCodeInUse(code: string): Promise<boolean>;
  findGroup(id: string): Promise<{ id: string; code: string } | undefined>;
  groupCodeInUse(code: string): Promise<boolean>;
  latestDeclarationVersion(groupId: string): Promise<number>;
  findPerson(id: string): Promise<
    | ({
        id: string;
        siteId: string;
        groupId?: string | undefined;
        governorate: string;
        registeredOn: string;
        kind: "combatant" | "associated_member";
        sex: "male" | "female";
        ageGroup: "adult" | "child";
      } & PersonStanding)
    | undefined
  >;
  /** Eligible people of the group whose eligibility was not revoked: those a cap counts. */
  countEligiblePersons(groupId: string): Promise<number>;
  tagsInUse(tags: string[]): Promise<string[]>;
  /** The custody state of items; unknown ids are absent from the answer. */
  findItems(refs: { kind: ItemKind; id: string }[]): Promise<
    {
      kind: ItemKind;
      id: string;
      state: string;
      holderSiteId: string;
      category: string;
      flagged: boolean;
      /** A weapon's markings were altered or erased (always false for ammunition). */
      alteredMarks: boolean;
    }[]
  >;
  findTransfer(id: string): Promise<
    | {
        id: string;
        fromSiteId: string;
        toSiteId: string;
        status: string;
        items: { kind: ItemKind; id: string }[];
        seals: string[];
        /** UTC ISO-8601. */
        dispatchedAt: string;
      }
    | undefined
  >;
  /** Seal numbers already used on a transfer: a seal is used once. */
  sealsInUse(seals: string[]): Promise<string[]>;
  /** National registration numbers already given to items transferred to the state: each is given once. */
  registrationNumbersInUse(numbers: string[]): Promise<string[]>;
  /** The records an event touched, when the event exists. */
  findEventSubjects(seq: number): Promise<RecordRef[] | undefined>;
  /** Where a record belongs, for scope checks (a person's registration site, an item's collection site). */
  findRecordPlace(ref: RecordRef): Promise<ScopeTarget | undefined>;
  // Demobilisation cards (cards slice).
  /** A card by its canonical number (DC-0000000-0), whatever its status. */
  findCard(cardNumber: string): Promise<CardRecord | undefined>;
  /** The person's active card, if any (there is at most one). */
  findActiveCard(personId: string): Promise<CardRecord | undefined>;
  // Group rosters.
  /** The group's latest roster version and its member numbers; undefined before the first. */
  findLatestRoster(
    groupId: string,
  ): Promise<{ version: number; submittedOn: string; memberNumbers: string[] } | undefined>;
  // duplicate review (issue 5)
  /** Registered people sharing a blocking key with a new registration (names/duplicate-check.ts). */
  findNameCandidates(query: NameCandidateQuery): Promise<NameCandidates>;
  /** How the registry hashes name keys (keyed on the server); unkeyed `hashKey` when absent. */
  nameKeyHash?(key: string): number;
  /** The duplicate review of a registration the check held, if it has one. */
  findDuplicateReview(personId: string): Promise<DuplicateReviewCase | undefined>;
  /** What matching reads of a registered person as it stands (a correction's starting point). */
  findPersonMatchInput(personId: string): Promise<MatchInput | undefined>;
}

/** A registration held for duplicate review, and what became of it. */
export interface DuplicateReviewCase {
  personId: string;
  status: "pending" | "merged" | "dismissed";
  /** When the server recorded the registration (and so first knew of the doubt), UTC ISO-8601. */
  openedAt: string;
  /** The user who recorded the registration (who may not review it). */
  registeredBy: string;
  /** The ids of the registrations it resembles, best first. */
  matches: string[];
  /** The earlier registration it was merged into. */
  mergedInto?: string | undefined;
}

export interface CommandEnv {
  /** The leaf index this command's event will take. Receipt numbers and tags derive from it. */
  seq: number;
  /** Server time, UTC ISO-8601. */
  now: string;
  actor: Actor;
  /** Fresh identifiers for records the command creates without a client-made id. */
  newId(): string;
  /**
   * 32 fresh bytes (hex) from the server's CSPRNG, for draws the sender must not choose (a stock
   * check's sample). The rules that use it record it in the event, so the draw can be re-checked.
   */
  seed: string;
}

/** An event as the rules decide it: its type, the records it touches and its data. */
export interface DecidedEvent {
  type: string;
  subjects: RecordRef[];
  data: Record<string, unknown>;
}

export interface CommandDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  /** The type of the event the command records (its decide must answer it). */
  event: string;
  payload: S;
  action: Action;
  /**
   * When the action depends on what the payload names (a correction of a loose key part is the
   * custodians' as well as the registrars'): the action this payload needs, and every action it
   * may answer, so a role that may take none of them is refused before the payload is read.
   */
  actionFor?: { actions: readonly Action[]; of(payload: z.output<S>): Action };
  /** Where the command acts, for scope checks; undefined means programme-wide. */
  target(payload: z.output<S>, view: RecordView): Promise<ScopeTarget | undefined>;
  decide(payload: z.output<S>, view: RecordView, env: CommandEnv): Promise<DecidedEvent>;
}

/** The action a payload of this command needs (the command's own, unless it depends on the payload). */
export function actionOf<S extends z.ZodType>(
  definition: CommandDefinition<S>,
  payload: z.output<S>,
): Action {
  return definition.actionFor?.of(payload) ?? definition.action;
}

export function defineCommand<S extends z.ZodType>(definition: CommandDefinition<S>): CommandDefinition<S> {
  return definition;
}
