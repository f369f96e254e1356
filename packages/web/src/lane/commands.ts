import { useMutation } from "@tanstack/react-query";
import { useRef } from "react";
import { ApiError, postJson } from "../api/client.ts";
import { useQueue } from "./queue/QueueContext.tsx";
import type { QueueEntry } from "./queue/queue.ts";

/** What a recorded command answers (core's commandAnswer), with the event's data typed. */
export interface CommandAnswer<D> {
  commandId: string;
  type: string;
  event: string;
  seq: number;
  leafIndex: number;
  recordedAt: string;
  data: D;
}

/** A command the lane made: recorded by the server, or kept in the queue until it can be sent. */
export type Outcome<D> =
  | { status: "sent"; answer: CommandAnswer<D>; entry: QueueEntry }
  | { status: "queued"; entry: QueueEntry };

export interface LaneCommand {
  payload: unknown;
  /** The form as typed, kept (encrypted) with the command to reopen it for a correction. */
  form?: unknown;
  dependsOn?: string[] | undefined;
  files?: { sha256: string; bytes: Uint8Array<ArrayBuffer> }[];
  /** The refused command this one corrects (from the queue's list). */
  replaces?: string | undefined;
}

/**
 * Sends one command through the queue (issue 6): the command id is made there; the queue sends
 * it at once when it can and keeps it (and retries with the same id) when it cannot, so a lost
 * answer is never a second handover. A refusal is thrown as the API's problem, so the form shows
 * it at its fields; sending the corrected form is a new command that replaces the refused one.
 */
export function useQueuedCommand<D>(type: string) {
  const queue = useQueue();
  const refused = useRef<string | undefined>(undefined);
  return useMutation({
    // The queue decides what to do offline: the query library must not hold the mutation back
    // while the browser says it is offline (its default), or nothing would be queued.
    networkMode: "always",
    mutationFn: async (command: LaneCommand): Promise<Outcome<D>> => {
      // After a refusal in this form, the next send replaces that refusal (the newest one).
      const replaces = refused.current ?? command.replaces;
      const files = [...(command.files ?? [])];
      // A correction keeps the refused command's photos that its payload still refers to.
      if (replaces) {
        const old = queue.overview.entries.find((e) => e.commandId === replaces);
        const text = JSON.stringify(command.payload);
        for (const sha256 of old?.files ?? [])
          if (text.includes(sha256) && !files.some((f) => f.sha256 === sha256)) {
            const bytes = await queue.file(replaces, sha256);
            if (bytes) files.push({ sha256, bytes });
          }
      }
      const entry = await queue.submit({
        type,
        payload: command.payload,
        form: command.form,
        dependsOn: command.dependsOn ?? [],
        files,
        ...(replaces ? { replaces } : {}),
      });
      refused.current = undefined;
      if (entry.status === "attention" && entry.problem) {
        refused.current = entry.commandId;
        const { status, code, detail, fields } = entry.problem;
        throw new ApiError(status, code, detail, undefined, fields);
      }
      if (entry.status === "sent") return { status: "sent", answer: entry.answer as CommandAnswer<D>, entry };
      return { status: "queued", entry };
    },
  });
}

/**
 * Sends one command straight through the one write path, for screens used online (custody,
 * disposition, caches). The command id is made here (the server records a command id once):
 * pressing again after a lost answer, with the same content, reuses the id, so the server answers
 * what it recorded instead of recording twice; changed content (a field corrected after a
 * refusal) is a new command with a new id.
 */
export function useCommand<D>(type: string) {
  const last = useRef<{ body: string; commandId: string } | undefined>(undefined);
  return useMutation({
    mutationFn: async (payload: unknown) => {
      const body = JSON.stringify(payload);
      if (last.current?.body !== body) last.current = { body, commandId: crypto.randomUUID() };
      const answer = await postJson<CommandAnswer<D>>("/api/v1/commands", {
        commandId: last.current.commandId,
        type,
        payload,
      });
      return answer as CommandAnswer<D>;
    },
  });
}
