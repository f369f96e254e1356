import {
  type Actor,
  actionOf,
  authorize,
  type CommandDefinition,
  type CommandEnvelope,
  commandEnvelope,
  findCommandDefinition,
  findCommandDefinitionByEvent,
  Problem,
  roleMay,
  splitPersonal,
} from "@armsledger/core";
import { canonicalBytes, canonicalJson, commitment, leafHash, toHex } from "@armsledger/ledger";
import { eq, inArray } from "drizzle-orm";
import type { FieldKeys } from "../crypto/field-keys.ts";
import { sha256Hex } from "../crypto/index.ts";
import { openPrivatePart, privateSubjectIndex, sealPrivatePart } from "../crypto/private-part.ts";
import { cryptographicRandomness, type WriteRandomness } from "../crypto/write-randomness.ts";
import { inAnswerOrder, type RaisedAnomaly, watchAnomalies } from "../projections/anomalies.ts";
import { applyEvent } from "../projections/apply.ts";
import { recordedEventOf } from "../projections/recorded-event.ts";
import type { Store, Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { ChunkReadCache, sqlRecordView } from "./record-view.ts";
import { parseOrProblem } from "./zod-problem.ts";

/** What a command answers. Built from the stored event, so a repeated command gets the same answer. */
export interface CommandAnswer {
  commandId: string;
  type: string;
  event: string;
  seq: number;
  leafIndex: number;
  leafHash: string;
  recordedAt: string;
  data: Record<string, unknown>;
  anomalies: { id: string; kind: string; subjectKind: string; subjectId: string; detail: string }[];
}

export interface Clock {
  now(): Date;
}

const systemClock: Clock = { now: () => new Date() };

interface PreparedCommand {
  envelope: CommandEnvelope;
  hash: string;
  payload: unknown;
}

/** Validation that needs no database: the envelope, the role, the payload. */
function prepare(raw: unknown, actor: Actor): PreparedCommand {
  const envelope = parseOrProblem(commandEnvelope, raw, "", "The command");
  const definition = findCommandDefinition(envelope.type)!;
  // A role that may take none of the command's actions is refused before its payload is read.
  const possible = definition.actionFor?.actions ?? [definition.action];
  if (!possible.some((action) => roleMay(actor.role, action))) authorize(actor, definition.action);
  const payload = parseOrProblem(
    definition.payload,
    envelope.payload,
    "payload",
    `The ${envelope.type} command`,
  );
  authorize(actor, actionOf(definition, payload));
  const hash = sha256Hex(canonicalBytes({ type: envelope.type, payload: envelope.payload ?? null }));
  return { envelope, hash, payload };
}

/**
 * The writers' lock: the row lock on ledger_state serialises every writer, hands out dense leaf
 * indices and makes the idempotency check race-free. Held until the transaction ends, so one
 * transaction may record several commands under one lock (a batch, a sync chunk).
 */
class LedgerAppender {
  private readonly tx: Tx;
  private readonly keys: FieldKeys;
  private readonly lockedSize: number;
  private readonly randomness: WriteRandomness;
  /** The next leaf index: the size of the ledger with what this transaction appended so far. */
  size: number;
  /**
   * Command ids whose idempotency check was made at once for a chunk (`lookUpRecorded`), with
   * what the ledger holds for those recorded: under the lock nobody else appends, so the answer
   * stays true for the whole transaction, with this transaction's own commands added as recorded.
   */
  private lookedUp: Set<string> | undefined;
  private readonly recorded = new Map<string, { seq: number; commandHash: string }>();
  /** Whether the command being recorded has begun to write (recordOptimistically). */
  private writing = false;
  /** What the transaction's commands all read alike (the site, the programme), read once. */
  private readonly reads = new ChunkReadCache();

  private constructor(tx: Tx, keys: FieldKeys, size: number, randomness: WriteRandomness) {
    this.tx = tx;
    this.keys = keys;
    this.randomness = randomness;
    this.lockedSize = size;
    this.size = size;
  }

  static async lock(
    tx: Tx,
    keys: FieldKeys,
    randomness: WriteRandomness = cryptographicRandomness,
  ): Promise<LedgerAppender> {
    const [state] = await tx
      .select({ size: t.ledgerState.size })
      .from(t.ledgerState)
      .where(eq(t.ledgerState.id, 1))
      .for("update");
    if (!state) throw new Error("ledger_state is missing: the database was not migrated");
    return new LedgerAppender(tx, keys, state.size, randomness);
  }

  /** The idempotency check of many commands in one statement (a sync chunk, a batch). */
  async lookUpRecorded(commandIds: string[]): Promise<void> {
    if (commandIds.length === 0) return;
    const rows = await this.tx
      .select({ commandId: t.events.commandId, seq: t.events.seq, commandHash: t.events.commandHash })
      .from(t.events)
      .where(inArray(t.events.commandId, commandIds));
    this.lookedUp = new Set(commandIds);
    for (const row of rows) this.recorded.set(row.commandId, row);
  }

  private async findRecorded(tx: Tx, commandId: string) {
    if (this.lookedUp?.has(commandId)) return this.recorded.get(commandId);
    const [existing] = await tx
      .select({ seq: t.events.seq, commandHash: t.events.commandHash })
      .from(t.events)
      .where(eq(t.events.commandId, commandId));
    return existing;
  }

  /** Writes the size back once, for everything this transaction appended. */
  async release(): Promise<void> {
    if (this.size !== this.lockedSize)
      await this.tx.update(t.ledgerState).set({ size: this.size }).where(eq(t.ledgerState.id, 1));
  }

  /**
   * Records one command under a savepoint: a refusal (a Problem, or what `refusal` says is the
   * caller's fault) rolls back that command alone and is answered; anything else aborts the
   * transaction.
   */
  async recordAlone(
    prepared: PreparedCommand,
    actor: Actor,
    clock: Clock,
    refusal: (error: unknown) => Problem | undefined = problemOnly,
  ): Promise<CommandAnswer | Problem> {
    const before = this.size;
    try {
      const answer = await this.tx.transaction((sp) => this.record(sp as Tx, prepared, actor, clock));
      // Its savepoint released: the same id later in this transaction is a repeat.
      this.recorded.set(prepared.envelope.commandId, { seq: answer.seq, commandHash: prepared.hash });
      return answer;
    } catch (error) {
      // The savepoint is gone, and with it whatever the command had appended.
      this.size = before;
      const problem = refusal(error);
      if (problem) return problem;
      throw error;
    }
  }

  /**
   * Records one command WITHOUT a savepoint (two statements fewer than recordAlone): a Problem met
   * before the command wrote anything (the rules refuse before any write) leaves nothing to undo
   * and is answered as is. Any other failure throws NeedsSavepoints: the caller rolls the whole
   * transaction back and records it again with recordAlone, so the outcome is the same as if
   * every command had had its savepoint.
   */
  async recordOptimistically(prepared: PreparedCommand, actor: Actor, clock: Clock) {
    const before = this.size;
    this.writing = false;
    try {
      const answer = await this.record(this.tx, prepared, actor, clock);
      this.recorded.set(prepared.envelope.commandId, { seq: answer.seq, commandHash: prepared.hash });
      return answer;
    } catch (error) {
      this.size = before;
      if (error instanceof Problem && !this.writing) return error;
      throw new NeedsSavepoints(error);
    }
  }

  /** The one write path: command → rules → event → ledger leaf + projections, under the lock. */
  async record(tx: Tx, prepared: PreparedCommand, actor: Actor, clock: Clock): Promise<CommandAnswer> {
    const definition = findCommandDefinition(prepared.envelope.type)!;
    try {
      return await this.recordWith(tx, prepared, actor, clock, definition);
    } finally {
      this.reads.after(definition.event);
    }
  }

  private async recordWith(
    tx: Tx,
    prepared: PreparedCommand,
    actor: Actor,
    clock: Clock,
    definition: CommandDefinition,
  ): Promise<CommandAnswer> {
    const { envelope, hash, payload } = prepared;

    // Scope before anything else, a replay included: the answer to a recorded command holds its
    // personal part, and only someone who may act on that record gets it.
    const view = this.reads.wrap(sqlRecordView(tx, this.keys));
    const target = await definition.target(payload, view);
    if (target) authorize(actor, actionOf(definition, payload), target);

    // A statement of its own, after the lock: under READ COMMITTED it sees a concurrent writer's
    // commit of the same command id (a join in the locking statement would not).
    const existing = await this.findRecorded(tx, envelope.commandId);
    if (existing) {
      if (existing.commandHash !== hash)
        throw new Problem(
          "command.conflict",
          `Command ${envelope.commandId} was already recorded with different content. Give a new command a new id.`,
        );
      return answerFor(tx, this.keys, existing.seq);
    }

    const seq = this.size;
    const recordedAt = clock.now().toISOString();
    // The seed is drawn only if a rule reads it (stock checks); the same value on every read.
    let seed: string | undefined;
    const draws = this.randomness.forCommand(envelope.commandId);
    const env = {
      seq,
      now: recordedAt,
      actor,
      newId: () => draws.newId(),
      get seed() {
        seed ??= toHex(draws.salt(32));
        return seed;
      },
    };
    const decided = await definition.decide(payload, view, env);
    if (decided.type !== definition.event)
      throw new Error(`${definition.type} decided a ${decided.type} event, not ${definition.event}`);
    // Drop undefined values now so the stored event, the leaf and the projection see the same data.
    const data = JSON.parse(JSON.stringify(decided.data)) as Record<string, unknown>;
    const { publicPart, privatePart } = splitPersonal(decided.type, data);

    let personal: string | undefined;
    let salt: Uint8Array | undefined;
    if (Object.keys(privatePart).length > 0) {
      salt = draws.salt();
      personal = toHex(commitment(salt, privatePart));
    }
    const entry = canonicalJson({
      v: 1,
      index: seq,
      type: decided.type,
      at: recordedAt,
      actor: actor.userId,
      command: envelope.commandId,
      data: publicPart,
      ...(personal ? { personal } : {}),
    });
    const hashOfLeaf = toHex(leafHash(new TextEncoder().encode(entry)));

    this.writing = true;
    const personalJson = salt ? canonicalJson(privatePart) : undefined;
    // The leaf and its personal part go with the projection's first statement
    // (store/write-together.ts, applyEvent's `leading`).
    const leaf = [
      tx.insert(t.events).values({
        seq,
        commandId: envelope.commandId,
        commandHash: hash,
        actor: actor.userId,
        recordedAt,
        type: decided.type,
        entry,
        leafHash: hashOfLeaf,
      }),
      ...(salt && personalJson
        ? [
            tx.insert(t.eventPrivate).values({
              seq,
              salt: toHex(salt),
              data: sealPrivatePart(this.keys, seq, personalJson),
              subjectIndex: privateSubjectIndex(this.keys, privatePart),
            }),
          ]
        : []),
    ];
    const anomalies = await watchAnomalies(tx, () =>
      applyEvent(tx, { seq, type: decided.type, recordedAt, actor: actor.userId, data }, this.keys, leaf),
    );
    this.size = seq + 1;
    // The answer is made from what was just written, exactly as answerFor makes it from the stored
    // rows (so a repeated command gets the same answer), without reading them back.
    const row = { seq, type: decided.type, recordedAt, actor: actor.userId, entry, leafHash: hashOfLeaf };
    return answerOf(row, envelope.commandId, personalJson, anomalies);
  }
}

/** A command failed after it began writing, in a transaction recorded without savepoints. */
class NeedsSavepoints extends Error {
  constructor(cause: unknown) {
    super("a command failed while recorded without a savepoint", { cause });
    this.name = "NeedsSavepoints";
  }
}

/**
 * Runs `work` in a transaction without savepoints; if a command needed one (NeedsSavepoints), that
 * transaction is rolled back whole and `work` runs again in a new one, every command under its
 * savepoint. Refusals are rare, so most chunks pay no savepoint at all.
 */
async function withSavepointsIfNeeded<T>(store: Store, work: (tx: Tx, savepoints: boolean) => Promise<T>) {
  try {
    return await store.db.transaction((tx) => work(tx, false));
  } catch (error) {
    if (!(error instanceof NeedsSavepoints)) throw error;
  }
  return store.db.transaction((tx) => work(tx, true));
}

function problemOnly(error: unknown): Problem | undefined {
  return error instanceof Problem ? error : undefined;
}

/** The answer to a recorded command, read back from the store. */
export async function answerFor(tx: Tx, keys: FieldKeys, seq: number): Promise<CommandAnswer> {
  const [event] = await tx.select().from(t.events).where(eq(t.events.seq, seq));
  if (!event) throw new Problem("resource.not-found", `There is no event ${seq}.`);
  const [personal] = await tx
    .select({ seq: t.eventPrivate.seq, data: t.eventPrivate.data })
    .from(t.eventPrivate)
    .where(eq(t.eventPrivate.seq, seq));
  const recordedAt = new Date(event.recordedAt).toISOString();
  return answerOf(
    { ...event, recordedAt },
    event.commandId,
    personal && openPrivatePart(keys, personal),
    await anomaliesRaisedBy(tx, seq),
  );
}

async function anomaliesRaisedBy(tx: Tx, seq: number): Promise<RaisedAnomaly[]> {
  const rows = await tx
    .select({
      id: t.anomalies.id,
      kind: t.anomalies.kind,
      subjectKind: t.anomalies.subjectKind,
      subjectId: t.anomalies.subjectId,
      detail: t.anomalies.detail,
    })
    .from(t.anomalies)
    .where(eq(t.anomalies.raisedSeq, seq));
  // The order the write path answers in when it records the command (projections/anomalies.ts).
  return inAnswerOrder(rows);
}

function answerOf(
  event: { seq: number; type: string; recordedAt: string; actor: string; entry: string; leafHash: string },
  commandId: string,
  personalJson: string | undefined,
  anomalies: RaisedAnomaly[],
): CommandAnswer {
  return {
    commandId,
    type: commandTypeOf(event.type),
    event: event.type,
    seq: event.seq,
    leafIndex: event.seq,
    leafHash: event.leafHash,
    recordedAt: event.recordedAt,
    data: recordedEventOf(event, personalJson).data,
    anomalies,
  };
}

function commandTypeOf(eventType: string): string {
  return findCommandDefinitionByEvent(eventType)?.type ?? eventType;
}

/**
 * `randomness` is cryptographic unless the scenario generator or a test passes its deterministic
 * source (crypto/write-randomness.ts); no route or configuration reaches it.
 */
export async function executeCommand(
  store: Store,
  raw: unknown,
  actor: Actor,
  clock: Clock = systemClock,
  randomness: WriteRandomness = cryptographicRandomness,
): Promise<CommandAnswer> {
  const prepared = prepare(raw, actor);
  // Loaded before the transaction: the first use of a new database makes its data key.
  const keys = await store.personal.keys();
  return store.db.transaction(async (tx) => {
    const ledger = await LedgerAppender.lock(tx, keys, randomness);
    const answer = await ledger.record(tx, prepared, actor, clock);
    await ledger.release();
    return answer;
  });
}

/** Validates each raw command apart: a Problem per command that fails, the prepared command otherwise. */
function prepareEach(raws: unknown[], actor: Actor): (PreparedCommand | Problem)[] {
  return raws.map((raw) => {
    try {
      return prepare(raw, actor);
    } catch (error) {
      if (error instanceof Problem) return error;
      throw error;
    }
  });
}

/**
 * Records commands one after another in ONE transaction under one writers' lock: a refused command
 * is answered alone and the others go on. Answers one outcome per command, in order. Without
 * `savepoints`, a command that fails after it began writing throws NeedsSavepoints (see
 * withSavepointsIfNeeded); with them, each command is under a savepoint and rolls back alone.
 */
async function recordTogether(
  tx: Tx,
  keys: FieldKeys,
  commands: (PreparedCommand | Problem)[],
  actor: Actor,
  clock: Clock,
  savepoints: boolean,
  refusal?: (error: unknown) => Problem | undefined,
  randomness?: WriteRandomness,
): Promise<(CommandAnswer | Problem)[]> {
  const ledger = await LedgerAppender.lock(tx, keys, randomness);
  await ledger.lookUpRecorded(commands.flatMap((c) => (c instanceof Problem ? [] : [c.envelope.commandId])));
  const outcomes: (CommandAnswer | Problem)[] = [];
  for (const command of commands)
    outcomes.push(
      command instanceof Problem
        ? command
        : savepoints
          ? await ledger.recordAlone(command, actor, clock, refusal)
          : await ledger.recordOptimistically(command, actor, clock),
    );
  await ledger.release();
  return outcomes;
}

export interface RejectedCommand {
  index: number;
  problem: Problem;
}

export class BatchRefused extends Error {
  readonly rejected: RejectedCommand[];
  constructor(rejected: RejectedCommand[]) {
    super(`${rejected.length} command(s) refused; nothing was recorded`);
    this.name = "BatchRefused";
    this.rejected = rejected;
  }
}

/**
 * All or nothing (the importer, the scenario generator): every command runs in one transaction,
 * each standing alone (recordTogether) so that every refusal is collected and reported; if any is
 * refused, the whole batch rolls back.
 */
export async function executeBatch(
  store: Store,
  raws: unknown[],
  actor: Actor,
  clock: Clock = systemClock,
  randomness: WriteRandomness = cryptographicRandomness,
): Promise<CommandAnswer[]> {
  const prepared = prepareEach(raws, actor);
  const rollback = new Error("batch rolled back");
  let rejected: RejectedCommand[] = [];
  let answers: CommandAnswer[] = [];
  const keys = await store.personal.keys();
  try {
    await withSavepointsIfNeeded(store, async (tx, savepoints) => {
      const outcomes = await recordTogether(
        tx,
        keys,
        prepared,
        actor,
        clock,
        savepoints,
        undefined,
        randomness,
      );
      rejected = outcomes.flatMap((o, index) => (o instanceof Problem ? [{ index, problem: o }] : []));
      if (rejected.length > 0) throw rollback;
      answers = outcomes as CommandAnswer[];
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
  if (rejected.length > 0) throw new BatchRefused(rejected);
  return answers;
}

/** Commands per transaction in a sync: long enough to share the lock, short enough to let others write. */
export const SYNC_CHUNK = 100;

/**
 * Offline sync (a field laptop draining its queue): each command stands alone, NOT all or
 * nothing. A refused command is answered with its problem and the others are recorded; one
 * already recorded answers as it did then (idempotent by command id, as a single command). For
 * throughput, the commands are recorded in order, SYNC_CHUNK to a transaction under one lock,
 * each standing alone (recordTogether: no savepoint unless one is needed). A failure that is not the command's fault (the database lost, the disk
 * full) aborts: chunks already committed stay, and the client sends the queue again, which
 * answers them the same.
 *
 * `refusal` tells which thrown errors are the command's fault (the HTTP layer maps database
 * refusals of bad text to a problem); by default, only Problems.
 */
export async function executeSync(
  store: Store,
  raws: unknown[],
  actor: Actor,
  options: { clock?: Clock; chunk?: number; refusal?: (error: unknown) => Problem | undefined } = {},
): Promise<(CommandAnswer | Problem)[]> {
  const { clock = systemClock, chunk = SYNC_CHUNK, refusal } = options;
  const prepared = prepareEach(raws, actor);
  const outcomes: (CommandAnswer | Problem)[] = [];
  const keys = await store.personal.keys();
  for (let start = 0; start < prepared.length; start += chunk) {
    const part = prepared.slice(start, start + chunk);
    // A chunk refused whole needs no transaction (nor the writers' lock).
    if (part.every((c) => c instanceof Problem)) outcomes.push(...(part as Problem[]));
    else
      outcomes.push(
        ...(await withSavepointsIfNeeded(store, (tx, savepoints) =>
          recordTogether(tx, keys, part, actor, clock, savepoints, refusal),
        )),
      );
  }
  return outcomes;
}
