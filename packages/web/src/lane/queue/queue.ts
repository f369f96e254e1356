import type { ProblemCode, ProblemField } from "@armsledger/core";
import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import { ApiError } from "../../api/client.ts";
import { openBytes, openJson, type Sealed, sealBytes, sealJson } from "./crypto.ts";

// The collection lane's offline queue (issue 6), in IndexedDB. Every command the lane makes goes
// here first, with its client-made id, and is sent from here through POST /api/v1/commands/sync
// (idempotent by command id: sending again records once). Nothing is ever deleted: a command is
// pending until the server records it (sent) or refuses it (needs attention); a corrected command
// is a new command that replaces the refused one (kept as history); a discard is explicit and
// kept as a record of its own.
//
// At rest, only what says nothing about a person is in the clear (ids, type, state, the problem's
// code, order, owner account): the payload, the form as typed, the server's answer and refusal
// detail, and the photos are sealed with the session's key (crypto.ts).

export type QueueStatus = "pending" | "sent" | "attention" | "replaced" | "discarded";

export interface QueueProblem {
  status: number;
  code: ProblemCode;
  detail: string;
  fields: ProblemField[];
}

/** The sealed part of an entry. */
interface Body {
  payload: unknown;
  /** The form as the officer typed it, to reopen it for a correction. */
  form?: unknown;
  answer?: unknown;
  problem?: { detail: string; fields: ProblemField[] };
}

interface Stored {
  commandId: string;
  /** The account that queued it: only that account's session key opens it. */
  owner: string;
  /** Sending order: a command is always after those it depends on. */
  order: number;
  type: string;
  status: QueueStatus;
  createdAt: string;
  updatedAt: string;
  dependsOn: string[];
  attempts: number;
  problemStatus?: number | undefined;
  problemCode?: ProblemCode | undefined;
  /** A command this one waits for, which needs attention (or was discarded). */
  heldBy?: string | undefined;
  replaces?: string | undefined;
  replacedBy?: string | undefined;
  discardedAt?: string | undefined;
  body: Sealed;
  files: { sha256: string; bytes: Sealed }[];
}

/** An entry as the lane shows it (opened with the session's key). */
export interface QueueEntry extends Omit<Stored, "body" | "files" | "problemStatus" | "problemCode"> {
  payload: unknown;
  form: unknown;
  answer: unknown;
  problem: QueueProblem | undefined;
  files: string[];
}

export interface QueueOverview {
  entries: QueueEntry[];
  counts: Record<QueueStatus, number>;
  othersWaiting: number;
}

export interface NewCommand {
  type: string;
  payload: unknown;
  form?: unknown;
  commandId?: string;
  /** Commands (of this queue) that must be recorded first, e.g. the registration of the person. */
  dependsOn?: string[];
  /** Photos the payload refers to by SHA-256: uploaded before the command is sent. */
  files?: { sha256: string; bytes: Uint8Array<ArrayBuffer> }[];
  /** The refused command this one corrects. */
  replaces?: string;
}

export type SyncResult =
  | { commandId: string | null; outcome: "recorded"; answer: unknown }
  | {
      commandId: string | null;
      outcome: "refused";
      problem: { status: number; code: ProblemCode; detail: string; errors?: ProblemField[] };
    };

/** How the queue reaches the server (the app's API client; tests pass their own). */
export interface Transport {
  upload(bytes: Uint8Array<ArrayBuffer>): Promise<unknown>;
  sync(commands: { commandId: string; type: string; payload: unknown }[]): Promise<SyncResult[]>;
}

export interface SyncReport {
  sent: number;
  refused: number;
  held: number;
  /** Why the sync stopped before the end (no network, the server down, signed out): retried later. */
  stoppedBy?: unknown;
}

interface QueueSchema extends DBSchema {
  commands: { key: string; value: Stored; indexes: { order: number } };
}

export const QUEUE_DB = "armsledger-queue";
/** Commands per sync request: the server commits every 100 (docs/sync.md). */
export const SYNC_CHUNK = 100;

/** A refusal of that command alone (it must be corrected); anything else stops the sync until later. */
export function isCommandFault(error: unknown): error is ApiError {
  return (
    error instanceof ApiError &&
    error.status >= 400 &&
    error.status < 500 &&
    ![401, 403, 408, 429].includes(error.status)
  );
}

const now = () => new Date().toISOString();
const waiting = (s: QueueStatus) => s === "pending" || s === "attention";

export class CommandQueue {
  private running: Promise<SyncReport> | undefined;

  private readonly db: IDBPDatabase<QueueSchema>;
  private readonly key: CryptoKey;
  readonly owner: string;

  private constructor(db: IDBPDatabase<QueueSchema>, key: CryptoKey, owner: string) {
    this.db = db;
    this.key = key;
    this.owner = owner;
  }

  static async open(owner: string, key: CryptoKey, name = QUEUE_DB): Promise<CommandQueue> {
    const db = await openDB<QueueSchema>(name, 1, {
      upgrade(database) {
        database.createObjectStore("commands", { keyPath: "commandId" }).createIndex("order", "order");
      },
    });
    return new CommandQueue(db, key, owner);
  }

  /** Closed when the lane is left or the account changes: a sync under way then stops quietly. */
  closed = false;

  close() {
    this.closed = true;
    this.db.close();
  }

  private async all(): Promise<Stored[]> {
    return this.db.getAllFromIndex("commands", "order");
  }

  private async mine(): Promise<Stored[]> {
    return (await this.all()).filter((e) => e.owner === this.owner);
  }

  private openBody(e: Stored) {
    return openJson<Body>(this.key, e.commandId, e.body);
  }

  private async reseal(e: Stored, change: (b: Body) => Body): Promise<Stored> {
    const body = change(await this.openBody(e));
    return { ...e, body: await sealJson(this.key, e.commandId, body), updatedAt: now() };
  }

  async enqueue(command: NewCommand): Promise<QueueEntry> {
    const commandId = command.commandId ?? crypto.randomUUID();
    const files = await Promise.all(
      (command.files ?? []).map(async (f) => ({
        sha256: f.sha256,
        bytes: await sealBytes(this.key, `${commandId}/${f.sha256}`, f.bytes),
      })),
    );
    const body = await sealJson(this.key, commandId, {
      payload: command.payload,
      ...(command.form === undefined ? {} : { form: command.form }),
    } satisfies Body);
    const all = await this.all();
    const dependsOn = [...new Set(command.dependsOn ?? [])];
    const after = Math.max(0, ...all.map((e) => e.order));
    const at = now();
    const entry: Stored = {
      commandId,
      owner: this.owner,
      order: Math.max(Date.now(), after + 1),
      type: command.type,
      status: "pending",
      createdAt: at,
      updatedAt: at,
      dependsOn,
      attempts: 0,
      replaces: command.replaces,
      body,
      files,
    };
    const tx = this.db.transaction("commands", "readwrite");
    if (command.replaces) {
      const old = await tx.store.get(command.replaces);
      if (old && old.owner === this.owner && old.status === "attention")
        await tx.store.put({ ...old, status: "replaced", replacedBy: commandId, updatedAt: at });
      // Commands that waited for the refused one now wait for its correction.
      for (const child of all)
        if (child.owner === this.owner && child.dependsOn.includes(command.replaces))
          await tx.store.put({
            ...child,
            dependsOn: child.dependsOn.map((d) => (d === command.replaces ? commandId : d)),
            ...(child.heldBy === command.replaces
              ? { status: "pending" as const, heldBy: undefined, updatedAt: at }
              : {}),
          });
    }
    await tx.store.add(entry);
    await tx.done;
    return this.view(entry);
  }

  private async view(e: Stored): Promise<QueueEntry> {
    const { body: _, files, problemStatus, problemCode, ...clear } = e;
    const body = await this.openBody(e);
    return {
      ...clear,
      payload: body.payload,
      form: body.form,
      answer: body.answer,
      problem:
        problemCode === undefined
          ? undefined
          : {
              status: problemStatus ?? 0,
              code: problemCode,
              detail: body.problem?.detail ?? "",
              fields: body.problem?.fields ?? [],
            },
      files: files.map((f) => f.sha256),
    };
  }

  /** This account's commands, opened, in sending order. */
  async list(): Promise<QueueEntry[]> {
    return Promise.all((await this.mine()).map((e) => this.view(e)));
  }

  async get(commandId: string): Promise<QueueEntry | undefined> {
    const e = await this.db.get("commands", commandId);
    return e && e.owner === this.owner ? this.view(e) : undefined;
  }

  /** A photo of a queued command, opened (to show it, or to upload it). */
  async file(commandId: string, sha256: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
    const e = await this.db.get("commands", commandId);
    const f = e?.owner === this.owner ? e.files.find((x) => x.sha256 === sha256) : undefined;
    return f && openBytes(this.key, `${commandId}/${sha256}`, f.bytes);
  }

  /**
   * What the panel shows, from one read: this account's commands opened (all but the sent ones
   * older than the last `recentSent`, which the history keeps unopened), counts by state from the
   * clear fields, and other accounts' waiting work (counted, never opened).
   */
  async overview(recentSent = 20): Promise<QueueOverview> {
    const all = await this.all();
    const mine = all.filter((e) => e.owner === this.owner);
    const counts: Record<QueueStatus, number> = {
      pending: 0,
      sent: 0,
      attention: 0,
      replaced: 0,
      discarded: 0,
    };
    for (const e of mine) counts[e.status]++;
    let sentSkipped = counts.sent - recentSent;
    const shown = mine.filter((e) => e.status !== "sent" || sentSkipped-- <= 0);
    return {
      entries: await Promise.all(shown.map((e) => this.view(e))),
      counts,
      othersWaiting: all.filter((e) => e.owner !== this.owner && waiting(e.status)).length,
    };
  }

  /** Commands queued by other accounts on this device, not yet sent: counted, never opened. */
  async othersWaiting(): Promise<number> {
    return (await this.all()).filter((e) => e.owner !== this.owner && waiting(e.status)).length;
  }

  /** Gives up a command that needs attention, on purpose (the caller asked for confirmation): kept, marked. */
  async discard(commandId: string): Promise<void> {
    const e = await this.db.get("commands", commandId);
    if (!e || e.owner !== this.owner || e.status !== "attention") return;
    await this.db.put("commands", { ...e, status: "discarded", discardedAt: now(), updatedAt: now() });
  }

  private next: Promise<SyncReport> | undefined;

  /**
   * Sends what is pending, in order; one run at a time (the online event, the timer and a new
   * command may meet). Asked during a run, it answers the run after it, which sees what was just
   * queued.
   */
  sync(transport: Transport): Promise<SyncReport> {
    if (this.running) {
      this.next ??= this.running.then(() => {
        this.next = undefined;
        return this.sync(transport);
      });
      return this.next;
    }
    this.running = this.drain(transport).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(transport: Transport): Promise<SyncReport> {
    const report: SyncReport = { sent: 0, refused: 0, held: 0 };
    const entries = await this.mine();
    const byId = new Map(entries.map((e) => [e.commandId, e]));
    /** Refused or held in this run: their dependants are held, not sent to be refused in turn. */
    const blocked = new Set(
      entries.filter((e) => !waiting(e.status) && e.status !== "sent").map((e) => e.commandId),
    );
    for (const e of entries) if (e.status === "attention") blocked.add(e.commandId);
    const updates: Stored[] = [];
    const hold = (e: Stored, parent: string) => {
      blocked.add(e.commandId);
      report.held++;
      updates.push({ ...e, status: "attention", heldBy: parent, updatedAt: now() });
    };
    const save = async () => {
      if (updates.length === 0) return;
      const tx = this.db.transaction("commands", "readwrite");
      for (const u of updates.splice(0)) await tx.store.put(u);
      await tx.done;
    };
    const pending = dependenciesFirst(entries.filter((e) => e.status === "pending"));
    try {
      for (let i = 0; i < pending.length; i += SYNC_CHUNK) {
        const ready: Stored[] = [];
        for (const e of pending.slice(i, i + SYNC_CHUNK)) {
          const parent = e.dependsOn.find((d) => blocked.has(d) || byId.get(d)?.status === "discarded");
          if (parent) {
            hold(e, parent);
            continue;
          }
          // Photos first: the command refers to them, and the server checks they exist.
          try {
            for (const f of e.files)
              await transport.upload(await openBytes(this.key, `${e.commandId}/${f.sha256}`, f.bytes));
          } catch (error) {
            if (!isCommandFault(error)) throw error;
            blocked.add(e.commandId);
            report.refused++;
            updates.push(
              await this.refuse(e, {
                status: error.status,
                code: error.code as ProblemCode,
                detail: error.detail,
                fields: error.fields,
              }),
            );
            continue;
          }
          ready.push(e);
        }
        if (ready.length > 0) {
          let results: SyncResult[];
          try {
            results = await transport.sync(
              await Promise.all(
                ready.map(async (e) => ({
                  commandId: e.commandId,
                  type: e.type,
                  payload: (await this.openBody(e)).payload,
                })),
              ),
            );
          } catch (error) {
            for (const e of ready) updates.push({ ...e, attempts: e.attempts + 1, updatedAt: now() });
            throw error;
          }
          for (const [j, e] of ready.entries()) {
            const r = results[j];
            if (r?.outcome === "recorded") {
              report.sent++;
              updates.push(
                await this.reseal(
                  {
                    ...e,
                    status: "sent",
                    problemCode: undefined,
                    problemStatus: undefined,
                    heldBy: undefined,
                  },
                  (b) => ({ payload: b.payload, form: b.form, answer: r.answer }),
                ),
              );
              continue;
            }
            // The server refuses a command whose parent it refused (reference.unknown): the
            // parent is what needs correcting, so the child waits for it.
            const parent = e.dependsOn.find((d) => blocked.has(d));
            if (parent) {
              hold(e, parent);
              continue;
            }
            blocked.add(e.commandId);
            report.refused++;
            const p = r?.problem;
            updates.push(
              await this.refuse(e, {
                status: p?.status ?? 500,
                code: p?.code ?? "internal",
                detail: p?.detail ?? "no answer for this command",
                fields: p?.errors ?? [],
              }),
            );
          }
        }
        await save();
      }
    } catch (error) {
      report.stoppedBy = error;
    }
    await save();
    return report;
  }

  private refuse(e: Stored, problem: QueueProblem): Promise<Stored> {
    return this.reseal(
      {
        ...e,
        status: "attention",
        problemCode: problem.code,
        problemStatus: problem.status,
        attempts: e.attempts + 1,
      },
      (b) => ({ ...b, problem: { detail: problem.detail, fields: problem.fields } }),
    );
  }
}

/**
 * Pending commands in queue order, each after the pending commands it depends on (a corrected
 * registration is queued after the handover that waited for it, and must still go first).
 */
function dependenciesFirst(pending: Stored[]): Stored[] {
  const byId = new Map(pending.map((e) => [e.commandId, e]));
  const out: Stored[] = [];
  const placed = new Set<string>();
  const place = (e: Stored, path: Set<string>) => {
    if (placed.has(e.commandId) || path.has(e.commandId)) return;
    path.add(e.commandId);
    for (const d of e.dependsOn) {
      const parent = byId.get(d);
      if (parent) place(parent, path);
    }
    placed.add(e.commandId);
    out.push(e);
  };
  for (const e of pending) place(e, new Set());
  return out;
}
